// The goinsight command: the same engine as the language server, for the
// terminal and CI. Usage and setup errors exit 2 with one line on stderr,
// never a stack trace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { severityRank } from '../engine/finding';
import { GoModuleLocator } from '../engine/goModule';
import { isExcluded, ProjectConfigError, ProjectConfigLocator } from '../engine/projectConfig';
import { LineIndex } from '../engine/lineIndex';
import { localize } from '../l10n/serverText';
import { findRule } from '../rules/allRules';
import { compareFacts, heapVerdictKinds, parseCompilerText, type EscapeFact, type PackageEscapeResult } from '../compiler';
import { defaultSettings } from '../settings';
import { isShownFact } from '../workspace/compilerFindings';
import { parseArguments, usage, UsageError, type CheckOptions, type EscapesOptions } from './arguments';
import type { CheckSettings, FileCheck } from './checkFile';
import { checkFiles } from './checkFiles';
import { buildTagFlags, compilePackages, describeFailure, packageDirectories } from './compilePackages';
import { factToJson, factToText } from './renderFacts';
import { runEscapesSince } from './escapesSince';
import { collectGoFiles } from './collectFiles';
import { findingToJson, findingToText, type AnalyzedFile } from './renderFindings';
import { readGoFile } from '../engine/readGoFile';
import { renderSarif } from './renderSarif';
import { runLeaks } from './runLeaks';

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A transient status line; only given when stderr is a terminal (CI logs stay clean). */
  progress?: (text: string) => void;
}

/** Lines of files read on demand (related locations, subjects), each file once; an unreadable file reads as empty. */
function lineIndexes(known: Map<string, LineIndex>): (file: string) => LineIndex {
  return (file) => {
    let lines = known.get(file);
    if (!lines) {
      const read = readGoFile(file);
      lines = new LineIndex('text' in read ? read.text : '');
      known.set(file, lines);
    }
    return lines;
  };
}

/** The version in package.json, which sits one folder above dist/ (and above out/server/src/cli). */
function packageVersion(): string {
  for (const candidate of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', '..', 'package.json')]) {
    try {
      const manifest = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'goinsight' && manifest.version) return manifest.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}

/** The compiler's findings in `check`: like the editor's, without the verbose does-not-escape kind. */
async function compileForCheck(options: CheckOptions, files: string[], cwd: string, output: Output) {
  if (options.noCompiler) return new Map<string, PackageEscapeResult>();
  const compiled = await compilePackages(packageDirectories(files), options.goPath, { locale: options.locale });
  if (compiled.unavailable) output.stderr(localize(options.locale, 'cliEscapesSkipped', { reason: compiled.unavailable }));
  for (const result of compiled.results.values()) {
    const failure = describeFailure(result, cwd, options.locale);
    if (failure) output.stderr(localize(options.locale, 'cliEscapesSkipped', { reason: failure }));
  }
  return compiled.results;
}

/**
 * What each file needs from the main thread (its module's Go version, its
 * project file's rule settings, its compiler facts), in collected order. A
 * broken project file ends the plan at the first file it governs: the files
 * before it are still checked and reported, as they always were.
 */
function planChecks(files: readonly string[], compiled: Map<string, PackageEscapeResult>) {
  const modules = new GoModuleLocator();
  const projectConfigs = new ProjectConfigLocator(modules);
  const requests: FileCheck[] = [];
  /** Each request's place in `files`, for the progress line. */
  const positions: number[] = [];
  let excluded = 0;
  for (const [position, file] of files.entries()) {
    const config = projectConfigs.forFile(file);
    if (config instanceof ProjectConfigError) return { requests, positions, excluded, brokenConfig: config };
    if (config && isExcluded(config, file)) {
      excluded++;
      continue;
    }
    positions.push(position);
    requests.push({
      file,
      goVersion: modules.find(path.dirname(file))?.goVersion,
      ruleSettings: config?.rules,
      facts: (compiled.get(path.dirname(file))?.files.get(file) ?? []).filter((fact) => isShownFact(fact, defaultSettings.compiler)),
    });
  }
  return { requests, positions, excluded, brokenConfig: undefined };
}

async function runCheck(options: CheckOptions, cwd: string, output: Output): Promise<number> {
  const started = Date.now();
  const unknownRules = [...(options.rules ?? [])].filter((id) => !findRule(id));
  if (unknownRules.length > 0) throw new UsageError(`--rules: unknown rule ${unknownRules.join(', ')}`);
  const { files, empty } = collectGoFiles(options.paths, cwd);
  for (const argument of empty) output.stderr(localize(options.locale, 'cliNoGoFiles', { path: argument }));
  const compiled = await compileForCheck(options, files, cwd, output);
  // Inlining and bounds facts are opt-in, as in the editor: name them in --rules to see them.
  const disabledCategories = options.rules ? undefined : defaultSettings.disabledCategories;

  const settings: CheckSettings = { locale: options.locale, onlyRules: options.rules, includeGenerated: options.includeGenerated, disabledCategories };
  const { requests, positions, excluded, brokenConfig } = planChecks(files, compiled);
  const analyzed: AnalyzedFile[] = [];
  const linesByFile = new Map<string, LineIndex>();
  let lineCount = 0;
  const threads = { count: options.jobs ?? os.availableParallelism() };
  const showProgress = (index: number) => {
    if (index >= requests.length) return;
    const { file } = requests[index];
    output.progress?.(`goinsight: ${positions[index] + 1}/${files.length} ${path.relative(cwd, file) || file}`);
  };
  showProgress(0);
  let index = 0;
  for await (const outcome of checkFiles(requests, settings, threads)) {
    const { file } = requests[index];
    showProgress(++index);
    if (outcome.kind === 'skipped') {
      output.stderr(`goinsight: skipped ${path.relative(cwd, file) || file}: ${outcome.reason}`);
      continue;
    }
    if (outcome.kind === 'unparsed') continue;
    for (const failure of outcome.failures) output.stderr(`goinsight: internal error: rule ${failure.rule} failed on ${file}: ${failure.message}`);
    if (outcome.nestingLimit !== undefined) {
      output.stderr(`goinsight: rules skipped ${path.relative(cwd, file) || file}: brackets nest more than ${outcome.nestingLimit} deep`);
    }
    lineCount += outcome.lineCount;
    if (outcome.findings.length === 0) continue;
    const lines = new LineIndex(outcome.text ?? '');
    linesByFile.set(file, lines);
    analyzed.push({ file, lines, findings: outcome.findings });
  }
  // A broken project file must fail CI loudly rather than silently check with other rules.
  if (brokenConfig) throw new UsageError(brokenConfig.describe(options.locale));

  output.progress?.('');
  const linesOf = lineIndexes(linesByFile);
  const total = analyzed.reduce((sum, file) => sum + file.findings.length, 0);
  if (options.format === 'json') {
    const document = {
      version: 1,
      findings: analyzed.flatMap((file) => file.findings.map((finding) => findingToJson(finding, file, cwd, linesOf))),
      stats: { files: files.length - excluded, lines: lineCount, ms: Date.now() - started },
    };
    output.stdout(JSON.stringify(document, null, 2));
  } else if (options.format === 'sarif') {
    output.stdout(JSON.stringify(renderSarif(analyzed, cwd, options.locale, packageVersion()), null, 2));
  } else {
    for (const file of analyzed) for (const finding of file.findings) output.stdout(findingToText(finding, file, cwd, linesOf));
    const checked = files.length - excluded;
    const ms = Date.now() - started;
    // English keeps its plurals, which the shared template cannot spell.
    const summary = options.locale === 'en' ? `${total} finding${total === 1 ? '' : 's'} in ${checked} file${checked === 1 ? '' : 's'} (${ms} ms)` : localize(options.locale, 'summary', { count: total, files: checked, ms });
    output.stderr(`goinsight: ${summary}`);
  }
  const threshold = severityRank[options.failOn];
  const failing = analyzed.some((file) => file.findings.some((finding) => severityRank[finding.severity] >= threshold));
  return failing ? 1 : 0;
}

/** The facts `escapes` prints: escape analysis, or everything with --all. */
function isEscapeAnalysisFact(fact: EscapeFact, all: boolean): boolean {
  return all || heapVerdictKinds.has(fact.kind) || fact.kind === 'does-not-escape';
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function runEscapes(options: EscapesOptions, cwd: string, output: Output, input: () => Promise<string>): Promise<number> {
  if (options.since !== undefined) return runEscapesSince({ ...options, since: options.since }, cwd, output, packageVersion());
  const started = Date.now();
  let facts: EscapeFact[];
  let exitCode = 0;
  let fileCount: number;
  if (options.stdin) {
    facts = parseCompilerText(await input(), { cwd }).facts;
    fileCount = new Set(facts.map((fact) => fact.file)).size;
  } else {
    const { files, empty } = collectGoFiles(options.paths, cwd);
    for (const argument of empty) output.stderr(localize(options.locale, 'cliNoGoFiles', { path: argument }));
    const compiled = await compilePackages(packageDirectories(files), options.goPath, { buildFlags: buildTagFlags(options.tags), locale: options.locale });
    if (compiled.unavailable) throw new UsageError(compiled.unavailable);
    const requested = new Set(files);
    facts = [];
    for (const result of compiled.results.values()) {
      const failure = describeFailure(result, cwd, options.locale);
      if (failure) {
        output.stderr(`goinsight: ${failure}`);
        exitCode = 1;
      }
      for (const [file, fileFacts] of result.files) if (requested.has(file)) facts.push(...fileFacts);
      // Facts the compiler placed in other packages' files (generic code instantiated here) are this package's output too.
      for (const fileFacts of result.outside.values()) facts.push(...fileFacts);
    }
    fileCount = files.length;
  }
  facts = facts.filter((fact) => isEscapeAnalysisFact(fact, options.all)).sort(compareFacts);
  const linesOf = lineIndexes(new Map());
  const lineOf = (file: string, line: number): string => linesOf(file).lineText(line - 1);
  if (options.format === 'json') {
    const document = {
      version: 1,
      findings: facts.map((fact) => factToJson(fact, cwd, lineOf)),
      stats: { files: fileCount, lines: 0, ms: Date.now() - started },
    };
    output.stdout(JSON.stringify(document, null, 2));
  } else {
    for (const fact of facts) output.stdout(factToText(fact, cwd));
  }
  return exitCode;
}

export async function runCli(argv: readonly string[], cwd: string, output: Output): Promise<number> {
  try {
    const parsed = parseArguments(argv);
    if (parsed.command === 'help') {
      output.stdout(usage);
      return 0;
    }
    if (parsed.command === 'version') {
      output.stdout(`goinsight ${packageVersion()}`);
      return 0;
    }
    if (parsed.command === 'escapes') return await runEscapes(parsed, cwd, output, readStandardInput);
    if (parsed.command === 'leaks') return await runLeaks(parsed, cwd, output, packageVersion());
    return await runCheck(parsed, cwd, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr(`goinsight: ${error.message}`);
      return 2;
    }
    output.stderr(`goinsight: internal error: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

// Worker threads load this same bundle (see checkWorker.ts); only the main thread is the command.
if (require.main === module && isMainThread) {
  const columns = () => process.stderr.columns || 80;
  void runCli(process.argv.slice(2), process.cwd(), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    progress: process.stderr.isTTY ? (text) => process.stderr.write(`\r${text.slice(0, columns() - 1).padEnd(columns() - 1)}\r`) : undefined,
  }).then((code) => {
    process.exitCode = code;
  });
}
