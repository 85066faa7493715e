// Section 5 of the bench: the cost of a leak run next to a plain `go test` of
// the same packages (the fixture module's deterministic, non-hanging packages),
// both with -count=1 and warm build caches; medians of alternating rounds.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot, summarize } from './common.mjs';

const moduleDir = path.join(repositoryRoot, 'test/fixtures/leaks');
const packages = ['./leaking', './ownmain', './external', './clean'];

/** Runs and times a command; a run that did not end as expected (`go test` passes, `leaks` finds the leaks: 1) is not a time. */
function timed(command, args, expectedStatus) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: moduleDir, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== expectedStatus) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${result.status ?? result.signal}, not ${expectedStatus}:\n${result.stderr}`);
  }
  return { ms };
}

export function measureLeakRun({ rounds = 5 } = {}) {
  // Warm both caches (the experiment's runtime build included) before measuring.
  timed('go', ['test', '-count=1', ...packages], 0);
  timed(process.execPath, [path.join(repositoryRoot, 'dist/cli.js'), 'leaks', ...packages], 1);
  const plain = [];
  const leaks = [];
  for (let round = 0; round < rounds; round++) {
    plain.push(timed('go', ['test', '-count=1', ...packages], 0).ms);
    leaks.push(timed(process.execPath, [path.join(repositoryRoot, 'dist/cli.js'), 'leaks', ...packages], 1).ms);
  }
  return { packages, rounds, plainGoTest: summarize(plain), leakRun: summarize(leaks) };
}
