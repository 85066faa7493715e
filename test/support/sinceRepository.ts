// A real git repository for the heap-comparison tests, built from a scenario
// of test/fixtures/since: `before` is the one commit, `after` is copied over
// it and left uncommitted (the working tree the editor compares).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesRoot } from './analysisTest';

function git(dir: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
}

/** Fills the existing directory `dir` with the scenario's repository; `dir` is the caller's to remove. */
export function repositoryWithUncommittedChange(dir: string, scenario: string): void {
  const scenarioDir = path.join(fixturesRoot, 'since', scenario);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  for (const name of fs.readdirSync(path.join(scenarioDir, 'before'))) fs.copyFileSync(path.join(scenarioDir, 'before', name), path.join(dir, name));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'before');
  for (const name of fs.readdirSync(path.join(scenarioDir, 'after'))) fs.copyFileSync(path.join(scenarioDir, 'after', name), path.join(dir, name));
}
