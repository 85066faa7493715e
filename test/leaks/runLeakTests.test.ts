// The leak run's process handling against the real go: cancelling a hung run
// kills go test and its test binary at once and removes the private temp dir.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isAbortError } from '../../server/src/compiler/runCompiler';
import { goLeakProfileSupport } from '../../server/src/leaks/leakProfileSupport';
import { runLeakTests } from '../../server/src/leaks/runLeakTests';
import { fixturesRoot } from '../support/analysisTest';

const ourTempDirs = () => new Set(fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('goinsight-gc-')));

test('runLeakTests: cancel mid-run stops a test that would hang for a minute, and leaves no temp dir', async () => {
  const before = ourTempDirs();
  const controller = new AbortController();
  const started = Date.now();
  const running = runLeakTests({ goPath: 'go', moduleDir: path.join(fixturesRoot, 'leaks'), patterns: ['./deadlock'], hangAfterMs: 60_000, leakProfile: await goLeakProfileSupport('go'), signal: controller.signal });
  setTimeout(() => controller.abort(), 3000);
  await assert.rejects(running, (error) => isAbortError(error));
  assert.ok(Date.now() - started < 30_000, 'the run was not stopped promptly');
  const left = [...ourTempDirs()].filter((name) => !before.has(name));
  assert.deepEqual(left, []);
});
