import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainText } from '../../server/src/engine/plainText';

test('plain text: code spans become quoted names, in English and in Chinese', () => {
  assert.equal(plainText('`c.mu.RLock()` is released with `defer c.mu.Unlock()`'), '“c.mu.RLock()” is released with “defer c.mu.Unlock()”');
  // Chinese has no spaces around quotes; it keeps them next to a bare Go name.
  assert.equal(plainText('永久阻塞，从 `jobs` 接收'), '永久阻塞，从“jobs”接收');
  assert.equal(plainText('`c.mu.Lock()` 却用 `defer c.mu.RUnlock()` 释放：ch 已关闭'), '“c.mu.Lock()”却用“defer c.mu.RUnlock()”释放：ch 已关闭');
  assert.equal(plainText('no code here'), 'no code here');
});
