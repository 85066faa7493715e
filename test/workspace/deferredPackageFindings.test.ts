// Package findings while typing: carried through edits onto the new lines
// (dropped where an edit touched them, without fixes), the package rules due
// once no change has come for the delay, and never due for a document that
// was forgotten or with a delay of 0. Timers are Node's mocked ones, so the
// pauses are exact.
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { Finding } from '../../server/src/engine/finding';
import type { TextChange } from '../../server/src/engine/textChange';
import { DeferredPackageFindings } from '../../server/src/workspace/deferredPackageFindings';

const uri = 'file:///work/cache/cache.go';

function finding(line: number, withFix = false): Finding {
  return {
    rule: 'sync/relock-through-call',
    category: 'sync',
    severity: 'error',
    presentation: 'diagnostic',
    range: { start: { line, character: 1 }, end: { line, character: 9 } },
    message: `relock on line ${line}`,
    source: 'goinsight',
    related: [{ range: { start: { line: line - 2, character: 1 }, end: { line: line - 2, character: 12 } }, message: 'locked here' }],
    fixes: withFix ? [{ title: 'unlock first', edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '\tc.mu.Unlock()\n' }] }] : [],
  };
}

/** A line typed in above `line` (a line break inserted at its start). */
function newLineAt(line: number): TextChange {
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n' };
}

/** A character typed at the end of `line`. */
function typedOn(line: number): TextChange {
  return { range: { start: { line, character: 20 }, end: { line, character: 20 } }, text: 'x' };
}

let due: string[];
let deferred: DeferredPackageFindings;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  due = [];
  deferred = new DeferredPackageFindings((dueUri) => due.push(dueUri));
});

afterEach(() => mock.timers.reset());

test('findings computed for a version are reused for that version only', () => {
  deferred.computed(uri, 3, [finding(12)]);
  assert.deepEqual(deferred.reusable(uri, 3), { version: 3, findings: [finding(12)], state: 'current' });
  assert.equal(deferred.reusable(uri, 4), undefined);
  assert.equal(deferred.reusable('file:///work/cache/other.go', 3), undefined);
  assert.equal(deferred.waiting(uri), false);
});

test('while typing, findings move with the lines below an edit, vanish where it touched them, lose their fixes, and the rules are due after the pause', () => {
  deferred.computed(uri, 1, [finding(4, true), finding(12, true), finding(20)]);
  deferred.changed(uri, 2, [newLineAt(9)], 300);
  const carried = deferred.reusable(uri, 2);
  assert.equal(carried?.state, 'carried');
  assert.deepEqual(
    carried?.findings.map((each) => [each.range.start.line, each.related[0].range.start.line, each.fixes.length]),
    [
      [4, 2, 0],
      [13, 11, 0],
      [21, 19, 0],
    ],
  );
  deferred.changed(uri, 3, [typedOn(13)], 300);
  assert.deepEqual(
    deferred.reusable(uri, 3)?.findings.map((each) => each.range.start.line),
    [4, 21],
  );
  assert.equal(deferred.waiting(uri), true);
  mock.timers.tick(299);
  assert.deepEqual(due, []);
  mock.timers.tick(1);
  assert.deepEqual(due, [uri]);
  // The pause is over: the next analysis runs the rules.
  assert.equal(deferred.reusable(uri, 3), undefined);
  assert.equal(deferred.waiting(uri), false);
});

test('each change starts the pause again: a burst of typing makes the rules due once, after its last change', () => {
  deferred.computed(uri, 1, [finding(12)]);
  for (let version = 2; version <= 6; version++) {
    deferred.changed(uri, version, [typedOn(2)], 300);
    mock.timers.tick(200);
  }
  assert.deepEqual(due, []);
  mock.timers.tick(100);
  assert.deepEqual(due, [uri]);
  mock.timers.tick(1_000);
  assert.deepEqual(due, [uri]);
});

test('findings computed during the pause end it', () => {
  deferred.computed(uri, 1, [finding(12)]);
  deferred.changed(uri, 2, [typedOn(2)], 300);
  deferred.computed(uri, 2, [finding(12), finding(14)]);
  assert.equal(deferred.waiting(uri), false);
  mock.timers.tick(1_000);
  assert.deepEqual(due, []);
  assert.equal(deferred.reusable(uri, 2)?.state, 'current');
});

test('a pause ended early (a quick fix asked for) makes the rules due at once, and only once', () => {
  deferred.computed(uri, 1, [finding(12)]);
  deferred.endPause(uri);
  assert.deepEqual(due, [], 'not in a pause: nothing is due');
  deferred.changed(uri, 2, [typedOn(2)], 300);
  deferred.endPause(uri);
  assert.deepEqual(due, [uri]);
  assert.equal(deferred.reusable(uri, 2), undefined);
  assert.equal(deferred.waiting(uri), false);
  mock.timers.tick(1_000);
  assert.deepEqual(due, [uri]);
});

test('with a delay of 0, or nothing computed yet, the next analysis runs the rules', () => {
  deferred.computed(uri, 1, [finding(12)]);
  deferred.changed(uri, 2, [typedOn(2)], 0);
  assert.equal(deferred.reusable(uri, 2), undefined);
  deferred.changed('file:///work/cache/other.go', 2, [typedOn(2)], 300);
  assert.equal(deferred.reusable('file:///work/cache/other.go', 2), undefined);
  mock.timers.tick(1_000);
  assert.deepEqual(due, []);
});

test('a full-text replacement carries nothing over', () => {
  deferred.computed(uri, 1, [finding(12)]);
  deferred.changed(uri, 2, [{ text: 'package cache\n' }], 300);
  assert.deepEqual(deferred.reusable(uri, 2)?.findings, []);
});

test('a forgotten document is never due; forgetAll forgets every one', () => {
  const other = 'file:///work/cache/other.go';
  deferred.computed(uri, 1, [finding(12)]);
  deferred.computed(other, 1, [finding(3)]);
  deferred.changed(uri, 2, [typedOn(2)], 300);
  deferred.changed(other, 2, [typedOn(1)], 300);
  deferred.forget(uri);
  assert.equal(deferred.reusable(uri, 2), undefined);
  mock.timers.tick(300);
  assert.deepEqual(due, [other]);
  deferred.computed(uri, 3, [finding(12)]);
  deferred.changed(uri, 4, [typedOn(2)], 300);
  deferred.forgetAll();
  assert.equal(deferred.reusable(uri, 4), undefined);
  assert.equal(deferred.reusable(other, 2), undefined);
  mock.timers.tick(1_000);
  assert.deepEqual(due, [other]);
});
