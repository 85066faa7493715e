// `goinsight leaks`: runs the tests of the requested packages with leak
// detection, once per module that holds them, `--repeat` times, and prints the
// merged findings like `check` does. Test failures and hung packages are
// reported on stderr; a package whose tests never ran (build error) is a
// setup problem.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findGo } from '../compiler/findGo';
import { isAbortError, removeStaleTempDirs } from '../compiler/runCompiler';
import type { Finding } from '../engine/finding';
import { GoModuleLocator } from '../engine/goModule';
import { LineIndex } from '../engine/lineIndex';
import { isBlockedGoroutine, LeakFindingBuilder, type FileLeakFindings } from '../leaks/leakFindings';
import { goLeakProfileSupport } from '../leaks/leakProfileSupport';
import { runLeakTests, type LeakRun } from '../leaks/runLeakTests';
import { createGoParser } from '../parse/goParser';
import { UsageError, type LeaksOptions } from './arguments';
import { findingToJson, findingToText, type AnalyzedFile } from './renderFindings';
import { readGoFile } from '../engine/readGoFile';
import { renderSarif } from './renderSarif';

export interface LeaksOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A transient status line, only on a terminal: the first run can build for minutes with nothing else to show. */
  progress?: (text: string) => void;
}

/** The module each PATH lies in, and the go package pattern for it relative to the module root. */
function patternsByModule(paths: readonly string[], cwd: string): Map<string, string[]> {
  const modules = new GoModuleLocator();
  const byModule = new Map<string, string[]>();
  for (const argument of paths) {
    const recursive = argument === '...' || argument.endsWith('/...');
    const absolute = path.resolve(cwd, recursive ? argument.slice(0, -3) || '.' : argument);
    let directory = absolute;
    try {
      if (!fs.statSync(absolute).isDirectory()) directory = path.dirname(absolute);
    } catch {
      throw new UsageError(`${argument}: no such file or directory`);
    }
    const module = modules.find(directory);
    if (!module) throw new UsageError(`${argument}: not inside a Go module (no go.mod found)`);
    const moduleDir = path.dirname(module.goModPath);
    const relative = path.relative(moduleDir, directory).split(path.sep).join('/');
    const pattern = `./${relative}${recursive ? (relative ? '/...' : '...') : ''}`;
    byModule.set(moduleDir, [...(byModule.get(moduleDir) ?? []), pattern]);
  }
  return byModule;
}

function readSource(file: string): string | undefined {
  const read = readGoFile(file);
  return 'text' in read ? read.text : undefined;
}

function findingKey(file: string, finding: Finding): string {
  return `${file}:${finding.rule}:${finding.range.start.line}:${finding.range.start.character}:${finding.message}`;
}

/** Adds a run's findings to the merged set; the same goroutine seen in several runs is reported once. */
function merge(into: Map<string, FileLeakFindings>, seen: Set<string>, found: readonly FileLeakFindings[]): void {
  for (const file of found) {
    let entry = into.get(file.file);
    if (!entry) {
      entry = { ...file, findings: [] };
      into.set(file.file, entry);
    }
    for (const finding of file.findings) {
      const key = findingKey(file.file, finding);
      if (seen.has(key)) continue;
      seen.add(key);
      entry.findings.push(finding);
    }
  }
}

/** What went wrong in the run besides leaks, for stderr; `failed` when a test failed or hung, `broken` when tests never ran. */
function reportRun(run: LeakRun, output: LeaksOutput): { failed: boolean; broken: boolean } {
  let failed = false;
  let broken = false;
  for (const problem of run.problems) {
    output.stderr(`goinsight: ${problem}`);
    broken = true;
  }
  for (const { testPackage, events, profile } of run.packages) {
    if (profile?.state === 'hung') {
      const running = [...(events?.tests.values() ?? [])].filter((test) => test.outcome === 'running').map((test) => test.name);
      output.stderr(`goinsight: ${testPackage.importPath}: tests hung${running.length > 0 ? ` in ${running.join(', ')}` : ''}`);
      failed = true;
      continue;
    }
    for (const test of events?.tests.values() ?? []) {
      if (test.outcome !== 'fail') continue;
      failed = true;
      output.stderr(`goinsight: ${testPackage.importPath}: ${test.name} failed\n${test.output.trimEnd()}`);
    }
    if (!profile) {
      broken = true;
      output.stderr(`goinsight: ${testPackage.importPath}: the tests did not run to the end\n${(events?.output ?? run.transcript).trimEnd()}`);
    }
  }
  return { failed, broken };
}

export async function runLeaks(options: LeaksOptions, cwd: string, output: LeaksOutput, version: string): Promise<number> {
  const started = Date.now();
  const go = findGo({ setting: options.goPath, baseDir: cwd, locale: options.locale });
  if (!go.found) throw new UsageError(go.message);
  const byModule = patternsByModule(options.paths, cwd);
  // A run killed outright (SIGKILL, a CI job cancelled) could not remove its directory: the next run does.
  await removeStaleTempDirs();
  const leakProfile = options.noLeakProfile ? 'none' : await goLeakProfileSupport(go.path);
  if (leakProfile === 'none') output.stderr('goinsight: no goroutine leak profile (needs Go 1.26+): reporting goroutines still blocked at the end of the tests, with lower confidence');
  const builder = new LeakFindingBuilder({
    locale: options.locale,
    parser: await createGoParser(),
    readSource,
  });
  const merged = new Map<string, FileLeakFindings>();
  const seen = new Set<string>();
  let failed = false;
  let broken = false;
  let packages = 0;
  // go test runs in its own process group (so that its whole tree can be killed): Ctrl-C must reach it through us.
  const interrupted = new AbortController();
  const interrupt = () => interrupted.abort();
  process.once('SIGINT', interrupt);
  try {
    for (let round = 0; round < options.repeat; round++) {
      for (const [moduleDir, patterns] of byModule) {
        output.progress?.(`goinsight: running the tests of ${path.relative(cwd, moduleDir) || '.'}${leakProfile === 'experiment' ? ' with the leak profile (the first run builds the runtime with it once)' : ''}…`);
        const run = await runLeakTests({
          goPath: go.path,
          moduleDir,
          patterns,
          run: options.run,
          count: options.count,
          race: options.race,
          hangAfterMs: options.timeoutMs,
          leakProfile,
          signal: interrupted.signal,
        });
        if (round === 0) packages += run.packages.length;
        const outcome = reportRun(run, output);
        failed ||= outcome.failed;
        broken ||= outcome.broken;
        merge(merged, seen, builder.findings(run));
      }
    }
  } catch (error) {
    if (!isAbortError(error)) throw error;
    output.stderr('goinsight: interrupted; the tests were stopped');
    return 2;
  } finally {
    process.removeListener('SIGINT', interrupt);
    builder.dispose();
  }

  output.progress?.('');
  const analyzed: AnalyzedFile[] = [...merged.values()]
    .filter((file) => file.findings.length > 0)
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((file) => ({ file: file.file, lines: file.lines, findings: file.findings }));
  const linesOf = (file: string) => merged.get(file)?.lines ?? new LineIndex(readSource(file) ?? '');
  const total = analyzed.reduce((sum, file) => sum + file.findings.filter(isBlockedGoroutine).length, 0);
  if (options.format === 'json') {
    const document = {
      version: 1,
      findings: analyzed.flatMap((file) => file.findings.map((finding) => findingToJson(finding, file, cwd, linesOf))),
      stats: { packages, ms: Date.now() - started },
    };
    output.stdout(JSON.stringify(document, null, 2));
  } else if (options.format === 'sarif') {
    output.stdout(JSON.stringify(renderSarif(analyzed, cwd, options.locale, version), null, 2));
  } else {
    for (const file of analyzed) for (const finding of file.findings) output.stdout(findingToText(finding, file, cwd, linesOf));
    output.stderr(`goinsight: ${total} leak finding${total === 1 ? '' : 's'} in ${packages} package${packages === 1 ? '' : 's'} (${Date.now() - started} ms)`);
  }
  if (total > 0 || failed) return 1;
  return broken ? 2 : 0;
}
