// Facts to Findings: rule ids, labels, ranges in UTF-16, the flow as related locations.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EscapeFact, EscapeFactKind } from '../../server/src/compiler/escapeFacts';
import { kindPresentation, positionMapper, toFinding } from '../../server/src/compiler/factToFinding';

const file = '/w/a.go';
const text = [
  'package a', // 1
  '',
  'func NewUser(name string) *User {', // 3
  '\tu := User{Name: name}', // 4
  '\treturn &u', // 5
  '}',
  'var s = "héllo"; var t = &s', // 7
].join('\n');

function fact(kind: EscapeFactKind, line: number, column: number, message: string, extra: Partial<EscapeFact> = {}): EscapeFact {
  return { kind, file, line, column, message, explanations: [], origin: 'text', ...extra };
}

test('moved to heap: identifier range, compiler message, label, flow as related', () => {
  const finding = toFinding(
    fact('moved-to-heap', 4, 2, 'moved to heap: u', {
      subject: 'u',
      explanations: [
        {
          headline: 'u escapes to heap',
          origin: 'json',
          steps: [
            { kind: 'flow', text: 'flow: ~r0 ← &u:', at: { file, line: 5, column: 9 } },
            { kind: 'from', text: 'from &u (address-of)', at: { file, line: 5, column: 9 } },
            { kind: 'from', text: 'from sink = &v (assign)', at: { file, line: 7, column: 1 }, inlined: [{ file: '/w/b.go', line: 3, column: 2 }] },
          ],
        },
      ],
    }),
    text,
  );
  assert.equal(finding.rule, 'escape/moved-to-heap');
  assert.equal(finding.category, 'escape');
  assert.equal(finding.severity, 'hint');
  assert.equal(finding.presentation, 'diagnostic');
  assert.equal(finding.source, 'compiler');
  assert.equal(finding.message, 'moved to heap: u');
  assert.deepEqual(finding.range, { start: { line: 3, character: 1 }, end: { line: 3, character: 2 } });
  assert.deepEqual(finding.inlay, { label: '⇡heap', position: { line: 3, character: 2 }, paddingLeft: true });
  assert.deepEqual(finding.related, [
    { range: { start: { line: 4, character: 8 }, end: { line: 4, character: 8 } }, message: 'flow: ~r0 ← &u:' },
    { range: { start: { line: 4, character: 8 }, end: { line: 4, character: 8 } }, message: 'from &u (address-of)' },
    // A step inside inlined code points into the inlined body, in its own file.
    { file: '/w/b.go', range: { start: { line: 2, character: 1 }, end: { line: 2, character: 1 } }, message: 'from sink = &v (assign)' },
  ]);
  assert.match(finding.details ?? '', /u escapes to heap/);
});

test('non-ASCII before the point; other files converted when their text is known', () => {
  const mapper = positionMapper(text);
  const t = toFinding(fact('moved-to-heap', 7, Buffer.byteLength('var s = "héllo"; var ') + 1, 'moved to heap: t', { subject: 't' }), mapper);
  assert.deepEqual(t.range, { start: { line: 6, character: 21 }, end: { line: 6, character: 22 } });
  const other = toFinding(
    fact('escapes-to-heap', 5, 9, '&u escapes to heap', {
      explanations: [{ headline: 'x', origin: 'json', steps: [{ kind: 'from', text: 'from x', at: { file: '/w/b.go', line: 1, column: 4 } }] }],
    }),
    mapper,
    { textOf: (path) => (path === '/w/b.go' ? 'é = x' : undefined) },
  );
  assert.deepEqual(other.related[0].range.start, { line: 0, character: 2 }, 'byte 4 of "é = x" is the `=`');
  assert.deepEqual(other.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 8 } }, '`&` starts no identifier: a point');
});

test('every kind has a rule id in its category and a label; defers say how they are allocated', () => {
  for (const [kind, shown] of Object.entries(kindPresentation)) {
    assert.match(shown.rule, /^(escape|inline|bounds|defer)\/[a-z-]+$/, kind);
    assert.ok(shown.rule.startsWith(`${shown.category}/`), kind);
    assert.ok(shown.label.length > 0);
  }
  const heap = toFinding(fact('defer', 5, 2, 'heap-allocated defer', { deferAllocation: 'heap' }), text);
  assert.equal(heap.inlay?.label, '⇡heap defer');
  assert.equal(heap.rule, 'defer/allocation');
  assert.equal(heap.presentation, 'annotation');
  const generic = toFinding(fact('escapes-to-heap', 5, 9, '&Box[go.shape.int]{...} escapes to heap', { readableMessage: '&Box[int]{...} escapes to heap' }), text);
  assert.equal(generic.message, '&Box[go.shape.int]{...} escapes to heap');
  assert.match(generic.details ?? '', /&Box\[int\]/);
});
