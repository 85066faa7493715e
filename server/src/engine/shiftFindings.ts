// Keeps findings computed for an older version of a document on the right
// lines while the user types: a finding on lines an edit touched is dropped
// (it may no longer be true), one below the edit moves by the lines the edit
// added or removed, and related places after the edit move with the text.
// Compiler facts arrive seconds after the text they describe, and the package
// rules run after a pause in typing; this is how their findings stay put
// meanwhile instead of showing on the wrong lines. Findings
// that are costly to get again (a test run's) can instead be kept, marked
// stale, when the edit stays inside their own lines: those lines are then
// still where they were.
import { comparePositions, type Finding, type Position, type Range, type RelatedLocation } from './finding';
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

export interface ShiftOptions {
  /** `markStale`: a finding whose own lines hold the whole edit is kept (as `stale`, spanning its lines) instead of dropped. */
  touched: 'drop' | 'markStale';
}

/** The length of the text's last line (after its last line break). */
function lastLineLength(text: string): number {
  return text.length - 1 - Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
}

/** Where a position at or after the end of an edit stands once the edit is made: the text after an edit moves with it, exactly. */
function positionAfterEdit(position: Position, edited: Range, inserted: string, delta: number): Position {
  if (position.line > edited.end.line) return shiftPosition(position, delta);
  const rest = position.character - edited.end.character;
  const newLines = lineBreaks(inserted);
  return newLines === 0
    ? { line: edited.start.line, character: edited.start.character + inserted.length + rest }
    : { line: edited.start.line + newLines, character: lastLineLength(inserted) + rest };
}

/**
 * Related places in the same file after the edit move with the text (on the
 * edit's own last line too, columns included); those before it, overlapping
 * it or in other files stay.
 */
function shiftRelated(related: readonly RelatedLocation[], edited: Range, inserted: string, delta: number): RelatedLocation[] {
  return related.map((place) =>
    place.file || comparePositions(place.range.start, edited.end) < 0
      ? place
      : { ...place, range: { start: positionAfterEdit(place.range.start, edited, inserted, delta), end: positionAfterEdit(place.range.end, edited, inserted, delta) } },
  );
}

/** A finding whose lines an edit changed from within: the same first line, as many lines as the edit left it. */
function staleFinding(finding: Finding, edited: Range, text: string, delta: number): Finding {
  const { start, end } = finding.range;
  return {
    ...finding,
    stale: true,
    // Its columns are unknown after the edit: the whole lines; the owner re-spans them to the new text.
    range: { start: { line: start.line, character: 0 }, end: { line: end.line + delta, character: 0 } },
    related: shiftRelated(finding.related, edited, text, delta),
    inlay: undefined,
    fixes: [],
  };
}

/** Findings as they stand after one change; undefined when the change replaced the whole text. */
function shiftThroughChange(findings: readonly Finding[], change: TextChange, options: ShiftOptions): Finding[] | undefined {
  const edited = change.range;
  if (!edited) return undefined;
  const delta = lineBreaks(change.text) - (edited.end.line - edited.start.line);
  const result: Finding[] = [];
  // A related place moves when it is after the edit, unless only lines below an edit that added or removed none.
  const relatedMoves = (finding: Finding) =>
    finding.related.some((place) => !place.file && comparePositions(place.range.start, edited.end) >= 0 && (delta !== 0 || place.range.start.line === edited.end.line));
  for (const finding of findings) {
    const { start, end } = finding.range;
    const endLine = Math.max(end.line, finding.inlay?.position.line ?? end.line);
    if (endLine < edited.start.line) {
      result.push(relatedMoves(finding) ? { ...finding, related: shiftRelated(finding.related, edited, change.text, delta) } : finding);
      continue;
    }
    if (start.line <= edited.end.line) {
      // The edit touched the finding's lines.
      const within = edited.start.line >= start.line && edited.end.line <= end.line && endLine === end.line;
      if (options.touched === 'markStale' && within) result.push(staleFinding(finding, edited, change.text, delta));
      continue;
    }
    if (delta === 0 && !relatedMoves(finding)) {
      result.push(finding);
      continue;
    }
    result.push({
      ...finding,
      range: shiftRange(finding.range, delta),
      inlay: finding.inlay ? { ...finding.inlay, position: shiftPosition(finding.inlay.position, delta) } : undefined,
      related: shiftRelated(finding.related, edited, change.text, delta),
      fixes: [], // a fix computed for the old text is not safe to apply to the new one
    });
  }
  return result;
}

/** Findings carried through a batch of changes (in order); empty after a full-text replacement. */
export function shiftFindings(findings: readonly Finding[], changes: readonly TextChange[], options: ShiftOptions = { touched: 'drop' }): Finding[] {
  let current: Finding[] = [...findings];
  for (const change of changes) {
    const next = shiftThroughChange(current, change, options);
    if (!next) return [];
    current = next;
  }
  return current;
}
