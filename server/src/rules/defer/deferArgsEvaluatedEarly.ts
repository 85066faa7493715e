// defer/args-evaluated-early: the arguments of a deferred call are evaluated
// when the `defer` runs. Reported when that visibly defeats the intent: a
// `time.Since` argument (measures nothing), a local variable printed or
// logged by the deferred call but assigned again later in the same block, or
// a named result passed by value (its final value is set by `return`) unless
// it was already set before the defer and is passed on purpose. Deferred func
// literals with explicit arguments are left alone: passing the current value
// on purpose is their idiom. The fix wraps the call in a closure.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { callArguments, isPackageCall, rootIdentifier } from '../../syntax/calls';
import { deferSites, type DeferSite } from '../../syntax/defers';
import { enclosingFunction, ownDescendants } from '../../syntax/functions';
import { importNames, type ImportNames } from '../../syntax/imports';
import { LocalNamesCache, type LocalDeclaration, type LocalNames } from '../../syntax/localNames';
import { enclosingStatement } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

type Early =
  | { key: 'time'; node: Node; values: Record<string, string> }
  | { key: 'reassigned'; node: Node; values: Record<string, string>; write: Node }
  | { key: 'namedResult'; node: Node; values: Record<string, string> };

/**
 * A `time.Since(…)` call, or a `time.Now()` used inside a computation, in the
 * argument (not inside a nested func literal). A bare `time.Now()` argument is
 * the start-time idiom (`defer track(time.Now(), "build")`): evaluating it now is the point.
 */
function timeCall(argument: Node, imports: ImportNames, names: LocalNames | undefined): Node | undefined {
  if (isPackageCall(argument, 'time', ['Now'], imports, names)) return undefined;
  const calls = argument.type === 'call_expression' ? [argument] : [];
  calls.push(...argument.descendantsOfType('call_expression').filter((call): call is Node => call !== null && call.id !== argument.id));
  return calls.find((call) => {
    for (let current = call.parent; current && current.id !== argument.id; current = current.parent) {
      if (current.type === 'func_literal') return false;
    }
    return isPackageCall(call, 'time', ['Since', 'Now'], imports, names);
  });
}

/** Assignments to the variable after the defer, in the defer's own block (so they surely follow it). */
function laterWrites(declaration: LocalDeclaration, site: DeferSite, names: LocalNames): Node[] {
  const list = site.statement.parent;
  if (!list) return [];
  return names
    .writes(declaration)
    .filter(
      (write) =>
        (write.kind === 'assign' || write.kind === 'incdec' || write.kind === 'redeclare') &&
        write.identifier.startIndex >= site.statement.endIndex &&
        write.identifier.endIndex <= list.endIndex,
    )
    .map((write) => write.identifier);
}

/**
 * True when the result was assigned before the defer on every path to it (in
 * the defer's own block or one around it): then passing its value now is
 * deliberate (`target = pick(); lock(target); defer unlock(target)`).
 */
function assignedBefore(declaration: LocalDeclaration, site: DeferSite, names: LocalNames): boolean {
  return names.writes(declaration).some((write) => {
    if (write.identifier.endIndex > site.statement.startIndex) return false;
    const list = enclosingStatement(write.identifier)?.parent;
    return !!list && list.startIndex <= site.statement.startIndex && site.statement.endIndex <= list.endIndex;
  });
}

/** True when the function sets its results after the defer: a return with values, or an assignment. */
function resultSetLater(declaration: LocalDeclaration, site: DeferSite, names: LocalNames): boolean {
  if (names.writes(declaration).some((write) => write.identifier.startIndex >= site.statement.endIndex)) return true;
  return ownDescendants(site.fn, 'return_statement').some(
    (statement) => statement.startIndex >= site.statement.endIndex && statement.namedChildCount > 0,
  );
}

const printingNames = /^(Print|Printf|Println|Fprint|Fprintf|Fprintln|Log|Logf|Info|Infof|Infoln|Debug|Debugf|Warn|Warnf|Warning|Warningf|Trace|Tracef)$/;

function isPrintingCall(call: Node): boolean {
  const callee = call.childForFieldName('function');
  const name = callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : callee?.text;
  return name !== undefined && printingNames.test(name);
}

function findEarly(site: DeferSite, imports: ImportNames, names: LocalNames | undefined): Early | undefined {
  for (const argument of callArguments(site.call)) {
    const time = timeCall(argument, imports, names);
    if (time) return { key: 'time', node: time, values: { expression: time.text.replace(/\s+/g, ' ') } };
    if (argument.type !== 'identifier' || !names) continue;
    const declaration = names.resolve(argument);
    if (!declaration) continue;
    if (
      declaration.kind === 'result' &&
      declaration.scope.id === site.fn.id &&
      resultSetLater(declaration, site, names) &&
      (isPrintingCall(site.call) || !assignedBefore(declaration, site, names))
    ) {
      return { key: 'namedResult', node: argument, values: { name: argument.text } };
    }
    // Passing the current value on purpose (free the head, restore the old
    // value) is common; printing a variable at return is what is meant to see
    // the final value, so only printing and logging calls are reported.
    if (declaration.kind === 'result' || declaration.kind === 'const' || !isPrintingCall(site.call)) continue;
    const write = laterWrites(declaration, site, names)[0];
    if (write) return { key: 'reassigned', node: argument, values: { name: argument.text }, write };
  }
  return undefined;
}

/** Wrapping changes when the function value and receiver are evaluated too: only offer it when they cannot change. */
function closureFix(context: RuleContext, site: DeferSite, names: LocalNames | undefined): Fix | undefined {
  const callee = site.call.childForFieldName('function');
  if (!callee) return undefined;
  const root = callee.type === 'identifier' ? callee : rootIdentifier(callee);
  if (!root) return undefined;
  const declaration = names?.resolve(root);
  if (declaration && names && laterWrites(declaration, site, names).length > 0) return undefined;
  if (declaration && names?.writes(declaration).some((write) => write.identifier.startIndex >= site.statement.endIndex)) return undefined;
  return {
    title: context.message('fixClosure'),
    isPreferred: true,
    edits: [{ range: context.rangeOf(site.call), newText: `func() { ${site.call.text} }()` }],
  };
}

export const deferArgsEvaluatedEarly: Rule = {
  id: 'defer/args-evaluated-early',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Defer_statements',
  example: {
    before: [
      'start := time.Now()',
      'defer log.Printf("took %v", time.Since(start))',
    ].join('\n'),
    after: [
      'start := time.Now()',
      'defer func() { log.Printf("took %v", time.Since(start)) }()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Deferred call arguments are evaluated at the defer',
      messages: {
        time: '`{expression}` is evaluated at the `defer` statement, not at return: the deferred call measures (almost) nothing',
        reassigned: '`{name}` is evaluated at the `defer` statement; the deferred call will not see the value assigned later',
        namedResult: 'the named result `{name}` is passed by value at the `defer` statement, before any return sets it',
        assignedHere: '`{name}` is assigned here, after the defer',
        fixClosure: 'Evaluate at return: wrap the call in a function literal',
      },
      exampleComments: {
        before: 'logs ~0s',
        after: 'logs the real duration',
      },
      explanation: [
        'A `defer` statement evaluates the function value and **all its arguments immediately**; only the call itself is postponed until the function returns.',
        '',
        'So `defer log.Printf("took %v", time.Since(start))` computes the duration right away (≈0), `defer fmt.Println(x)` prints the value `x` had at the defer, and `defer report(err)` with a named result `err` passes the error as it was then (usually `nil`), not the one the function returns.',
        '',
        'To use the values of return time, defer a function literal: its body, including the argument expressions, runs at return and reads the variables then.',
        '',
        '**When it is deliberate.** Passing the current value on purpose is fine and not reported: a bare `time.Now()` argument records the start time (`defer track(time.Now(), "build")`), and a named result already set before the defer is meant as it is then (the same value just passed to `Lock`, say). For other deliberate cases, write `//goinsight:ignore defer/args-evaluated-early reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '延迟调用的参数在 defer 时求值',
      messages: {
        time: '`{expression}` 在 `defer` 语句处就已求值，而不是在返回时：这个延迟调用（几乎）什么也没测到',
        reassigned: '`{name}` 在 `defer` 语句处就已求值；延迟调用看不到之后再赋给它的值',
        namedResult: '命名返回值 `{name}` 在 `defer` 语句处按值传入，此时 return 还没有给它赋值',
        assignedHere: '`{name}` 在 defer 之后又在这里被赋值',
        fixClosure: '在返回时求值：把调用包进函数字面量（闭包）',
      },
      exampleComments: {
        before: '记录的耗时约为 0',
        after: '记录真实耗时',
      },
      explanation: [
        '`defer` 语句会**立即求值**函数值和**所有参数**，只有调用本身被推迟到函数返回时才执行。',
        '',
        '因此 `defer log.Printf("took %v", time.Since(start))` 会立刻算出耗时（约为 0），`defer fmt.Println(x)` 打印的是执行 defer 时 `x` 的值，而对命名返回值 `err` 写 `defer report(err)`，传入的是当时的错误（通常是 `nil`），而不是函数最终返回的错误。',
        '',
        '如果要使用返回时的值，应 defer 一个函数字面量（闭包）：它的函数体（包括参数表达式）在返回时才执行，读取的是那时的变量。',
        '',
        '**有意为之的情况。** 有意传入当前值是正常的，不会被报告：直接传入的 `time.Now()` 记录的是开始时间（`defer track(time.Now(), "build")`）；在 defer 之前已经赋值的命名返回值，要的就是那时的值（比如刚传给 `Lock` 的同一个值）。其他有意为之的情况，可以在该行或上一行写 `//goinsight:ignore defer/args-evaluated-early 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    const root = context.tree.rootNode;
    const imports = importNames(root);
    const locals = new LocalNamesCache();
    for (const site of deferSites(root)) {
      if (site.call.childForFieldName('function')?.type === 'func_literal') continue;
      if (enclosingFunction(site.statement)?.id !== site.fn.id) continue;
      const names = locals.for(site.statement);
      const early = findEarly(site, imports, names);
      if (!early) continue;
      const fix = closureFix(context, site, names);
      context.report({
        at: early.node,
        messageKey: early.key,
        values: early.values,
        related:
          early.key === 'reassigned'
            ? [{ range: context.rangeOf(early.write), message: context.message('assignedHere', early.values) }]
            : [],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
