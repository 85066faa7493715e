// defer/loop-var-capture: before Go 1.22 a `for` loop has one variable for all
// iterations, so a deferred closure that captures it sees its last value when
// all the deferred calls run at return. Only for modules whose go.mod says
// go < 1.22 (and files whose `//go:build` line does not raise it); since 1.22
// each iteration has its own variable. The fix copies
// the variable (`v := v`) right before the defer.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { deferSites, lineIndentOf, type DeferSite } from '../../syntax/defers';
import { enclosingLoop } from '../../syntax/executionOrder';
import { LocalNamesCache, type LocalDeclaration, type LocalNames } from '../../syntax/localNames';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

/** True when a `go` directive such as "1.21" or "1.21.3" is older than 1.22. */
export function beforePerIterationLoopVariables(goVersion: string | undefined): boolean {
  const match = goVersion ? /^(\d+)\.(\d+)/.exec(goVersion.trim()) : null;
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major < 1 || (major === 1 && minor < 22);
}

/**
 * True when the file's `//go:build` line names go1.22 or later: that file
 * gets per-iteration variables whatever go.mod says. Any such term counts,
 * even under `||` or `!`: unsure is quiet.
 */
export function buildLineNamesPerIterationGo(root: Node): boolean {
  for (const child of root.namedChildren) {
    if (child?.type !== 'comment') break;
    const constraint = /^\/\/go:build (.*)$/.exec(child.text);
    if (constraint && [...constraint[1].matchAll(/\bgo1\.(\d+)\b/g)].some((match) => Number(match[1]) >= 22)) return true;
  }
  return false;
}

/** The loop variable of an enclosing loop (of the defer's own function) that the literal reads. */
function capturedLoopVariable(site: DeferSite, literal: Node, names: LocalNames): { identifier: Node; declaration: LocalDeclaration } | undefined {
  const loops: number[] = [];
  for (let loop = enclosingLoop(site.statement); loop; loop = enclosingLoop(loop)) loops.push(loop.id);
  if (loops.length === 0) return undefined;
  for (const identifier of literal.descendantsOfType('identifier')) {
    if (!identifier) continue;
    const declaration = names.resolve(identifier);
    if (!declaration || (declaration.kind !== 'range' && declaration.kind !== 'for-init')) continue;
    if (loops.includes(declaration.scope.id)) return { identifier, declaration };
  }
  return undefined;
}

function copyFix(context: RuleContext, site: DeferSite, literal: Node, captured: { declaration: LocalDeclaration }, names: LocalNames): Fix | undefined {
  // A closure that writes the loop variable would write the copy instead.
  const writesInside = names
    .writes(captured.declaration)
    .some((write) => write.identifier.startIndex >= literal.startIndex && write.identifier.endIndex <= literal.endIndex);
  if (writesInside || site.statement.parent?.type !== 'statement_list') return undefined;
  const position = context.lines.positionAt(site.statement.startIndex);
  const name = captured.declaration.name;
  return {
    title: context.message('fixCopy', { name }),
    isPreferred: true,
    edits: [{ range: { start: position, end: position }, newText: `${name} := ${name}\n${lineIndentOf(context.text, site.statement)}` }],
  };
}

export const deferLoopVarCapture: Rule = {
  id: 'defer/loop-var-capture',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/blog/loopvar-preview',
  example: {
    before: [
      'for _, name := range names {',
      '\tdefer func() { os.Remove(name) }()',
      '}',
    ].join('\n'),
    after: [
      'defer func() {',
      '\tfor _, name := range names {',
      '\t\tos.Remove(name)',
      '\t}',
      '}()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Deferred closure captures a loop variable (Go < 1.22)',
      messages: {
        captured: 'the deferred closure captures loop variable `{name}`: with go {version} all iterations share one `{name}`, so every deferred call sees its last value',
        declaredHere: '`{name}` is declared once for the whole loop',
        fixCopy: 'Copy the loop variable before the defer: {name} := {name}',
      },
      exampleComments: {
        before: 'go 1.21 removes the last name len(names) times',
        after: 'one deferred call removes every name at return',
      },
      explanation: [
        'Until Go 1.22, the variables declared by a `for` statement (`for i := …` or `for k, v := range …`) exist **once for the whole loop** and are overwritten each iteration. A deferred closure refers to the variable, not to its value, and deferred calls run only when the function returns: by then the loop is over and every closure sees the last value.',
        '',
        'Go 1.22 gives each iteration its own variables, but only in modules whose `go.mod` says `go 1.22` or later, or in a file whose `//go:build` line says `go1.22` or later; this module says older, and this file has no such line.',
        '',
        'Fix: copy the variable inside the loop (`v := v`, the quick fix), pass it as an argument (`defer func(v T) { … }(v)`), or raise the `go` directive to 1.22 or later. Each still defers once per iteration, which `defer/in-loop` points out; when the calls belong at return anyway, one deferred call that loops over the values avoids both traps:',
      ].join('\n'),
    },
    'zh-cn': {
      title: '延迟调用的闭包捕获了循环变量（Go < 1.22）',
      messages: {
        captured: '延迟执行的闭包捕获了循环变量 `{name}`：在 go {version} 下所有迭代共用同一个 `{name}`，每个延迟调用看到的都是它最后的值',
        declaredHere: '`{name}` 在整个循环中只声明了一次',
        fixCopy: '在 defer 之前复制循环变量：{name} := {name}',
      },
      exampleComments: {
        before: '在 go 1.21 下，最后一个文件名被删除了 len(names) 次',
        after: '只用一个延迟调用，在函数返回时逐个删除',
      },
      explanation: [
        '在 Go 1.22 之前，`for` 语句声明的循环变量（`for i := …` 或 `for k, v := range …`）在**整个循环中只有一个**，每次迭代都会被覆盖。闭包引用的是变量本身而不是它的值，而延迟调用要到函数返回时才执行：那时循环早已结束，每个闭包看到的都是最后一次迭代的值。',
        '',
        'Go 1.22 起每次迭代都有自己的循环变量，但这只对 `go.mod` 中写明 `go 1.22` 或更高版本的模块，或 `//go:build` 行写明 `go1.22` 及以上的文件生效；本模块的版本更低，这个文件也没有这样的构建约束。',
        '',
        '修复方法：在循环体内复制一份变量（`v := v`，即快速修复的做法），或把它作为参数传入（`defer func(v T) { … }(v)`），或把 `go` 指令升级到 1.22 及以上。但这几种写法仍然每轮迭代 defer 一次，`defer/in-loop` 会指出这一点；既然这些调用本来就该在函数返回时执行，不如只写一个延迟调用，在里面遍历所有值，两个问题一并解决：',
      ].join('\n'),
    },
  },
  check(context) {
    if (!beforePerIterationLoopVariables(context.goVersion) || buildLineNamesPerIterationGo(context.tree.rootNode)) return;
    const locals = new LocalNamesCache();
    for (const site of deferSites(context.tree.rootNode)) {
      const literal = site.call.childForFieldName('function');
      if (literal?.type !== 'func_literal') continue;
      const names = locals.for(site.statement);
      const captured = names ? capturedLoopVariable(site, literal, names) : undefined;
      if (!names || !captured) continue;
      const values = { name: captured.declaration.name, version: context.goVersion ?? '' };
      const fix = copyFix(context, site, literal, captured, names);
      context.report({
        at: captured.identifier,
        messageKey: 'captured',
        values,
        related: [{ range: context.rangeOf(captured.declaration.identifier), message: context.message('declaredHere', values) }],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
