// The channel variables of a whole file, built once per parsed tree and shared
// by the channel and goroutine rules (each would otherwise resolve every name
// of every function again).
import type { Node, Tree } from 'web-tree-sitter';
import { channelVariables, type ChannelVariable } from './channelVariables';
import { LocalNames, LocalNamesCache, outermostFunction } from './localNames';
import { allFunctions, isInsideError } from './functions';
import { fileFunctions } from './goroutines';

export interface FunctionChannels {
  /** The outermost function (declaration, method, or package-level literal). */
  root: Node;
  names: LocalNames;
  channels: ChannelVariable[];
}

export interface FileChannels {
  functions: FunctionChannels[];
  /** Name resolution for the outermost function around any node. */
  namesFor(node: Node): LocalNames | undefined;
  /** The facts of one outermost function (e.g. a callee found through `functionsByName`). */
  channelsOf(root: Node): FunctionChannels | undefined;
  /** The file's plain functions by name (see fileFunctions): the callees a channel can be followed into. */
  functionsByName: Map<string, Node>;
}

const cache = new WeakMap<Tree, { text: string; facts: FileChannels }>();

function build(tree: Tree): FileChannels {
  const roots = allFunctions(tree.rootNode).filter((fn) => outermostFunction(fn)?.id === fn.id && !fn.hasError);
  const byRoot = new Map<number, FunctionChannels>();
  // Name resolution is built when a rule first asks (and shared with every other rule on this tree).
  const shared = new LocalNamesCache();
  const namesOf = (root: Node): LocalNames => shared.for(root) ?? new LocalNames(root);
  const functions = roots.map((root) => {
    // Every channel origin needs a channel type (make(chan …), var x chan T, a chan parameter), whose text
    // has the keyword: a function without "chan" has no channel variables, and most functions have none.
    const mayHaveChannels = root.text.includes('chan');
    let channels: ChannelVariable[] | undefined;
    const entry: FunctionChannels = {
      root,
      get names() {
        return namesOf(root);
      },
      get channels() {
        channels ??= mayHaveChannels ? channelVariables(namesOf(root)) : [];
        return channels;
      },
    };
    byRoot.set(root.id, entry);
    return entry;
  });
  return {
    functions,
    namesFor(node) {
      const root = outermostFunction(node);
      if (!root || isInsideError(node)) return undefined;
      return byRoot.get(root.id)?.names;
    },
    channelsOf(root) {
      return byRoot.get(root.id);
    },
    functionsByName: fileFunctions(tree.rootNode),
  };
}

/** The file's channel facts; `text` guards against a tree object reused for other text. */
export function fileChannels(tree: Tree, text: string): FileChannels {
  const cached = cache.get(tree);
  if (cached && cached.text === text) return cached.facts;
  const facts = build(tree);
  cache.set(tree, { text, facts });
  return facts;
}
