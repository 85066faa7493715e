// Runs a module's tests with leak detection: lists the packages, writes one
// harness per package into a private temp dir, injects them with
// `go test -overlay`, and reads back each package's profile and the test2json
// events. The go command gets its arguments as an array (no shell); cancel and
// the overall limit kill the whole process tree; the temp dir is always removed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readOnlyGoFlags } from '../compiler/escapeAnalysis';
import { runProcess, withPrivateTempDir } from '../compiler/runCompiler';
import { parseGoroutineDump, type GoroutineRecord } from './goroutineDump';
import { finalTestName, harnessSource, profileMarker, runPatternWithFinalTest } from './leakHarness';
import type { LeakProfileSupport } from './leakProfileSupport';
import { TestEventLog, type PackageEvents } from './testEvents';
import { listTestPackages, type TestPackage } from './testPackages';

export interface LeakRunOptions {
  goPath: string;
  /** The module root; patterns are relative to it (`./pkg`, `./...`). */
  moduleDir: string;
  patterns: readonly string[];
  /** go test -run. */
  run?: string;
  /** go test -count. */
  count?: number;
  race?: boolean;
  /** A test binary still running after this long is treated as hung. */
  hangAfterMs: number;
  /** Wait after the tests before the profile is taken. */
  settleMs?: number;
  /** How this go provides the goroutineleak profile; `none`: fall back to a goroutine dump (older Go, or asked to). */
  leakProfile: LeakProfileSupport;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Unsaved editor buffers, by absolute path: the tests run on this text instead of the file's. */
  overlay?: ReadonlyMap<string, string>;
  /** Kill everything after this long (building included); default: hangAfterMs plus 15 minutes. */
  limitMs?: number;
}

export type ProfileMode = 'leakprofile' | 'stackdump';

export interface PackageProfile {
  /** `hung`: written by the watchdog while a test was still running. */
  state: 'finished' | 'hung';
  mode: ProfileMode;
  goroutines: GoroutineRecord[];
}

export interface PackageLeakRun {
  testPackage: TestPackage;
  events?: PackageEvents;
  /** Missing when the test binary never got to write one (build failure, crash). */
  profile?: PackageProfile;
}

export interface LeakRun {
  packages: PackageLeakRun[];
  /** Everything go test printed. */
  transcript: string;
  /** Packages go could not load. */
  problems: string[];
  exitCode: number | null;
  /** The limit after which a test counted as hung (LeakRunOptions.hangAfterMs). */
  hangAfterMs: number;
}

export const harnessFileName = 'zzzz_goinsight_leak_harness_test.go';

/**
 * GOEXPERIMENT/GODEBUG with ours appended to whatever the user set; as for the
 * compiler, no toolchain download and no rewriting of go.mod/go.sum.
 */
function runEnvironment(base: NodeJS.ProcessEnv, leakProfile: LeakProfileSupport): NodeJS.ProcessEnv {
  const append = (value: string | undefined, addition: string) => (value ? `${value},${addition}` : addition);
  return {
    ...base,
    GOTOOLCHAIN: base.GOTOOLCHAIN ?? 'local',
    GOFLAGS: readOnlyGoFlags(base.GOFLAGS),
    ...(leakProfile === 'experiment' ? { GOEXPERIMENT: append(base.GOEXPERIMENT, 'goroutineleakprofile') } : {}),
    // Each goroutine's dump then carries the stacks of the goroutines that started it, back to the test.
    GODEBUG: append(base.GODEBUG, 'tracebackancestors=20'),
  };
}

/** Whether one of the package's test files (its own or the external `_test` package's) declares TestMain. */
function hasOwnTestMain(testPackage: TestPackage): boolean {
  return testPackage.testFiles.some((file) => {
    try {
      return /^func TestMain\(/m.test(fs.readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  });
}

export function parseProfile(text: string): PackageProfile | undefined {
  const head = new RegExp(`^${profileMarker} (finished|hung) (leakprofile|stackdump)\\n`).exec(text);
  if (!head) return undefined;
  return { state: head[1] as PackageProfile['state'], mode: head[2] as ProfileMode, goroutines: parseGoroutineDump(text.slice(head[0].length)) };
}

function readProfile(file: string): PackageProfile | undefined {
  try {
    return parseProfile(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function runLeakTests(options: LeakRunOptions): Promise<LeakRun> {
  const env = runEnvironment(options.env ?? process.env, options.leakProfile);
  const listed = await listTestPackages(options.goPath, options.moduleDir, options.patterns, options.env ?? process.env, options.signal);
  if (listed.packages.length === 0) return { packages: [], transcript: '', problems: listed.problems, exitCode: 0, hangAfterMs: options.hangAfterMs };
  return withPrivateTempDir(async (dir) => {
    const replace: Record<string, string> = {};
    const profiles: string[] = [];
    let anyOwnTestMain = false;
    for (const [index, testPackage] of listed.packages.entries()) {
      const ownTestMain = hasOwnTestMain(testPackage);
      anyOwnTestMain ||= ownTestMain;
      const profilePath = path.join(dir, `profile-${index}.txt`);
      const harnessPath = path.join(dir, `harness-${index}_test.go`);
      // The final test must run after every other test: external tests run after the package's own.
      const packageName = ownTestMain && testPackage.hasExternalTests ? `${testPackage.name}_test` : testPackage.name;
      const source = harnessSource({ packageName, profilePath, settleMs: options.settleMs ?? 500, hangAfterMs: options.hangAfterMs, ownTestMain, useLeakProfile: options.leakProfile !== 'none' });
      fs.writeFileSync(harnessPath, source, { mode: 0o600 });
      replace[path.join(testPackage.dir, harnessFileName)] = harnessPath;
      profiles.push(profilePath);
    }
    for (const [index, [file, text]] of [...(options.overlay ?? [])].entries()) {
      const bufferPath = path.join(dir, `buffer-${index}.go`);
      fs.writeFileSync(bufferPath, text, { mode: 0o600 });
      replace[file] = bufferPath;
    }
    const overlayPath = path.join(dir, 'overlay.json');
    fs.writeFileSync(overlayPath, JSON.stringify({ Replace: replace }), { mode: 0o600 });

    const args = ['test', '-json', '-overlay', overlayPath, '-timeout=0', `-count=${options.count ?? 1}`];
    if (options.race) args.push('-race');
    if (options.run) args.push('-run', anyOwnTestMain ? runPatternWithFinalTest(options.run) : options.run);
    args.push(...listed.packages.map((testPackage) => testPackage.importPath));
    const result = await runProcess({
      command: options.goPath,
      args,
      cwd: options.moduleDir,
      env,
      signal: options.signal,
      timeoutMs: options.limitMs ?? options.hangAfterMs + 15 * 60_000,
    });
    const log = new TestEventLog();
    for (const line of result.stdout.split('\n')) log.addLine(line);
    for (const events of log.packages.values()) events.tests.delete(finalTestName);
    const packages = listed.packages.map((testPackage, index) => ({
      testPackage,
      events: log.packages.get(testPackage.importPath),
      profile: readProfile(profiles[index]),
    }));
    const transcript = [log.transcript(), result.stderr].filter(Boolean).join('\n');
    return { packages, transcript, problems: listed.problems, exitCode: result.exitCode, hangAfterMs: options.hangAfterMs };
  });
}
