// A value path is how the package model names a variable or one of its
// fields without types: a root identifier and a chain of field selectors
// (`s.mu`, `c.conn.mu`). Dereferences and `&` do not change which object a
// path names (`(*s).mu` is `s.mu`), so they are read through; an index, a
// call or anything else is not a path (its object can change from one
// evaluation to the next).
import type { Node } from 'web-tree-sitter';

export interface ValuePath {
  root: string;
  fields: string[];
}

export function valuePathOf(node: Node | null | undefined): ValuePath | undefined {
  const fields: string[] = [];
  let current = node ?? null;
  for (let steps = 0; current && steps < 32; steps++) {
    switch (current.type) {
      case 'identifier':
        return current.text === '_' ? undefined : { root: current.text, fields: fields.reverse() };
      case 'selector_expression': {
        const field = current.childForFieldName('field');
        if (!field) return undefined;
        fields.push(field.text);
        current = current.childForFieldName('operand');
        break;
      }
      case 'parenthesized_expression':
        current = current.namedChild(0);
        break;
      case 'unary_expression': {
        const operator = current.childForFieldName('operator')?.text;
        if (operator !== '*' && operator !== '&') return undefined;
        current = current.childForFieldName('operand');
        break;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

export function pathKey(path: ValuePath): string {
  return [path.root, ...path.fields].join('.');
}

/** `path` with its root replaced by `replacement` (a callee's parameter by the caller's argument). */
export function rebase(path: ValuePath, replacement: ValuePath): ValuePath {
  return { root: replacement.root, fields: [...replacement.fields, ...path.fields] };
}
