// The editor's side of leak detection: runs a package's tests with the leak
// harness on explicit request (never on open or save; the server refuses in an
// untrusted workspace), over the open buffers' text, and keeps the runtime's
// findings per file. A file's findings describe the text the tests ran on:
// edits carry them along (one whose own line was edited is kept, marked
// stale), and a document whose text no longer matches what ran (changed on
// disk, or replaced whole) shows none of them rather than showing them on
// the wrong lines.
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { findGo } from '../compiler/findGo';
import type { Finding } from '../engine/finding';
import { GoModuleLocator } from '../engine/goModule';
import { LineIndex } from '../engine/lineIndex';
import { shiftFindings } from '../engine/shiftFindings';
import type { TextChange } from '../engine/textChange';
import { isBlockedGoroutine, LeakFindingBuilder } from '../leaks/leakFindings';
import { goLeakProfileSupport } from '../leaks/leakProfileSupport';
import { runLeakTests, type LeakRun } from '../leaks/runLeakTests';
import type { Locale } from '../rules/rule';
import { readGoFile } from '../engine/readGoFile';

/** The file to test lies in no Go module; the server words it for the user. */
export class NotInModuleError extends Error {
  constructor(readonly directory: string) {
    super(`${directory} is not inside a Go module`);
    this.name = 'NotInModuleError';
  }
}

interface FileFindings {
  /** The text the findings describe. */
  text: string;
  /** The open document version they belong to; unset while they only match the file on disk. */
  version?: number;
  findings: Finding[];
}

export interface OpenBuffer {
  filePath: string;
  version: number;
  text: string;
}

export interface LeakRunRequest {
  /** A file of the package to test. */
  filePath: string;
  /** Run only this top-level test. */
  test?: string;
  goPath: string;
  locale: Locale;
  /** Open documents: their text is what the tests run on. */
  buffers: readonly OpenBuffer[];
  signal: AbortSignal;
  hangAfterMs: number;
}

export interface LeakRunOutcome {
  run: LeakRun;
  /** Files whose findings changed (to republish). */
  touched: string[];
  /** Goroutines found blocked (a failed test's finding is not counted: the run reports those by name). */
  findingCount: number;
  leakProfile: boolean;
}

export class LeakSession {
  private readonly byFile = new Map<string, FileFindings>();
  private readonly modules = new GoModuleLocator();
  private ranBefore = false;

  constructor(private readonly parser: Parser) {}

  /** Whether no leak run happened yet in this session: the first one may build the runtime with the experiment. */
  get firstRun(): boolean {
    return !this.ranBefore;
  }

  async run(request: LeakRunRequest): Promise<LeakRunOutcome> {
    const go = findGo({ setting: request.goPath || undefined, baseDir: path.dirname(request.filePath), locale: request.locale });
    if (!go.found) throw new Error(go.message);
    const packageDir = path.dirname(request.filePath);
    const module = this.modules.find(packageDir);
    if (!module) throw new NotInModuleError(packageDir);
    const moduleDir = path.dirname(module.goModPath);
    const buffers = new Map(request.buffers.filter((buffer) => buffer.filePath.startsWith(moduleDir + path.sep)).map((buffer) => [buffer.filePath, buffer]));
    const leakProfile = await goLeakProfileSupport(go.path);
    this.ranBefore = true;
    const run = await runLeakTests({
      goPath: go.path,
      moduleDir,
      patterns: [`./${path.relative(moduleDir, packageDir).split(path.sep).join('/')}`],
      run: request.test ? `^${request.test}$` : undefined,
      hangAfterMs: request.hangAfterMs,
      leakProfile,
      overlay: new Map([...buffers].map(([file, buffer]) => [file, buffer.text])),
      signal: request.signal,
    });
    const readSource = (file: string) => {
      const buffer = buffers.get(file);
      if (buffer) return buffer.text;
      const read = readGoFile(file);
      return 'text' in read ? read.text : undefined;
    };
    const builder = new LeakFindingBuilder({ locale: request.locale, parser: this.parser, readSource });
    const found = builder.findings(run);
    builder.dispose();
    // The run's results replace everything earlier runs said about files of this package.
    const touched = new Set([...this.byFile.keys()].filter((file) => path.dirname(file) === packageDir));
    for (const file of touched) this.byFile.delete(file);
    for (const file of found) {
      this.byFile.set(file.file, { text: file.text, version: buffers.get(file.file)?.version, findings: file.findings });
      touched.add(file.file);
    }
    const findingCount = found.reduce((sum, file) => sum + file.findings.filter(isBlockedGoroutine).length, 0);
    return { run, touched: [...touched], findingCount, leakProfile: leakProfile !== 'none' };
  }

  /** The findings for this document version, or none when they describe other text. */
  findingsFor(filePath: string, version: number | undefined, text: string): Finding[] {
    const entry = this.byFile.get(filePath);
    if (!entry) return [];
    if (entry.version !== undefined) return entry.version === version ? entry.findings : [];
    if (version !== undefined && entry.text === text) entry.version = version;
    return entry.text === text ? entry.findings : [];
  }

  /** The files that have findings now. */
  files(): string[] {
    return [...this.byFile.keys()];
  }

  /** An edit arrived: carry the findings to the new version; one whose own line was edited stays, marked stale. */
  documentChanged(filePath: string, version: number, changes: readonly TextChange[], text: string): void {
    const entry = this.byFile.get(filePath);
    if (!entry || entry.version === undefined || entry.version >= version) return;
    const lines = new LineIndex(text);
    const findings = shiftFindings(entry.findings, changes, { touched: 'markStale' }).map((finding) =>
      finding.stale ? { ...finding, range: lines.textRange(finding.range.start.line, finding.range.end.line) } : finding,
    );
    this.byFile.set(filePath, { text, version, findings });
  }

  /** A closed document: its findings stay while they match the file on disk (the buffer may never have been saved). */
  documentClosed(filePath: string): void {
    const entry = this.byFile.get(filePath);
    if (!entry || entry.version === undefined) return;
    const read = readGoFile(filePath);
    if ('text' in read && read.text === entry.text) entry.version = undefined;
    else this.byFile.delete(filePath);
  }
}
