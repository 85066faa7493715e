// Turns the goroutines of a leak run into Findings: each one the runtime marked
// as leaked (or, without the leak profile, each one still parked on a channel,
// select or sync wait) is placed at its deepest frame inside the module, with
// the `created by` site and the test that started it as related locations.
// Goroutines with the same stack and wait become one finding ("3 goroutines").
// The testing package's own goroutine that waits for a hung test is only
// context: it is never a finding. A test that failed in the run becomes one
// too, at its `func` line, and so does a test that never finished.
import * as path from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import type { Finding, Range, RelatedLocation } from '../engine/finding';
import { LineIndex } from '../engine/lineIndex';
import { formatMessage, ruleText, type Locale } from '../rules/rule';
import { runtimeFactDescriptions } from '../rules/runtimeFacts';
import type { GoroutineRecord, StackFrame } from './goroutineDump';
import { harnessFileName } from './runLeakTests';
import { isBlockingWait, locateBlockingOperation, waitKind } from './blockingOperation';
import type { LeakRun, PackageLeakRun } from './runLeakTests';
import { hungTests, testFailures, type TestFailure } from './testFailures';

const testFailedRule = 'goroutine/test-failed';

/** A goroutine the run found blocked (leaked or deadlocked), as opposed to a failed test's report. */
export function isBlockedGoroutine(finding: Finding): boolean {
  return finding.rule !== testFailedRule;
}

export interface SourceFile {
  text: string;
  lines: LineIndex;
}

export interface LeakFindingsOptions {
  locale: Locale;
  parser: Parser;
  /** Reads a Go file (open buffer or disk); undefined when it cannot be read. */
  readSource: (file: string) => string | undefined;
}

export interface FileLeakFindings extends SourceFile {
  file: string;
  findings: Finding[];
}

function isInModule(frame: StackFrame, moduleDir: string): boolean {
  return frame.file.startsWith(moduleDir + path.sep) && path.basename(frame.file) !== harnessFileName && !frame.file.includes(`${path.sep}vendor${path.sep}`);
}

const testFunction = /\.(?:Test(?!Main$)|Benchmark|Fuzz)[^./]*$/;

/** The test whose call chain started the goroutine: in its own stack, else in its ancestors' (tracebackancestors). */
function startingTest(record: GoroutineRecord, moduleDir: string): StackFrame | undefined {
  for (const frames of [record.frames, ...record.ancestors]) {
    const test = frames.find((frame) => testFunction.test(frame.function) && isInModule(frame, moduleDir));
    if (test) return test;
  }
  return undefined;
}

/** Where the goroutine was started in the user's code: the `go` statement, or the nearest ancestor frame in the module. */
function creationSite(record: GoroutineRecord, moduleDir: string): StackFrame | undefined {
  if (record.createdBy && isInModule(record.createdBy, moduleDir)) return record.createdBy;
  for (const frames of record.ancestors) {
    const inModule = frames.find((frame) => isInModule(frame, moduleDir));
    if (inModule) return inModule;
  }
  return undefined;
}

/** The testing package's goroutine waiting in t.Run / m.Run for a test: context, not a finding. */
function isTestRunnerWait(record: GoroutineRecord, site: StackFrame): boolean {
  const inner = record.frames.slice(0, record.frames.indexOf(site));
  return inner.some((frame) => frame.function.startsWith('testing.'));
}

function shortTestName(frame: StackFrame): string {
  return frame.function.slice(frame.function.lastIndexOf('.') + 1);
}

/** Top-level tests that had started and not ended when the watchdog stopped a hung run. */
function stillRunning(run: PackageLeakRun): TestFailure[] {
  return run.profile?.state === 'hung' ? hungTests(run.events) : [];
}

interface Candidate {
  record: GoroutineRecord;
  site: StackFrame;
  created?: StackFrame;
  test?: StackFrame;
}

function candidates(run: PackageLeakRun): Candidate[] {
  const { profile, testPackage } = run;
  if (!profile) return [];
  const found: Candidate[] = [];
  for (const record of profile.goroutines) {
    const blocked = profile.mode === 'leakprofile' ? record.leaked : isBlockingWait(record.waitReason);
    if (!blocked) continue;
    const site = record.frames.find((frame) => isInModule(frame, testPackage.moduleDir));
    if (!site || isTestRunnerWait(record, site)) continue;
    found.push({ record, site, created: creationSite(record, testPackage.moduleDir), test: startingTest(record, testPackage.moduleDir) });
  }
  return found;
}

function groupKey(candidate: Candidate): string {
  const frames = candidate.record.frames.map((frame) => `${frame.file}:${frame.line}`).join(' ');
  const created = candidate.created ? `${candidate.created.file}:${candidate.created.line}` : '';
  return `${candidate.record.waitReason}|${frames}|${created}|${candidate.test?.function ?? ''}`;
}

function relatedAt(frame: StackFrame, message: string, lines: LineIndex | undefined): RelatedLocation {
  const row = frame.line - 1;
  return { file: frame.file, range: (lines ?? new LineIndex('')).textRange(row), message };
}

interface ParsedSource extends SourceFile {
  tree: Tree | null;
}

/** Builds the findings of leak runs; reads and parses each file once. Call dispose() when done: trees hold wasm memory. */
export class LeakFindingBuilder {
  private readonly sources = new Map<string, ParsedSource | null>();

  constructor(private readonly options: LeakFindingsOptions) {}

  private source(file: string) {
    let source = this.sources.get(file);
    if (source === undefined) {
      const text = this.options.readSource(file);
      source = text === undefined ? null : { text, lines: new LineIndex(text), tree: this.options.parser.parse(text) };
      this.sources.set(file, source);
    }
    return source ?? undefined;
  }

  dispose(): void {
    for (const source of this.sources.values()) source?.tree?.delete();
    this.sources.clear();
  }

  findings(run: LeakRun): FileLeakFindings[] {
    const byFile = new Map<string, FileLeakFindings>();
    const add = (file: string, finding: Finding) => {
      const source = this.source(file);
      if (!source) return;
      let entry = byFile.get(file);
      if (!entry) {
        entry = { file, text: source.text, lines: source.lines, findings: [] };
        byFile.set(file, entry);
      }
      entry.findings.push(finding);
    };
    for (const packageRun of run.packages) {
      const groups = new Map<string, Candidate[]>();
      for (const candidate of candidates(packageRun)) {
        const key = groupKey(candidate);
        groups.set(key, [...(groups.get(key) ?? []), candidate]);
      }
      for (const group of groups.values()) {
        const finding = this.finding(packageRun, group);
        if (finding) add(group[0].site.file, finding);
      }
      for (const failure of [...testFailures(packageRun.events), ...stillRunning(packageRun)]) {
        const placed = this.failureFinding(packageRun, failure, run.hangAfterMs);
        if (placed) add(placed.file, placed.finding);
      }
    }
    return [...byFile.values()];
  }

  /** The range of `func NAME` where the file declares the function NAME. */
  private declarationRange(file: string, name: string): Range | undefined {
    const source = this.source(file);
    const declaration = source && new RegExp(`^func ${name}\\(`, 'm').exec(source.text);
    if (!source || !declaration) return undefined;
    const start = source.lines.positionAt(declaration.index);
    return { start, end: { line: start.line, character: start.character + declaration[0].length - 1 } };
  }

  /** The test's `func` line: an ancestor frame's line is where its call returns to, often the test's closing brace. */
  private testDeclaration(test: StackFrame, message: string): RelatedLocation {
    const range = this.declarationRange(test.file, shortTestName(test));
    return range ? { file: test.file, range, message } : relatedAt(test, message, this.source(test.file)?.lines);
  }

  /** A failed or hung test at its `func` line, with its first failure line (or the time limit) as the message and where that was reported. */
  private failureFinding(run: PackageLeakRun, failure: TestFailure, hangAfterMs: number): { file: string; finding: Finding } | undefined {
    const description = runtimeFactDescriptions.find((rule) => rule.id === testFailedRule);
    const file = run.testPackage.testFiles.find((candidate) => this.declarationRange(candidate, failure.test));
    const range = file && this.declarationRange(file, failure.test);
    if (!description || !file || !range) return undefined;
    const text = ruleText(description, this.options.locale);
    const related: RelatedLocation[] = [];
    if (failure.reportedAt) {
      const reportedFile = path.join(run.testPackage.dir, failure.reportedAt.file);
      const lines = this.source(reportedFile)?.lines;
      if (lines && failure.reportedAt.line <= lines.lineCount) related.push({ file: reportedFile, range: lines.textRange(failure.reportedAt.line - 1), message: text.messages.reportedHere });
    }
    const message = failure.hung
      ? formatMessage(text.messages.hung, { test: failure.test, seconds: Number((hangAfterMs / 1000).toFixed(1)) })
      : failure.reason === undefined
        ? formatMessage(text.messages.failedWithoutMessage, { test: failure.failing })
        : formatMessage(text.messages.failed, { test: failure.failing, reason: failure.reason });
    return {
      file,
      finding: {
        rule: description.id,
        category: description.category,
        severity: description.defaultSeverity,
        presentation: 'diagnostic',
        range,
        message,
        source: 'runtime',
        related,
        details: `\`\`\`\n${failure.output.trimEnd()}\n\`\`\``,
        fixes: [],
      },
    };
  }

  private finding(run: PackageLeakRun, group: Candidate[]): Finding | undefined {
    const [{ record, site, created, test }] = group;
    const profile = run.profile;
    const source = this.source(site.file);
    if (!profile || !source?.tree || site.line - 1 >= source.lines.lineCount) return undefined;
    const testName = test ? shortTestName(test) : undefined;
    // Deadlocked: blocked forever in a test that never finished; a leak left behind by an earlier, finished test stays a leak.
    const hung = testName !== undefined && stillRunning(run).some((running) => running.test === testName);
    const description = runtimeFactDescriptions.find((rule) => rule.id === (hung ? 'goroutine/deadlocked' : 'goroutine/leaked'));
    if (!description) return undefined;
    const text = ruleText(description, this.options.locale);
    const operation = locateBlockingOperation(source.tree, source.lines, site.line - 1, record.waitReason);
    const kind = waitKind(record.waitReason);
    const reasonKey = operation.subject || !text.messages[`reason.${kind}Unnamed`] ? `reason.${kind}` : `reason.${kind}Unnamed`;
    const values = {
      reason: formatMessage(text.messages[reasonKey], { name: operation.subject ?? '', reason: record.waitReason }),
      count: group.length > 1 ? formatMessage(text.messages.count, { count: group.length }) : '',
      inTest: testName && text.messages.inTest ? formatMessage(text.messages.inTest, { test: testName }) : '',
      test: testName ?? run.testPackage.importPath,
    };
    const confident = profile.mode === 'leakprofile';
    const messageKey = confident ? (hung ? 'deadlocked' : 'leaked') : 'stillBlocked';
    const related: RelatedLocation[] = [];
    if (created) related.push(relatedAt(created, text.messages.createdHere, this.source(created.file)?.lines));
    if (test) related.push(this.testDeclaration(test, formatMessage(text.messages.testHere, { test: shortTestName(test) })));
    const stacks = group.length > 1 ? `${record.text}\n\n… ${group.length - 1} more: ${group.slice(1).map((item) => `goroutine ${item.record.id}`).join(', ')}` : record.text;
    return {
      rule: description.id,
      category: 'goroutine',
      severity: confident ? description.defaultSeverity : 'info',
      presentation: 'diagnostic',
      range: operation.range,
      message: formatMessage(text.messages[messageKey], values),
      source: 'runtime',
      related,
      details: `\`\`\`\n${stacks}\n\`\`\``,
      fixes: [],
    };
  }
}
