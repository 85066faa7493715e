// `--format sarif` must produce SARIF 2.1.0 that validates against the
// official schema (shipped in the @microsoft/jest-sarif package), with rule
// metadata from the same texts as the hovers.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import { repositoryRoot } from '../support/lspClient';
import { sarifValidator as validator } from '../support/sarifSchema';

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; help: { markdown: string } }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; message: { text: string; markdown: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
  }[];
}

function sarifFor(args: string[]): SarifLog {
  const result = spawnSync(process.execPath, [path.join(repositoryRoot, 'dist', 'cli.js'), 'check', ...args, '--format', 'sarif'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  });
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  return JSON.parse(result.stdout) as SarifLog;
}

test('SARIF output validates against the SARIF 2.1.0 schema', () => {
  const validate = validator();
  // The rule fixtures carry fixes and related locations; the escape fixture adds compiler facts with flows.
  for (const target of [['test/fixtures/rules/...', '--no-compiler'], ['test/fixtures/cli/nonascii', '--no-compiler'], ['test/fixtures/escape-protocol/shapes']]) {
    const log = sarifFor(target);
    const valid = validate(log);
    assert.equal(valid, true, `${target.join(' ')}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
  }
});

test('a schema violation is caught (the validator is not vacuous)', () => {
  const validate = validator();
  const log = sarifFor(['test/fixtures/cli/nonascii', '--no-compiler']);
  (log.runs[0].results[0] as unknown as { level: string }).level = 'loud';
  assert.equal(validate(log), false);
});

test('SARIF results carry rule metadata and UTF-16 columns', () => {
  const log = sarifFor(['test/fixtures/cli/nonascii', '--no-compiler']);
  const run = log.runs[0];
  assert.equal(log.version, '2.1.0');
  assert.equal(run.tool.driver.name, 'goinsight');
  assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), allRuleDescriptions().map((rule) => rule.id));
  const [result] = run.results;
  assert.equal(result.ruleId, 'defer/order');
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'defer/order');
  assert.equal(run.tool.driver.rules[result.ruleIndex].shortDescription.text, 'Defer execution order');
  assert.match(run.tool.driver.rules[result.ruleIndex].help.markdown, /last in, first out/);
  assert.equal(result.level, 'note');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'test/fixtures/cli/nonascii/nonascii.go');
  // "\t/* héllo, 世界 */ " is 17 UTF-16 code units: defer starts at column 18 (byte column 23 in --format json).
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 6, startColumn: 18, endLine: 6, endColumn: 23 });
});

test('SARIF messages: plain text with code spans as quotes, and the Markdown beside it', () => {
  const log = sarifFor(['test/fixtures/rules/defer/lock-unlock-mismatch', '--no-compiler']);
  const mismatch = log.runs[0].results.find((result) => result.ruleId === 'defer/lock-unlock-mismatch' && result.message.markdown.startsWith('`c.mu.RLock()`'));
  assert.ok(mismatch);
  assert.match(mismatch.message.markdown, /^`c\.mu\.RLock\(\)` is released with `defer c\.mu\.Unlock\(\)`/);
  assert.match(mismatch.message.text, /^“c\.mu\.RLock\(\)” is released with “defer c\.mu\.Unlock\(\)”/);
  assert.ok(log.runs[0].results.every((result) => !result.message.text.includes('`')), 'a backtick left in a SARIF text message');
});
