// The top-level declarations of a whole file, with facts about each that only
// depend on its own text (its name, its receiver, whether it calls recover…).
// Rules that read other declarations ask these facts of every declaration of
// the file; while the user types one function, all the others keep their text,
// so each fact is computed once per distinct declaration text and carried from
// one analysis of the file to the next instead of being read again through
// wasm on every keystroke.
import type { Node } from 'web-tree-sitter';
import { shareTopLevel } from './functions';

export interface TopLevelNode {
  /** The node in the current tree. */
  node: Node;
  /** `node.type`, read once (every read is a call into wasm). */
  type: string;
  /** Its source text. */
  text: string;
}

export class FileDeclarations {
  /** Every top-level named node except comments, in source order. */
  readonly all: TopLevelNode[] = [];
  /** Facts by declaration text, for the next analysis. */
  private readonly byText = new Map<string, Map<string, unknown>>();
  /** The same facts by declaration: text keys are long strings, hashed on every new string, so each is looked up once. */
  private readonly facts = new Map<TopLevelNode, Map<string, unknown>>();

  /**
   * `previous` is the same file's store from an earlier analysis: facts of
   * declarations whose text is unchanged are taken over (and only those, so
   * the store holds on to one version of the document).
   */
  constructor(root: Node, text: string, previous?: FileDeclarations) {
    for (const node of root.namedChildren) {
      const type = node?.type;
      if (!node || type === undefined || type === 'comment') continue;
      const declaration = { node, type, text: text.slice(node.startIndex, node.endIndex) };
      this.all.push(declaration);
      // (The hash of a string is computed once per string object: the lookups after the first are cheap.)
      const facts = this.byText.get(declaration.text) ?? previous?.byText.get(declaration.text) ?? new Map<string, unknown>();
      this.byText.set(declaration.text, facts);
      this.facts.set(declaration, facts);
    }
    shareTopLevel(root, this.all);
  }

  /**
   * A fact about one declaration, computed by `compute` from its node once per
   * text and `slot`. `compute` must depend on nothing but the declaration's own
   * subtree, and must not return nodes (they belong to one tree).
   */
  fact<T>(declaration: TopLevelNode, slot: string, compute: (node: Node) => T): T {
    const facts = this.facts.get(declaration);
    if (!facts) throw new Error('fact() asked about a declaration of another file or analysis');
    if (facts.has(slot)) return facts.get(slot) as T;
    const value = compute(declaration.node);
    facts.set(slot, value);
    return value;
  }

  /** The identifiers the declaration's source spells outside comments and string literals. */
  identifiers(declaration: TopLevelNode): ReadonlySet<string> {
    return this.fact(declaration, 'identifiers', () => identifierWords(declaration.text));
  }

  /** The declaration's name: a function's or method's (methods: without the receiver). */
  nameOf(declaration: TopLevelNode): string | undefined {
    if (declaration.type !== 'function_declaration' && declaration.type !== 'method_declaration') return undefined;
    return this.fact(declaration, 'name', (node) => node.childForFieldName('name')?.text);
  }

  /** The function declarations, with their names. */
  functions(): { declaration: TopLevelNode; name: string }[] {
    return this.named('function_declaration');
  }

  /** The method declarations, with their names. */
  methods(): { declaration: TopLevelNode; name: string }[] {
    return this.named('method_declaration');
  }

  private named(type: string): { declaration: TopLevelNode; name: string }[] {
    const found: { declaration: TopLevelNode; name: string }[] = [];
    for (const declaration of this.all) {
      if (declaration.type !== type) continue;
      const name = this.nameOf(declaration);
      if (name) found.push({ declaration, name });
    }
    return found;
  }
}

// Comments, interpreted strings, raw strings and runes (each possibly cut off
// by a parse error), or an identifier: only the last group is kept.
const tokens = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|`[^`]*`?|'(?:[^'\\\n]|\\.)*'?|([\p{L}_][\p{L}\p{N}_]*)/gu;

function identifierWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.matchAll(tokens)) if (match[1] !== undefined) words.add(match[1]);
  return words;
}
