import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix, linesBetween } from './deferTestHelpers';

const rule = 'defer/lock-unlock-mismatch';
const positive = 'rules/defer/lock-unlock-mismatch/positive.go';

test('defer/lock-unlock-mismatch: relock and RLock/Unlock mix-ups', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/lock-unlock-mismatch: matched pairs and other receivers are quiet', async () => {
  await checkFixture('rules/defer/lock-unlock-mismatch/negative.go', [rule]);
});

test('defer/lock-unlock-mismatch fix: uses the matching release', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'defer c.mu.Unlock()');
  assert.equal(
    linesBetween(fixed, 'func (c *cache) readWithWriteUnlock', '}'),
    [
      'func (c *cache) readWithWriteUnlock(k string) string {',
      '\tc.mu.RLock()',
      '\tdefer c.mu.RUnlock() // want "released with .defer c.mu.Unlock...: it must be .c.mu.RUnlock... \\\\(fatal error: sync: Unlock of unlocked RWMutex"',
      '\treturn c.data[k]',
      '}',
    ].join('\n'),
  );
  const relock = await applyOnlyFix(positive, rule, 'defer c.mu.Lock()');
  assert.match(relock, /\tc\.mu\.Lock\(\)\n\tdefer c\.mu\.Unlock\(\) \/\/ want/);
});
