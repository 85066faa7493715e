// Functions as the unit of analysis: declarations, methods and function
// literals. A statement belongs to its nearest enclosing function, so a defer
// inside `func() { defer ... }()` belongs to the literal, not the outer one.
import type { Node } from 'web-tree-sitter';

export const functionNodeTypes = ['function_declaration', 'method_declaration', 'func_literal'] as const;

const functionTypeSet: ReadonlySet<string> = new Set(functionNodeTypes);

export function isFunctionNode(node: Node): boolean {
  return functionTypeSet.has(node.type);
}

/** Every function, method and function literal in the tree, in source order. */
export function allFunctions(root: Node): Node[] {
  return root.descendantsOfType([...functionNodeTypes]).filter((node): node is Node => node !== null);
}

export function enclosingFunction(node: Node): Node | null {
  for (let current = node.parent; current; current = current.parent) {
    if (functionTypeSet.has(current.type)) return current;
  }
  return null;
}

/**
 * Descendants of the function's body of the given types whose nearest
 * enclosing function is this one (nested literals' nodes are excluded).
 */
export function ownDescendants(fn: Node, types: string | string[]): Node[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  return body
    .descendantsOfType(types)
    .filter((node): node is Node => node !== null && enclosingFunction(node)?.id === fn.id);
}

/** A readable name: `main`, `(*Server).Close`, or `func literal` for literals. */
export function functionDisplayName(fn: Node): string {
  const name = fn.childForFieldName('name')?.text;
  if (fn.type === 'function_declaration') return name ?? 'function';
  if (fn.type === 'method_declaration') {
    const receiverType = receiverTypeText(fn);
    return receiverType ? `(${receiverType}).${name ?? ''}` : (name ?? 'method');
  }
  return 'func literal';
}

function receiverTypeText(method: Node): string | undefined {
  const receiver = method.childForFieldName('receiver');
  const declaration = receiver?.namedChildren.find((child) => child?.type === 'parameter_declaration');
  return declaration?.childForFieldName('type')?.text;
}

/** True when the node or one of its ancestors is a parse error. */
export function isInsideError(node: Node): boolean {
  for (let current: Node | null = node; current; current = current.parent) {
    if (current.type === 'ERROR' || current.isMissing) return true;
  }
  return false;
}
