// Functions as the unit of analysis: declarations, methods and function
// literals. A statement belongs to its nearest enclosing function, so a defer
// inside `func() { defer ... }()` belongs to the literal, not the outer one.
import type { Node, Tree } from 'web-tree-sitter';

export const functionNodeTypes = ['function_declaration', 'method_declaration', 'func_literal'] as const;

const functionTypeSet: ReadonlySet<string> = new Set(functionNodeTypes);

export function isFunctionNode(node: Node): boolean {
  return functionTypeSet.has(node.type);
}

// Since tree-sitter 0.25 `Node.parent` re-descends from the root (O(depth)),
// so walking all ancestors is O(depth²), and doing it for every node of deeply
// nested code (thousands of nested blocks; long `a + b + …` chains in
// generated tables) took minutes. The two ancestor questions every rule asks
// are therefore memoized per tree by node id: each node's parent is looked up
// at most once per question, and a walk stops at the first ancestor whose
// answer is known. The memo hangs off the Tree object and goes away with it.
interface AncestryMemo {
  /** Node id → its parent (null at the root): every ancestor walk of the analysis shares it. */
  parents: Map<number, Node | null>;
  /** Node id → innermost function node at or above it (itself included), or null. */
  functionAtOrAbove: Map<number, Node | null>;
  /** Node id → whether it or an ancestor is an ERROR or MISSING node. */
  errorAtOrAbove: Map<number, boolean>;
  /** Node id → the top-level node at or above it (null for the root). */
  topLevelAtOrAbove: Map<number, Node | null>;
}

const ancestryMemos = new WeakMap<Tree, AncestryMemo>();

function ancestryMemo(tree: Tree): AncestryMemo {
  let memo = ancestryMemos.get(tree);
  if (!memo) {
    memo = { parents: new Map(), functionAtOrAbove: new Map(), errorAtOrAbove: new Map(), topLevelAtOrAbove: new Map() };
    ancestryMemos.set(tree, memo);
  }
  return memo;
}

/**
 * `node.parent`, memoized per tree: each node's parent is asked of wasm at
 * most once per parse, however many rules and name resolutions walk through it.
 */
export function parentOf(node: Node): Node | null {
  const parents = ancestryMemo(node.tree).parents;
  const known = parents.get(node.id);
  if (known !== undefined) return known;
  const parent = node.parent;
  parents.set(node.id, parent);
  return parent;
}

/**
 * Walks up from `start` until `decide` answers for a node or an ancestor's
 * answer is memoized, then records the answer for every node passed on the
 * way. Iterative: nesting depth is unbounded in hostile input.
 */
function answerUpwards<T>(start: Node, known: Map<number, T>, decide: (node: Node) => T | undefined, atRoot: T): T {
  const passed: number[] = [];
  let answer = atRoot;
  for (let current: Node | null = start; current; current = parentOf(current)) {
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

// Whole-file queries (every defer statement, …) are asked by many rules of one
// analysis; each is a full walk of the tree inside wasm. Their answers are
// memoized per tree like the ancestry above. A rule may see the file through a
// scoped view (engine/scopedTree: only some declarations), whose root is a
// different object answering differently: such roots are registered here and
// keyed by themselves, real roots by their Tree (rootNode is a new object on
// every access). Trees are never reparsed in place (a new Tree per parse), so
// a memo cannot go stale.
const scopedRoots = new WeakSet<object>();
const rootMemos = new WeakMap<object, Map<string, unknown>>();

/** Registers a root node that shows only part of its tree (see above). */
export function registerScopedRoot(root: Node): void {
  scopedRoots.add(root);
}

/**
 * `compute(root)` memoized per tree (or per scoped view) under `slot`. Nodes
 * other than a file's root are not memoized: the question depends on the node.
 */
export function perRoot<T>(root: Node, slot: string, compute: (root: Node) => T): T {
  const key: object | undefined = scopedRoots.has(root) ? root : root.type === 'source_file' ? root.tree : undefined;
  if (!key) return compute(root);
  let memo = rootMemos.get(key);
  if (!memo) {
    memo = new Map();
    rootMemos.set(key, memo);
  }
  if (memo.has(slot)) return memo.get(slot) as T;
  const value = compute(root);
  memo.set(slot, value);
  return value;
}

/** Where perRoot keeps a root's top-level nodes with their texts. */
const topLevelSlot = 'topLevelTexts';

/**
 * The file's top-level nodes whose source contains `word`, in source order.
 * A whole-tree `descendantsOfType` walks every node of the file inside wasm
 * (5–10 ms on a 4,000-line file); when what is looked for must spell a word
 * (`defer`, `recover`), walking only the declarations that contain it finds
 * the same nodes in the same order.
 */
function topLevelMentioning(root: Node, word: string | RegExp): Node[] {
  const mentions = typeof word === 'string' ? (text: string) => text.includes(word) : (text: string) => word.test(text);
  // The top-level nodes and their texts once per root: every rule asks, and each read of namedChildren marshals them all.
  const topLevel = perRoot(root, topLevelSlot, (of) => of.namedChildren.filter((node): node is Node => node !== null).map((node) => ({ node, text: node.text })));
  return topLevel.filter((entry) => mentions(entry.text)).map((entry) => entry.node);
}

/**
 * Hands over the top-level nodes of `root` and their texts, read elsewhere
 * (FileDeclarations), so that topLevelMentioning need not read them again.
 * Comments may be left out: no node a rule looks for lies in one.
 */
export function shareTopLevel(root: Node, topLevel: readonly { node: Node; text: string }[]): void {
  perRoot(root, topLevelSlot, () => topLevel);
}

/**
 * `root.descendantsOfType(types)`, in source order, for nodes whose source
 * always spells `word` (the `go` of a go statement, the `select` of a select):
 * only the top-level declarations that contain it are walked, and their
 * answers are shared (see declarationDescendants).
 */
export function descendantsSpelling(root: Node, word: string | RegExp, types: string | string[]): Node[] {
  if (root.type !== 'source_file') return root.descendantsOfType(types).filter((node): node is Node => node !== null);
  return topLevelMentioning(root, word).flatMap((declaration) => declarationDescendants(declaration, types));
}

export function enclosingFunction(node: Node): Node | null {
  const parent = parentOf(node);
  if (!parent) return null;
  return answerUpwards<Node | null>(parent, ancestryMemo(node.tree).functionAtOrAbove, (current) => (functionTypeSet.has(current.type) ? current : undefined), null);
}

// Node queries asked again and again in one analysis, memoized per tree by
// the node they are asked of and what they ask for.
const nodeQueries = new WeakMap<Tree, Map<string, Node[]>>();

function memoizedQuery(node: Node, question: string, types: string | string[], answer: () => Node[]): Node[] {
  let memo = nodeQueries.get(node.tree);
  if (!memo) {
    memo = new Map();
    nodeQueries.set(node.tree, memo);
  }
  const key = `${question}\u0000${node.id}\u0000${typeof types === 'string' ? types : types.join(',')}`;
  let found = memo.get(key);
  if (!found) {
    found = answer();
    memo.set(key, found);
  }
  return found;
}

// One descendantsOfType walk costs about the same whatever the types asked
// for (0.3–0.5 ms on a 250-line function; the walk itself dominates), and the
// rules ask a changed function a dozen different questions on each keystroke.
// So each top-level declaration is walked once per tree for all the types
// below, and questions about those types are answered by filtering that list.
// Identifiers are left out: they are many, and asked of small subtrees.
const indexedTypes = [
  'function_declaration',
  'method_declaration',
  'func_literal',
  'defer_statement',
  'go_statement',
  'select_statement',
  'for_statement',
  'return_statement',
  'goto_statement',
  'break_statement',
  'continue_statement',
  'labeled_statement',
  'expression_statement',
  'call_expression',
  'short_var_declaration',
  'var_spec',
  'const_spec',
  'type_spec',
  'type_alias',
  'parameter_declaration',
  'variadic_parameter_declaration',
  'type_switch_statement',
  'range_clause',
  'receive_statement',
  'import_spec',
];
const indexedTypeSet: ReadonlySet<string> = new Set(indexedTypes);

interface IndexedNode {
  node: Node;
  type: string;
  startIndex: number;
  endIndex: number;
}

interface DeclarationIndex {
  /** Nodes of the indexed types in the declaration (itself included), in source order. */
  nodes: IndexedNode[];
  /**
   * No parse error inside. Only then does the index answer for a function: a
   * MISSING node has no width and could sit on a range boundary (a
   * precaution; the fixtures cut short never produced one of an indexed type).
   */
  clean: boolean;
}

const declarationIndexes = new WeakMap<Tree, Map<number, DeclarationIndex>>();

function declarationIndex(declaration: Node): DeclarationIndex {
  let indexes = declarationIndexes.get(declaration.tree);
  if (!indexes) {
    indexes = new Map();
    declarationIndexes.set(declaration.tree, indexes);
  }
  let index = indexes.get(declaration.id);
  if (!index) {
    const nodes: IndexedNode[] = [];
    for (const node of declaration.descendantsOfType(indexedTypes)) {
      if (node) nodes.push({ node, type: node.type, startIndex: node.startIndex, endIndex: node.endIndex });
    }
    index = { nodes, clean: !declaration.hasError };
    indexes.set(declaration.id, index);
  }
  return index;
}

/** The types as a set when every one of them is indexed. */
function indexedSubset(types: string | string[]): ReadonlySet<string> | undefined {
  const list = typeof types === 'string' ? [types] : types;
  return list.every((type) => indexedTypeSet.has(type)) ? new Set(list) : undefined;
}

function isTopLevel(node: Node): boolean {
  return parentOf(node)?.type === 'source_file';
}

/**
 * `node.descendantsOfType(types)` from the index of its top-level
 * declaration, or undefined when that cannot answer. Only for a function node
 * or a function's body: no ancestor of those of an indexed type has the same
 * range, so in a tree without parse errors the nodes within its range are
 * exactly itself and its descendants.
 */
function indexedDescendants(node: Node, types: string | string[]): Node[] | undefined {
  const wanted = indexedSubset(types);
  if (!wanted) return undefined;
  const top = answerUpwards<Node | null>(node, ancestryMemo(node.tree).topLevelAtOrAbove, (current) => (isTopLevel(current) ? current : undefined), null);
  if (!top) return undefined;
  const index = declarationIndex(top);
  if (!index.clean) return undefined;
  const { startIndex, endIndex } = node;
  const found: Node[] = [];
  for (const entry of index.nodes) {
    if (entry.startIndex >= startIndex && entry.endIndex <= endIndex && wanted.has(entry.type)) found.push(entry.node);
  }
  return found;
}

/**
 * `declaration.descendantsOfType(types)` for a top-level node, memoized per
 * tree (the array is shared: read it, do not change it). An incremental
 * analysis shows the rules two views of one tree (see engine/scopedTree), and
 * rules ask the same whole-file queries (every defer, every function…).
 */
export function declarationDescendants(declaration: Node, types: string | string[]): readonly Node[] {
  return memoizedQuery(declaration, 'descendants', types, () => {
    const wanted = indexedSubset(types);
    if (!wanted) return declaration.descendantsOfType(types).filter((node): node is Node => node !== null);
    return declarationIndex(declaration)
      .nodes.filter((entry) => wanted.has(entry.type))
      .map((entry) => entry.node);
  });
}

/**
 * `node.descendantsOfType(types)`, answered from its declaration's index when
 * the node is a function (declaration, method or literal) and the index can.
 */
export function functionDescendants(node: Node, types: string | string[]): Node[] {
  return (isFunctionNode(node) ? indexedDescendants(node, types) : undefined) ?? node.descendantsOfType(types).filter((found): found is Node => found !== null);
}

/**
 * Descendants of the function's body of the given types whose nearest
 * enclosing function is this one (nested literals' nodes are excluded), in
 * source order (a fresh array: callers may change it). Memoized per tree: most
 * rules ask the same function for its defers, returns or calls.
 */
export function ownDescendants(fn: Node, types: string | string[]): Node[] {
  const found = memoizedQuery(fn, 'own', types, () => {
    const body = fn.childForFieldName('body');
    if (!body) return [];
    const inBody = indexedDescendants(body, types) ?? body.descendantsOfType(types).filter((node): node is Node => node !== null);
    return inBody.filter((node) => enclosingFunction(node)?.id === fn.id);
  });
  return [...found];
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
