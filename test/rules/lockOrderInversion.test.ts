import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPackageFixture } from '../support/packageTest';

const rule = 'sync/lock-order-inversion';

test('sync/lock-order-inversion: package mutexes, fields, a lock taken by a callee', async () => {
  const byFile = await checkPackageFixture('rules/sync/lock-order-inversion/positive', [rule]);
  const throughCall = [...byFile.values()].flat().find((finding) => finding.message.startsWith('`c.mu`'));
  assert.deepEqual(
    throughCall?.related.map((related) => [related.range.start.line + 1, related.message]),
    [
      [42, '`p.mu` locked here'],
      [35, '`c.mu` is locked here, in `Conn.isClosed`'],
      [60, '`Conn.CloseIn` locks them in the other order here'],
    ],
  );
});

test('sync/lock-order-inversion: one order, released first, read locks, one class, goroutines are quiet', async () => {
  await checkPackageFixture('rules/sync/lock-order-inversion/negative', [rule]);
});

test('sync/lock-order-inversion: the two orders in two files, reported once', async () => {
  const byFile = await checkPackageFixture('rules/sync/lock-order-inversion/multifile', [rule]);
  assert.equal([...byFile.values()].flat().length, 1);
});
