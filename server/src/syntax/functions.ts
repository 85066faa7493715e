// Functions as the unit of analysis: declarations, methods and function
// literals. A statement belongs to its nearest enclosing function, so a defer
// inside `func() { defer ... }()` belongs to the literal, not the outer one.
import type { Node, Tree } from 'web-tree-sitter';

export const functionNodeTypes = ['function_declaration', 'method_declaration', 'func_literal'] as const;

const functionTypeSet: ReadonlySet<string> = new Set(functionNodeTypes);

export function isFunctionNode(node: Node): boolean {
  return functionTypeSet.has(node.type);
}

/** Every function, method and function literal in the tree, in source order. */
export function allFunctions(root: Node): Node[] {
  return root.descendantsOfType([...functionNodeTypes]).filter((node): node is Node => node !== null);
}

// Since tree-sitter 0.25 `Node.parent` re-descends from the root (O(depth)),
// so walking all ancestors is O(depth²), and doing it for every node of deeply
// nested code (thousands of nested blocks; long `a + b + …` chains in
// generated tables) took minutes. The two ancestor questions every rule asks
// are therefore memoized per tree by node id: each node's parent is looked up
// at most once per question, and a walk stops at the first ancestor whose
// answer is known. The memo hangs off the Tree object and goes away with it.
interface AncestryMemo {
  /** Node id → innermost function node at or above it (itself included), or null. */
  functionAtOrAbove: Map<number, Node | null>;
  /** Node id → whether it or an ancestor is an ERROR or MISSING node. */
  errorAtOrAbove: Map<number, boolean>;
}

const ancestryMemos = new WeakMap<Tree, AncestryMemo>();

function ancestryMemo(tree: Tree): AncestryMemo {
  let memo = ancestryMemos.get(tree);
  if (!memo) {
    memo = { functionAtOrAbove: new Map(), errorAtOrAbove: new Map() };
    ancestryMemos.set(tree, memo);
  }
  return memo;
}

/**
 * Walks up from `start` until `decide` answers for a node or an ancestor's
 * answer is memoized, then records the answer for every node passed on the
 * way. Iterative: nesting depth is unbounded in hostile input.
 */
function answerUpwards<T>(start: Node, known: Map<number, T>, decide: (node: Node) => T | undefined, atRoot: T): T {
  const passed: number[] = [];
  let answer = atRoot;
  for (let current: Node | null = start; current; current = current.parent) {
    const memoized = known.get(current.id);
    if (memoized !== undefined) {
      answer = memoized;
      break;
    }
    const own = decide(current);
    if (own !== undefined) {
      known.set(current.id, own);
      answer = own;
      break;
    }
    passed.push(current.id);
  }
  for (const id of passed) known.set(id, answer);
  return answer;
}

export function enclosingFunction(node: Node): Node | null {
  const parent = node.parent;
  if (!parent) return null;
  return answerUpwards<Node | null>(parent, ancestryMemo(node.tree).functionAtOrAbove, (current) => (functionTypeSet.has(current.type) ? current : undefined), null);
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
  return answerUpwards<boolean>(node, ancestryMemo(node.tree).errorAtOrAbove, (current) => (current.type === 'ERROR' || current.isMissing ? true : undefined), false);
}
