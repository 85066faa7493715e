// The language server, independent of its transport: `startServer` wires a
// connection (stdio, IPC or an in-memory pair) to the parse → rules → findings
// pipeline and renders findings through the LSP features.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { analyzeTree, type FileAnalysis } from './engine/analyzeFile';
import { anyPackageRuleEnabled } from './engine/analyzePackage';
import { compareFindings, type Finding } from './engine/finding';
import { GoModuleLocator } from './engine/goModule';
import type { LineIndex } from './engine/lineIndex';
import { isExcluded, ProjectConfigError, ProjectConfigLocator, type ProjectConfig } from './engine/projectConfig';
import { codeActionsFor } from './features/codeActions';
import { toDiagnostics } from './features/diagnostics';
import { renderEscapeReport } from './features/escapeReport';
import { heapCodeLenses } from './features/heapCodeLens';
import { hoverAt, ruleDocumentationMarkdown } from './features/hover';
import { keywordHover } from './features/keywordHover';
import { allRuleDescriptions, findRule } from './rules/allRules';
import { localize } from './l10n/serverText';
import { toInlayHints } from './features/inlayHints';
import { createGoParser } from './parse/goParser';
import { OpenDocuments, type OpenDocument } from './parse/openDocuments';
import {
  analyzedNotification,
  compareHeapRequest,
  compilerFactsNotification,
  escapeReportRequest,
  runCompilerRequest,
  statusNotification,
  ruleDocumentationRequest,
  runLeakTestsRequest,
  syntaxTreeRequest,
  trustChangedNotification,
  type AnalyzedParams,
  type CompareHeapParams,
  type CompareHeapResult,
  type CompilerFactsParams,
  type EscapeReportParams,
  type EscapeReportResult,
  type RunCompilerParams,
  type InitializationOptions,
  type RuleDocumentationParams,
  type RuleDocumentationResult,
  type RunLeakTestsParams,
  type RunLeakTestsResult,
  type StatusParams,
  type SyntaxTreeParams,
  type SyntaxTreeResult,
  type TrustChangedParams,
} from './protocol/customMessages';
import { ruleText, type Locale } from './rules/rule';
import { defaultSettings, readSettings, type Settings } from './settings';
import { isAbortError, removeStaleTempDirs } from './compiler/runCompiler';
import { readGoFile } from './engine/readGoFile';
import { testLeakCodeLenses } from './features/testLeakCodeLens';
import { LeakSession, NotInModuleError } from './workspace/leakSession';
import { attachDeferAllocations, presentCompilerFindings } from './workspace/compilerFindings';
import { CompilerSession, compilerBuildFlags, type CompilerDocument, type CompilerRunReport } from './workspace/compilerSession';
import { HeapComparison } from './workspace/heapComparison';
import { DeferredPackageFindings, type KeptPackageFindings, type PackageFindingsState } from './workspace/deferredPackageFindings';
import { OpenPackages } from './workspace/openPackages';

interface DocumentAnalysis {
  version: number;
  findings: Finding[];
}

function localeOf(params: InitializeParams): Locale {
  return params.locale?.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}

function compilerFactsParams(report: CompilerRunReport): CompilerFactsParams {
  const { packageDir, documents, facts, durationMs, fromCache, buildFailed } = report;
  return { packageDir, documents, facts, durationMs, fromCache, buildFailed: buildFailed && { kind: buildFailed.kind, message: buildFailed.message } };
}

function filePathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function startServer(connection: Connection): void {
  let locale: Locale = 'en';
  let settings: Settings = defaultSettings;
  let trusted = true;
  let canPullConfiguration = false;
  let canRefreshInlayHints = false;
  let canShowProgress = false;
  let canRefreshCodeLenses = false;
  let documents: OpenDocuments | undefined;
  let packages: OpenPackages | undefined;
  let canWatchFiles = false;
  let compiler: CompilerSession | undefined;
  let leaks: LeakSession | undefined;
  const compilingPackages = new Set<string>();
  /**
   * The go command must not run before the user's settings are known (which
   * binary, which flags, whether to run at all): documents opened before that
   * get their compile when the settings arrive.
   */
  let settingsLoaded = false;
  /**
   * Changed settings are being fetched: background re-analyses wait for them
   * (the re-analysis of every document follows), so that no result of the old
   * settings is published after the user changed them.
   */
  let settingsChanging = false;
  let markSettingsLoaded = () => {};
  const settingsReady = new Promise<void>((resolve) => {
    markSettingsLoaded = resolve;
  });
  const analyses = new Map<string, DocumentAnalysis>();
  const fileRuleRuns = new Map<string, { version: number; result: FileAnalysis }>();
  /** Each open document's package findings while typing pauses are awaited; a pause's end analyzes the document again. */
  const packageFindings = new DeferredPackageFindings((uri) => {
    const document = documents?.get(uri);
    if (document && !settingsChanging) analyzeNow(document);
  });
  /** The last "Compare Heap Allocations with…" of the user. */
  const heapComparison = new HeapComparison();
  const modules = new GoModuleLocator();
  const projectConfigs = new ProjectConfigLocator(modules);
  const toldTooLarge = new Set<string>();
  const toldTooDeep = new Set<string>();
  const toldBrokenConfig = new Set<string>();

  /** The project file's choices for a file; a broken project file is reported once and ignored. */
  function projectConfigFor(filePath: string | undefined): ProjectConfig | undefined {
    if (!filePath) return undefined;
    const config = projectConfigs.forFile(filePath);
    if (!(config instanceof ProjectConfigError)) return config;
    if (!toldBrokenConfig.has(config.message)) {
      toldBrokenConfig.add(config.message);
      tellUser(MessageType.Warning, `Go Insight: ${config.describe(locale)}`);
    }
    return undefined;
  }

  let lastStatus: StatusParams = { state: 'analyzing', text: '', tooltip: '' };
  const sendStatus = (status: StatusParams) => {
    lastStatus = status;
    void connection.sendNotification(statusNotification, status);
  };
  // A notification, not window/showMessageRequest: nothing to answer, and a
  // client that does not implement the request cannot make it fail.
  const tellUser = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });

  function analyze(document: OpenDocument): void {
    const text = document.tree.text;
    const filePath = filePathOf(document.uri);
    let findings: Finding[] = [];
    let packageState: PackageFindingsState = 'current';
    const config = projectConfigFor(filePath);
    // The user's own settings win over the project file's.
    const ruleSettings = { ...config?.rules, ...settings.rules };
    if (!settings.enable || (config && filePath && isExcluded(config, filePath))) {
      // nothing to show
    } else if (text.length > settings.maxFileSize) {
      if (!toldTooLarge.has(document.uri)) {
        toldTooLarge.add(document.uri);
        tellUser(MessageType.Info, localize(locale, 'fileTooLarge', { file: path.basename(filePath ?? document.uri), limit: settings.maxFileSize }));
      }
    } else {
      const result = fileRulesOf(document, filePath, ruleSettings);
      if (result.tooDeeplyNested && !toldTooDeep.has(document.uri)) {
        toldTooDeep.add(document.uri);
        tellUser(MessageType.Info, localize(locale, 'fileTooDeeplyNested', { file: path.basename(filePath ?? document.uri), limit: result.tooDeeplyNested.limit }));
      }
      const fromCompiler = compiler?.findingsFor(document.uri, document.version);
      const compilerFindings = fromCompiler
        ? presentCompilerFindings(fromCompiler.findings, fromCompiler.buildFailed, document.tree.tree, result.lines, locale, {
            ruleSettings,
            disabledCategories: settings.disabledCategories,
          })
        : [];
      const fromTests = filePath ? (leaks?.findingsFor(filePath, document.version, text) ?? []) : [];
      const inPackage = packageFindingsOf(document, filePath, result.tooDeeplyNested !== undefined, result.lines, ruleSettings);
      packageState = inPackage.state;
      findings = [...attachDeferAllocations([...result.findings, ...inPackage.findings], compilerFindings, locale), ...fromTests].sort(compareFindings);
    }
    analyses.set(document.uri, { version: document.version, findings });
    const diagnostics = toDiagnostics(findings, document.uri, (file) => pathToFileURL(file).toString());
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
    const analyzed: AnalyzedParams = {
      uri: document.uri,
      version: document.version,
      diagnostics: diagnostics.length,
      annotations: findings.filter((finding) => finding.presentation === 'annotation').length,
      packageFindings: packageState,
    };
    void connection.sendNotification(analyzedNotification, analyzed);
  }

  /**
   * The file rules' findings in an open document. An analysis of the version
   * last analyzed (at the end of a pause in typing, when compiler facts
   * arrive) reuses them; changed settings or project files clear them all
   * (reanalyzeAll).
   */
  function fileRulesOf(document: OpenDocument, filePath: string | undefined, ruleSettings: Settings['rules']): FileAnalysis {
    const last = fileRuleRuns.get(document.uri);
    if (last?.version === document.version) return last.result;
    const result = analyzeTree(document.tree.tree, document.tree.text, {
      locale,
      filePath,
      goVersion: filePath ? modules.find(path.dirname(filePath))?.goVersion : undefined,
      ruleSettings,
      disabledCategories: settings.disabledCategories,
      includeGenerated: settings.analyzeGeneratedFiles,
      lines: document.tree.lines,
    });
    for (const failure of result.failures) {
      connection.console.error(`rule ${failure.rule} failed on ${document.uri}: ${failure.error.stack ?? failure.error.message}`);
    }
    fileRuleRuns.set(document.uri, { version: document.version, result });
    return result;
  }

  /**
   * The package rules' findings in an open document: those kept for this
   * version while typing pauses are awaited, else the rules' own. When the
   * document's facts changed, the other open files of its package are
   * analyzed again (their findings may depend on it).
   */
  function packageFindingsOf(document: OpenDocument, filePath: string | undefined, tooDeep: boolean, lines: LineIndex, ruleSettings: Settings['rules']): KeptPackageFindings {
    const options = { locale, ruleSettings, disabledCategories: settings.disabledCategories, includeGenerated: settings.analyzeGeneratedFiles };
    // With nothing kept, typing has nothing to carry and no pause to wait for.
    if (!filePath || !packages || tooDeep || !anyPackageRuleEnabled(options)) return { findings: [], state: 'current' };
    const kept = packageFindings.reusable(document.uri, document.version);
    if (kept) return kept;
    const { findings, failures, changed } = packages.findingsFor({ filePath, version: document.version, tree: document.tree.tree, text: document.tree.text, lines }, options);
    for (const failure of failures) connection.console.error(`rule ${failure.rule} failed on ${document.uri}: ${failure.error.stack ?? failure.error.message}`);
    packageFindings.computed(document.uri, document.version, findings);
    if (changed) reanalyzeDirectory(path.dirname(filePath), document.uri);
    return { findings, state: 'current' };
  }

  /**
   * Analyzes the open documents of a directory again (soon), except `except`
   * and those being typed in: their package rules run at the end of the pause
   * anyway (a package read for the first time would otherwise be analyzed in
   * the middle of a burst of typing), and their file findings did not change.
   */
  function reanalyzeDirectory(directory: string, except?: string): void {
    for (const other of documents?.all() ?? []) {
      const otherPath = filePathOf(other.uri);
      if (other.uri === except || !otherPath || path.dirname(otherPath) !== directory || packageFindings.waiting(other.uri)) continue;
      analyses.delete(other.uri);
      packageFindings.forget(other.uri);
      analyzeSoon(other);
    }
  }

  function safely<T>(what: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  }

  function compilerDocument(document: OpenDocument): CompilerDocument | undefined {
    const filePath = filePathOf(document.uri);
    if (!filePath || !filePath.endsWith('.go')) return undefined;
    return { uri: document.uri, filePath, version: document.version, text: document.tree.text };
  }

  function packageName(packageDir: string): string {
    return path.basename(packageDir);
  }

  let progressEnd: (() => void) | undefined;

  function compilerBusy(packageDir: string, running: boolean): void {
    if (running) compilingPackages.add(packageDir);
    else compilingPackages.delete(packageDir);
    if (running) {
      sendStatus({
        state: 'analyzing',
        text: localize(locale, 'statusCompiling', { package: packageName(packageDir) }),
        tooltip: localize(locale, 'statusCompilingTooltip', { package: packageDir }),
      });
      if (canShowProgress && !progressEnd) {
        let ended = false;
        progressEnd = () => {
          ended = true;
        };
        void connection.window.createWorkDoneProgress().then((progress) => {
          if (ended) return progress.done();
          progress.begin(localize(locale, 'progressTitle'), undefined, packageName(packageDir));
          progressEnd = () => progress.done();
        }, () => undefined);
      }
    } else if (compilingPackages.size === 0) {
      progressEnd?.();
      progressEnd = undefined;
      // A run that was superseded or failed publishes nothing: do not leave "compiling" behind.
      if (lastStatus.state === 'analyzing') {
        sendStatus({ state: 'ready', text: localize(locale, 'statusReady'), tooltip: localize(locale, 'statusReadyTooltip') });
      }
    }
  }

  function compilerPublished(report: CompilerRunReport): void {
    for (const { uri } of report.documents) {
      const document = documents?.get(uri);
      if (document) safely(`analysis of ${uri}`, undefined, () => analyze(document));
    }
    const seconds = (report.durationMs / 1000).toFixed(1);
    const failure = report.buildFailed;
    if (failure?.toolchain) {
      // Not "does not compile": the code may be fine, the go command is too old for it.
      sendStatus({
        state: 'warning',
        text: localize(locale, 'statusToolchainNeeded', { required: failure.toolchain.required }),
        tooltip: localize(locale, 'compilerToolchainNeeded', { ...failure.toolchain }),
      });
    } else if (failure) {
      sendStatus({
        state: 'warning',
        text: localize(locale, 'statusBuildFailed'),
        tooltip: localize(locale, 'statusBuildFailedTooltip', { package: report.packageDir, error: failure.message }),
      });
    } else {
      sendStatus({
        state: 'ready',
        text: localize(locale, 'statusCompiled', { seconds }),
        tooltip: localize(locale, 'statusCompiledTooltip', { package: report.packageDir, seconds, cached: report.fromCache ? localize(locale, 'statusCached') : '' }),
      });
    }
    void connection.sendNotification(compilerFactsNotification, compilerFactsParams(report));
    if (canRefreshInlayHints) void connection.languages.inlayHint.refresh();
    if (canRefreshCodeLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  function createCompilerSession(): CompilerSession {
    return new CompilerSession(
      {
        documentsIn: (packageDir) =>
          (documents?.all() ?? [])
            .map(compilerDocument)
            .filter((document): document is CompilerDocument => document !== undefined && path.dirname(document.filePath) === packageDir),
        currentVersion: (uri) => documents?.get(uri)?.version,
        log: (message) => connection.console.log(message),
        locale,
        warnUser: (message) => {
          tellUser(MessageType.Warning, localize(locale, 'notice', { message }));
          sendStatus({ state: 'warning', text: localize(locale, 'statusNoGo'), tooltip: message });
        },
        timedOut: (packageDir, seconds) => {
          const message = localize(locale, 'compilerTimedOut', { seconds, package: packageName(packageDir) });
          tellUser(MessageType.Warning, message);
          sendStatus({ state: 'warning', text: localize(locale, 'statusTimedOut'), tooltip: message });
        },
        busy: compilerBusy,
        published: compilerPublished,
      },
      settings.compiler,
      // Settings that name binaries are ignored in an untrusted workspace.
      trusted ? settings.goPath : '',
      trusted,
    );
  }

  /** Re-runs escape analysis for every package with an open document (after settings or trust changed). */
  function recompileOpenPackages(): void {
    if (settings.compiler.run === 'manual') return;
    const packages = new Set((documents?.all() ?? []).map(compilerDocument).flatMap((document) => (document ? [path.dirname(document.filePath)] : [])));
    for (const packageDir of packages) void compiler?.run(packageDir);
  }

  /** Findings for a request, only if they were computed for the document's current version. */
  function currentFindings(uri: string): Finding[] {
    const document = documents?.get(uri);
    if (!document) return [];
    // A request between a keystroke and its (coalesced) analysis gets the current version analyzed now.
    if (analyses.get(uri)?.version !== document.version) analyzeNow(document);
    const analysis = analyses.get(uri);
    return analysis?.version === document.version ? analysis.findings : [];
  }

  /**
   * Typing produces bursts of changes; analyzing after each one would redo the
   * work for text that is already gone. A change's analysis waits until the
   * messages already received are handled (setImmediate: no fixed delay), so a
   * burst read in one go is analyzed once; anything that needs the results
   * (hover, hints, code actions) analyzes at once through currentFindings.
   */
  const pendingAnalyses = new Map<string, NodeJS.Immediate>();

  function analyzeSoon(document: OpenDocument): void {
    if (pendingAnalyses.has(document.uri)) return;
    pendingAnalyses.set(
      document.uri,
      setImmediate(() => {
        pendingAnalyses.delete(document.uri);
        const current = documents?.get(document.uri);
        if (current && !settingsChanging && analyses.get(current.uri)?.version !== current.version) analyzeNow(current);
      }),
    );
  }

  function analyzeNow(document: OpenDocument): void {
    clearImmediate(pendingAnalyses.get(document.uri));
    pendingAnalyses.delete(document.uri);
    safely(`analysis of ${document.uri}`, undefined, () => analyze(document));
  }

  /** Leak findings of a file that is not open: published on their own, as long as they match the file on disk. */
  function publishClosedFile(filePath: string): void {
    const read = readGoFile(filePath);
    const findings = 'text' in read ? (leaks?.findingsFor(filePath, undefined, read.text) ?? []) : [];
    void connection.sendDiagnostics({ uri: pathToFileURL(filePath).toString(), diagnostics: toDiagnostics(findings, pathToFileURL(filePath).toString(), (file) => pathToFileURL(file).toString()) });
  }

  async function runLeakTestsFor(params: RunLeakTestsParams, cancel: { onCancellationRequested: (listener: () => void) => unknown }): Promise<RunLeakTestsResult> {
    const nothing: RunLeakTestsResult = { cancelled: false, findings: 0, failedTests: [], hungTests: [], leakProfile: false };
    // Running tests runs the user's code: never in restricted mode.
    if (!trusted) return { ...nothing, refused: localize(locale, 'leakRefusedUntrusted') };
    const filePath = filePathOf(params.uri);
    if (!filePath || !leaks) return { ...nothing, refused: localize(locale, 'leakRefusedNotOnDisk') };
    await settingsArrived();
    const controller = new AbortController();
    cancel.onCancellationRequested(() => controller.abort());
    const progress = canShowProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    const message = leaks.firstRun ? localize(locale, 'leakProgressFirstRun') : localize(locale, 'leakProgressRunning', { package: packageName(path.dirname(filePath)) });
    progress?.begin(localize(locale, 'leakProgressTitle'), undefined, message, true);
    progress?.token.onCancellationRequested(() => controller.abort());
    try {
      const buffers = (documents?.all() ?? []).flatMap((document) => {
        const open = compilerDocument(document);
        return open ? [{ filePath: open.filePath, version: open.version, text: open.text }] : [];
      });
      const outcome = await leaks.run({ filePath, test: params.test, goPath: settings.goPath, locale, buffers, signal: controller.signal, hangAfterMs: settings.leaks.timeoutSeconds * 1000 });
      connection.console.log(outcome.run.transcript);
      for (const file of outcome.touched) {
        const document = documents?.get(pathToFileURL(file).toString());
        if (document) safely(`analysis of ${document.uri}`, undefined, () => analyze(document));
        else publishClosedFile(file);
      }
      const tests = outcome.run.packages.flatMap((run) => [...(run.events?.tests.values() ?? [])]);
      const hung = outcome.run.packages.some((run) => run.profile?.state === 'hung');
      return {
        cancelled: false,
        findings: outcome.findingCount,
        failedTests: tests.filter((test) => test.outcome === 'fail').map((test) => test.name),
        hungTests: hung ? tests.filter((test) => test.outcome === 'running').map((test) => test.name) : [],
        leakProfile: outcome.leakProfile,
      };
    } catch (error) {
      if (isAbortError(error)) return { ...nothing, cancelled: true };
      if (error instanceof NotInModuleError) return { ...nothing, refused: localize(locale, 'leakRefusedNoModule', { directory: error.directory }) };
      // Otherwise the go command's own words (go not found, go list failed): they name what to fix.
      return { ...nothing, refused: error instanceof Error ? error.message : String(error) };
    } finally {
      progress?.done();
    }
  }

  async function reloadSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    const raw: unknown = await connection.workspace.getConfiguration('goinsight');
    settings = readSettings(raw);
  }

  /** Escape analysis of an open document's package on request (once the settings are known); undefined when it cannot run. */
  async function compileDocumentPackage(uri: string): Promise<CompilerRunReport | undefined> {
    await settingsArrived();
    const document = documents?.get(uri);
    const forCompiler = document ? compilerDocument(document) : undefined;
    return forCompiler ? compiler?.run(path.dirname(forCompiler.filePath)) : undefined;
  }

  /** Resolves once the first settings are in (a request may come before); gives up waiting after 10 s. */
  function settingsArrived(): Promise<void> {
    return Promise.race([settingsReady, new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())]);
  }

  function reanalyzeAll(): void {
    fileRuleRuns.clear();
    packageFindings.forgetAll();
    compiler?.reconfigure(settings.compiler, trusted ? settings.goPath : '', trusted);
    for (const document of documents?.all() ?? []) safely(`analysis of ${document.uri}`, undefined, () => analyze(document));
    if (canRefreshInlayHints) void connection.languages.inlayHint.refresh();
    recompileOpenPackages();
  }

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    locale = localeOf(params);
    const options = params.initializationOptions as Partial<InitializationOptions> | undefined;
    trusted = options?.trusted !== false;
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    canShowProgress = params.capabilities.window?.workDoneProgress === true;
    canRefreshCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    documents = new OpenDocuments(await createGoParser());
    packages = new OpenPackages(await createGoParser(), (directory) => reanalyzeDirectory(directory));
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    compiler = createCompilerSession();
    leaks = new LeakSession(await createGoParser());
    // A server that was killed mid-compile leaves its private temp directory behind; sweep old ones.
    void removeStaleTempDirs().catch((error: unknown) => connection.console.error(`sweeping stale temp directories failed: ${String(error)}`));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        inlayHintProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'goinsight' },
    };
  });

  connection.onInitialized(async () => {
    // The package rules read unopened files of a package from disk: their changes must reach the server.
    if (canWatchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.go' }] });
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'goinsight' });
      await reloadSettings().catch((error: unknown) => connection.console.error(`reading settings failed: ${String(error)}`));
      settingsLoaded = true;
      // Also runs the compiler for documents opened while the settings were being read.
      reanalyzeAll();
    }
    settingsLoaded = true;
    markSettingsLoaded();
    sendStatus({
      state: 'ready',
      text: localize(locale, 'statusReady'),
      tooltip: localize(locale, trusted ? 'statusReadyTooltip' : 'statusRestrictedTooltip'),
    });
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfiguration) {
      settingsChanging = true;
      try {
        await reloadSettings().catch(() => undefined);
      } finally {
        settingsChanging = false;
      }
    } else settings = readSettings((change.settings as { goinsight?: unknown } | undefined)?.goinsight);
    reanalyzeAll();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const goFiles = changes.flatMap((change) => {
      const changedPath = change.uri.endsWith('.go') ? filePathOf(change.uri) : undefined;
      return changedPath ? [changedPath] : [];
    });
    const directories = new Set(goFiles.map((file) => packages?.diskChanged(file) ?? path.dirname(file)));
    if (goFiles.length === changes.length) {
      // Go files only: the packages they belong to, nothing else.
      for (const directory of directories) reanalyzeDirectory(directory);
      return;
    }
    modules.clear();
    projectConfigs.clear();
    toldBrokenConfig.clear();
    reanalyzeAll();
  });

  connection.onNotification(trustChangedNotification, (params: TrustChangedParams) => {
    trusted = params.trusted;
    reanalyzeAll();
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    safely(`opening ${textDocument.uri}`, undefined, () => {
      const document = documents?.open(textDocument.uri, textDocument.version, textDocument.text);
      if (!document) return;
      analyze(document);
      const forCompiler = compilerDocument(document);
      if (forCompiler && settingsLoaded) compiler?.documentOpened(forCompiler);
    });
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    safely(`change of ${textDocument.uri}`, undefined, () => {
      const document = documents?.change(textDocument.uri, textDocument.version, contentChanges);
      if (!document) return;
      const forCompiler = compilerDocument(document);
      // First carry the compiler's findings to the new version, so the next analysis shows them on the right lines.
      if (forCompiler) compiler?.documentChanged(forCompiler, contentChanges);
      if (forCompiler) leaks?.documentChanged(forCompiler.filePath, document.version, contentChanges, forCompiler.text);
      packageFindings.changed(document.uri, document.version, contentChanges, settings.packageRules.typingDelayMs);
      analyzeSoon(document);
    });
  });

  connection.onDidSaveTextDocument(({ textDocument }) => {
    const document = documents?.get(textDocument.uri);
    const forCompiler = document ? compilerDocument(document) : undefined;
    if (forCompiler && settingsLoaded) compiler?.documentSaved(forCompiler);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    clearImmediate(pendingAnalyses.get(textDocument.uri));
    pendingAnalyses.delete(textDocument.uri);
    packageFindings.forget(textDocument.uri);
    fileRuleRuns.delete(textDocument.uri);
    compiler?.documentClosed(textDocument.uri);
    const closedPath = filePathOf(textDocument.uri);
    if (closedPath) packages?.closed(closedPath);
    documents?.close(textDocument.uri);
    analyses.delete(textDocument.uri);
    toldTooLarge.delete(textDocument.uri);
    toldTooDeep.delete(textDocument.uri);
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
    const filePath = filePathOf(textDocument.uri);
    if (filePath) {
      leaks?.documentClosed(filePath);
      if (leaks?.files().includes(filePath)) publishClosedFile(filePath);
    }
  });

  connection.onHover(({ textDocument, position }) =>
    safely('hover', null, () => {
      const document = documents?.get(textDocument.uri);
      const keywordNote = document && settings.enable ? keywordHover(document.tree.tree, document.tree.text, document.tree.lines, position, locale) : undefined;
      return hoverAt(currentFindings(textDocument.uri), position, locale, { documentUri: textDocument.uri, keywordNote });
    }),
  );


  connection.languages.inlayHint.on(({ textDocument, range }) =>
    safely('inlay hints', [], () =>
      toInlayHints(
        heapComparison.marked(textDocument.uri, documents?.get(textDocument.uri)?.version ?? -1, currentFindings(textDocument.uri)),
        range,
        (finding) =>
          settings.inlayHints.enable &&
          (finding.rule !== 'defer/order' || settings.inlayHints.deferOrder) &&
          (finding.source !== 'compiler' || settings.inlayHints.escape),
        locale,
      ),
    ),
  );

  connection.onCodeAction(({ textDocument, range, context }) =>
    safely('code actions', [], () => {
      const document = documents?.get(textDocument.uri);
      if (!document) return [];
      // Carried package findings offer no fixes: a quick fix asked for now gets the package rules' own.
      packageFindings.endPause(textDocument.uri);
      return codeActionsFor(currentFindings(textDocument.uri), document.tree.text, textDocument.uri, range, context.diagnostics, locale);
    }),
  );

  connection.onRequest(runCompilerRequest, async ({ uri }: RunCompilerParams): Promise<CompilerFactsParams | null> => {
    const report = await compileDocumentPackage(uri);
    return report ? compilerFactsParams(report) : null;
  });

  connection.onRequest(escapeReportRequest, async ({ uri }: EscapeReportParams): Promise<EscapeReportResult | null> => {
    const report = await compileDocumentPackage(uri);
    if (!report) return null;
    const newSince = heapComparison.newSince(report.packageDir, (document) => documents?.get(document)?.version);
    return { packageDir: report.packageDir, text: renderEscapeReport(report.result, locale, newSince) };
  });

  connection.onCodeLens(({ textDocument }) =>
    safely('code lenses', [], () => {
      const findings = currentFindings(textDocument.uri);
      const document = documents?.get(textDocument.uri);
      if (!document) return [];
      const testLenses = trusted ? testLeakCodeLenses(document.tree.tree, document.tree.lines, textDocument.uri, locale) : [];
      const revision = heapComparison.revisionName;
      const delta = revision ? { revision, isNew: (finding: Finding) => heapComparison.isNew(textDocument.uri, document.version, finding) } : undefined;
      return [...heapCodeLenses(findings, document.tree.tree, document.tree.lines, textDocument.uri, locale, delta), ...testLenses];
    }),
  );

  connection.onRequest(runLeakTestsRequest, (params: RunLeakTestsParams, token) => runLeakTestsFor(params, token));

  connection.onRequest(compareHeapRequest, async ({ uri, revision }: CompareHeapParams): Promise<CompareHeapResult | null> => {
    const report = await compileDocumentPackage(uri);
    if (!report) return null;
    const packageDocuments = (documents?.all() ?? [])
      .map(compilerDocument)
      .filter((document): document is CompilerDocument => document !== undefined && path.dirname(document.filePath) === report.packageDir);
    const result = await heapComparison.compare({
      report,
      documents: packageDocuments,
      revision,
      buildFlags: compilerBuildFlags(settings.compiler),
      timeoutMs: settings.compiler.timeoutSeconds * 1000,
      locale,
    });
    if (canRefreshInlayHints) void connection.languages.inlayHint.refresh();
    if (canRefreshCodeLenses) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    return result;
  });

  connection.onShutdown(() => compiler?.dispose());

  connection.onRequest(ruleDocumentationRequest, ({ rule }: RuleDocumentationParams): RuleDocumentationResult => {
    const rules = allRuleDescriptions().map((candidate) => ({ id: candidate.id, title: ruleText(candidate, locale).title, category: candidate.category }));
    const found = rule ? findRule(rule) : undefined;
    return { rules, markdown: found ? ruleDocumentationMarkdown(found, locale) : undefined };
  });

  connection.onRequest(syntaxTreeRequest, ({ uri }: SyntaxTreeParams): SyntaxTreeResult | null => {
    const document = documents?.get(uri);
    if (!document) return null;
    return { version: document.version, text: document.tree.text, tree: document.tree.tree.rootNode.toString() };
  });

  connection.listen();
}
