// The facts of one side of a comparison (the working tree, or the copy at a
// revision), each with what matching needs: its package relative to the
// side's root, its owning function and its source line.
import type { Parser } from 'web-tree-sitter';
import type { EscapeFact } from '../compiler';
import { LineIndex } from '../engine/lineIndex';
import { factOwners } from './factOwners';
import { sourceLineKey, type OwnedFact } from './matchFacts';

export interface SideFact extends OwnedFact {
  /** The lines of the fact's file as the compiler saw it. */
  lines: LineIndex;
}

/** Each file's facts with their owners; a file whose text is unknown keeps no facts (they cannot be placed). */
export function sideFacts(
  parser: Parser,
  factsByFile: ReadonlyMap<string, readonly EscapeFact[]>,
  textOf: (file: string) => string | undefined,
  packagePath: (file: string) => string,
): SideFact[] {
  const owned: SideFact[] = [];
  for (const [file, facts] of factsByFile) {
    const text = textOf(file);
    if (text === undefined) continue;
    const lines = new LineIndex(text);
    const owners = factOwners(parser, text, facts);
    facts.forEach((fact, index) =>
      owned.push({ fact, owner: owners[index], packagePath: packagePath(file), sourceLine: sourceLineKey(lines.lineText(fact.line - 1)), lines }),
    );
  }
  return owned;
}
