import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { findingOn } from './deferTestHelpers';

const rule = 'defer/exit-skips-defers';

test('defer/exit-skips-defers: os.Exit and log.Fatal after defers that matter', async () => {
  await checkFixture('rules/defer/exit-skips-defers/positive.go', [rule]);
});

test('defer/exit-skips-defers: exits before defers, harmless defers, other branches, shadowed log are quiet', async () => {
  await checkFixture('rules/defer/exit-skips-defers/negative.go', [rule]);
});

test('defer/exit-skips-defers: points at every skipped defer', async () => {
  const { finding } = await findingOn('rules/defer/exit-skips-defers/positive.go', rule, 'os.Exit(1)');
  assert.deepEqual(
    finding.related.map((related) => related.range.start.line + 1),
    [12, 20],
  );
});

test('defer/exit-skips-defers: the skipped calls are listed with the enumeration comma in Chinese', async () => {
  const result = await analyzeFixture('rules/defer/exit-skips-defers/positive.go', { onlyRules: new Set([rule]), locale: 'zh-cn' });
  const messages = result.findings.map((finding) => finding.message);
  assert.ok(messages.some((message) => message.includes('`w.Flush()`、`os.RemoveAll(dir)`')), messages.join('\n'));
});

test('defer/exit-skips-defers: in tests an exit is info, but os.Exit in TestMain stays a warning', async () => {
  const { findings, lines } = await checkFixture('rules/defer/exit-skips-defers/exit_test.go', [rule]);
  const severities = findings.map((finding) => `${lines.lineText(finding.range.start.line).trim().split('(')[0]} ${finding.severity}`);
  assert.deepEqual(severities, ['log.Fatal info', 'os.Exit warning', 'os.Exit info']);
});
