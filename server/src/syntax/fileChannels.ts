// The channel variables of a file's functions, built once per parsed tree and
// shared by the channel and goroutine rules (each would otherwise resolve
// every name of every function again). A rule may see only some declarations
// (an incremental run); it then iterates only theirs, while the facts of any
// other function of the file (a callee a channel is followed into) are built
// on demand and shared the same way.
import type { Node, Tree } from 'web-tree-sitter';
import { channelVariables, type ChannelVariable } from './channelVariables';
import { LocalNames, LocalNamesCache, outermostFunction } from './localNames';
import { declarationDescendants, enclosingFunction, functionNodeTypes, isInsideError } from './functions';
import type { FileDeclarations } from './fileDeclarations';
import { fileFunctions } from './goroutines';

export interface FunctionChannels {
  /** The outermost function (declaration, method, or package-level literal). */
  root: Node;
  names: LocalNames;
  channels: ChannelVariable[];
}

export interface FileChannels {
  /** The outermost functions of the part of the file the rule looks at. */
  functions: FunctionChannels[];
  /** Name resolution for the outermost function around any node of the file. */
  namesFor(node: Node): LocalNames | undefined;
  /** The facts of one outermost function of the file (e.g. a callee found through `functionsByName`). */
  channelsOf(root: Node): FunctionChannels | undefined;
  /** The whole file's plain functions by name (see fileFunctions): the callees a channel can be followed into. */
  functionsByName: Map<string, Node>;
}

/** What the rules look at: `tree` (maybe a scoped view) is where they report, `wholeTree` the file around it. */
export interface ChannelScope {
  tree: Tree;
  wholeTree: Tree;
  text: string;
  declarations: FileDeclarations;
}

interface TreeFacts {
  /** Guards against a tree object reused for other text. */
  text: string;
  byRoot: Map<number, FunctionChannels>;
  functionsByName: Map<string, Node> | undefined;
}

const perTree = new WeakMap<Tree, TreeFacts>();
const perView = new WeakMap<Tree, { text: string; facts: FileChannels }>();
const sharedNames = new LocalNamesCache();

function treeFacts(tree: Tree, text: string): TreeFacts {
  let facts = perTree.get(tree);
  if (!facts || facts.text !== text) {
    facts = { text, byRoot: new Map(), functionsByName: undefined };
    perTree.set(tree, facts);
  }
  return facts;
}

function entryFor(facts: TreeFacts, root: Node): FunctionChannels {
  let entry = facts.byRoot.get(root.id);
  if (entry) return entry;
  // Every channel origin needs a channel type (make(chan …), var x chan T, a chan parameter), whose text
  // has the keyword: a function without "chan" has no channel variables, and most functions have none.
  const mayHaveChannels = root.text.includes('chan');
  const namesOf = (): LocalNames => sharedNames.for(root) ?? new LocalNames(root);
  let channels: ChannelVariable[] | undefined;
  entry = {
    root,
    // Name resolution is built when a rule first asks (and shared with every other rule on this tree).
    get names() {
      return namesOf();
    },
    get channels() {
      channels ??= mayHaveChannels ? channelVariables(namesOf()) : [];
      return channels;
    },
  };
  facts.byRoot.set(root.id, entry);
  return entry;
}

/** Functions with a parse error are read wrongly around it: they have no facts. */
function isAnalyzableRoot(fn: Node): boolean {
  return !fn.hasError && outermostFunction(fn)?.id === fn.id;
}

/**
 * The outermost functions of the top-level nodes under `root`, in source order:
 * declarations and methods, and functions outside any other (package-level
 * literals, code the parser left at top level). Found without asking every
 * nested literal for its ancestors (a test table has thousands).
 */
function outermostFunctions(root: Node): Node[] {
  const found: Node[] = [];
  for (const unit of root.namedChildren) {
    if (!unit) continue;
    if (unit.type === 'function_declaration' || unit.type === 'method_declaration') found.push(unit);
    else if (unit.type !== 'comment' && unit.type !== 'package_clause' && unit.type !== 'import_declaration') {
      found.push(...declarationDescendants(unit, [...functionNodeTypes]).filter((fn) => enclosingFunction(fn) === null));
    }
  }
  return found;
}

function build(scope: ChannelScope): FileChannels {
  const facts = treeFacts(scope.wholeTree, scope.text);
  return {
    functions: outermostFunctions(scope.tree.rootNode)
      .filter((root) => !root.hasError)
      .map((root) => entryFor(facts, root)),
    namesFor(node) {
      const root = outermostFunction(node);
      if (!root || root.hasError || isInsideError(node)) return undefined;
      return entryFor(facts, root).names;
    },
    channelsOf(root) {
      return isAnalyzableRoot(root) ? entryFor(facts, root) : undefined;
    },
    get functionsByName() {
      facts.functionsByName ??= fileFunctions(scope.declarations);
      return facts.functionsByName;
    },
  };
}

/** The channel facts of the functions the rule looks at (`scope.tree`), and of the rest of the file on demand. */
export function fileChannels(scope: ChannelScope): FileChannels {
  const cached = perView.get(scope.tree);
  if (cached && cached.text === scope.text) return cached.facts;
  const facts = build(scope);
  perView.set(scope.tree, { text: scope.text, facts });
  return facts;
}
