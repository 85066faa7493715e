// Runs the go command: argument array (never a shell), a private temporary
// directory per run that is always removed, and a timeout / AbortSignal that
// kill the whole process tree. `go build` starts `compile` and `link` as
// children, so killing only the go process would leave them writing into a
// directory we are about to delete; on POSIX the child gets its own process
// group and the group is killed, on Windows `taskkill /T`. Because those
// groups are not the server's own, they would outlive a server that exits
// mid-compile (its editor closed the pipe); an exit hook kills what is still
// running and removes the run directories synchronously.
import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RunProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Kill the process tree after this long; default 120 s. */
  timeoutMs?: number;
  /** Stop collecting (not the process) beyond this many bytes per stream; default 64 MiB. */
  maxOutputBytes?: number;
}

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Some output was dropped because of maxOutputBytes. */
  truncated: boolean;
}

export class CompilerTimeoutError extends Error {
  constructor(readonly timeoutMs: number, readonly command: string) {
    super(`${command} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`);
    this.name = 'CompilerTimeoutError';
  }
}

/** Thrown when the caller's AbortSignal fired; `name` is `AbortError` like fetch's. */
export class CompilerAbortedError extends Error {
  constructor(readonly command: string) {
    super(`${command} was cancelled`);
    this.name = 'AbortError';
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function killTree(pid: number | undefined, fallback: () => void): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', fallback);
    } else {
      process.kill(-pid, 'SIGKILL');
    }
  } catch {
    fallback();
  }
}

/** Process trees and run directories of this process that are still live, for the exit hook. */
const liveTrees = new Set<number>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveTrees) killTree(pid, () => undefined);
    for (const dir of liveDirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // the startup sweep of a later run removes it
      }
    }
  });
}

export function runProcess(options: RunProcessOptions): Promise<ProcessResult> {
  const { command, args, cwd, signal } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxBytes = options.maxOutputBytes ?? 64 * 1024 * 1024;
  const label = `${path.basename(command)} ${args.slice(0, 2).join(' ')}`.trim();
  return new Promise<ProcessResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CompilerAbortedError(label));
      return;
    }
    const started = performance.now();
    const child = spawn(command, [...args], {
      cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
      shell: false,
    });
    if (child.pid !== undefined && process.platform !== 'win32') {
      installExitHook();
      liveTrees.add(child.pid);
    }
    const chunks: { stdout: Buffer[]; stderr: Buffer[] } = { stdout: [], stderr: [] };
    const sizes = { stdout: 0, stderr: 0 };
    let truncated = false;
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (sizes[stream] + chunk.length > maxBytes) {
        truncated = true;
        chunk = chunk.subarray(0, Math.max(0, maxBytes - sizes[stream]));
      }
      sizes[stream] += chunk.length;
      if (chunk.length > 0) chunks[stream].push(chunk);
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));

    let stopReason: Error | undefined;
    const stop = (reason: Error) => {
      if (stopReason) return;
      stopReason = reason;
      killTree(child.pid, () => child.kill('SIGKILL'));
    };
    const timer = setTimeout(() => stop(new CompilerTimeoutError(timeoutMs, label)), timeoutMs);
    const onAbort = () => stop(new CompilerAbortedError(label));
    signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      if (child.pid !== undefined) liveTrees.delete(child.pid);
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(new Error(`could not start ${command}: ${error.code ?? error.message}`));
    });
    // `close` (not `exit`) so that all output has been read and the tree is gone.
    child.on('close', (exitCode) => {
      cleanup();
      if (stopReason) {
        reject(stopReason);
        return;
      }
      resolve({
        exitCode,
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
        durationMs: performance.now() - started,
        truncated,
      });
    });
  });
}

/** Our private directories under the temp dir, by what they hold: compiler and test runs, copies of a git revision (heapDiff). */
const tempPrefixes = { run: 'goinsight-gc-', revisionCopy: 'goinsight-since-' } as const;
export type PrivateTempKind = keyof typeof tempPrefixes;
/** mkdtemp appends six characters; anything else with the prefix (a user's own directory) is not ours. */
const ourTempDir = new RegExp(`^(?:${Object.values(tempPrefixes).join('|')})[A-Za-z0-9]{6}$`);

/**
 * Gives `use` a fresh directory only this user can read (mkdtemp makes it
 * 0700) under os.tmpdir() — never inside the user's tree — and removes it
 * afterwards, whatever happens (the exit hook, if the process exits first).
 */
export async function withPrivateTempDir<T>(use: (dir: string) => Promise<T>, root: string = os.tmpdir(), kind: PrivateTempKind = 'run'): Promise<T> {
  // One system call: through the thread pool it cost milliseconds in front of every compile.
  const dir = mkdtempSync(path.join(root, tempPrefixes[kind]));
  installExitHook();
  liveDirs.add(dir);
  try {
    return await use(dir);
  } finally {
    await removeTree(dir);
    liveDirs.delete(dir);
  }
}

/** Removes a run's directory: at once when nothing holds a file in it, else (Windows) with retries off the event loop. */
async function removeTree(dir: string): Promise<void> {
  try {
    // A handful of small files: a dozen thread-pool round trips cost more than doing it here.
    rmSync(dir, { recursive: true, force: true });
  } catch {
    await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * A server or CLI killed mid-run cannot run its `finally`; call this at startup to
 * remove private directories (only ours: `goinsight-gc-XXXXXX`, `goinsight-since-XXXXXX`) older than `maxAgeMs`.
 * Returns how many were removed.
 */
export async function removeStaleTempDirs(maxAgeMs = 24 * 60 * 60 * 1000, root: string = os.tmpdir()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!ourTempDir.test(name)) continue;
    const dir = path.join(root, name);
    try {
      const stat = await fs.lstat(dir);
      if (!stat.isDirectory() || Date.now() - stat.mtimeMs < maxAgeMs) continue;
      if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) continue;
      await fs.rm(dir, { recursive: true, force: true });
      removed++;
    } catch {
      // Raced with another remover, or not ours to remove.
    }
  }
  return removed;
}
