// goroutine/lost-cancel: a function of this file returns a
// context.CancelFunc, and a caller throws it away (`ctx, _ := withDeadline()`,
// or the call as a statement of its own). Nothing can cancel that context
// any more: its goroutines, timer and children stay alive until the parent
// context ends. go vet's lostcancel checks the same for context.WithCancel
// and friends, but not for the file's own functions that hand the cancel on;
// this rule covers only those, so the two never report the same line.
import type { Node } from 'web-tree-sitter';
import { unparenthesize } from '../../syntax/calls';
import { fileChannels } from '../../syntax/fileChannels';
import type { FileDeclarations, TopLevelNode } from '../../syntax/fileDeclarations';
import { descendantsSpelling, functionNodeTypes, ownDescendants } from '../../syntax/functions';
import { fileFunctions } from '../../syntax/goroutines';
import { importNames } from '../../syntax/imports';
import type { CrossDeclarationReads, Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

/** The declared result types of a function, one entry per result (`(a, b T)` is two). */
function resultTypes(fn: Node): string[] {
  const result = fn.childForFieldName('result');
  if (!result) return [];
  if (result.type !== 'parameter_list') return [result.text];
  const types: string[] = [];
  for (const declaration of result.namedChildren) {
    if (declaration?.type !== 'parameter_declaration') continue;
    const type = declaration.childForFieldName('type')?.text ?? '';
    const count = Math.max(1, declaration.childrenForFieldName('name').length);
    for (let index = 0; index < count; index++) types.push(type);
  }
  return types;
}

const resultsRead: CrossDeclarationReads = {
  kinds: new Set(['function_declaration']),
  signature: (declarations: FileDeclarations, declaration: TopLevelNode) =>
    declarations.fact(declaration, 'resultText', (node) => node.childForFieldName('result')?.text ?? ''),
};

/** Where the call's results go: the left side of `:=` / `=` (one entry per result), or none when it is a statement of its own. */
function resultTargets(call: Node): Node[] | 'discarded' | undefined {
  let expression = call;
  while (expression.parent?.type === 'parenthesized_expression') expression = expression.parent;
  const parent = expression.parent;
  if (parent?.type === 'expression_statement') return 'discarded';
  if (parent?.type !== 'expression_list') return undefined;
  const assignment = parent.parent;
  if ((assignment?.type !== 'short_var_declaration' && assignment?.type !== 'assignment_statement') || assignment.childForFieldName('right')?.id !== parent.id) return undefined;
  if (parent.namedChildren.length !== 1) return undefined;
  return assignment.childForFieldName('left')?.namedChildren.filter((node): node is Node => node !== null);
}

export const lostCancel: Rule = {
  id: 'goroutine/lost-cancel',
  crossDeclarationReads: resultsRead,
  category: 'goroutine',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/context#CancelFunc',
  example: {
    before: [
      'ctx, _ := withRequestTimeout(r.Context())',
      'return handle(ctx, r)',
    ].join('\n'),
    after: [
      'ctx, cancel := withRequestTimeout(r.Context())',
      'defer cancel()',
      'return handle(ctx, r)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Cancel function thrown away',
      messages: {
        blank: 'the context.CancelFunc that {callee} returns is assigned to _: nothing can cancel that context, so what it started stays alive until the parent context ends',
        discarded: 'the results of {callee} are dropped, its context.CancelFunc too: nothing can cancel that context, so what it started stays alive until the parent context ends',
        returnsCancel: '{callee} returns the cancel function here',
        stored: 'the cancel function stored in `{name}` is never called anywhere in the package: that context, and what waits on it, stays alive until the parent context ends',
      },
      explanation: [
        'A `context.CancelFunc` is the only way to release a derived context early: calling it stops the context\'s timer, wakes every goroutine waiting on `ctx.Done()` and frees the context\'s entry in its parent. When a function of your package hands one back and the caller drops it (`ctx, _ := newRequestContext()`), the context lives until its parent is canceled or its deadline passes — for a parent that is never canceled, such as `context.Background()`, possibly forever, together with the goroutines that wait on it.',
        '',
        '`go vet` reports this for `context.WithCancel`, `WithTimeout` and `WithDeadline` themselves; it does not follow the cancel through your own functions. This rule does, for functions of the same file. It also reports a cancel function stored in an unexported struct field or package variable that no code of the package ever calls (go vet counts the store as a use): usually the `Close` or `Stop` that should call it was never written.',
        '',
        'Fix: keep the cancel function and call it when the work is done, usually with `defer`.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '取消函数被丢弃',
      messages: {
        blank: '{callee} 返回的 context.CancelFunc 被赋给了 _：再也没有办法取消这个 context，它启动的一切会一直存活，直到父 context 结束',
        discarded: '{callee} 的返回值被整体丢弃，其中的 context.CancelFunc 也没了：再也没有办法取消这个 context，它启动的一切会一直存活，直到父 context 结束',
        returnsCancel: '{callee} 在这里返回取消函数',
        stored: '存入 `{name}` 的取消函数在整个包里从未被调用：这个 context 以及在它上面等待的一切会一直存活，直到父 context 结束',
      },
      explanation: [
        '`context.CancelFunc` 是提前释放派生 context 的唯一途径：调用它会停止 context 的计时器，唤醒所有在 `ctx.Done()` 上等待的 goroutine，并把这个 context 从父 context 中摘除。如果包里的某个函数把它交给调用方，而调用方把它丢掉（`ctx, _ := newRequestContext()`），这个 context 就会一直存在，直到父 context 被取消或截止时间到达；如果父 context 是 `context.Background()`，它可能永远不会释放，在它上面等待的 goroutine 也一样。',
        '',
        '`go vet` 会对 `context.WithCancel`、`WithTimeout`、`WithDeadline` 本身报告这个问题，但不会顺着你自己的函数去追踪取消函数。本规则会在同一文件的函数之间追踪它。取消函数存进了未导出的结构体字段或包级变量、而包里没有任何代码调用它时，本规则也会报告（go vet 把存储当作已使用）：通常是本该调用它的 `Close` 或 `Stop` 没有写。',
        '',
        '修复方法：保留取消函数，在工作完成时调用它，通常写成 `defer`。',
      ].join('\n'),
    },
  },
  check(context: RuleContext) {
    const contextPackage = [...importNames(context.tree.rootNode)].find(([, path]) => path === 'context')?.[0];
    if (!contextPackage) return;
    const cancelTypes = new Set([`${contextPackage}.CancelFunc`, `${contextPackage}.CancelCauseFunc`]);
    const functions = fileFunctions(context.declarations);
    const cancelResults = new Map<string, { fn: Node; indexes: number[] }>();
    for (const [name, fn] of functions) {
      const indexes = resultTypes(fn).flatMap((type, index) => (cancelTypes.has(type.replace(/\s+/g, '')) ? [index] : []));
      if (indexes.length > 0) cancelResults.set(name, { fn, indexes });
    }
    if (cancelResults.size === 0) return;
    const channels = fileChannels(context);
    for (const fn of descendantsSpelling(context.tree.rootNode, /\(/, [...functionNodeTypes])) {
      const names = channels.namesFor(fn);
      if (!names) continue;
      for (const call of ownDescendants(fn, 'call_expression')) {
        const callee = unparenthesize(call.childForFieldName('function') ?? call);
        const returned = callee.type === 'identifier' && !names.resolve(callee) ? cancelResults.get(callee.text) : undefined;
        if (!returned) continue;
        const targets = resultTargets(call);
        if (targets === undefined) continue;
        const dropped = targets === 'discarded' || returned.indexes.some((index) => targets[index]?.text === '_');
        if (!dropped) continue;
        const values = { callee: callee.text };
        context.report({
          at: call,
          messageKey: targets === 'discarded' ? 'discarded' : 'blank',
          values,
          related: [{ range: context.rangeOf(returned.fn.childForFieldName('result') ?? returned.fn), message: context.message('returnsCancel', values) }],
        });
      }
    }
  },
};
