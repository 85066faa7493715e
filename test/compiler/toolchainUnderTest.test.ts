// The compiler tests run with the go the environment selects: the machine's
// own, or (in .ci/run's second pass) the release GOTOOLCHAIN names, which the
// go command fetches once into its module cache. This checks that the
// selection really took, so a second pass cannot quietly test the first Go again.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { runEscapeAnalysis } from '../../server/src/compiler/escapeAnalysis';
import { fixture, goPath } from './compilerTestSupport';

test('escape analysis runs the Go release that GOTOOLCHAIN names, or else the go on PATH itself', async () => {
  const named = /^go\d+\.\d+(?:\.\d+)?$/.exec(process.env.GOTOOLCHAIN ?? '')?.[0];
  const own = spawnSync(goPath, ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).stdout.trim();
  const result = await runEscapeAnalysis({ packageDir: fixture('recorded', 'go1.26.8', 'src'), goPath, mode: 'build' });
  assert.equal(result.buildFailed, undefined, result.buildFailed?.output);
  assert.equal(result.goVersion, named ?? own);
});
