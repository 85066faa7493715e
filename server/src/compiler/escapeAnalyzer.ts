// The long-lived front of the engine for the language server: one analyzer per
// go binary. It answers from the content-keyed cache when it can, joins a
// running compile of the very same content, and otherwise kills the older run
// of that package before starting a new one (typing produces a stream of
// requests; only the newest matters). The content key is computed before
// anything else: a few stats when nothing changed, and no go process (the go
// binary is named by its file, not by asking it for its version).
import * as path from 'node:path';
import { runEscapeAnalysis, defaultGcflags, type PackageEscapeResult } from './escapeAnalysis';
import type { Overlay } from './overlay';
import { PackageCache, packageContentKey, toolchainIdentity } from './packageCache';
import { CompilerAbortedError } from './runCompiler';

export interface EscapeAnalyzerOptions {
  goPath: string;
  gcflags?: readonly string[];
  buildFlags?: readonly string[];
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** How many packages to remember; default 32. */
  cacheSize?: number;
}

export interface AnalyzeRequest {
  overlay?: Overlay;
  signal?: AbortSignal;
  /** `build` skips the package's tests (no test binary to link: several times faster); default `auto`. */
  mode?: 'auto' | 'build';
}

export interface AnalyzedPackage {
  result: PackageEscapeResult;
  fromCache: boolean;
}

interface Running {
  key: string;
  controller: AbortController;
  promise: Promise<PackageEscapeResult>;
}

export class EscapeAnalyzer {
  readonly cache: PackageCache<PackageEscapeResult>;
  private readonly running = new Map<string, Running>();

  constructor(private readonly options: EscapeAnalyzerOptions) {
    this.cache = new PackageCache(options.cacheSize ?? 32);
  }

  /**
   * Facts for the package in `packageDir`. Rejects with an AbortError when the
   * caller's signal fires or a newer request for the same package replaced it.
   */
  async analyze(packageDir: string, request: AnalyzeRequest = {}): Promise<AnalyzedPackage> {
    const dir = path.resolve(packageDir);
    request.signal?.throwIfAborted();
    const mode = request.mode ?? 'auto';
    const flags = [...(this.options.gcflags ?? defaultGcflags), '|', ...(this.options.buildFlags ?? []), '|', mode];
    const key = packageContentKey({ packageDir: dir, toolchain: toolchainIdentity(this.options.goPath), flags, overlay: request.overlay });
    const cached = this.cache.get(dir, key);
    if (cached) return { result: cached, fromCache: true };

    let running = this.running.get(dir);
    if (!running || running.key !== key) running = this.start(dir, key, request.overlay, mode);
    return { result: await raceWithSignal(running.promise, request.signal, dir), fromCache: false };
  }

  /** Kills the running compile of a package, if any. */
  cancel(packageDir: string): void {
    const dir = path.resolve(packageDir);
    this.running.get(dir)?.controller.abort();
  }

  dispose(): void {
    for (const running of this.running.values()) running.controller.abort();
    this.running.clear();
    this.cache.clear();
  }

  private start(dir: string, key: string, overlay: Overlay | undefined, mode: 'auto' | 'build'): Running {
    // Only the newest content of a package matters: an older compile still running is stopped first.
    this.running.get(dir)?.controller.abort();
    const controller = new AbortController();
    const promise = runEscapeAnalysis({
      packageDir: dir,
      goPath: this.options.goPath,
      overlay,
      mode,
      gcflags: this.options.gcflags,
      buildFlags: this.options.buildFlags,
      timeoutMs: this.options.timeoutMs,
      env: this.options.env,
      signal: controller.signal,
    });
    const running: Running = { key, controller, promise };
    this.running.set(dir, running);
    const settle = () => {
      if (this.running.get(dir) === running) this.running.delete(dir);
    };
    promise.then((result) => {
      settle();
      this.cache.set(dir, key, result);
    }, settle);
    return running;
  }
}

/** Lets one waiter give up without killing a compile other waiters still want. */
function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, label: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CompilerAbortedError(label));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CompilerAbortedError(label));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
