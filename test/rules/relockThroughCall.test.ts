import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPackageFixture } from '../support/packageTest';

const rule = 'sync/relock-through-call';

test('sync/relock-through-call: calls, chains, embedded and package mutexes, read locks, fmt/log String()', async () => {
  const byFile = await checkPackageFixture('rules/sync/relock-through-call/positive', [rule]);
  const findings = [...byFile.values()].flat();
  const readOnly = findings.find((finding) => finding.message.includes('read-locks'));
  assert.equal(readOnly?.severity, 'warning', 'RLock→RLock deadlocks only with a writer in between');
  assert.ok(findings.filter((finding) => finding.severity === 'error').length >= 8);
  const chain = findings.find((finding) => finding.message.startsWith('`c.clear'));
  assert.deepEqual(
    chain?.related.map((related) => [related.range.start.line + 1, related.message]),
    [
      [34, '`c.mu` locked here'],
      [30, 'called on the way: `Cache.clear`'],
      [15, 'locked again here, in `Cache.Len`'],
    ],
  );
});

test('sync/relock-through-call: released locks, other instances and mutexes, flags, goroutines, unknown types are quiet', async () => {
  await checkPackageFixture('rules/sync/relock-through-call/negative', [rule]);
});

test('sync/relock-through-call: the lock is in another file of the package; an external test package stays apart', async () => {
  const byFile = await checkPackageFixture('rules/sync/relock-through-call/multifile', [rule]);
  const [finding] = [...byFile.values()].flat();
  assert.match(finding.related.at(-1)?.file ?? '', /lookup\.go$/);
});
