// Runs the Go compiler's escape analysis for the packages of open documents,
// off the edit path: on open and save, and (debounced) while typing, with
// the unsaved buffers passed as an overlay. It never runs in an untrusted
// workspace (the go command can execute code through cgo and tool
// directives). Results belong to the document versions they were computed
// for; edits made meanwhile shift them (see shiftFindings) until the next run.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { CompilerTimeoutError, EscapeAnalyzer, findGo, isAbortError, toFinding, positionMapper, type FindGoResult, type PackageEscapeResult } from '../compiler';
import type { Finding } from '../engine/finding';
import { shiftFindings } from '../engine/shiftFindings';
import type { TextChange } from '../engine/textChange';
import type { CompilerSettings } from '../settings';
import { isShownFact } from './compilerFindings';
import type { Locale } from '../rules/rule';

/** The go command flags the settings ask for: the extra flags and the build tags. */
export function compilerBuildFlags(settings: CompilerSettings): string[] {
  return [...settings.buildFlags, ...(settings.buildTags ? [`-tags=${settings.buildTags}`] : [])];
}

export interface CompilerDocument {
  uri: string;
  filePath: string;
  version: number;
  text: string;
}

export interface CompilerRunReport {
  packageDir: string;
  /** The whole result, for the escape report. */
  result: PackageEscapeResult;
  /** The documents whose compiler findings changed, with the versions they now describe. */
  documents: { uri: string; version: number }[];
  facts: number;
  durationMs: number;
  fromCache: boolean;
  buildFailed?: PackageEscapeResult['buildFailed'];
}

export interface CompilerSessionHost {
  /** The open documents whose file is directly in the directory. */
  documentsIn(packageDir: string): CompilerDocument[];
  /** The document's version now (it may have changed while the compiler ran). */
  currentVersion(uri: string): number | undefined;
  log(message: string): void;
  /** The language of the words the findings add to the compiler's messages. */
  readonly locale: Locale;
  /** A one-time notice for the user (go not found). */
  warnUser(message: string): void;
  /** The compile of a package was stopped at the time limit (told once per package). */
  timedOut(packageDir: string, seconds: number): void;
  /** The compiler started (true) or finished (false) work on a package. */
  busy(packageDir: string, running: boolean): void;
  /** New compiler findings for some documents; re-render them. */
  published(report: CompilerRunReport): void;
}

interface DocumentFacts {
  version: number;
  findings: Finding[];
  /** The package's build failure when the run for this version failed. */
  buildFailed?: PackageEscapeResult['buildFailed'];
}

export class CompilerSession {
  private analyzer: EscapeAnalyzer | undefined;
  private analyzerKey = '';
  private goLookup: FindGoResult | undefined;
  private toldGoMissing = false;
  private readonly loggedWarnings = new Set<string>();
  /** Packages whose compile timed out, told once each. */
  private readonly toldTimeout = new Set<string>();
  private readonly loggedMissingDirs = new Set<string>();
  private readonly factsByUri = new Map<string, DocumentFacts>();
  private readonly typingTimers = new Map<string, NodeJS.Timeout>();
  private disposed = false;

  constructor(
    private readonly host: CompilerSessionHost,
    private settings: CompilerSettings,
    private goPathSetting: string,
    private trusted: boolean,
  ) {}

  /** Settings or trust changed: forget the analyzer (flags, binary) and run again for what is open. */
  reconfigure(settings: CompilerSettings, goPathSetting: string, trusted: boolean): void {
    const changed = JSON.stringify([settings, goPathSetting, trusted]) !== JSON.stringify([this.settings, this.goPathSetting, this.trusted]);
    this.settings = settings;
    this.goPathSetting = goPathSetting;
    this.trusted = trusted;
    if (!changed) return;
    this.analyzer?.dispose();
    this.analyzer = undefined;
    this.goLookup = undefined;
    this.toldGoMissing = false;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  /** The compiler's findings for a document, if any were computed for (or carried to) its version. */
  findingsFor(uri: string, version: number): { findings: Finding[]; buildFailed?: PackageEscapeResult['buildFailed'] } {
    const facts = this.factsByUri.get(uri);
    if (!facts || facts.version !== version) return { findings: [] };
    return facts;
  }

  /** An edit arrived: carry this document's findings to the new version, and rerun when typing runs are on. */
  documentChanged(document: CompilerDocument, changes: readonly TextChange[]): void {
    const facts = this.factsByUri.get(document.uri);
    if (facts && facts.version < document.version) {
      this.factsByUri.set(document.uri, { version: document.version, findings: shiftFindings(facts.findings, changes), buildFailed: facts.buildFailed });
    }
    if (this.settings.run !== 'onType') return;
    const packageDir = path.dirname(document.filePath);
    clearTimeout(this.typingTimers.get(packageDir));
    this.typingTimers.set(
      packageDir,
      setTimeout(() => {
        this.typingTimers.delete(packageDir);
        void this.run(packageDir);
      }, this.settings.typingDelayMs),
    );
  }

  documentOpened(document: CompilerDocument): void {
    if (this.settings.run !== 'manual') void this.run(path.dirname(document.filePath));
  }

  documentSaved(document: CompilerDocument): void {
    if (this.settings.run !== 'manual') void this.run(path.dirname(document.filePath));
  }

  documentClosed(uri: string): void {
    this.factsByUri.delete(uri);
  }

  /** Runs (or answers from the cache) for one package; resolves with the report, or undefined when it did not run. */
  async run(packageDir: string): Promise<CompilerRunReport | undefined> {
    if (this.disposed || !this.trusted) return undefined;
    const analyzer = this.ensureAnalyzer();
    if (!analyzer) return undefined;
    const documents = this.host.documentsIn(packageDir);
    if (documents.length === 0) return undefined;
    // Buffers of a folder that is not on disk (deleted, or a virtual path): the go command has no package to build.
    // That is not a failure to show on every such buffer; the log says it once.
    if (!existsSync(packageDir)) {
      if (!this.loggedMissingDirs.has(packageDir)) {
        this.loggedMissingDirs.add(packageDir);
        this.host.log(`escape analysis of ${packageDir} skipped: the directory does not exist on disk`);
      }
      return undefined;
    }
    const overlay = new Map(documents.map((document) => [document.filePath, document.text]));
    this.host.busy(packageDir, true);
    try {
      // Test files' facts are only wanted when one is open; without them no test binary is linked (several times faster).
      const mode = documents.some((document) => document.filePath.endsWith('_test.go')) ? 'auto' : 'build';
      const { result, fromCache } = await analyzer.analyze(packageDir, { overlay, mode });
      return this.publish(packageDir, documents, result, fromCache);
    } catch (error) {
      if (error instanceof CompilerTimeoutError && !this.toldTimeout.has(packageDir)) {
        this.toldTimeout.add(packageDir);
        this.host.timedOut(packageDir, this.settings.timeoutSeconds);
      }
      if (!isAbortError(error)) this.host.log(`escape analysis of ${packageDir} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      this.host.busy(packageDir, false);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    this.analyzer?.dispose();
  }

  private ensureAnalyzer(): EscapeAnalyzer | undefined {
    this.goLookup ??= findGo({ setting: this.goPathSetting || undefined, locale: this.host.locale });
    if (!this.goLookup.found) {
      if (!this.toldGoMissing) {
        this.toldGoMissing = true;
        this.host.warnUser(this.goLookup.message);
      }
      return undefined;
    }
    const buildFlags = compilerBuildFlags(this.settings);
    const key = JSON.stringify([this.goLookup.path, buildFlags, this.settings.timeoutSeconds]);
    if (!this.analyzer || this.analyzerKey !== key) {
      this.analyzer?.dispose();
      this.analyzer = new EscapeAnalyzer({ goPath: this.goLookup.path, buildFlags, timeoutMs: this.settings.timeoutSeconds * 1000 });
      this.analyzerKey = key;
      this.host.log(this.goLookup.reason);
    }
    return this.analyzer;
  }

  private publish(packageDir: string, documents: CompilerDocument[], result: PackageEscapeResult, fromCache: boolean): CompilerRunReport {
    const report: CompilerRunReport = { packageDir, result, documents: [], facts: 0, durationMs: result.durationMs, fromCache, buildFailed: result.buildFailed };
    // Each distinct warning once: the same package compiles again on every pause in typing.
    for (const warning of result.warnings) {
      if (this.loggedWarnings.has(warning)) continue;
      this.loggedWarnings.add(warning);
      this.host.log(`compiler: ${warning}`);
    }
    for (const document of documents) {
      // Edited while the compiler ran: these facts describe text that is gone; keep the shifted older ones.
      if (this.host.currentVersion(document.uri) !== document.version) continue;
      const facts = result.files.get(document.filePath) ?? [];
      const mapper = positionMapper(document.text);
      const findings = facts
        .filter((fact) => isShownFact(fact, this.settings))
        .map((fact) => toFinding(fact, mapper, { locale: this.host.locale }));
      report.facts += findings.length;
      this.factsByUri.set(document.uri, { version: document.version, findings, buildFailed: result.buildFailed });
      report.documents.push({ uri: document.uri, version: document.version });
    }
    this.host.published(report);
    return report;
  }
}
