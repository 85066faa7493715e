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
// While the caller's tree is known to be alive and unedited (a TreeLease, as
// the server holds one over an open document's analysis), the declaration's
// own node is read instead: typing in a function reads its new body facts in
// that same analysis, and parsing its text again would cost as much as the
// facts themselves.
import type { Node, Parser } from 'web-tree-sitter';
import { emptyBodyFacts, functionBodyFactsOf, functionLocalsOf, functionSignatureOf, type FunctionBodyFacts, type FunctionFacts } from './functionFacts';

/** Put before the declaration's text so that it parses as a file. */
const packageClause = 'package p\n';

/** Every key of the body facts, each read through the lazy computation (a key added to FunctionBodyFacts must be added here). */
const bodyKeys: Record<keyof FunctionBodyFacts, true> = { locals: true, unstable: true, events: true, operations: true, channels: true };

/** Whether the tree a declaration's node is of is still alive and unedited: its holder ends the lease before either changes. */
export interface TreeLease {
  readonly live: boolean;
}

/** The declaration's facts: the signature now, the body facts on first read (from the node itself while `lease` is live). */
export function lazyFunctionFacts(declaration: Node, parser: Parser, lease?: TreeLease): FunctionFacts {
  const signature = functionSignatureOf(declaration);
  const { type, text } = declaration;
  let body: FunctionBodyFacts | undefined;
  let locals: Pick<FunctionBodyFacts, 'locals' | 'unstable'> | undefined;
  /** Parses the declaration's text alone; when it no longer parses to the declaration, nothing is known, so rules stay quiet. */
  const reparsed = <T>(read: (declaration: Node) => T, unknown: T): T => {
    if (lease?.live) return read(declaration);
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
