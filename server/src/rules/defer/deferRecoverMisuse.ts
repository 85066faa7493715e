// defer/recover-misuse: recover stops a panic only when called directly by a
// deferred function of the panicking goroutine. Recognised misuses:
// `defer recover()` (recover is the deferred function, not called by one),
// recover inside a function literal that is called on the spot, a deferred
// literal that calls a recovering helper of this file instead of deferring it,
// and a panic in a `go` literal that only the starting function recovers.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { isBuiltinCall, statementCall } from '../../syntax/calls';
import { deferSites, type DeferSite } from '../../syntax/defers';
import type { FileDeclarations } from '../../syntax/fileDeclarations';
import { descendantsSpelling, enclosingFunction, isInsideError, ownDescendants } from '../../syntax/functions';
import { LocalNamesCache, type LocalNames } from '../../syntax/localNames';
import { readsFunctions, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

// This rule looks across declarations, so a keystroke re-runs it on every
// declaration that names a changed function; it first asks the text: a function whose source does not
// spell `recover` cannot call it, and needs neither a scan of its calls nor
// its local names (the expensive part). Names are built lazily for the same
// reason; the answers are the same as building them up front.

/** True when the node's source text contains `word`. */
function mentions(node: Node, word: string): boolean {
  return node.text.includes(word);
}

/** The local names of a function, built on first use. */
type LazyNames = () => LocalNames | undefined;

function lazyNames(locals: LocalNamesCache, node: Node): LazyNames {
  let names: LocalNames | undefined;
  let built = false;
  return () => {
    if (!built) {
      names = locals.for(node);
      built = true;
    }
    return names;
  };
}

function recoverCalls(fn: Node, names: LazyNames): Node[] {
  if (!mentions(fn, 'recover')) return [];
  const calls = ownDescendants(fn, 'call_expression').filter((call) => {
    const callee = call.childForFieldName('function');
    return callee?.type === 'identifier' && callee.text === 'recover';
  });
  if (calls.length === 0) return calls;
  const resolved = names();
  return calls.filter((call) => isBuiltinCall(call, 'recover', resolved));
}

/** A func literal called where it is written, not by defer or go: `func() { … }()`. */
function isCalledInPlace(literal: Node): boolean {
  const call = literal.parent;
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== literal.id) return false;
  return call.parent?.type !== 'defer_statement' && call.parent?.type !== 'go_statement';
}

/** Top-level functions of this file that call recover() directly. */
function recoveringHelpers(declarations: FileDeclarations, locals: LocalNamesCache): Map<string, Node> {
  const helpers = new Map<string, Node>();
  for (const { declaration, name } of declarations.functions()) {
    if (!declaration.text.includes('recover')) continue;
    if (declarations.fact(declaration, 'callsRecover', (node) => recoverCalls(node, lazyNames(locals, node)).length > 0)) helpers.set(name, declaration.node);
  }
  return helpers;
}

/** True when the deferred call recovers: a deferred literal with a direct recover, or a deferred recovering helper. */
function deferRecovers(site: DeferSite, helpers: Map<string, Node>, names: LazyNames): boolean {
  const callee = site.call.childForFieldName('function');
  if (callee?.type === 'func_literal') return recoverCalls(callee, names).length > 0;
  return callee?.type === 'identifier' && helpers.has(callee.text) && !names()?.resolve(callee);
}

function deferRecoverFix(context: RuleContext, site: DeferSite): Fix {
  return {
    title: context.message('fixWrap'),
    isPreferred: true,
    edits: [{ range: context.rangeOf(site.call), newText: 'func() { _ = recover() }()' }],
  };
}

export const deferRecoverMisuse: Rule = {
  id: 'defer/recover-misuse',
  crossDeclarationReads: readsFunctions,
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Handling_panics',
  example: {
    before: [
      'defer func() {',
      '\tlogPanic() // {callsRecoverInsideReturns}',
      '}()',
    ].join('\n'),
    after: [
      'defer logPanic() // {logpanicIsTheDeferred}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'recover() that cannot stop a panic',
      messages: {
        deferRecover: '`defer recover()` does not stop a panic: recover must be called by a deferred function, not be the deferred function',
        calledInPlace: 'recover() here always returns nil: it is in a function literal called in place, not directly in a deferred function',
        helperNotDeferred: 'recover() in `{helper}` returns nil here: `{helper}` is called by the deferred function, not deferred itself; write `defer {helper}()`',
        otherGoroutine: 'this panic happens in a new goroutine: the recover deferred in {function} cannot stop it and the program crashes',
        recoverHere: 'recovers only panics of its own goroutine',
        helperRecover: 'recover() is called here',
        fixWrap: 'Call recover from a deferred function literal',
      },
      exampleComments: {
        callsRecoverInsideReturns: 'calls recover() inside: returns nil',
        logpanicIsTheDeferred: 'logPanic is the deferred function: its recover() works',
      },
      explanation: [
        '`recover` stops a panic only when it is called **directly by a deferred function**, in the goroutine that is panicking. Everywhere else it returns `nil` and the panic goes on:',
        '',
        '- `defer recover()`: recover *is* the deferred function; nothing calls it from a deferred function.',
        '- `defer func() { func() { recover() }() }()` or `defer func() { handle() }()` where `handle` calls recover: recover is one call too deep.',
        '- A panic in a goroutine started with `go`: each goroutine needs its own deferred recover; a recover in the function that started it never sees the panic, and the whole program crashes.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '无法捕获 panic 的 recover()',
      messages: {
        deferRecover: '`defer recover()` 无法捕获 panic：recover 必须由延迟函数调用，而不能本身就是被 defer 的函数',
        calledInPlace: '这里的 recover() 总是返回 nil：它位于一个就地调用的函数字面量中，而不是直接在延迟函数里调用',
        helperNotDeferred: '这里 `{helper}` 中的 recover() 返回 nil：`{helper}` 是被延迟函数调用的，自身并没有被 defer；应写成 `defer {helper}()`',
        otherGoroutine: '这个 panic 发生在新启动的 goroutine 中：{function} 里 defer 的 recover 捕获不到它，整个程序会崩溃',
        recoverHere: '只能捕获本 goroutine 的 panic',
        helperRecover: '在此调用 recover()',
        fixWrap: '在延迟执行的函数字面量中调用 recover',
      },
      exampleComments: {
        callsRecoverInsideReturns: '内部调用 recover()：返回 nil',
        logpanicIsTheDeferred: 'logPanic 本身就是延迟函数：其中的 recover() 有效',
      },
      explanation: [
        '只有在发生 panic 的那个 goroutine 中、**由延迟函数直接调用**时，`recover` 才能捕获 panic。其他任何地方调用它都返回 `nil`，panic 继续向上传播：',
        '',
        '- `defer recover()`：recover 本身就是被 defer 的函数，没有任何延迟函数去调用它。',
        '- `defer func() { func() { recover() }() }()`，或 `defer func() { handle() }()` 而 `handle` 里调用了 recover：recover 的调用层级多了一层。',
        '- 用 `go` 启动的 goroutine 中发生的 panic：每个 goroutine 都需要自己的 defer + recover；启动它的函数中的 recover 根本看不到这个 panic，整个程序会崩溃。',
      ].join('\n'),
    },
  },
  check(context) {
    const root = context.tree.rootNode;
    const locals = new LocalNamesCache();
    const helpers = recoveringHelpers(context.declarations, locals);
    const sites = deferSites(root);

    for (const site of sites) {
      const names = lazyNames(locals, site.statement);
      const deferred = site.call.childForFieldName('function');
      if (deferred?.type === 'identifier' && deferred.text === 'recover' && isBuiltinCall(site.call, 'recover', names())) {
        context.report({ at: site.statement, messageKey: 'deferRecover', fixes: [deferRecoverFix(context, site)] });
        continue;
      }
      // A deferred literal that calls a recovering helper instead of deferring it.
      const callee = deferred;
      // Without a recovering helper in the file there is nothing to find in the literal.
      if (callee?.type !== 'func_literal' || helpers.size === 0) continue;
      for (const call of ownDescendants(callee, 'call_expression')) {
        const helperName = call.childForFieldName('function');
        if (helperName?.type !== 'identifier') continue;
        const helper = helpers.get(helperName.text);
        if (!helper || names()?.resolve(helperName) || call.parent?.type !== 'expression_statement') continue;
        const recoverAt = recoverCalls(helper, lazyNames(locals, helper))[0];
        context.report({
          at: call,
          messageKey: 'helperNotDeferred',
          values: { helper: helperName.text },
          related: recoverAt ? [{ range: context.rangeOf(recoverAt), message: context.message('helperRecover') }] : [],
        });
      }
    }

    const literals = descendantsSpelling(root, 'recover', 'func_literal');
    for (const literal of literals) {
      if (!mentions(literal, 'recover') || isInsideError(literal) || !isCalledInPlace(literal)) continue;
      for (const call of recoverCalls(literal, lazyNames(locals, literal))) context.report({ at: call, messageKey: 'calledInPlace' });
    }

    // Panics in goroutines started by a function whose only recover is its own deferred one.
    const checkedFunctions = new Set<number>();
    for (const site of sites) {
      const names = lazyNames(locals, site.statement);
      if (checkedFunctions.has(site.fn.id) || !deferRecovers(site, helpers, names)) continue;
      checkedFunctions.add(site.fn.id);
      for (const goStatement of ownDescendants(site.fn, 'go_statement')) {
        const literal = statementCall(goStatement)?.childForFieldName('function');
        if (literal?.type !== 'func_literal' || isInsideError(goStatement)) continue;
        const ownDefers = sites.filter((inner) => inner.fn.id === literal.id);
        if (ownDefers.some((inner) => deferRecovers(inner, helpers, names))) continue;
        for (const panicCall of ownDescendants(literal, 'call_expression')) {
          if (!isBuiltinCall(panicCall, 'panic', names()) || enclosingFunction(panicCall)?.id !== literal.id) continue;
          context.report({
            at: panicCall,
            messageKey: 'otherGoroutine',
            values: { function: context.functionName(site.fn) },
            related: [{ range: context.rangeOf(site.statement), message: context.message('recoverHere') }],
          });
        }
      }
    }
  },
};
