import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFixture, checkFixture } from '../support/analysisTest';

test('channel/double-close: sequence, loop, defer + body', async () => {
  await checkFixture('rules/channel/double-close/positive.go', ['channel/double-close']);
});

test('channel/double-close: single closes, branches, reassignment, sync.Once stay quiet', async () => {
  await checkFixture('rules/channel/double-close/negative.go', ['channel/double-close']);
});

test('channel/double-close: the first close is a related location', async () => {
  const { findings } = await analyzeFixture('rules/channel/double-close/positive.go', { onlyRules: new Set(['channel/double-close']) });
  const first = findings[0];
  assert.equal(first.severity, 'error');
  assert.deepEqual(first.related.map((related) => [related.range.start.line + 1, related.message]), [[5, 'first close of ch']]);
});

test('channel/send-after-close', async () => {
  await checkFixture('rules/channel/send-after-close/positive.go', ['channel/send-after-close']);
  await checkFixture('rules/channel/send-after-close/negative.go', ['channel/send-after-close']);
});

test('channel/close-nil', async () => {
  await checkFixture('rules/channel/close-nil/positive.go', ['channel/close-nil']);
  await checkFixture('rules/channel/close-nil/negative.go', ['channel/close-nil']);
});

test('channel/nil-op', async () => {
  await checkFixture('rules/channel/nil-op/positive.go', ['channel/nil-op']);
  await checkFixture('rules/channel/nil-op/negative.go', ['channel/nil-op']);
});

test('channel rules: Simplified Chinese messages', async () => {
  const { findings } = await analyzeFixture('rules/channel/close-nil/positive.go', { onlyRules: new Set(['channel/close-nil']), locale: 'zh-cn' });
  assert.match(findings[0].message, /^done 从未通过 make 创建/);
});
