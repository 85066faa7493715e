// The compiler tests run with the go on PATH: the machine's own, or (in
// .ci/run's second pass) the newest release, whose bin directory that pass puts
// first on PATH and names in GOINSIGHT_EXPECT_GO. The engine itself always runs
// go with GOTOOLCHAIN=local, so this checks that the selection really took and a
// second pass cannot quietly test the first Go again.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { runEscapeAnalysis } from '../../server/src/compiler/escapeAnalysis';
import { fixture, goPath } from './compilerTestSupport';

test('escape analysis runs the go on PATH itself, and the release a CI pass asks for', async () => {
  const own = spawnSync(goPath, ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).stdout.trim();
  const result = await runEscapeAnalysis({ packageDir: fixture('recorded', 'go1.26.8', 'src'), goPath, mode: 'build', env: { ...process.env, GOTOOLCHAIN: 'auto' } });
  assert.equal(result.buildFailed, undefined, result.buildFailed?.output);
  assert.equal(result.goVersion, own);
  const expected = process.env.GOINSIGHT_EXPECT_GO;
  if (expected) assert.equal(result.goVersion, expected);
});
