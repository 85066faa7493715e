// Keeps findings computed for an older version of a document on the right
// lines while the user types: a finding on lines an edit touched is dropped
// (it may no longer be true), one below the edit moves by the lines the edit
// added or removed. Compiler facts arrive seconds after the text they describe;
// this is how they stay put instead of showing on the wrong lines.
import type { Finding, Position, Range } from './finding';
import type { TextChange } from './textChange';

function lineBreaks(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || (code === 13 && text.charCodeAt(index + 1) !== 10)) count++;
  }
  return count;
}

function shiftPosition(position: Position, delta: number): Position {
  return { line: position.line + delta, character: position.character };
}

function shiftRange(range: Range, delta: number): Range {
  return { start: shiftPosition(range.start, delta), end: shiftPosition(range.end, delta) };
}

/** Findings as they stand after one change; undefined when the change replaced the whole text. */
function shiftThroughChange(findings: readonly Finding[], change: TextChange): Finding[] | undefined {
  const edited = change.range;
  if (!edited) return undefined;
  const delta = lineBreaks(change.text) - (edited.end.line - edited.start.line);
  const result: Finding[] = [];
  for (const finding of findings) {
    const { start, end } = finding.range;
    const endLine = Math.max(end.line, finding.inlay?.position.line ?? end.line);
    if (endLine < edited.start.line) {
      result.push(finding);
      continue;
    }
    if (start.line <= edited.end.line) continue; // the edit touched the finding's lines
    if (delta === 0) {
      result.push(finding);
      continue;
    }
    result.push({
      ...finding,
      range: shiftRange(finding.range, delta),
      inlay: finding.inlay ? { ...finding.inlay, position: shiftPosition(finding.inlay.position, delta) } : undefined,
      related: finding.related.map((related) =>
        related.file || related.range.start.line <= edited.end.line ? related : { ...related, range: shiftRange(related.range, delta) },
      ),
      fixes: [], // a fix computed for the old text is not safe to apply to the new one
    });
  }
  return result;
}

/** Findings carried through a batch of changes (in order); empty after a full-text replacement. */
export function shiftFindings(findings: readonly Finding[], changes: readonly TextChange[]): Finding[] {
  let current: Finding[] = [...findings];
  for (const change of changes) {
    const next = shiftThroughChange(current, change);
    if (!next) return [];
    current = next;
  }
  return current;
}
