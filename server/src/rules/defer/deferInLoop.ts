// defer/in-loop: a defer inside a `for` body registers one call per iteration
// and runs them all only when the function returns, so files, locks and
// connections are held for the whole loop. Defers that surely run at most
// once (the iteration ends in return/break/panic right after, or a lazy-init
// guard `if x == nil { x = …; defer … }` surrounds them) are left alone.
// Defers whose resource is meant to outlive the iteration (appended, stored,
// returned, handed to a goroutine) are left alone too. The real bug is a loop
// over data of unknown length that acquires per iteration: a warning; a
// constant loop, a rollback-on-error closure, a test or main is info.
// The fix runs each iteration in a function literal; `continue` becomes
// `return` and the fix is refused when break/return/goto/labels would change
// meaning.
import type { Node } from 'web-tree-sitter';
import type { Fix, Severity, TextEdit } from '../../engine/finding';
import { isTestOrProcessSetup } from '../../syntax/functionContext';
import { enclosingFunction } from '../../syntax/functions';
import { deferSites, lineIndentOf } from '../../syntax/defers';
import { enclosingLoop } from '../../syntax/executionOrder';
import { followingStatements, isTerminating, statementsOf } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { deferredCallText } from './deferOrder';

const breakTargets: ReadonlySet<string> = new Set(['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);

/** The statement a `break`/`continue` without label leaves: the nearest loop (continue) or breakable (break). */
function unlabeledTarget(statement: Node, stopAt: Node): Node | null {
  for (let current = statement.parent; current && current.id !== stopAt.id; current = current.parent) {
    if (statement.type === 'continue_statement' ? current.type === 'for_statement' : breakTargets.has(current.type)) return current;
  }
  return stopAt;
}

function labelOf(loop: Node): string | undefined {
  return loop.parent?.type === 'labeled_statement' ? loop.parent.childForFieldName('label')?.text : undefined;
}

type IterationExit = 'function' | 'loop' | 'none';

/** How an iteration surely ends after the node: leaving the function, leaving this loop, or not surely at all. */
function exitAfter(node: Node, loop: Node): IterationExit {
  const body = loop.childForFieldName('body');
  for (let current: Node | null = node; current && current.id !== body?.id && current.id !== loop.id; current = current.parent) {
    if (current.parent?.type !== 'statement_list') continue;
    for (const following of followingStatements(current)) {
      if (following.type === 'continue_statement') return 'none';
      if (following.type === 'break_statement') {
        if (following.namedChild(0)) return 'loop';
        if (unlabeledTarget(following, loop)?.id === loop.id) return 'loop';
        continue;
      }
      if (isTerminating(following)) return 'function';
    }
  }
  return 'none';
}

/** Text of the variables an `if` tests (`x` in `if x == nil`, `s.init` in `if !s.init`). */
function testedTexts(condition: Node): Set<string> {
  const texts = new Set<string>();
  for (const node of [condition, ...condition.descendantsOfType(['identifier', 'selector_expression'])]) {
    if (node && (node.type === 'identifier' || node.type === 'selector_expression')) texts.add(node.text);
  }
  return texts;
}

/**
 * A lazy-initialisation guard such as `if buf == nil { buf = …; defer free(buf) }`
 * or `if first { first = false; … }`: the branch assigns what its condition tests,
 * so it runs once however often the loop turns.
 */
function isRunOnceGuard(statement: Node): boolean {
  if (statement.type !== 'if_statement') return false;
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (!condition || !consequence) return false;
  const tested = testedTexts(condition);
  return statementsOf(consequence).some((inner) => {
    if (inner.type !== 'assignment_statement') return false;
    const left = inner.childForFieldName('left');
    return left?.namedChildren.some((target) => target !== null && tested.has(target.text)) ?? false;
  });
}

function insideRunOnceGuard(defer: Node, loop: Node): boolean {
  for (let current = defer.parent; current && current.id !== loop.id; current = current.parent) {
    if (isRunOnceGuard(current)) return true;
  }
  return false;
}

/** The innermost loop in which the defer can run more than once per call of its function, if any. */
function repeatingLoop(defer: Node): Node | null {
  const innermost = enclosingLoop(defer);
  if (innermost && insideRunOnceGuard(defer, innermost)) return null;
  let node = defer;
  for (let loop = enclosingLoop(defer); loop; loop = enclosingLoop(loop)) {
    const exit = exitAfter(node, loop);
    if (exit === 'none') return loop;
    if (exit === 'function') return null;
    node = loop;
  }
  return null;
}

/** Names the deferred call uses: its receiver's root and its identifier arguments. */
function deferredNames(call: Node): Set<string> {
  const names = new Set<string>();
  const callee = call.childForFieldName('function');
  if (callee?.type === 'selector_expression') {
    let operand: Node | null = callee.childForFieldName('operand');
    while (operand?.type === 'selector_expression') operand = operand.childForFieldName('operand');
    if (operand?.type === 'identifier') names.add(operand.text);
  }
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (argument?.type === 'identifier') names.add(argument.text);
  }
  return names;
}

/**
 * True when the loop keeps what the defer releases beyond the iteration on
 * purpose: appends it, stores it in a map or slice, returns it, or hands it to
 * a goroutine. Releasing it at the end of the iteration would then be the bug.
 */
function keptAfterIteration(call: Node, body: Node): boolean {
  const names = deferredNames(call);
  if (names.size === 0) return false;
  const mentions = (node: Node) => node.descendantsOfType('identifier').some((identifier) => identifier !== null && names.has(identifier.text));
  for (const node of body.descendantsOfType(['call_expression', 'assignment_statement', 'return_statement', 'go_statement'])) {
    if (!node) continue;
    if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'append' && mentions(node)) return true;
    if (node.type === 'assignment_statement' && node.childForFieldName('left')?.namedChildren.some((target) => target?.type === 'index_expression') && mentions(node.childForFieldName('right') ?? node)) return true;
    if ((node.type === 'return_statement' || node.type === 'go_statement') && mentions(node)) return true;
  }
  return false;
}

/** A rollback: a deferred literal that tests a named error result (`if err != nil { undo() }`). */
function isRollbackOnError(call: Node, fn: Node): boolean {
  const literal = call.childForFieldName('function');
  if (literal?.type !== 'func_literal') return false;
  const errorResults = new Set<string>();
  for (const declaration of fn.childForFieldName('result')?.namedChildren ?? []) {
    if (declaration?.type !== 'parameter_declaration' || declaration.childForFieldName('type')?.text !== 'error') continue;
    for (const name of declaration.childrenForFieldName('name')) if (name) errorResults.add(name.text);
  }
  return literal.descendantsOfType('if_statement').some((statement) =>
    (statement?.childForFieldName('condition')?.descendantsOfType('identifier') ?? []).some((identifier) => identifier !== null && errorResults.has(identifier.text)),
  );
}

/** A loop over a fixed, small set: a literal table, `range 3`, `for i := 0; i < 3; i++`. */
function isConstantLoop(loop: Node): boolean {
  const range = loop.namedChildren.find((child) => child?.type === 'range_clause');
  if (range) {
    const over = range.childForFieldName('right');
    return over?.type === 'composite_literal' || over?.type === 'int_literal';
  }
  const condition = loop.namedChildren.find((child) => child?.type === 'for_clause')?.childForFieldName('condition');
  return condition?.type === 'binary_expression' && condition.childForFieldName('right')?.type === 'int_literal';
}

/** How loud the finding is, or undefined when the defer is meant to outlive the iteration. */
function severityFor(context: RuleContext, call: Node, fn: Node, loop: Node): Severity | undefined {
  const body = loop.childForFieldName('body');
  if (body && keptAfterIteration(call, body)) return undefined;
  if (isTestOrProcessSetup(context.filePath, fn) || isConstantLoop(loop) || isRollbackOnError(call, fn)) return 'info';
  return 'warning';
}

/** Own control-flow statements of the loop body (not those of nested function literals). */
function bodyJumps(body: Node): Node[] {
  return body
    .descendantsOfType(['return_statement', 'break_statement', 'continue_statement', 'goto_statement'])
    .filter((node): node is Node => node !== null && enclosingFunction(node)?.id === enclosingFunction(body)?.id);
}

function reindent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? line.trimEnd() : `\t${line}`))
    .join('\n');
}

/** Builds the wrap-in-a-literal fix, or explains nothing and returns undefined when meaning cannot be kept. */
function wrapBodyFix(context: RuleContext, loop: Node): Fix | undefined {
  const body = loop.childForFieldName('body');
  if (!body || body.hasError) return undefined;
  const label = labelOf(loop);
  const replacements: { start: number; end: number; text: string }[] = [];
  let convertedLabel = false;
  for (const jump of bodyJumps(body)) {
    if (jump.type === 'return_statement' || jump.type === 'goto_statement') return undefined;
    const jumpLabel = jump.namedChildren.find((child) => child?.type === 'label_name')?.text;
    const target = jumpLabel
      ? (jumpLabel === label ? loop : labelIsInside(body, jumpLabel) ? null : loop.parent)
      : unlabeledTarget(jump, loop);
    if (jumpLabel && target === null) continue; // targets a statement inside the body: unchanged by wrapping
    if (target?.id !== loop.id) {
      if (jumpLabel) return undefined; // leaves an outer statement
      continue; // targets a nested loop/switch inside the body
    }
    if (jump.type === 'break_statement') return undefined;
    if (jumpLabel) convertedLabel = true;
    replacements.push({ start: jump.startIndex - body.startIndex, end: jump.endIndex - body.startIndex, text: 'return' });
  }
  for (const raw of body.descendantsOfType('raw_string_literal')) {
    if (raw?.text.includes('\n')) return undefined; // re-indenting would change the string
  }
  let inner = body.text;
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
    inner = inner.slice(0, replacement.start) + replacement.text + inner.slice(replacement.end);
  }
  inner = inner.slice(1, -1);
  const indent = lineIndentOf(context.text, loop);
  let newBody: string;
  const firstBreak = inner.indexOf('\n');
  if (firstBreak < 0) {
    newBody = `{ func() {${inner}}() }`;
  } else {
    const head = inner.slice(0, firstBreak);
    const rest = inner.slice(firstBreak + 1).replace(/\n[ \t]*$/, '');
    newBody = `{${head}\n${indent}\tfunc() {\n${reindent(rest)}\n${indent}\t}()\n${indent}}`;
  }
  const edits: TextEdit[] = [{ range: context.rangeOf(body), newText: newBody }];
  // `continue L` became `return`; a label nothing jumps to any more does not compile.
  if (label && convertedLabel && !labelStillUsed(loop, label)) {
    const labeled = loop.parent as Node;
    const labelLineStart = context.text.lastIndexOf('\n', labeled.startIndex - 1) + 1;
    edits.push({ range: context.lines.rangeOf(labelLineStart, loop.startIndex), newText: indent });
  }
  return { title: context.message('fixWrap'), edits };
}

/** True when a jump outside the loop body (which the fix rewrites) still names the label. */
function labelStillUsed(loop: Node, label: string): boolean {
  const fn = enclosingFunction(loop);
  const body = loop.childForFieldName('body');
  if (!fn || !body) return true;
  return (fn.childForFieldName('body')?.descendantsOfType(['break_statement', 'continue_statement', 'goto_statement']) ?? []).some(
    (jump) =>
      jump !== null &&
      !(jump.startIndex >= body.startIndex && jump.endIndex <= body.endIndex) &&
      jump.namedChildren.some((child) => child?.type === 'label_name' && child.text === label),
  );
}

function labelIsInside(body: Node, label: string): boolean {
  return body
    .descendantsOfType('labeled_statement')
    .some((statement) => statement?.childForFieldName('label')?.text === label);
}

export const deferInLoop: Rule = {
  id: 'defer/in-loop',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Defer_statements',
  example: {
    before: [
      'for _, name := range names {',
      '\tf, err := os.Open(name)',
      '\tif err != nil {',
      '\t\tcontinue',
      '\t}',
      '\tdefer f.Close()',
      '\tuse(f)',
      '}',
    ].join('\n'),
    after: [
      'for _, name := range names {',
      '\tfunc() {',
      '\t\tf, err := os.Open(name)',
      '\t\tif err != nil {',
      '\t\t\treturn // {wasContinue}',
      '\t\t}',
      '\t\tdefer f.Close()',
      '\t\tuse(f)',
      '\t}()',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Defer inside a loop',
      messages: {
        inLoop: '`{call}` is deferred inside a loop: it runs when {function} returns, not at the end of each iteration',
        loopHere: 'the loop',
        fixWrap: 'Run each iteration in a function literal so the deferred call runs at the end of the iteration',
      },
      exampleComments: {
        before: 'every file stays open until process() returns',
        after: 'each file is closed at the end of its iteration',
        wasContinue: 'was: continue',
      },
      explanation: [
        'A deferred call runs when the **surrounding function** returns, not when the current block or loop iteration ends. A `defer` inside a loop therefore registers one more pending call per iteration; all of them run together, in reverse, after the loop and the rest of the function have finished.',
        '',
        'Until then every file, connection or lock taken in the loop stays held: a loop over many files can run out of file descriptors, and `mu.Lock(); defer mu.Unlock()` in a loop deadlocks on the second iteration.',
        '',
        'Fix: move the iteration into its own function (or a function literal called each iteration), so the deferred call runs when that function returns.',
        '',
        '**When it is deliberate.** Sometimes every resource is meant to stay until the function returns: the values are kept for use after the loop (then nothing is reported), the loop walks a small fixed table, or the code is a test or `main` (reported only as info). If the deferred calls are meant to pile up, silence the finding with `//goinsight:ignore defer/in-loop reason` on its line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '循环中的 defer',
      messages: {
        inLoop: '在循环中 defer 了 `{call}`：它在 {function} 返回时才执行，而不是在每次迭代结束时',
        loopHere: '所在的循环',
        fixWrap: '把每次迭代放进一个立即调用的函数字面量，让延迟调用在本次迭代结束时执行',
      },
      exampleComments: {
        before: '所有文件要等 process() 返回才关闭',
        after: '每个文件在本次迭代结束时关闭',
        wasContinue: '原来是 continue',
      },
      explanation: [
        '延迟调用（defer）在**外层函数**返回时才执行，而不是在当前代码块或本次循环迭代结束时执行。循环里的每一次 `defer` 都会再登记一个待执行的调用，它们要等循环以及函数剩余部分全部执行完，才按后进先出的顺序一起执行。',
        '',
        '在此之前，循环中打开的文件、连接或获取的锁一直不会释放：遍历大量文件时可能耗尽文件描述符；在循环里写 `mu.Lock(); defer mu.Unlock()`，第二次迭代就会因互斥锁未释放而死锁。',
        '',
        '修复方法：把每次迭代的逻辑放进单独的函数（或每次迭代立即调用的函数字面量），这样延迟调用会在该函数返回时执行。',
        '',
        '**有意为之的情况。** 有时本来就要把每个资源保留到函数返回：这些值在循环之后还要用（此时不会报告）、循环只遍历一张很小的固定表，或者代码在测试或 `main` 里（只作为 info 报告）。如果这些延迟调用本就该攒到最后，可以在该行或上一行写 `//goinsight:ignore defer/in-loop 原因` 来忽略。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const site of deferSites(context.tree.rootNode)) {
      const loop = repeatingLoop(site.statement);
      if (!loop) continue;
      const severity = severityFor(context, site.call, site.fn, loop);
      if (!severity) continue;
      const fix = wrapBodyFix(context, loop);
      context.report({
        severity,
        at: site.statement,
        messageKey: 'inLoop',
        values: { call: deferredCallText(site.statement), function: context.functionName(site.fn) },
        related: [{ range: context.rangeOf(loop.child(0) ?? loop), message: context.message('loopHere') }],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
