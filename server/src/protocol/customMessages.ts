// Typed custom LSP messages shared by the client and the server. This module
// must stay free of `vscode` and of server internals: both sides bundle it.

/** The server's overall state, shown by the client's status bar item. */
export type ServerState = 'ready' | 'analyzing' | 'warning' | 'error';

export interface StatusParams {
  state: ServerState;
  /** Short text for the status bar (after the product name). */
  text: string;
  /** Longer Markdown-free text for the tooltip. */
  tooltip: string;
}

/** server → client: the server's state changed. */
export const statusNotification = 'goinsight/status';

export interface AnalyzedParams {
  uri: string;
  version: number;
  /** How many findings of each presentation the document has now. */
  diagnostics: number;
  annotations: number;
  /**
   * `carried` while the package rules wait for a pause in typing: the package
   * findings are an earlier version's, on this version's lines; another
   * notification for the same version follows with `current`.
   */
  packageFindings: 'current' | 'carried';
}

/** server → client: analysis of one document version is complete (tests wait on it). */
export const analyzedNotification = 'goinsight/analyzed';

export interface InitializationOptions {
  /** Whether the workspace is trusted; untrusted workspaces get syntactic analysis only. */
  trusted: boolean;
}

/** client → server: workspace trust was granted after start-up. */
export const trustChangedNotification = 'goinsight/trustChanged';

export interface TrustChangedParams {
  trusted: boolean;
}

export interface SyntaxTreeParams {
  uri: string;
}

export interface SyntaxTreeResult {
  version: number;
  text: string;
  /** The tree as an S-expression (tree-sitter's `toString()`). */
  tree: string;
}

/** client → server: the server's current text and tree of a document (tests and troubleshooting). */
export const syntaxTreeRequest = 'goinsight/syntaxTree';

export interface RuleSummary {
  id: string;
  title: string;
  category: string;
}

export interface RuleDocumentationParams {
  /** Omitted: list the rules only. */
  rule?: string;
}

export interface RuleDocumentationResult {
  rules: RuleSummary[];
  /** The rule's documentation (title, explanation, link) in the server's locale. */
  markdown?: string;
}

/** client → server: the rules, and one rule's documentation. */
export const ruleDocumentationRequest = 'goinsight/ruleDocumentation';

export interface CompilerFactsParams {
  packageDir: string;
  /** The documents whose compiler findings were replaced, with the versions they describe. */
  documents: { uri: string; version: number }[];
  facts: number;
  durationMs: number;
  fromCache: boolean;
  /** Set when the package could not be compiled (the first error). */
  buildFailed?: { kind: 'compile' | 'no-module' | 'toolchain' | 'setup'; message: string };
}

/** server → client: escape analysis for a package finished and its findings were published. */
export const compilerFactsNotification = 'goinsight/compilerFacts';

export interface RunCompilerParams {
  /** Any open document of the package. */
  uri: string;
}

/** client → server: run escape analysis now for the document's package (manual mode, "re-run" command). */
export const runCompilerRequest = 'goinsight/runCompiler';

export interface EscapeReportParams {
  /** Any open document of the package. */
  uri: string;
}

export interface EscapeReportResult {
  packageDir: string;
  /** The report's text (see syntaxes/escape-report.tmLanguage.json). */
  text: string;
}

/** client → server: the escape report of the document's package (runs the compiler if needed). */
export const escapeReportRequest = 'goinsight/escapeReport';

export interface RunLeakTestsParams {
  /** A Go file of the package whose tests run. */
  uri: string;
  /** Only this top-level test (the code lens); omitted: all of the package's tests. */
  test?: string;
}

export interface RunLeakTestsResult {
  /** Why nothing ran (untrusted workspace, no go, not in a module); unset when the tests ran. */
  refused?: string;
  cancelled: boolean;
  /** How many leak findings the run produced. */
  findings: number;
  /** Tests that failed, and tests that were still running when the package was declared hung. */
  failedTests: string[];
  hungTests: string[];
  /** Whether the goroutine leak profile was available (else the lower-confidence fallback ran). */
  leakProfile: boolean;
}

/** client → server: run the package's tests with leak detection (explicit user action only). */
export const runLeakTestsRequest = 'goinsight/runLeakTests';

export interface CompareHeapParams {
  /** Any open document of the package. */
  uri: string;
  /** A git revision: a branch, a tag, `HEAD~1`, or `A...` for the merge base of A and HEAD. */
  revision: string;
}

export interface CompareHeapResult {
  /** The revision as given, and the commit it named. */
  revision: string;
  commit: string;
  /** Heap facts new since the revision, where the compiler reports them. */
  newFacts: { uri: string; line: number; column: number; message: string }[];
  gone: number;
  unchanged: number;
  /** Set when nothing could be compared, in the server's language (no repository, no such revision, no build). */
  error?: string;
}

/**
 * client → server: compare the package's heap facts with those at a git
 * revision; the new ones are then marked (`⇡heap new` hints, code lens
 * deltas) in the open documents until they are edited.
 */
export const compareHeapRequest = 'goinsight/compareHeap';
