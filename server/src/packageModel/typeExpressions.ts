// Go type expressions as plain data, read from a type node of the syntax tree:
// the part of a type the package model needs to follow fields, methods and
// the standard concurrency types. Everything else reads as `other`. The data
// holds no tree nodes, so it survives the tree it was read from (facts are
// kept per declaration text, see declarationFacts).
import type { Node } from 'web-tree-sitter';

export type TypeExpression =
  /** `T`, or `pkg.T` where `qualifier` is the package name as the file spells it. */
  | { kind: 'named'; name: string; qualifier?: string }
  | { kind: 'pointer'; element: TypeExpression }
  | { kind: 'chan'; element: TypeExpression }
  | { kind: 'struct'; fields: FieldFact[] }
  | { kind: 'other' };

export interface FieldFact {
  /** The field's name; for an embedded field, its type's name. */
  name: string;
  type: TypeExpression;
  embedded: boolean;
}

const other: TypeExpression = { kind: 'other' };

export function typeExpressionOf(node: Node | null | undefined, depth = 0): TypeExpression {
  if (!node || depth > 16) return other;
  switch (node.type) {
    case 'type_identifier':
      return { kind: 'named', name: node.text };
    case 'qualified_type': {
      const qualifier = node.childForFieldName('package')?.text;
      const name = node.childForFieldName('name')?.text;
      return qualifier && name ? { kind: 'named', name, qualifier } : other;
    }
    case 'pointer_type':
      return { kind: 'pointer', element: typeExpressionOf(node.namedChild(0), depth + 1) };
    case 'parenthesized_type':
      return typeExpressionOf(node.namedChild(0), depth + 1);
    case 'generic_type':
      // T[K] shares T's fields and methods; the type arguments are left out.
      return typeExpressionOf(node.childForFieldName('type'), depth + 1);
    case 'channel_type':
      return { kind: 'chan', element: typeExpressionOf(node.childForFieldName('value'), depth + 1) };
    case 'struct_type':
      return { kind: 'struct', fields: structFields(node, depth) };
    default:
      return other;
  }
}

function structFields(struct: Node, depth: number): FieldFact[] {
  const fields: FieldFact[] = [];
  const list = struct.namedChildren.find((child) => child?.type === 'field_declaration_list');
  for (const declaration of list?.namedChildren ?? []) {
    if (declaration?.type !== 'field_declaration') continue;
    const type = typeExpressionOf(declaration.childForFieldName('type'), depth + 1);
    const names = declaration.childrenForFieldName('name').filter((name): name is Node => name !== null);
    if (names.length === 0) {
      const embeddedName = namedTypeOf(type)?.name;
      if (embeddedName) fields.push({ name: embeddedName, type, embedded: true });
      continue;
    }
    for (const name of names) fields.push({ name: name.text, type, embedded: false });
  }
  return fields;
}

/** The named type behind at most one pointer: `T`, `*T`, `pkg.T`. */
export function namedTypeOf(type: TypeExpression): Extract<TypeExpression, { kind: 'named' }> | undefined {
  const base = type.kind === 'pointer' ? type.element : type;
  return base.kind === 'named' ? base : undefined;
}
