// Is a `context.Context` named `ctx` visible at a node? Quick fixes that add a
// `case <-ctx.Done():` may only do so when the name surely is a context.
import type { Node } from 'web-tree-sitter';
import type { LocalNames } from './localNames';

export function contextNameAt(names: LocalNames, at: Node, name = 'ctx'): string | undefined {
  const declaration = names.resolveNameAt(name, at);
  if (!declaration) return undefined;
  const declaring = declaration.declaringNode;
  const typeText = declaring.childForFieldName('type')?.text;
  if (typeText === 'context.Context') return name;
  if (declaration.kind === 'short-var') {
    // ctx, cancel := context.WithCancel(parent) / context.WithTimeout(...)
    const value = declaring.childForFieldName('right')?.namedChildren[0];
    if (value?.type === 'call_expression' && /^context\.With\w+$/.test(value.childForFieldName('function')?.text ?? '')) return name;
  }
  return undefined;
}
