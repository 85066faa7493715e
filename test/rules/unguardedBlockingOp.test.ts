import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPackageFixture } from '../support/packageTest';

const rule = 'goroutine/unguarded-blocking-op';

test('goroutine/unguarded-blocking-op: sends and receives on a channel only a stoppable loop serves, outside a select with its stop signal', async () => {
  const byFile = await checkPackageFixture('rules/goroutine/unguarded-blocking-op/positive', [rule]);
  const findings = [...byFile.values()].flat();
  const submit = findings.find((finding) => finding.message.includes('`w.jobs`') && finding.message.startsWith('only'));
  assert.deepEqual(
    submit?.related.map((related) => [related.range.start.line + 1, related.message]),
    [
      [20, 'the loop in `worker.loop` stops on `w.stop` here'],
      [22, 'the loop receives from `w.jobs` here'],
    ],
  );
  assert.deepEqual(submit?.fixes.map((fix) => [fix.title, fix.edits.map((edit) => edit.newText)]), [['Wrap the send in a select with <-w.stop', ['select {\n\tcase w.jobs <- job:\n\tcase <-w.stop:\n\t}']]]);
  const emit = findings.find((finding) => finding.message.includes('`events`'));
  assert.deepEqual(emit?.fixes.map((fix) => fix.edits.map((edit) => edit.newText)), [['select {\n\tcase events <- e:\n\tcase <-quit:\n\t}']]);
  // A context parameter cannot be named the same way at the child's send, nor can a receive be rewritten: no fix.
  for (const name of ['`out`', '`f.results`']) assert.deepEqual(findings.find((finding) => finding.message.includes(name))?.fixes, []);
});

test('goroutine/unguarded-blocking-op: guarded, served elsewhere, handed out, exported, buffered, closed, before the start, never stopping, same goroutine, unknown uses, drained are quiet', async () => {
  await checkPackageFixture('rules/goroutine/unguarded-blocking-op/negative', [rule]);
});

test('goroutine/unguarded-blocking-op: the loop in one file, the send in another', async () => {
  const byFile = await checkPackageFixture('rules/goroutine/unguarded-blocking-op/multifile', [rule]);
  const [finding] = [...byFile.values()].flat();
  assert.equal(finding?.related[0]?.file?.endsWith('loop.go'), true);
});
