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

test('channel/double-close: a channel closed in hundreds of places is left alone instead of comparing every pair', async () => {
  const { createGoParser } = await import('../../server/src/parse/goParser.js');
  const { analyzeTree } = await import('../../server/src/engine/analyzeFile.js');
  const branches = Array.from({ length: 1_000 }, (_, index) => `if n == ${index} {\n\t\tclose(ch)\n\t}`).join(' else ');
  const text = `package p\n\nfunc f(n int) {\n\tch := make(chan int)\n\t${branches}\n\tclose(ch)\n}\n`;
  const parser = await createGoParser();
  const tree = parser.parse(text);
  assert.ok(tree);
  try {
    const result = analyzeTree(tree, text, { locale: 'en', onlyRules: new Set(['channel/double-close']), incremental: false });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.findings.filter((finding) => finding.rule === 'channel/double-close'), []);
  } finally {
    tree.delete();
  }
});
