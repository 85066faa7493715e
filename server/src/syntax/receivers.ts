// Method receivers read from the declaration: the receiver's name, its base
// type name (`T` for `t T`, `*T`, `T[K]`, `*T[K]`) and whether it is a pointer.
import type { Node } from 'web-tree-sitter';
import type { FileDeclarations, TopLevelNode } from './fileDeclarations';

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

export interface DeclaredMethod {
  node: Node;
  pointerReceiver: boolean;
}

/** A method declaration's receiver: its base type name and whether it is a pointer (a fact of the declaration's text). */
export function declaredReceiver(declarations: FileDeclarations, declaration: TopLevelNode): { base: string | undefined; pointer: boolean } {
  return declarations.fact(declaration, 'receiver', (node) => ({ base: receiverBaseType(node), pointer: hasPointerReceiver(node) }));
}

/** Methods declared in the file, by "Type.Method". */
export function methodsByTypeAndName(declarations: FileDeclarations): Map<string, DeclaredMethod> {
  const methods = new Map<string, DeclaredMethod>();
  for (const { declaration, name } of declarations.methods()) {
    const receiver = declaredReceiver(declarations, declaration);
    if (receiver.base) methods.set(`${receiver.base}.${name}`, { node: declaration.node, pointerReceiver: receiver.pointer });
  }
  return methods;
}
