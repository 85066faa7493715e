// defer/call-chain: `defer trace("x")` where trace returns the cleanup
// function (`func() func()`): the setup runs only at return and the cleanup is
// thrown away; `defer trace("x")()` was meant. Only functions declared in this
// file (and methods on the enclosing method's own receiver) are known to
// return a function, so only those are checked.
import type { Node } from 'web-tree-sitter';
import { deferSites } from '../../syntax/defers';
import { LocalNamesCache } from '../../syntax/localNames';
import type { FileDeclarations, TopLevelNode } from '../../syntax/fileDeclarations';
import { receiverBaseType, receiverName } from '../../syntax/receivers';
import type { CrossDeclarationReads, Rule } from '../rule';

/** True when the declaration's only result is a function type. */
function returnsFunction(declaration: Node): boolean {
  let result = declaration.childForFieldName('result');
  if (result?.type === 'parameter_list') {
    const parameters = result.namedChildren.filter((child) => child?.type === 'parameter_declaration');
    if (parameters.length !== 1 || parameters[0]?.childForFieldName('name')) return false;
    result = parameters[0]?.childForFieldName('type') ?? null;
  }
  return result?.type === 'function_type';
}

function returnsFunctionOf(declarations: FileDeclarations, declaration: TopLevelNode): boolean {
  return declarations.fact(declaration, 'returnsFunction', returnsFunction);
}

/** The receiver's base type of a method that returns a function, else undefined. */
function returnsFunctionOnReceiver(declarations: FileDeclarations, declaration: TopLevelNode): string | undefined {
  return declarations.fact(declaration, 'returnsFunctionOnReceiver', (node) => (returnsFunction(node) ? receiverBaseType(node) : undefined));
}

/** Of the file's other functions and methods, this rule reads only whether they return a function (and on which receiver). */
const callChainReads: CrossDeclarationReads = {
  kinds: new Set(['function_declaration', 'method_declaration']),
  signature: (declarations, declaration) =>
    declaration.type === 'method_declaration' ? (returnsFunctionOnReceiver(declarations, declaration) ?? '') : String(returnsFunctionOf(declarations, declaration)),
};

export const deferCallChain: Rule = {
  id: 'defer/call-chain',
  crossDeclarationReads: callChainReads,
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Defer_statements',
  example: {
    shared: [
      'func trace(name string) func() {',
      '\tstart := time.Now()',
      '\treturn func() { log.Printf("%s took %v", name, time.Since(start)) }',
      '}',
    ].join('\n'),
    before: [
      'defer trace("load")',
    ].join('\n'),
    after: [
      'defer trace("load")()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Deferred call returns the cleanup it should defer',
      messages: {
        discarded: '`{callee}` returns a function, which this defer throws away: `{call}` itself runs only at return. Did you mean `defer {call}()`?',
        declaredHere: '`{callee}` returns a func',
        fixCall: 'Defer the returned function: defer {call}()',
      },
      exampleComments: {
        before: 'trace runs at return; nothing is logged',
        after: 'trace runs now, the returned func at return',
      },
      explanation: [
        'Some helpers do their setup immediately and return the matching cleanup, meant to be used as `defer setup()()`: the first call runs now, the function it returns is deferred.',
        '',
        'With only one pair of parentheses, `defer setup()` defers the *setup* itself: it runs at return, and the cleanup it returns is discarded. A timer then measures nothing, a temporary directory is created just before the function exits and never removed.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '被 defer 的调用返回了本应 defer 的清理函数',
      messages: {
        discarded: '`{callee}` 返回一个函数，而这里的 defer 把它丢弃了：`{call}` 本身要到返回时才执行。是否想写 `defer {call}()`？',
        declaredHere: '`{callee}` 返回一个 func',
        fixCall: 'defer 返回的函数：defer {call}()',
      },
      exampleComments: {
        before: 'trace 在返回时才执行，什么也不会记录',
        after: 'trace 立即执行，返回的函数在返回时执行',
      },
      explanation: [
        '有些辅助函数会立即完成准备工作，并返回对应的清理函数，用法是 `defer setup()()`：第一次调用现在执行，它返回的函数被延迟调用。',
        '',
        '如果只写一对括号，`defer setup()` 延迟的是**准备工作**本身：它在函数返回时才执行，返回的清理函数被丢弃。于是计时器什么也没测到，临时目录在函数退出前一刻才创建且永远不会删除。',
      ].join('\n'),
    },
  },
  check(context) {
    const root = context.tree.rootNode;
    const functions = new Map<string, Node>();
    const methods = new Map<string, Node>(); // "Type.Method"
    const { declarations } = context;
    for (const { declaration, name } of declarations.functions()) {
      if (returnsFunctionOf(declarations, declaration)) functions.set(name, declaration.node);
    }
    for (const { declaration, name } of declarations.methods()) {
      const base = returnsFunctionOnReceiver(declarations, declaration);
      if (base) methods.set(`${base}.${name}`, declaration.node);
    }
    if (functions.size === 0 && methods.size === 0) return;
    // Only a defer of one of these methods can be reported: the others skip
    // resolving their function's local names (this rule re-runs on other
    // declarations than the edited one).
    const methodNames = new Set([...methods.keys()].map((key) => key.slice(key.indexOf('.') + 1)));
    const locals = new LocalNamesCache();
    for (const site of deferSites(root)) {
      const callee = site.call.childForFieldName('function');
      if (!callee) continue;
      let declaration: Node | undefined;
      if (callee.type === 'identifier') {
        declaration = functions.get(callee.text);
        if (declaration && locals.for(site.statement)?.resolve(callee)) declaration = undefined;
      } else if (callee.type === 'selector_expression' && methodNames.has(callee.childForFieldName('field')?.text ?? '')) {
        // Only `r.Method()` on the enclosing method's own receiver has a known type.
        const operand = callee.childForFieldName('operand');
        const method = locals.for(site.statement)?.root;
        const ownReceiver = method?.type === 'method_declaration' ? receiverName(method) : undefined;
        const declarationOfOperand = operand?.type === 'identifier' ? locals.for(site.statement)?.resolve(operand) : undefined;
        if (method && ownReceiver && declarationOfOperand?.kind === 'receiver' && operand?.text === ownReceiver) {
          declaration = methods.get(`${receiverBaseType(method)}.${callee.childForFieldName('field')?.text ?? ''}`);
        }
      }
      if (!declaration) continue;
      const call = site.call.text.replace(/\s+/g, ' ');
      const values = { callee: callee.text, call };
      context.report({
        at: site.call,
        messageKey: 'discarded',
        values,
        related: [{ range: context.rangeOf(declaration.childForFieldName('name') ?? declaration), message: context.message('declaredHere', values) }],
        fixes: [
          {
            title: context.message('fixCall', values),
            isPreferred: true,
            edits: [{ range: { start: context.rangeOf(site.call).end, end: context.rangeOf(site.call).end }, newText: '()' }],
          },
        ],
      });
    }
  },
};

