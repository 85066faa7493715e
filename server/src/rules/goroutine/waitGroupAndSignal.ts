// goroutine/wg-add-inside and goroutine/signal-unbuffered: two setup mistakes
// around goroutines. `wg.Add` inside the goroutine it counts races with
// `wg.Wait`; `signal.Notify` on an unbuffered channel drops signals that
// arrive while nobody is receiving (the signal package never blocks).
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { isPackageCall, methodCall, rootIdentifier } from '../../syntax/calls';
import { makeChannelCall } from '../../syntax/channelVariables';
import { indentationAt } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { descendantsSpelling, enclosingFunction, isInsideError } from '../../syntax/functions';
import { goKeyword, literalOfGoStatement } from '../../syntax/goroutines';
import { importNames } from '../../syntax/imports';
import type { LocalNames } from '../../syntax/localNames';
import { statementsOf } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { bufferOfOneEdit } from '../../syntax/statementEdits';

function ownCalls(fn: Node): Node[] {
  const body = fn.childForFieldName('body');
  return body ? body.descendantsOfType('call_expression').filter((call): call is Node => call !== null && enclosingFunction(call)?.id === fn.id) : [];
}

function moveAddFix(context: RuleContext, names: LocalNames, goStatement: Node, addStatement: Node, literal: Node): Fix | null {
  // The argument must mean the same before the go statement: nothing declared in the literal.
  const identifiers = addStatement.descendantsOfType('identifier').filter((n): n is Node => n !== null);
  if (identifiers.some((identifier) => names.resolve(identifier)?.scope.id === literal.id || (names.resolve(identifier)?.identifier.startIndex ?? -1) > literal.startIndex)) return null;
  const lineStart = context.text.lastIndexOf('\n', addStatement.startIndex - 1) + 1;
  const lineEnd = context.text.indexOf('\n', addStatement.endIndex);
  // The statement must be alone on its line (a trailing comment moves with it).
  const trailing = lineEnd >= 0 ? context.text.slice(addStatement.endIndex, lineEnd) : '';
  if (lineEnd < 0 || context.text.slice(lineStart, addStatement.startIndex).trim() !== '' || !/^\s*(\/\/.*)?$/.test(trailing)) return null;
  const moved = `${addStatement.text}${trailing.trimEnd()}`;
  const at = context.lines.positionAt(goStatement.startIndex);
  return {
    title: context.message('fixMove', { call: addStatement.text }),
    isPreferred: true,
    edits: [
      { range: context.lines.rangeOf(lineStart, lineEnd + 1), newText: '' },
      { range: { start: at, end: at }, newText: `${moved}\n${indentationAt(context.text, goStatement.startIndex)}` },
    ],
  };
}

export const waitGroupAddInside: Rule = {
  id: 'goroutine/wg-add-inside',
  category: 'goroutine',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#WaitGroup.Add',
  example: {
    before: [
      'go func() {',
      '\twg.Add(1)',
      '\tdefer wg.Done()',
      '\twork()',
      '}()',
    ].join('\n'),
    after: [
      'wg.Add(1)',
      'go func() {',
      '\tdefer wg.Done()',
      '\twork()',
      '}()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'WaitGroup.Add inside the goroutine',
      messages: {
        addInside: '{wg}.Add runs inside the goroutine it counts: {wg}.Wait() can return before the goroutine has started',
        addInStarted: '`{wg}.Add` runs inside `{fn}`, which `{starter}` starts with `go` ({place}) without counting it first: `{wg}.Wait()` can return before `{fn}` has started',
        startedHere: '`{fn}` is started here',
        waitsHere: '`{wg}.Wait()` here',
        place: 'line {line}',
        placeInFile: '{file}:{line}',
        fixMove: 'Move {call} before the go statement',
      },
      explanation: [
        '`wg.Wait()` returns as soon as the counter is zero. When `wg.Add(1)` runs *inside* the new goroutine, the parent may reach `Wait` before the goroutine has been scheduled: the counter is still zero, `Wait` returns at once, and the work is not waited for (results missing, or the goroutine outlives the data it uses). The race detector can report it, but only in some interleavings; `go vet` (its `waitgroup` check, Go 1.25+) flags it without running anything. Tests become flaky.',
        '',
        'The same holds for a method or function of the package started with `go s.serve()` that begins with `s.wg.Add(1)`: the `Add` runs in the new goroutine, whichever function it is written in.',
        '',
        'Fix: call `Add` in the parent, before the `go` statement (or, since Go 1.25, use `wg.Go(func() { … })`).',
      ].join('\n'),
    },
    'zh-cn': {
      title: '在 goroutine 内部调用 WaitGroup.Add',
      messages: {
        addInside: '{wg}.Add 在它所计数的 goroutine 内部执行：{wg}.Wait() 可能在该 goroutine 启动之前就返回',
        addInStarted: '`{wg}.Add` 在 `{fn}` 内部执行，而 `{starter}` 用 `go` 启动 `{fn}`（{place}）之前没有先计数：`{wg}.Wait()` 可能在 `{fn}` 启动之前就返回',
        startedHere: '`{fn}` 在此启动',
        waitsHere: '`{wg}.Wait()` 在此',
        place: '第 {line} 行',
        placeInFile: '{file} 第 {line} 行',
        fixMove: '把 {call} 移到 go 语句之前',
      },
      explanation: [
        '计数器为零时 `wg.Wait()` 会立即返回。如果 `wg.Add(1)` 在新 goroutine **内部**执行，父 goroutine 可能在新 goroutine 被调度之前就执行到 `Wait`：此时计数器仍为零，`Wait` 立即返回，工作并没有被等待（结果缺失，或者 goroutine 比它使用的数据活得更久）。竞态检测器（`-race`）只在某些调度顺序下才能发现它；`go vet` 的 `waitgroup` 检查（Go 1.25 起）不用运行就能指出来。测试结果也会时好时坏（flaky）。',
        '',
        '用 `go s.serve()` 启动的包内方法或函数，如果开头就是 `s.wg.Add(1)`，问题完全一样：不管写在哪个函数里，这个 `Add` 都在新 goroutine 中执行。',
        '',
        '修复方法：在父 goroutine 中、`go` 语句之前调用 `Add`（Go 1.25 起也可以用 `wg.Go(func() { … })`）。',
      ].join('\n'),
    },
  },
  check(context) {
    const facts = fileChannels(context);
    for (const goStatement of descendantsSpelling(context.tree.rootNode, goKeyword, 'go_statement')) {
      if (isInsideError(goStatement)) continue;
      const literal = literalOfGoStatement(goStatement);
      const names = facts.namesFor(goStatement);
      const parent = enclosingFunction(goStatement);
      if (!literal || !names || !parent) continue;
      const body = literal.childForFieldName('body');
      const first = body ? statementsOf(body)[0] : undefined;
      const call = first?.type === 'expression_statement' ? first.namedChild(0) : null;
      const add = call?.type === 'call_expression' ? methodCall(call) : undefined;
      if (!first || !call || !add || add.method !== 'Add') continue;
      const wg = add.receiver.text;
      // It is a WaitGroup counting this goroutine: Done here, Wait in the parent.
      const root = rootIdentifier(add.receiver);
      if (!root || !literal.text.includes(`${wg}.Done()`)) continue;
      if (!ownCalls(parent).some((candidate) => methodCall(candidate)?.method === 'Wait' && methodCall(candidate)?.receiver.text === wg)) continue;
      const fix = moveAddFix(context, names, goStatement, first, literal);
      context.report({ at: call, messageKey: 'addInside', values: { wg }, fixes: fix ? [fix] : [] });
    }
  },
};

export const signalUnbuffered: Rule = {
  id: 'goroutine/signal-unbuffered',
  category: 'goroutine',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/os/signal#Notify',
  example: {
    before: [
      'ch := make(chan os.Signal)',
      'signal.Notify(ch, os.Interrupt)',
    ].join('\n'),
    after: [
      'ch := make(chan os.Signal, 1)',
      'signal.Notify(ch, os.Interrupt)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'signal.Notify with an unbuffered channel',
      messages: {
        unbuffered: 'signal.Notify with unbuffered {name}: a signal that arrives while nobody is receiving is dropped',
        fixBuffer: 'Give {name} a buffer of 1',
      },
      explanation: [
        'The `os/signal` package never blocks when it delivers a signal: if the channel is not ready, the signal is **dropped**. With an unbuffered channel, a Ctrl-C that arrives a moment before the program reaches `<-ch` is lost, and the program does not shut down.',
        '',
        'Fix: a buffer of 1 is enough for one pending signal.',
      ].join('\n'),
    },
    'zh-cn': {
      title: 'signal.Notify 使用了无缓冲通道',
      messages: {
        unbuffered: 'signal.Notify 使用无缓冲通道 {name}：没有人接收时到达的信号会被丢弃',
        fixBuffer: '给 {name} 设置容量为 1 的缓冲',
      },
      explanation: [
        '`os/signal` 包投递信号时从不阻塞：如果通道没有就绪，信号就会被**丢弃**。使用无缓冲通道时，在程序执行到 `<-ch` 之前一瞬间到达的 Ctrl-C 会丢失，程序也就不会退出。',
        '',
        '修复方法：容量为 1 的缓冲足以保存一个待处理的信号。',
      ].join('\n'),
    },
  },
  check(context) {
    const imports = importNames(context.tree.rootNode);
    if (![...imports.values()].includes('os/signal')) return;
    for (const fn of fileChannels(context).functions) {
      for (const channel of fn.channels) {
        if (channel.origin.kind !== 'make' || channel.origin.buffered !== false || channel.writes.length > 0) continue;
        for (const use of channel.uses) {
          const call = use.call?.call;
          if (!call || use.call?.index !== 0 || !isPackageCall(call, 'os/signal', ['Notify'], imports, fn.names)) continue;
          const name = channel.declaration.name;
          const edit = makeChannelCall(channel.origin.call, fn.names) ? bufferOfOneEdit(context.lines, channel.origin.call) : undefined;
          const fixes: Fix[] = edit ? [{ title: context.message('fixBuffer', { name }), isPreferred: true, edits: [edit] }] : [];
          context.report({ at: use.identifier, messageKey: 'unbuffered', values: { name }, fixes });
        }
      }
    }
  },
};
