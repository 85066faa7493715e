// `//goinsight:ignore RULE reason` on the finding's line or alone on the line
// above silences exactly that rule (or a category with RULE/*); nothing else.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { repositoryRoot } from '../support/lspClient';

test('suppression comments: same line, line above, category, list; not other rules, not further away', async () => {
  await checkFixture('rules/suppression/suppressed.go', ['channel/double-close']);
});

test('the CLI honours suppression comments too', () => {
  const result = spawnSync(
    process.execPath,
    [path.join(repositoryRoot, 'dist', 'cli.js'), 'check', 'test/fixtures/rules/suppression', '--no-compiler', '--rules', 'channel/double-close', '--format', 'json'],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
  const findings = (JSON.parse(result.stdout) as { findings: { range: { start: { line: number } } }[] }).findings;
  assert.deepEqual(findings.map((finding) => finding.range.start.line), [32, 40, 46]);
  assert.equal(result.status, 1, 'double-close is an error: exit 1');
});
