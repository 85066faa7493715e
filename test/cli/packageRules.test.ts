// The CLI runs the package rules over each file's whole package: a file named
// alone is checked with its siblings read from disk, and the outcome does not
// depend on how many worker threads share the files.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/lspClient';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');
const fixtures = path.join(repositoryRoot, 'test', 'fixtures', 'rules', 'sync', 'relock-through-call');

function check(args: string[]) {
  const result = spawnSync(process.execPath, [cli, 'check', '--no-compiler', '--format', 'json', '--rules', 'sync/relock-through-call', ...args], { cwd: fixtures, encoding: 'utf8' });
  const document = JSON.parse(result.stdout) as { findings: { file: string; range: { start: { line: number } }; related: { file: string; line: number }[] }[] };
  return { status: result.status, findings: document.findings };
}

test('check: a package rule sees the files of the package that were not named', () => {
  const { status, findings } = check(['multifile/cache.go']);
  assert.equal(status, 1);
  assert.deepEqual(
    findings.map((finding) => [finding.file, finding.range.start.line, finding.related.map((related) => `${related.file}:${related.line}`)]),
    [['multifile/cache.go', 13, ['multifile/cache.go:11', 'multifile/lookup.go:3', 'multifile/lookup.go:6']]],
  );
});

test('check: package rule findings are the same with one thread and with several', () => {
  const one = check(['--jobs', '1', './...']);
  const two = check(['--jobs', '2', './...']);
  assert.ok(one.findings.length >= 10);
  assert.deepEqual(two.findings, one.findings);
});
