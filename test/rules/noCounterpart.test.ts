import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPackageFixture } from '../support/packageTest';

const rule = 'channel/no-counterpart';

test('channel/no-counterpart: receives nothing sends or closes, unbuffered sends nothing receives, a Cond nobody signals', async () => {
  const byFile = await checkPackageFixture('rules/channel/no-counterpart/positive', [rule]);
  const run = [...byFile.values()].flat().find((finding) => finding.message.includes('`server.done`'));
  assert.deepEqual(
    run?.related.map((related) => [related.range.start.line + 1, related.message]),
    [[18, '`server.done` is made here']],
  );
});

test('channel/no-counterpart: both sides present, exported, handed out, buffered, non-blocking, other packages, unknown uses are quiet', async () => {
  await checkPackageFixture('rules/channel/no-counterpart/negative', [rule]);
});

test('channel/no-counterpart: the two sides in two files count; a side missing in both is reported once', async () => {
  const byFile = await checkPackageFixture('rules/channel/no-counterpart/multifile', [rule]);
  assert.equal([...byFile.values()].flat().length, 1);
});
