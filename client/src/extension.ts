// The VS Code side of Go Insight, kept thin: it starts the language server
// over Node IPC, tells it whether the workspace is trusted, shows one status
// bar item, and registers the commands. All analysis lives in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  runCompilerRequest,
  statusNotification,
  trustChangedNotification,
  type InitializationOptions,
  type RunCompilerParams,
  type StatusParams,
  type TrustChangedParams,
} from '../../server/src/protocol/customMessages';
import { compareHeapAllocations } from './compareHeap';
import { registerEscapeReport } from './escapeReport';
import { runLeakTests } from './leakTests';
import { CrashPolicy } from './crashPolicy';
import { showFindingsInActiveFile } from './findingsPicker';
import { showRuleDocumentation } from './ruleDocumentation';
import { StatusItem } from './statusItem';

let client: LanguageClient | undefined;

/** The code lens "N heap allocations": show them in a peek view at the function's name. */
async function showHeapAllocations(uri: string, position: unknown, locations: unknown[]): Promise<void> {
  if (!client) return;
  const converter = client.protocol2CodeConverter;
  await vscode.commands.executeCommand(
    'editor.action.showReferences',
    vscode.Uri.parse(uri),
    converter.asPosition(position as Parameters<typeof converter.asPosition>[0]),
    locations.map((location) => converter.asLocation(location as Parameters<typeof converter.asLocation>[0])),
  );
}

async function rerunAnalysis(): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!client?.isRunning() || document?.languageId !== 'go') return;
  const params: RunCompilerParams = { uri: document.uri.toString() };
  const report = await client.sendRequest(runCompilerRequest, params);
  if (!report) void vscode.window.showWarningMessage(vscode.l10n.t('Escape analysis did not run (untrusted workspace, go not found, or the file is not saved on disk).'));
}

async function toggleInlayHints(): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('goinsight');
  const enabled = configuration.get<boolean>('inlayHints.enable', true);
  await configuration.update('inlayHints.enable', !enabled, vscode.ConfigurationTarget.Global);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Go Insight', { log: true });
  const statusItem = new StatusItem();
  context.subscriptions.push(output, statusItem);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = { trusted: vscode.workspace.isTrusted };
  const crashes = new CrashPolicy();
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    initializationOptions,
    // go.mod (Go version, module root) and .goinsight.json change what the rules say.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{go.mod,.goinsight.json}') },
    outputChannel: output,
    traceOutputChannel: output,
    // Restart after a crash (the client re-sends the open documents), telling the user once; stop a crash loop.
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        const decision = crashes.onCrash(Date.now());
        if (decision === 'give-up') {
          void vscode.window.showErrorMessage(
            vscode.l10n.t('The Go Insight server stopped 5 times in 3 minutes and is not restarted again. Its output has the details; "Go Insight: Restart Server" starts it again.'),
          );
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        if (decision === 'restart-and-tell') {
          void vscode.window.showWarningMessage(vscode.l10n.t('The Go Insight server stopped unexpectedly and was restarted.'));
        }
        return { action: CloseAction.Restart, handled: true };
      },
    },
  };
  client = new LanguageClient('goinsight', 'Go Insight', serverOptions, clientOptions);

  context.subscriptions.push(
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped) {
        statusItem.setServerStatus({
          state: 'error',
          text: vscode.l10n.t('stopped'),
          tooltip: vscode.l10n.t('The Go Insight server is not running. Click to see its output.'),
        });
      }
    }),
    client.onNotification(statusNotification, (status: StatusParams) => statusItem.setServerStatus(status)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: TrustChangedParams = { trusted: true };
      void client?.sendNotification(trustChangedNotification, params);
    }),
    vscode.commands.registerCommand('goinsight.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('goinsight.showFindings', showFindingsInActiveFile),
    vscode.commands.registerCommand('goinsight.toggleInlayHints', toggleInlayHints),
    vscode.commands.registerCommand('goinsight.showRuleDocumentation', (ruleId?: string) => showRuleDocumentation(client, ruleId)),
    vscode.commands.registerCommand('goinsight.showHeapAllocations', showHeapAllocations),
    vscode.commands.registerCommand('goinsight.rerunAnalysis', rerunAnalysis),
    vscode.commands.registerCommand('goinsight.runLeakTests', (uri?: string, test?: string) => runLeakTests(client, output, uri, test)),
    vscode.commands.registerCommand('goinsight.compareHeapAllocations', () => compareHeapAllocations(client)),
    registerEscapeReport(() => client),
    vscode.commands.registerCommand('goinsight.restartServer', async () => {
      crashes.reset();
      statusItem.setServerStatus({ state: 'analyzing', text: vscode.l10n.t('restarting'), tooltip: vscode.l10n.t('Restarting the Go Insight server…') });
      await client?.restart();
    }),
  );

  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.error(`Go Insight server failed to start: ${message}`);
    statusItem.setServerStatus({ state: 'error', text: vscode.l10n.t('failed'), tooltip: message });
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
