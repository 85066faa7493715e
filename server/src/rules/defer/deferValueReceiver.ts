// defer/value-receiver: `defer v.M()` where M has a value receiver copies v
// at the defer; changes made to v afterwards are not seen by the deferred
// call. Only certain from this file's syntax: v is a local declared as
// `var v T` or `v := T{…}`, T's method M is declared here with a value
// receiver, and v is assigned (or one of its fields is) later in the block.
import type { Node } from 'web-tree-sitter';
import { methodCall } from '../../syntax/calls';
import { deferSites, type DeferSite } from '../../syntax/defers';
import { LocalNamesCache, type LocalDeclaration, type LocalNames } from '../../syntax/localNames';
import { declaredReceiver, methodsByTypeAndName } from '../../syntax/receivers';
import type { CrossDeclarationReads, Rule } from '../rule';

/** The named type of a local declared as `var v T` or `v := T{…}`. */
/** Of the file's other methods, this rule reads only names and receivers (see methodsByTypeAndName). */
const valueReceiverReads: CrossDeclarationReads = {
  kinds: new Set(['method_declaration']),
  signature: (declarations, declaration) => {
    const receiver = declaredReceiver(declarations, declaration);
    return `${receiver.base ?? ''}${receiver.pointer ? '*' : ''}`;
  },
};

function declaredTypeName(declaration: LocalDeclaration): string | undefined {
  const node = declaration.declaringNode;
  if (node.type === 'var_spec') {
    const type = node.childForFieldName('type');
    if (node.childrenForFieldName('name').length !== 1) return undefined;
    return type?.type === 'type_identifier' ? type.text : undefined;
  }
  if (node.type !== 'short_var_declaration' || node.childForFieldName('left')?.namedChildCount !== 1) return undefined;
  const value = node.childForFieldName('right')?.namedChild(0);
  const type = value?.type === 'composite_literal' ? value.childForFieldName('type') : null;
  return type?.type === 'type_identifier' ? type.text : undefined;
}

/** Changes to the variable after the defer, in the defer's block: assignments, ++/--, field writes, pointer-method calls. */
function laterChanges(declaration: LocalDeclaration, site: DeferSite, names: LocalNames, pointerMethods: ReadonlySet<string>): Node[] {
  const list = site.statement.parent;
  if (!list) return [];
  const after = (node: Node) => node.startIndex >= site.statement.endIndex && node.endIndex <= list.endIndex;
  const changes = names
    .writes(declaration)
    .filter((write) => write.kind !== 'address' && after(write.identifier))
    .map((write) => write.identifier);
  for (const reference of names.references(declaration)) {
    if (!after(reference)) continue;
    const selector = reference.parent;
    const call = selector?.parent;
    if (selector?.type === 'selector_expression' && call?.type === 'call_expression' && call.childForFieldName('function')?.id === selector.id) {
      if (pointerMethods.has(selector.childForFieldName('field')?.text ?? '')) changes.push(reference);
    }
  }
  return changes.sort((a, b) => a.startIndex - b.startIndex);
}

export const deferValueReceiver: Rule = {
  id: 'defer/value-receiver',
  crossDeclarationReads: valueReceiverReads,
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Method_values',
  example: {
    shared: [
      'type stats struct{ n int }',
      'func (s stats) report() { fmt.Println(s.n) }',
    ].join('\n'),
    before: [
      'var s stats',
      'defer s.report()',
      's.n = 42',
    ].join('\n'),
    after: [
      'var s stats',
      'defer func() { s.report() }()',
      's.n = 42',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Deferred method with a value receiver sees a copy',
      messages: {
        copied: '`{type}.{method}` has a value receiver: the defer copies `{name}` now, so the deferred call does not see the change on line {line}',
        changedHere: '`{name}` changes here, after the copy',
        receiverHere: 'value receiver',
        fixClosure: 'Evaluate at return: wrap the call in a function literal',
      },
      exampleComments: {
        before: 'prints 0',
        after: 'prints 42',
      },
      explanation: [
        '`defer v.M()` evaluates the method value `v.M` immediately. When `M` has a **value receiver**, that means copying `v` at the `defer`: the deferred call works on the copy, and whatever the function does to `v` afterwards is invisible to it.',
        '',
        'Either defer a function literal, which reads `v` at return, or give `M` a pointer receiver.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '值接收者方法被 defer 时使用的是副本',
      messages: {
        copied: '`{type}.{method}` 是值接收者方法：defer 此刻就复制了 `{name}`，延迟调用看不到第 {line} 行对它的修改',
        changedHere: '`{name}` 被复制之后又在这里被修改',
        receiverHere: '值接收者',
        fixClosure: '在返回时求值：把调用包进函数字面量（闭包）',
      },
      exampleComments: {
        before: '打印 0',
        after: '打印 42',
      },
      explanation: [
        '`defer v.M()` 会立即求值方法值 `v.M`。当 `M` 是**值接收者**方法时，这意味着在执行 `defer` 时就复制了一份 `v`：延迟调用作用在这份副本上，函数之后对 `v` 的任何修改它都看不到。',
        '',
        '可以改为 defer 一个函数字面量（闭包），它在返回时才读取 `v`；或者把 `M` 改成指针接收者。',
      ].join('\n'),
    },
  },
  check(context) {
    const root = context.tree.rootNode;
    const methods = methodsByTypeAndName(context.declarations);
    if (methods.size === 0) return;
    // Names of the file's value-receiver methods: a defer calling anything else
    // cannot be reported, so it skips the local-name resolution of its function
    // (the cost of this file-wide rule on every keystroke).
    const valueMethods = new Set([...methods.entries()].filter(([, method]) => !method.pointerReceiver).map(([key]) => key.slice(key.indexOf('.') + 1)));
    if (valueMethods.size === 0) return;
    const locals = new LocalNamesCache();
    for (const site of deferSites(root)) {
      const call = methodCall(site.call);
      if (!call || call.receiver.type !== 'identifier' || !valueMethods.has(call.method)) continue;
      const names = locals.for(site.statement);
      const declaration = names?.resolve(call.receiver);
      const type = declaration ? declaredTypeName(declaration) : undefined;
      const method = type ? methods.get(`${type}.${call.method}`) : undefined;
      if (!names || !declaration || !type || !method || method.pointerReceiver) continue;
      const pointerMethods = new Set(
        [...methods.entries()].filter(([key, candidate]) => key.startsWith(`${type}.`) && candidate.pointerReceiver).map(([key]) => key.slice(type.length + 1)),
      );
      const change = laterChanges(declaration, site, names, pointerMethods)[0];
      if (!change) continue;
      const values = { type, method: call.method, name: declaration.name, line: context.lineNumber(change) };
      context.report({
        at: call.receiver,
        messageKey: 'copied',
        values,
        related: [
          { range: context.rangeOf(change), message: context.message('changedHere', values) },
          { range: context.rangeOf(method.node.childForFieldName('receiver') ?? method.node), message: context.message('receiverHere') },
        ],
        fixes: [
          {
            title: context.message('fixClosure'),
            isPreferred: true,
            edits: [{ range: context.rangeOf(site.call), newText: `func() { ${site.call.text} }()` }],
          },
        ],
      });
    }
  },
};
