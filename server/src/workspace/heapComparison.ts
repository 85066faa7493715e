// The editor's last "Compare Heap Allocations with…": which compiler findings
// of which open document version are new since the revision. Marks hold only
// for the version they were computed on: an edit drops them rather than show
// them on lines that moved.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../engine/finding';
import type { NewSince } from '../features/escapeReport';
import { compareWithRevision } from '../heapDiff/compareRevision';
import { RevisionError } from '../heapDiff/gitRevision';
import { localize } from '../l10n/serverText';
import type { CompareHeapResult } from '../protocol/customMessages';
import type { Locale } from '../rules/rule';
import type { CompilerRunReport } from './compilerSession';

export const newHeapLabel = '⇡heap new';

interface DocumentMarks {
  version: number;
  /** `line\0message` of each new fact (0-based line, as findings count). */
  keys: Set<string>;
}

export interface ComparedDocument {
  uri: string;
  filePath: string;
  version: number;
  text: string;
}

export interface CompareRequest {
  report: CompilerRunReport;
  /** The package's open documents, as the compiler saw them. */
  documents: readonly ComparedDocument[];
  revision: string;
  buildFlags: readonly string[];
  timeoutMs: number;
  locale: Locale;
}

function markKey(line: number, message: string): string {
  return `${line}\u0000${message}`;
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export class HeapComparison {
  private revision: string | undefined;
  private marks = new Map<string, DocumentMarks>();
  private newFacts: { packageDir: string; facts: NewSince['facts'] } | undefined;

  /** The revision of the last comparison that found anything to mark. */
  get revisionName(): string | undefined {
    return this.revision;
  }

  isNew(uri: string, version: number, finding: Finding): boolean {
    const marks = this.marks.get(uri);
    return finding.source === 'compiler' && marks?.version === version && marks.keys.has(markKey(finding.range.start.line, finding.message));
  }

  /** The findings with the new ones' inlay hints saying so. */
  marked(uri: string, version: number, findings: readonly Finding[]): readonly Finding[] {
    if (!this.marks.has(uri)) return findings;
    return findings.map((finding) => (finding.inlay && this.isNew(uri, version, finding) ? { ...finding, inlay: { ...finding.inlay, label: newHeapLabel } } : finding));
  }

  /**
   * The new facts of the package for the escape report, while every document
   * they were found in is still at the version compared.
   */
  newSince(packageDir: string, versionOf: (uri: string) => number | undefined): NewSince | undefined {
    if (!this.revision || this.newFacts?.packageDir !== packageDir) return undefined;
    for (const [uri, marks] of this.marks) if (versionOf(uri) !== marks.version) return undefined;
    return { revision: this.revision, facts: this.newFacts.facts };
  }

  async compare(request: CompareRequest): Promise<CompareHeapResult> {
    const { report, documents, revision, locale } = request;
    const failed = (error: string): CompareHeapResult => ({ revision, commit: '', newFacts: [], gone: 0, unchanged: 0, error });
    if (report.buildFailed) return failed(localize(locale, 'compareNotBuilt', { error: report.buildFailed.message }));
    const open = new Map(documents.map((document) => [document.filePath, document]));
    try {
      const comparison = await compareWithRevision({
        current: report.result,
        textOf: (file) => open.get(file)?.text ?? readIfPresent(file),
        revisionName: revision,
        goPath: report.result.command.goPath,
        buildFlags: request.buildFlags,
        timeoutMs: request.timeoutMs,
        readFile: readIfPresent,
      });
      if (comparison.failure) return failed(localize(locale, 'compareRevisionNotBuilt', { revision, error: comparison.failure }));
      this.revision = revision;
      this.marks = new Map();
      for (const document of documents) this.marks.set(document.uri, { version: document.version, keys: new Set() });
      this.newFacts = { packageDir: report.packageDir, facts: comparison.added.map(({ fact }) => fact) };
      const newFacts = comparison.added.map(({ fact }) => {
        const document = open.get(fact.file);
        const uri = document?.uri ?? pathToFileURL(fact.file).toString();
        this.marks.get(uri)?.keys.add(markKey(fact.line - 1, fact.message));
        return { uri, line: fact.line, column: fact.column, message: fact.message };
      });
      return { revision, commit: comparison.revision.commit, newFacts, gone: comparison.removed.length, unchanged: comparison.unchanged };
    } catch (error) {
      if (error instanceof RevisionError) return failed(error.message);
      throw error;
    }
  }
}
