// Section 2: scan throughput. `goinsight check --no-compiler` over GOROOT/src
// (the files the CLI collects: no vendor, testdata or hidden directories), on
// its default worker threads and on one (`--jobs 1`),
// side by side with `gofmt -l` on exactly those files, and with `go vet` on a
// fixed subset of packages (all of std would take too long) next to
// goinsight on the same package directories.
import * as os from 'node:os';
import * as path from 'node:path';
import { goRootFiles, repositoryRoot, timedRun } from './common.mjs';

/** The packages `go vet` is measured on: small to large, with defers, locks and channels. */
export const vetPackages = ['bufio', 'context', 'encoding/json', 'io', 'net/http', 'os/exec', 'sync'];

function cliStats(stdout) {
  try {
    return JSON.parse(stdout).stats;
  } catch {
    return undefined;
  }
}

export async function measureScan({ goRoot, timeoutMs }) {
  const cli = path.join(repositoryRoot, 'dist', 'cli.js');
  const files = goRootFiles(goRoot);
  const src = path.join(goRoot, 'src');
  const rows = [];

  const all = await timedRun(process.execPath, [cli, 'check', '--no-compiler', '--format', 'json', '--fail-on', 'error', path.join(src, '...')], { cwd: src, timeoutMs });
  const stats = cliStats(all.stdout);
  rows.push({ tool: `goinsight check --no-compiler (${os.availableParallelism()} worker threads)`, scope: `GOROOT/src (${files.length} files)`, ms: all.ms, lines: stats?.lines, peakRssMb: all.peakRssMb, timedOut: all.timedOut });
  const single = await timedRun(process.execPath, [cli, 'check', '--no-compiler', '--jobs', '1', '--format', 'json', '--fail-on', 'error', path.join(src, '...')], { cwd: src, timeoutMs });
  rows.push({ tool: 'goinsight check --no-compiler --jobs 1', scope: `GOROOT/src (${files.length} files)`, ms: single.ms, lines: stats?.lines, peakRssMb: single.peakRssMb, timedOut: single.timedOut });
  const gofmt = await timedRun('gofmt', ['-l', ...files], { cwd: src, timeoutMs });
  rows.push({ tool: 'gofmt -l', scope: `GOROOT/src (${files.length} files)`, ms: gofmt.ms, lines: stats?.lines, peakRssMb: gofmt.peakRssMb, timedOut: gofmt.timedOut });

  const dirs = vetPackages.map((name) => path.join(src, name));
  const subset = await timedRun(process.execPath, [cli, 'check', '--no-compiler', '--format', 'json', ...dirs], { cwd: src, timeoutMs });
  const subsetStats = cliStats(subset.stdout);
  rows.push({ tool: 'goinsight check --no-compiler', scope: `vet subset (${subsetStats?.files ?? '?'} files)`, ms: subset.ms, lines: subsetStats?.lines, peakRssMb: subset.peakRssMb, timedOut: subset.timedOut });
  // The first vet may compile dependencies; the second is what a repeated run costs.
  const env = { ...process.env, GOFLAGS: '', GOTOOLCHAIN: 'local' };
  const vetFirst = await timedRun('go', ['vet', ...vetPackages], { cwd: src, env, timeoutMs });
  rows.push({ tool: 'go vet (first run in this bench)', scope: 'vet subset', ms: vetFirst.ms, lines: subsetStats?.lines, peakRssMb: vetFirst.peakRssMb, timedOut: vetFirst.timedOut });
  const vetAgain = await timedRun('go', ['vet', ...vetPackages], { cwd: src, env, timeoutMs });
  rows.push({ tool: 'go vet (repeated, cached)', scope: 'vet subset', ms: vetAgain.ms, lines: subsetStats?.lines, peakRssMb: vetAgain.peakRssMb, timedOut: vetAgain.timedOut });
  for (const row of rows) row.linesPerSecond = row.lines && !row.timedOut ? row.lines / (row.ms / 1000) : undefined;
  return { files: files.length, lines: stats?.lines, vetPackages, rows, ratioToGofmt: all.ms / gofmt.ms };
}
