// Compiler facts computed for an older text, carried through the edits made
// since: each kind of edit (insertion, deletion, a batch of changes, a
// whole-text replacement) and each position a finding carries (its range,
// its inlay hint, its related locations) checked against literal lines.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Range } from '../../server/src/engine/finding';
import { shiftFindings } from '../../server/src/engine/shiftFindings';
import type { TextChange } from '../../server/src/engine/textChange';

function range(line: number, start: number, end: number, endLine = line): Range {
  return { start: { line, character: start }, end: { line: endLine, character: end } };
}

/** A heap fact as the compiler session keeps it: a hint after the expression and the flow as related locations. */
function heapFact(line: number, flowLines: number[] = []): Finding {
  return {
    rule: 'escape/moved-to-heap',
    category: 'escape',
    severity: 'hint',
    presentation: 'diagnostic',
    range: range(line, 1, 2),
    message: `moved to heap on line ${line}`,
    source: 'compiler',
    related: flowLines.map((flowLine) => ({ range: range(flowLine, 8, 10), message: `flow step on line ${flowLine}` })),
    fixes: [{ title: 'a fix for the old text', edits: [{ range: range(line, 1, 2), newText: 'q' }] }],
    inlay: { label: '⇡heap', position: { line, character: 2 } },
  };
}

const insertion = (line: number, text: string): TextChange => ({ range: range(line, 0, 0), text });
const deletion = (fromLine: number, toLine: number): TextChange => ({ range: { start: { line: fromLine, character: 0 }, end: { line: toLine, character: 0 } }, text: '' });

/** Where each finding stands: its line, its hint's line, its related lines. */
const lines = (findings: Finding[]) =>
  findings.map((finding) => ({
    message: finding.message,
    line: finding.range.start.line,
    endLine: finding.range.end.line,
    hint: finding.inlay?.position.line,
    related: finding.related.map((related) => related.range.start.line),
  }));

test('lines inserted above a fact move it, its hint and its flow down; columns stay', () => {
  const [moved] = shiftFindings([heapFact(10, [12, 14])], [insertion(3, '// one\n// two\n')]);
  assert.deepEqual(lines([moved]), [{ message: 'moved to heap on line 10', line: 12, endLine: 12, hint: 12, related: [14, 16] }]);
  assert.deepEqual(moved.range, range(12, 1, 2));
  assert.deepEqual(moved.inlay?.position, { line: 12, character: 2 });
  assert.deepEqual(moved.related[0].range, range(14, 8, 10));
  assert.deepEqual(moved.fixes, [], 'a fix computed for the old text is not offered on the new one');
});

test('lines deleted above a fact move it, its hint and its flow up', () => {
  const shifted = shiftFindings([heapFact(10, [12]), heapFact(20, [22])], [deletion(2, 5)]);
  assert.deepEqual(lines(shifted), [
    { message: 'moved to heap on line 10', line: 7, endLine: 7, hint: 7, related: [9] },
    { message: 'moved to heap on line 20', line: 17, endLine: 17, hint: 17, related: [19] },
  ]);
});

test('a fact on a line the edit touched is dropped; facts above stay as they were', () => {
  const above = heapFact(1, [3]);
  const shifted = shiftFindings([above, heapFact(5), heapFact(9)], [{ range: range(5, 1, 7), text: 'return' }]);
  assert.deepEqual(lines(shifted), [
    { message: 'moved to heap on line 1', line: 1, endLine: 1, hint: 1, related: [3] },
    { message: 'moved to heap on line 9', line: 9, endLine: 9, hint: 9, related: [] },
  ]);
  assert.equal(shifted[0], above, 'nothing about a fact above the edit changes, not even its fixes');
});

test('a deletion that joins a fact line with the line above drops the fact', () => {
  const shifted = shiftFindings([heapFact(6), heapFact(8)], [{ range: { start: { line: 5, character: 4 }, end: { line: 6, character: 0 } }, text: '' }]);
  assert.deepEqual(lines(shifted), [{ message: 'moved to heap on line 8', line: 7, endLine: 7, hint: 7, related: [] }]);
});

test('every change of a batch applies, in order', () => {
  // One didChange with two changes: the second change's positions refer to the text after the first.
  const shifted = shiftFindings([heapFact(10), heapFact(30)], [insertion(2, 'a\nb\nc\n'), deletion(20, 24)]);
  assert.deepEqual(lines(shifted), [
    { message: 'moved to heap on line 10', line: 13, endLine: 13, hint: 13, related: [] },
    { message: 'moved to heap on line 30', line: 29, endLine: 29, hint: 29, related: [] },
  ]);
});

test('a hint on a later line than its range counts as part of the fact', () => {
  const fact: Finding = { ...heapFact(4), inlay: { label: '⇡heap', position: { line: 6, character: 3 } } };
  assert.deepEqual(shiftFindings([fact], [{ range: range(5, 0, 1), text: 'x' }]), [], 'the edit touched a line between the fact and its hint');
  assert.deepEqual(lines(shiftFindings([fact], [insertion(8, '\n')])), [{ message: 'moved to heap on line 4', line: 4, endLine: 4, hint: 6, related: [] }]);
});

test('related locations in another file, or on lines above the edit, do not move', () => {
  const fact: Finding = {
    ...heapFact(10),
    related: [
      { file: '/elsewhere/other.go', range: range(40, 0, 3), message: 'in another file' },
      { range: range(2, 0, 3), message: 'above the edit' },
      { range: range(11, 0, 3), message: 'below the edit' },
    ],
  };
  const [moved] = shiftFindings([fact], [insertion(5, '\n\n\n\n')]);
  assert.deepEqual(
    moved.related.map((related) => [related.message, related.range.start.line]),
    [['in another file', 40], ['above the edit', 2], ['below the edit', 15]],
  );
});

test('a related place after the edit on the edit\'s own line moves with the text, columns included; one the edit overlaps stays', () => {
  const fact: Finding = {
    ...heapFact(10),
    related: [
      { range: range(12, 8, 10), message: 'after the edit, same line' },
      { range: range(12, 2, 6), message: 'overlapping the edit' },
    ],
  };
  // Enter typed at column 6 of line 12 (with a tab of indentation): what followed goes to line 13.
  const [split] = shiftFindings([fact], [{ range: range(12, 6, 6), text: '\n\t' }]);
  assert.deepEqual(
    split.related.map((related) => [related.message, related.range]),
    [
      ['after the edit, same line', range(13, 3, 5)],
      ['overlapping the edit', range(12, 2, 6)],
    ],
  );
  // Two characters typed at column 7: the place after them moves right, on the same line.
  const [typed] = shiftFindings([fact], [{ range: range(12, 7, 7), text: 'xy' }]);
  assert.deepEqual(typed.related[0].range, range(12, 10, 12));
  // Columns 7–9 of line 11 through column 8 of line 12 replaced by one character: line 12's rest joins line 11.
  const [joined] = shiftFindings([fact], [{ range: { start: { line: 11, character: 7 }, end: { line: 12, character: 8 } }, text: 'z' }]);
  assert.deepEqual(joined.related[0].range, range(11, 8, 10));
});

test('a finding above the edit keeps its place; its related places below the edit move', () => {
  const fact: Finding = { ...heapFact(3), related: [{ range: range(1, 0, 2), message: 'above' }, { range: range(9, 4, 6), message: 'below' }] };
  const [kept] = shiftFindings([fact], [insertion(5, '\n\n')]);
  assert.deepEqual(kept.range, range(3, 1, 2));
  assert.deepEqual(
    kept.related.map((related) => [related.message, related.range]),
    [
      ['above', range(1, 0, 2)],
      ['below', range(11, 4, 6)],
    ],
  );
  assert.equal(shiftFindings([fact], [{ range: range(5, 0, 1), text: 'x' }])[0], fact, 'an edit that moves nothing changes nothing');
});

test('line breaks of every kind count: CRLF, lone CR and LF', () => {
  assert.deepEqual(lines(shiftFindings([heapFact(10)], [insertion(0, 'a\r\nb\rc\n')])).map((fact) => fact.line), [13]);
});

test('an edit that replaces whole lines with as many lines keeps facts below where they were', () => {
  const below = heapFact(9);
  const shifted = shiftFindings([below], [{ range: range(3, 0, 4, 4), text: 'x\ny' }]);
  assert.deepEqual(lines(shifted), [{ message: 'moved to heap on line 9', line: 9, endLine: 9, hint: 9, related: [] }]);
});

test('a whole-text replacement leaves nothing to carry', () => {
  assert.deepEqual(shiftFindings([heapFact(1), heapFact(5)], [insertion(0, '\n'), { text: 'package a\n' }]), []);
});

/** A test run's finding: no hint, the test's `func` line above as a related place in the same file. */
function leakFinding(line: number): Finding {
  return {
    rule: 'goroutine/leaked',
    category: 'goroutine',
    severity: 'warning',
    presentation: 'diagnostic',
    range: range(line, 2, 14),
    message: `leaked on line ${line}`,
    source: 'runtime',
    related: [{ range: range(line - 2, 0, 4), message: 'started here' }, { range: range(line + 3, 0, 4), message: 'below' }],
    fixes: [],
  };
}

const markStale = { touched: 'markStale' } as const;

test('markStale: an edit inside a finding\'s line keeps it on that line, stale, over the whole line; others as before', () => {
  const [edited, below] = shiftFindings([leakFinding(6), leakFinding(12)], [{ range: range(6, 5, 7), text: 'x' }], markStale);
  assert.equal(edited.stale, true);
  assert.deepEqual(edited.range, range(6, 0, 0), 'the owner re-spans the line: its old columns mean nothing now');
  assert.equal(below.stale, undefined);
  assert.deepEqual(below.range, range(12, 2, 14));
  // Without the option the same edit drops it, as compiler facts are.
  assert.deepEqual(shiftFindings([leakFinding(6)], [{ range: range(6, 5, 7), text: 'x' }]), []);
});

test('markStale: a line break typed inside the line stretches the finding over both parts; places below move', () => {
  const [stale] = shiftFindings([leakFinding(6)], [{ range: range(6, 5, 5), text: '\n\t' }], markStale);
  assert.deepEqual([stale.stale, stale.range.start.line, stale.range.end.line], [true, 6, 7]);
  assert.deepEqual(stale.related.map((related) => related.range.start.line), [4, 10]);
});

test('markStale: an edit reaching beyond the finding\'s lines (a deletion joining it with the line above, a whole block) drops it', () => {
  assert.deepEqual(shiftFindings([leakFinding(6)], [{ range: { start: { line: 5, character: 3 }, end: { line: 6, character: 4 } }, text: '' }], markStale), []);
  assert.deepEqual(shiftFindings([leakFinding(6)], [deletion(4, 8)], markStale), []);
});

test('markStale: a stale finding stays stale as later edits move it', () => {
  const [stale] = shiftFindings([leakFinding(6)], [{ range: range(6, 5, 7), text: 'x' }, insertion(0, '// a\n// b\n')], markStale);
  assert.deepEqual([stale.stale, stale.range.start.line], [true, 8]);
});
