// Method receivers read from the declaration: the receiver's name, its base
// type name (`T` for `t T`, `*T`, `T[K]`, `*T[K]`) and whether it is a pointer.
import type { Node } from 'web-tree-sitter';

function receiverParameter(method: Node): Node | undefined {
  const receiver = method.childForFieldName('receiver');
  return receiver?.namedChildren.find((child): child is Node => child?.type === 'parameter_declaration');
}

export function receiverName(method: Node): string | undefined {
  return receiverParameter(method)?.childForFieldName('name')?.text;
}

/** The base type name of a method's receiver, without pointer or type arguments. */
export function receiverBaseType(method: Node): string | undefined {
  let type = receiverParameter(method)?.childForFieldName('type') ?? null;
  for (let steps = 0; type && steps < 4; steps++) {
    if (type.type === 'type_identifier') return type.text;
    if (type.type === 'pointer_type' || type.type === 'parenthesized_type') type = type.namedChild(0);
    else if (type.type === 'generic_type') type = type.childForFieldName('type');
    else return undefined;
  }
  return undefined;
}

export function hasPointerReceiver(method: Node): boolean {
  let type = receiverParameter(method)?.childForFieldName('type') ?? null;
  while (type?.type === 'parenthesized_type') type = type.namedChild(0);
  return type?.type === 'pointer_type';
}

/** Methods declared in the file, by "Type.Method". */
export function methodsByTypeAndName(root: Node): Map<string, Node> {
  const methods = new Map<string, Node>();
  for (const declaration of root.namedChildren) {
    if (declaration?.type !== 'method_declaration') continue;
    const base = receiverBaseType(declaration);
    const name = declaration.childForFieldName('name')?.text;
    if (base && name) methods.set(`${base}.${name}`, declaration);
  }
  return methods;
}
