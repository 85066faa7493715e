// The CLI's use of the compiler engine: finds the go binary, runs escape
// analysis for each package directory (two at a time: the go command is
// itself parallel), and reports build failures instead of throwing.
import * as path from 'node:path';
import { findGo, runEscapeAnalysis, type PackageEscapeResult } from '../compiler';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

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
  /** The language of `unavailable`. */
  locale?: Locale;
}

export async function compilePackages(packageDirs: readonly string[], goPathSetting: string | undefined, options: CompileOptions = {}): Promise<CompiledPackages> {
  const go = findGo({ setting: goPathSetting, baseDir: process.cwd(), locale: options.locale ?? 'en' });
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
export function describeFailure(result: PackageEscapeResult, cwd: string, locale: Locale): string | undefined {
  const failure = result.buildFailed;
  if (!failure) return undefined;
  const packageDir = path.relative(cwd, result.packageDir) || '.';
  const need = failure.toolchain;
  if (need) return localize(locale, 'cliToolchainNeeded', { package: packageDir, required: need.required, running: need.running, setting: need.setting });
  // The go command's own message stays as it printed it, after its file:line:column.
  const where = failure.file ? `${path.relative(cwd, failure.file) || failure.file}:${failure.line ?? 0}:${failure.column ?? 0}: ` : '';
  const key = failure.kind === 'no-module' ? 'cliNoModule' : failure.kind === 'compile' ? 'cliDoesNotCompile' : 'cliCouldNotBuild';
  return localize(locale, key, { package: packageDir, where, message: failure.message });
}

/** `--tags a,b` as the go command flag. */
export function buildTagFlags(tags: string | undefined): string[] {
  return tags ? [`-tags=${tags}`] : [];
}
