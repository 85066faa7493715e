// Function facts whose body part is worked out only when a rule first reads
// it. Most functions of a package are never read that way (a rule about held
// locks skips a function that does not mention `Lock`, and reaches others only
// as callees), and the body facts are most of what the package model costs
// when a package is read from disk. The file's tree may be gone by then (the
// CLI keeps no trees; an editor's document has moved on), so the
// declaration's own text is parsed again, alone: a top-level declaration
// parses the same on its own, and the facts' spans are relative to its start.
// The locals (all that typing a path in the function needs, and all that the
// concurrency index reads of most functions) are worked out on their own when
// they are read first, at a fraction of the cost of the whole body facts.
// While the caller's tree is lent to them (a TreeLease, as the server lends
// an open document's tree for one analysis), the declaration's node in that
// tree is read instead: typing in a function reads its new body facts in that
// same analysis, and parsing its text again would cost as much as the facts
// themselves. The facts keep the lease, never a node: a node keeps its tree's
// per-tree memos alive for as long as the facts live.
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { emptyBodyFacts, functionBodyFactsOf, functionLocalsOf, functionSignatureOf, type FunctionBodyFacts, type FunctionFacts } from './functionFacts';

/** Put before the declaration's text so that it parses as a file. */
const packageClause = 'package p\n';

/** Every key of the body facts, each read through the lazy computation (a key added to FunctionBodyFacts must be added here). */
const bodyKeys: Record<keyof FunctionBodyFacts, true> = { locals: true, unstable: true, events: true, operations: true, channels: true };

/** A tree lent to the facts of its declarations until `end`, which its owner calls before it edits or deletes the tree. */
export class TreeLease {
  private tree: Tree | undefined;

  constructor(tree: Tree) {
    this.tree = tree;
  }

  /** The top-level declaration of this type starting at this offset, while the lease lasts. */
  declarationAt(start: number, type: string): Node | undefined {
    const node = this.tree?.rootNode.firstNamedChildForIndex(start);
    return node && node.startIndex === start && node.type === type ? node : undefined;
  }

  end(): void {
    this.tree = undefined;
  }
}

/** The declaration's facts: the signature now, the body facts on first read (from the lent tree while `lease` lasts). */
export function lazyFunctionFacts(declaration: Node, parser: Parser, lease?: TreeLease): FunctionFacts {
  const signature = functionSignatureOf(declaration);
  const { type, text, startIndex } = declaration;
  let body: FunctionBodyFacts | undefined;
  let locals: Pick<FunctionBodyFacts, 'locals' | 'unstable'> | undefined;
  /** Parses the declaration's text alone; when it no longer parses to the declaration, nothing is known, so rules stay quiet. */
  const reparsed = <T>(read: (declaration: Node) => T, unknown: T): T => {
    const lent = lease?.declarationAt(startIndex, type);
    if (lent) return read(lent);
    const tree = parser.parse(packageClause + text);
    try {
      const again = tree?.rootNode.namedChildren.find((child) => child?.type === type);
      return again ? read(again) : unknown;
    } finally {
      tree?.delete();
    }
  };
  const bodyFacts = (): FunctionBodyFacts => {
    body ??= reparsed((again) => functionBodyFactsOf(again, signature, again.startIndex, locals), emptyBodyFacts());
    return body;
  };
  const localFacts = (): Pick<FunctionBodyFacts, 'locals' | 'unstable'> => {
    locals ??= body ?? reparsed((again) => functionLocalsOf(again, signature), emptyBodyFacts());
    return locals;
  };
  const facts = { ...signature } as FunctionFacts;
  for (const key of Object.keys(bodyKeys) as (keyof FunctionBodyFacts)[]) {
    const read = key === 'locals' || key === 'unstable' ? () => localFacts()[key] : () => bodyFacts()[key];
    Object.defineProperty(facts, key, { enumerable: true, get: read });
  }
  return facts;
}
