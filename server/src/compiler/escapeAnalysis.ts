// Runs the Go compiler on one package the way gopls does and returns its
// escape-analysis facts per file. One compile gives both outputs:
//
//   go test -c -vet=off -o <null> [-overlay=F] -gcflags='-m=2 -d=defer -json=0,<tmp>/json' .
//   (go build -o <null> … for packages without _test.go files: no test main to link, ~5x faster)
//
// The text (stderr) is authoritative for verdicts — it is what `-gcflags=-m`
// prints, which is what users compare with; the JSON log adds the flows with
// positions inside inlined code, bounds and nil checks. The text `-m=2` flows
// stay as the fallback for files whose JSON log was overwritten (same base
// name, see parseCompilerJson.ts).
//
// Build cache: a cached compile replays the text but writes no JSON; the
// -json directory is part of the compile flags, so a fresh directory per run
// is a new cache key and the package is really compiled (dependencies still
// come from the cache). Confirmed on go1.26; tested.
import { promises as fs, readFileSync, realpathSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readableShapes } from './compilerMessages';
import { compareFacts, heapVerdictKinds, prepareFactOrder, type EscapeFact, type SourcePoint } from './escapeFacts';
import { attachExplanations, pointKey, type LocatedExplanation } from './explanations';
import { writeOverlay, type Overlay } from './overlay';
import { readCompilerJsonDir, type ParsedJsonLog } from './parseCompilerJson';
import { readCompilerText, type ParsedCompilerText, type UnrecognizedLine } from './parseCompilerText';
import { runProcess, withPrivateTempDir } from './runCompiler';

export const defaultGcflags: readonly string[] = ['-m=2', '-d=defer'];

export interface EscapeAnalysisOptions {
  /** Absolute directory of the package. */
  packageDir: string;
  goPath: string;
  /** Unsaved buffers: absolute path → text. */
  overlay?: Overlay;
  /** Compiler flags besides `-json` (which is always added); default `-m=2 -d=defer`. */
  gcflags?: readonly string[];
  /** Extra go command flags, e.g. `-tags=integration`. */
  buildFlags?: readonly string[];
  /** `auto`: `go test -c` when the package has _test.go files, else `go build`. */
  mode?: 'auto' | 'test' | 'build';
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Where the private temp directory is made; default os.tmpdir(). */
  tempRoot?: string;
}

export interface BuildFailure {
  /**
   * `compile`: the code does not build; `no-module`: the directory is in no module; `toolchain`: go.mod (or
   * go.work) requires a newer Go than the go command, which its GOTOOLCHAIN keeps from switching; `setup`: the
   * go command failed otherwise.
   */
  kind: 'compile' | 'no-module' | 'toolchain' | 'setup';
  /** For `toolchain`: the Go the module requires, the one that ran, and the GOTOOLCHAIN in effect. */
  toolchain?: ToolchainNeed;
  /** The first error, as the go command printed it (without the position). */
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** All error output, for the log. */
  output: string;
}

export interface ToolchainNeed {
  /** e.g. `1.27.3`. */
  required: string;
  /** e.g. `1.26.8`. */
  running: string;
  /** e.g. `local`. */
  setting: string;
}

export interface PackageEscapeResult {
  packageDir: string;
  command: { goPath: string; args: string[]; cwd: string };
  /** Facts for the package's own files (absolute paths), sorted by position. */
  files: Map<string, EscapeFact[]>;
  /** Facts the compiler placed in other files, e.g. GOROOT sources of instantiated generic code. */
  outside: Map<string, EscapeFact[]>;
  buildFailed?: BuildFailure;
  /** The compiler's version (from the JSON log header), e.g. `go1.26.8`. */
  goVersion?: string;
  /** Things worth a log line: overwritten JSON logs, truncated output. */
  warnings: string[];
  durationMs: number;
}

const reservedBuildFlags = /^-(?:o|gcflags|overlay|json|c|vet|n|x|toolexec)(?:=|$)/;

/** Quotes one compiler flag for the go command's -gcflags splitting (cmd/internal/quoted). */
function quoteFlag(flag: string): string {
  if (!/[\s'"]/.test(flag)) return flag;
  if (!flag.includes("'")) return `'${flag}'`;
  if (!flag.includes('"')) return `"${flag}"`;
  throw new Error(`cannot pass a compiler flag containing both quote characters: ${flag}`);
}

function isGoSource(name: string): boolean {
  return name.endsWith('.go') && !name.startsWith('.') && !name.startsWith('_');
}

async function hasTestFiles(packageDir: string, overlay: Overlay | undefined): Promise<boolean> {
  const names = new Set<string>();
  try {
    for (const name of await fs.readdir(packageDir)) names.add(name);
  } catch {
    // A package that exists only in the overlay.
  }
  for (const file of overlay?.keys() ?? []) if (path.dirname(file) === packageDir) names.add(path.basename(file));
  return [...names].some((name) => isGoSource(name) && name.endsWith('_test.go'));
}

export async function buildCompilerArgs(options: EscapeAnalysisOptions, jsonDir: string, overlayFile?: string): Promise<string[]> {
  const buildFlags = options.buildFlags ?? [];
  for (const flag of buildFlags) {
    if (!flag.startsWith('-')) throw new Error(`build flags must be flags: ${flag}`);
    if (reservedBuildFlags.test(flag)) throw new Error(`build flag ${flag} is set by Go Insight itself`);
  }
  const mode = options.mode ?? 'auto';
  const test = mode === 'test' || (mode === 'auto' && (await hasTestFiles(options.packageDir, options.overlay)));
  const gcflags = [...(options.gcflags ?? defaultGcflags), `-json=0,${jsonDir}`].map(quoteFlag).join(' ');
  const args = test ? ['test', '-c', '-vet=off', '-o', os.devNull] : ['build', '-o', os.devNull];
  // -mod=mod in GOFLAGS would let the go command rewrite go.mod/go.sum in the user's tree.
  const goflags = (options.env ?? process.env).GOFLAGS ?? '';
  if (/(?:^|\s)-mod=mod(?:\s|$)/.test(goflags)) args.push('-mod=readonly');
  if (overlayFile) args.push(`-overlay=${overlayFile}`);
  args.push(`-gcflags=${gcflags}`, ...buildFlags, '.');
  return args;
}

// Progress chatter of the go command, never the error itself.
const goCommandNoise = /^go: (?:downloading|finding|extracting) /;

function firstError(text: ParsedCompilerText, stderr: string, packageDir: string): Omit<BuildFailure, 'kind' | 'output'> {
  const candidates = text.unrecognized.filter((line) => !goCommandNoise.test(line.message) && !/^FAIL\b/.test(line.message));
  // go test -c compiles the package and its tests in parallel, so a package that compiled (and printed facts) can come
  // before or after the failing one: prefer a section that printed no facts, then the earliest.
  const silent = (line: UnrecognizedLine) => line.section < 0 || (text.factsPerSection[line.section] ?? 0) === 0;
  const ordered = [...candidates.filter(silent), ...candidates.filter((line) => !silent(line))];
  const chosen = ordered.find((line) => line.at && line.section === ordered[0].section) ?? ordered[0];
  if (chosen?.at) {
    return { message: chosen.message, file: chosen.at.file, line: chosen.at.line, column: chosen.at.column || undefined };
  }
  if (chosen) return { message: chosen.message };
  const fallback = stderr.split(/\r?\n/).find((line) => line.trim() !== '' && !line.startsWith('# '));
  return { message: fallback?.trim() ?? `go failed in ${packageDir}` };
}

// What the go command prints when the module asks for a newer Go and GOTOOLCHAIN forbids the switch (or the
// switch itself failed): "go: go.mod requires go >= 1.27.3 (running go 1.26.8; GOTOOLCHAIN=local)".
const newerGoRequired = /^go: (?:go\.mod|go\.work|[^ ]+) requires go >= (\S+) \(running go (\S+); GOTOOLCHAIN=([^)]*)\)/;

/** The Go the module needs, when the failure is the go command refusing to run an older toolchain for it. */
export function toolchainNeed(message: string): ToolchainNeed | undefined {
  const match = newerGoRequired.exec(message);
  return match ? { required: match[1], running: match[2], setting: match[3] } : undefined;
}

function classifyFailure(error: Omit<BuildFailure, 'kind' | 'output'>, stderr: string): BuildFailure['kind'] {
  const message = error.message;
  if (toolchainNeed(message)) return 'toolchain';
  if (/go\.mod file not found|cannot find main module|not in a module|outside (?:the )?main module|outside modules listed in go\.work/i.test(message)) {
    return 'no-module';
  }
  if (/^go: |^(?:stat|open) .*: |no Go files in|^found packages |build constraints exclude all Go files/.test(message)) return 'setup';
  // The package's own errors have a position, or come under the "# package" header the go command prints for a
  // failed compile or link. Anything else (a broken or foreign go binary) is the go command failing, not the code.
  return error.file !== undefined || /^# /m.test(stderr) ? 'compile' : 'setup';
}

/** Re-spells paths under the real (symlink-resolved) package directory with the caller's spelling. */
export function respellUnder(packageDir: string, realPackageDir: string): (file: string) => string {
  if (realPackageDir === packageDir) return (file) => file;
  const prefix = realPackageDir + path.sep;
  return (file) => (file === realPackageDir ? packageDir : file.startsWith(prefix) ? path.join(packageDir, file.slice(prefix.length)) : file);
}

function mapPoint<T extends SourcePoint>(point: T, map: (file: string) => string): void {
  point.file = map(point.file);
}

function mapExplanation(entry: LocatedExplanation, map: (file: string) => string): void {
  mapPoint(entry.at, map);
  for (const step of entry.explanation.steps) {
    mapPoint(step.at, map);
    for (const inner of step.inlined ?? []) mapPoint(inner, map);
  }
  for (const inner of entry.inlinedFrom ?? []) mapPoint(inner, map);
}

/** Re-spells every position of both outputs (the package was reached through a symlink). */
function respellPoints(text: ParsedCompilerText, log: ParsedJsonLog, map: (file: string) => string): void {
  for (const fact of [...text.facts, ...log.facts]) {
    mapPoint(fact, map);
    for (const inner of fact.inlinedFrom ?? []) mapPoint(inner, map);
  }
  for (const entry of [...text.explanations, ...log.explanations]) mapExplanation(entry, map);
}

export async function runEscapeAnalysis(options: EscapeAnalysisOptions): Promise<PackageEscapeResult> {
  const started = performance.now();
  const packageDir = path.resolve(options.packageDir);
  let realPackageDir = packageDir;
  try {
    realPackageDir = realpathSync.native(packageDir);
  } catch {
    // Spawning in a missing directory fails with a bare ENOENT that reads like "go not found".
    const message = `directory not found: ${packageDir}`;
    return {
      packageDir,
      command: { goPath: options.goPath, args: [], cwd: packageDir },
      files: new Map(),
      outside: new Map(),
      buildFailed: { kind: 'setup', message, output: message },
      warnings: [],
      durationMs: performance.now() - started,
    };
  }
  const toCallerPath = respellUnder(packageDir, realPackageDir);

  return withPrivateTempDir(async (tempDir) => {
    const jsonDir = path.join(tempDir, 'json');
    const overlay = options.overlay && options.overlay.size > 0 ? writeOverlay(tempDir, options.overlay) : undefined;
    const args = await buildCompilerArgs({ ...options, packageDir }, jsonDir, overlay?.file);
    // PWD makes the go command keep our spelling of a symlinked directory (os.Getwd trusts a matching $PWD).
    // GOTOOLCHAIN=local, whatever the user's environment or go env says: opening a file must never start a toolchain
    // download; a go.mod asking for a newer Go fails at once with the go command's own message.
    const baseEnv = options.env ?? process.env;
    const env = { ...baseEnv, PWD: packageDir, GOTOOLCHAIN: 'local', GOFLAGS: readOnlyGoFlags(baseEnv.GOFLAGS) };
    // Reading the package's files for //line directives needs nothing from the compiler: it happens while the compiler runs.
    const remapping = filesWithLineDirectives(packageDir, options.overlay);
    const running = runProcess({ command: options.goPath, args, cwd: packageDir, env, signal: options.signal, timeoutMs: options.timeoutMs });
    prepareFactOrder();
    const run = await running;
    if (overlay) run.stderr = overlay.restorePaths(run.stderr);

    const warnings: string[] = [];
    if (run.truncated) warnings.push('the compiler printed more than the output limit; some facts are missing');
    const text = readCompilerText(run.stderr, { cwd: packageDir });
    const log = readCompilerJsonDir(jsonDir);
    warnings.push(...log.problems);
    if (realPackageDir !== packageDir) {
      text.readSteps(text.explanations);
      respellPoints(text, log, toCallerPath);
    }

    // The JSON log's flows first (they know positions inside inlined code); the text's only where it has none,
    // so only the text explanations at those places are read.
    const facts = text.facts;
    attachExplanations(facts, log.explanations);
    const unexplained = new Set(facts.filter((fact) => heapVerdictKinds.has(fact.kind) && fact.explanations.length === 0).map(pointKey));
    const fallbacks = text.explanations.filter((entry) => unexplained.has(pointKey(entry.at)));
    text.readSteps(fallbacks);
    attachExplanations(facts, fallbacks, { keepExisting: true });
    for (const fact of log.facts) {
      const readable = readableShapes(fact.message);
      if (readable !== fact.message) fact.readableMessage = readable;
      facts.push(fact);
    }

    const jsonFiles = new Set([...log.files].map(toCallerPath));
    const explainedFiles = new Set(facts.filter((fact) => heapVerdictKinds.has(fact.kind)).map((fact) => fact.file));
    for (const file of explainedFiles) {
      if (!jsonFiles.has(file) && path.dirname(file) === packageDir) {
        // cgo files log under their generated name (x.cgo1.go), which cannot be mapped back; otherwise a same-named file won.
        const why = /^\s*import\s+"C"/m.test(readFileIfSmall(file) ?? '')
          ? 'it uses cgo, and the compiler logs cgo files under generated names'
          : 'another file with the same base name overwrote it';
        warnings.push(`no JSON log for ${path.basename(file)} (${why}); its flows come from the text output`);
      }
    }

    const files = new Map<string, EscapeFact[]>();
    const outside = new Map<string, EscapeFact[]>();
    facts.sort(compareFacts);
    const remapped = await remapping;
    for (const file of remapped) {
      warnings.push(`${path.basename(file)} has //line directives: the compiler's positions after them are not its lines, so its facts are not shown`);
    }
    for (const fact of facts) {
      // Positions under a //line directive name other lines (or files): shown, they would land on the wrong lines.
      if (remapped.has(fact.file)) continue;
      const target = path.dirname(fact.file) === packageDir ? files : outside;
      const list = target.get(fact.file);
      if (list) list.push(fact);
      else target.set(fact.file, [fact]);
    }

    // A build that succeeded yet printed lines the parser does not know: skipped, and said (once, by the caller).
    const unknown = run.exitCode === 0 ? text.unrecognized.filter((line) => !goCommandNoise.test(line.message)) : [];
    if (unknown.length > 0) {
      warnings.push(`the compiler printed ${unknown.length} line(s) Go Insight does not understand; they were skipped (first: ${JSON.stringify(unknown[0].raw.slice(0, 160))})`);
    }

    const result: PackageEscapeResult = {
      packageDir,
      command: { goPath: options.goPath, args, cwd: packageDir },
      files,
      outside,
      goVersion: log.goVersion,
      warnings,
      durationMs: 0,
    };
    if (run.exitCode !== 0) {
      const error = firstError(text, run.stderr, packageDir);
      if (error.file) error.file = toCallerPath(error.file);
      const output = [run.stderr.trim(), run.stdout.trim()].filter(Boolean).join('\n');
      result.buildFailed = { kind: classifyFailure(error, run.stderr), ...error, output };
      const need = toolchainNeed(error.message);
      if (need) result.buildFailed.toolchain = need;
    }
    result.durationMs = performance.now() - started;
    return result;
  }, options.tempRoot);
}

// A line directive starts a line comment at column 1 (`//line f.go:10`) or is a `/*line f.go:10*/` block comment.
const lineDirective = /^\/\/line |\/\*line /m;

/** The package's Go files (overlay text first) whose compiler positions a `//line` directive remaps. */
async function filesWithLineDirectives(packageDir: string, overlay: Overlay | undefined): Promise<Set<string>> {
  const found = new Set<string>();
  const names = new Set<string>();
  try {
    for (const name of await fs.readdir(packageDir)) if (isGoSource(name)) names.add(path.join(packageDir, name));
  } catch {
    // Only overlay files, or none.
  }
  for (const file of overlay?.keys() ?? []) if (path.dirname(file) === packageDir) names.add(file);
  for (const file of names) {
    let text = overlay?.get(file);
    if (text === undefined) {
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        continue;
      }
    }
    if (!lineDirective.test(text)) continue;
    found.add(file);
    // The files the directives point to get positions that are not theirs either (relative names are
    // relative to the directory of the file holding the directive).
    for (const target of lineDirectiveTargets(text)) found.add(path.resolve(path.dirname(file), target));
  }
  return found;
}

/** The file names `//line name:N[:M]` and `/*line name:N[:M]*\/` directives name. */
export function lineDirectiveTargets(text: string): string[] {
  const targets: string[] = [];
  for (const match of text.matchAll(/^\/\/line (.+?):\d+(?::\d+)?\s*$|\/\*line (.+?):\d+(?::\d+)?\*\//gm)) {
    const name = (match[1] ?? match[2] ?? '').trim();
    if (name) targets.push(name);
  }
  return targets;
}

/** All facts of a result, package files first. */
export function allFacts(result: PackageEscapeResult): EscapeFact[] {
  return [...[...result.files.values()].flat(), ...[...result.outside.values()].flat()];
}

/** A source file's text for a cheap look (nothing larger than 1 MB is read). */
function readFileIfSmall(file: string): string | undefined {
  try {
    return statSync(file).size <= 1_000_000 ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GOFLAGS as the user set it, except that -mod=mod (which lets the go command
 * rewrite go.mod and go.sum) becomes -mod=readonly: analysis never writes into
 * the workspace. -mod=vendor and everything else pass through.
 */
export function readOnlyGoFlags(goflags: string | undefined): string | undefined {
  if (goflags === undefined) return undefined;
  return goflags
    .split(/\s+/)
    .map((flag) => (flag === '-mod=mod' || flag === '--mod=mod' ? '-mod=readonly' : flag))
    .join(' ');
}
