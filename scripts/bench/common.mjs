// Shared pieces of the benchmark: where things are, loading the compiled code
// (dist/ bundles, out/ test support), percentiles, timed child processes, and
// reading a process's memory from /proc.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const require = createRequire(path.join(repositoryRoot, 'package.json'));

/** A module compiled by `npm run compile-tests` (out/…), e.g. 'test/support/lspClient'. */
export function compiled(modulePath) {
  const file = path.join(repositoryRoot, 'out', `${modulePath}.js`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run compile-tests first`);
  return require(file);
}

export function which(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function goEnv(name) {
  const result = spawnSync('go', ['env', name], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] };
}

/**
 * Runs a command to completion with a time limit; with /usr/bin/time -v when
 * available, so the peak RSS of the command itself is known.
 */
export function timedRun(command, args, { cwd, env, timeoutMs = 300_000 } = {}) {
  const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const [file, argv] = gnuTime ? [gnuTime, ['-v', command, ...args]] : [command, args];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const stderr = Buffer.concat(err).toString('utf8');
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ code, ms, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr, peakRssMb: rss ? Number(rss[1]) / 1024 : undefined });
    });
  });
}

/** Current and peak resident memory of a process, from /proc (Linux), in MiB. */
export function processMemory(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) / 1024 : undefined;
    };
    return { rssMb: field('VmRSS'), peakRssMb: field('VmHWM') };
  } catch {
    return {};
  }
}

/** CPU time (user + system) a process has used so far, from /proc (Linux), in ms; undefined elsewhere. */
export function processCpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (name) ": state is the first field, utime the 12th, stime the 13th (in clock ticks).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond();
  } catch {
    return undefined;
  }
}

let ticks;
function clockTicksPerSecond() {
  ticks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return ticks;
}

/** Waits until the process has used almost no CPU for half a second (its background work is done), at most `limitMs`. */
export async function processSettled(pid, limitMs = 60_000) {
  const started = performance.now();
  let before = processCpuMs(pid);
  while (before !== undefined && performance.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = processCpuMs(pid);
    if (now === undefined || now - before < 25) return;
    before = now;
  }
}

/** Go files of GOROOT/src as `goinsight check GOROOT/src/...` collects them (no vendor, testdata, hidden). */
export function goRootFiles(goRoot) {
  const { collectGoFiles } = compiled('server/src/cli/collectFiles');
  return collectGoFiles([path.join(goRoot, 'src', '...')], repositoryRoot).files.sort();
}

export const fmt = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits));
