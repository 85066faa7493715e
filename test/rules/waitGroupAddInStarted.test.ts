// goroutine/wg-add-inside, its package half: a function of the package
// started with `go` that counts itself on a WaitGroup the package waits on.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPackageFixture } from '../support/packageTest';

const rule = 'goroutine/wg-add-inside';

test('goroutine/wg-add-inside: a started method or function that Adds to the WaitGroup it is waited with', async () => {
  const byFile = await checkPackageFixture('rules/goroutine/wg-add-inside-started/positive', [rule]);
  const serve = [...byFile.values()].flat().find((finding) => finding.message.includes('server.serve'));
  assert.deepEqual(
    serve?.related.map((related) => [related.range.start.line + 1, related.message]),
    [
      [11, '`server.serve` is started here'],
      [23, '`server.wg.Wait()` here'],
    ],
  );
});

test('goroutine/wg-add-inside: counted by the starter, never waited, handed out, or called rather than started is quiet', async () => {
  await checkPackageFixture('rules/goroutine/wg-add-inside-started/negative', [rule]);
});

test('goroutine/wg-add-inside: the go statement in one file, the Add in another', async () => {
  const byFile = await checkPackageFixture('rules/goroutine/wg-add-inside-started/multifile', [rule]);
  assert.equal([...byFile.values()].flat().length, 1);
});
