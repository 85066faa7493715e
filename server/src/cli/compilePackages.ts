// The CLI's use of the compiler engine: finds the go binary, runs escape
// analysis for each package directory (two at a time: the go command is
// itself parallel), and reports build failures instead of throwing.
import * as path from 'node:path';
import { findGo, runEscapeAnalysis, type PackageEscapeResult } from '../compiler';

export interface CompiledPackages {
  /** Facts by package directory. */
  results: Map<string, PackageEscapeResult>;
  /** Why the compiler could not run at all (go not found); facts are then empty. */
  unavailable?: string;
}

const concurrency = 2;

export function packageDirectories(files: readonly string[]): string[] {
  return [...new Set(files.map((file) => path.dirname(file)))].sort();
}

export interface CompileOptions {
  /** Extra go command flags (e.g. `-tags=integration`). */
  buildFlags?: readonly string[];
  /** Stops every running compile (and its process tree). */
  signal?: AbortSignal;
}

export async function compilePackages(packageDirs: readonly string[], goPathSetting: string | undefined, options: CompileOptions = {}): Promise<CompiledPackages> {
  const go = findGo({ setting: goPathSetting, baseDir: process.cwd() });
  if (!go.found) return { results: new Map(), unavailable: go.message };
  const results = new Map<string, PackageEscapeResult>();
  const pending = [...packageDirs];
  const worker = async () => {
    for (let packageDir = pending.shift(); packageDir; packageDir = pending.shift()) {
      results.set(packageDir, await runEscapeAnalysis({ packageDir, goPath: go.path, buildFlags: options.buildFlags, signal: options.signal }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
  return { results };
}

/** "pkg/dir: does not compile: file.go:4:9: cannot use …", for stderr. */
export function describeFailure(result: PackageEscapeResult, cwd: string): string | undefined {
  const failure = result.buildFailed;
  if (!failure) return undefined;
  const need = failure.toolchain;
  if (need) {
    return `${path.relative(cwd, result.packageDir) || '.'}: needs Go ${need.required}, and the go command is Go ${need.running} with GOTOOLCHAIN=${need.setting}, which keeps it from switching: pass --go with a Go ${need.required} (or newer) binary (goinsight runs go with GOTOOLCHAIN=local: it never downloads a toolchain)`;
  }
  const where = failure.file ? `${path.relative(cwd, failure.file) || failure.file}:${failure.line ?? 0}:${failure.column ?? 0}: ` : '';
  const what = failure.kind === 'no-module' ? 'is in no Go module (escape analysis needs one)' : failure.kind === 'compile' ? 'does not compile' : 'could not be built';
  return `${path.relative(cwd, result.packageDir) || '.'}: ${what}: ${where}${failure.message}`;
}

/** `--tags a,b` as the go command flag. */
export function buildTagFlags(tags: string | undefined): string[] {
  return tags ? [`-tags=${tags}`] : [];
}
