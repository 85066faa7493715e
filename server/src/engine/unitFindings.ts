// Findings grouped by the top-level declaration ("unit") they belong to, and
// moved as a block when the declaration moves. This is what lets the
// incremental analysis keep the findings of declarations an edit did not touch.
import type { Node } from 'web-tree-sitter';
import type { Finding, Position, Range } from './finding';
import { mapFindingTexts, shiftLineReferences, withoutLineReferences } from './lineReferences';

export interface Unit {
  node: Node;
  text: string;
  start: Position;
  end: Position;
}

/** The unit (sorted by position, non-overlapping) whose extent holds the position, or -1. */
export function unitAt(units: readonly Unit[], position: Position): number {
  let low = 0;
  let high = units.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const unit = units[middle];
    if (comparePosition(position, unit.start) < 0) high = middle - 1;
    else if (comparePosition(position, unit.end) > 0) low = middle + 1;
    else return middle;
  }
  return -1;
}

function comparePosition(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Every position a finding carries about its own file. */
function positionsOf(finding: Finding): Position[] {
  const positions = [finding.range.start, finding.range.end];
  for (const related of finding.related) if (!related.file) positions.push(related.range.start, related.range.end);
  for (const fix of finding.fixes) for (const edit of fix.edits) positions.push(edit.range.start, edit.range.end);
  if (finding.inlay) positions.push(finding.inlay.position);
  return positions;
}

/**
 * Whether the findings can move with their unit: every position lies on the
 * unit's own lines, and no text mentions one of those line numbers other than
 * through a line reference (engine/lineReferences), which moves with it; an
 * unmarked number in that range might be a line and would go stale.
 */
export function canMove(findings: readonly Finding[], unit: Pick<Unit, 'start' | 'end'>): boolean {
  const first = unit.start.line;
  const last = unit.end.line;
  for (const finding of findings) {
    if (positionsOf(finding).some((position) => position.line < first || position.line > last)) return false;
    const texts = [finding.message, finding.details ?? '', finding.inlay?.label ?? '', finding.inlay?.tooltip ?? ''];
    for (const related of finding.related) texts.push(related.message);
    for (const fix of finding.fixes) texts.push(fix.title, ...fix.edits.map((edit) => edit.newText));
    for (const text of texts) {
      for (const match of withoutLineReferences(text).matchAll(/\d+/g)) {
        const number = Number(match[0]);
        if (number >= first && number <= last + 1) return false;
      }
    }
  }
  return true;
}

function shiftRange(range: Range, lines: number): Range {
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

/** The findings moved down by `lines` (up when negative): positions and the line references in their texts. */
export function moveFindings(findings: readonly Finding[], lines: number): Finding[] {
  if (lines === 0) return [...findings];
  return findings.map((finding) => {
    const moved: Finding = {
      ...finding,
      range: shiftRange(finding.range, lines),
      related: finding.related.map((related) => (related.file ? related : { ...related, range: shiftRange(related.range, lines) })),
      fixes: finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ ...edit, range: shiftRange(edit.range, lines) })) })),
    };
    // Only set when present: a finding without an inlay has no `inlay` key at all.
    if (finding.inlay) moved.inlay = { ...finding.inlay, position: { line: finding.inlay.position.line + lines, character: finding.inlay.position.character } };
    return mapFindingTexts(moved, (text) => shiftLineReferences(text, lines));
  });
}
