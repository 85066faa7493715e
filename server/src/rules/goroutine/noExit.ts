// goroutine/no-exit: a goroutine whose body runs an infinite `for` loop that
// nothing can leave — no return, no break out of it, no goto, no panic or
// exit call. Such a goroutine lives as long as the process; started per
// request or per connection, it is a leak. When a `ctx` is in scope and the
// loop is a for-select, the quick fix adds `case <-ctx.Done(): return`.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { contextNameAt } from '../../syntax/contextInScope';
import { indentationAt, isInfiniteLoop } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { packageName, runsOncePerProcess } from '../../syntax/functionContext';
import { descendantsSpelling, enclosingFunction, isInsideError } from '../../syntax/functions';
import { outermostFunction, type LocalNames } from '../../syntax/localNames';
import { goKeyword, literalOfGoStatement } from '../../syntax/goroutines';
import { loopCanExit } from '../../syntax/loopExits';
import { statementsOf } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

function addDoneCase(context: RuleContext, names: LocalNames, loop: Node): Fix | null {
  const body = loop.childForFieldName('body');
  const statements = body ? statementsOf(body) : [];
  if (statements.length !== 1 || statements[0].type !== 'select_statement') return null;
  const select = statements[0];
  const ctx = contextNameAt(names, select);
  if (!ctx) return null;
  const firstCase = select.namedChildren.find((child) => child?.type === 'communication_case' || child?.type === 'default_case');
  if (!firstCase || context.lines.positionAt(firstCase.startIndex).line === context.lines.positionAt(select.startIndex).line) return null;
  const indent = indentationAt(context.text, firstCase.startIndex);
  const at = context.lines.positionAt(firstCase.startIndex);
  return {
    title: context.message('fixDone', { ctx }),
    isPreferred: true,
    edits: [{ range: { start: at, end: at }, newText: `case <-${ctx}.Done():\n${indent}\treturn\n${indent}` }],
  };
}

/** Infinite loops that are statements of the literal itself (not of nested literals). */
function endlessLoops(literal: Node): Node[] {
  const body = literal.childForFieldName('body');
  if (!body) return [];
  return body
    .descendantsOfType('for_statement')
    .filter((loop): loop is Node => loop !== null && enclosingFunction(loop)?.id === literal.id && isInfiniteLoop(loop) && !loopCanExit(loop));
}

function startsDaemon(goStatement: Node): boolean {
  const starter = outermostFunction(goStatement);
  if (packageName(goStatement) === 'main' || (starter !== null && runsOncePerProcess(starter))) return true;
  const literal = enclosingFunction(goStatement);
  const call = literal?.type === 'func_literal' ? literal.parent?.parent : null;
  return call?.type === 'call_expression' && /\.Do$/.test(call.childForFieldName('function')?.text ?? '');
}

export const noExit: Rule = {
  id: 'goroutine/no-exit',
  category: 'goroutine',
  // Info, not warning: in GOROOT most such loops are deliberate process-lifetime daemons.
  defaultSeverity: 'info',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/blog/pipelines',
  example: {
    before: [
      'go func() {',
      '\tfor {',
      '\t\tselect {',
      '\t\tcase ev := <-events:',
      '\t\t\thandle(ev)',
      '\t\t}',
      '\t}',
      '}()',
    ].join('\n'),
    after: [
      'go func() {',
      '\tfor {',
      '\t\tselect {',
      '\t\tcase <-ctx.Done():',
      '\t\t\treturn',
      '\t\tcase ev := <-events:',
      '\t\t\thandle(ev)',
      '\t\t}',
      '\t}',
      '}()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Goroutine that can never exit',
      messages: {
        noExit: 'the goroutine started on line {line} loops forever here: nothing returns, breaks out of the loop or stops it (no ctx.Done() / stop channel case)',
        fixDone: 'Add case <-{ctx}.Done(): return',
      },
      explanation: [
        'A goroutine ends only when its function returns. A `for { … }` loop with no `return`, no `break` out of it and no stop signal keeps the goroutine — and everything it references — alive until the process exits. Started once at startup that may be intended; started per request, per connection or per test, it is a **goroutine leak** that grows memory and CPU use over time.',
        '',
        'Fix: give the loop a way out. The usual one is a `select` case on the caller\'s `ctx.Done()` (or a `done`/`stop` channel that the owner closes) that returns.',
        '',
        '**When it is deliberate.** A goroutine meant to live as long as the process — started from `main` or `init`, anywhere in package `main`, or once through a `sync.Once` — is not reported. For another such daemon, write `//goinsight:ignore goroutine/no-exit reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '永远无法退出的 goroutine',
      messages: {
        noExit: '第 {line} 行启动的 goroutine 在这里无限循环：没有 return、没有跳出循环的 break，也没有让它停止的信号（没有 ctx.Done() 或停止通道的 case）',
        fixDone: '添加 case <-{ctx}.Done(): return',
      },
      explanation: [
        'goroutine 只有在它的函数返回时才会结束。一个没有 `return`、没有跳出循环的 `break`、也没有停止信号的 `for { … }` 循环，会让这个 goroutine 及其引用的所有对象一直存活到进程退出。如果只在启动时创建一次，这可能是有意为之；如果每个请求、每个连接或每个测试都启动一个，就是**goroutine 泄漏**，内存和 CPU 占用会不断增长。',
        '',
        '修复方法：给循环一个出口。最常见的做法是在 `select` 中加入对调用方 `ctx.Done()`（或由所有者关闭的 `done`/`stop` 通道）的 case，并在其中 return。',
        '',
        '**有意为之的情况。** 本来就要一直运行到进程结束的 goroutine——从 `main` 或 `init` 启动、位于 `main` 包中，或通过 `sync.Once` 只启动一次——不会被报告。其他这类常驻 goroutine，可以在该行或上一行写 `//goinsight:ignore goroutine/no-exit 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    const facts = fileChannels(context);
    for (const goStatement of descendantsSpelling(context.tree.rootNode, goKeyword, 'go_statement')) {
      if (isInsideError(goStatement)) continue;
      const literal = literalOfGoStatement(goStatement);
      // Started from main or init, anywhere in package main, or by a sync.Once, a goroutine runs once
      // for the process's life: a daemon, not a leak.
      if (startsDaemon(goStatement)) continue;
      const names = facts.namesFor(goStatement);
      if (!literal || !names) continue;
      for (const loop of endlessLoops(literal)) {
        const fix = addDoneCase(context, names, loop);
        const forKeyword = loop.child(0) ?? loop;
        context.report({ at: forKeyword, messageKey: 'noExit', values: { line: context.lineNumber(goStatement) }, related: [{ range: context.rangeOf(goStatement.child(0) ?? goStatement), message: 'go' }], fixes: fix ? [fix] : [] });
      }
    }
  },
};
