// "Go Insight: Compare Heap Allocations with…": pick a git revision (the
// merge base with the upstream branch first, then the local and remote
// branches), and the server marks what the active file's package allocates on
// the heap that the revision did not (`⇡heap new` hints, code lens deltas).
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { compareHeapRequest, type CompareHeapParams, type CompareHeapResult } from '../../server/src/protocol/customMessages';

/** The merge base of the upstream branch and HEAD, in the form the server reads. */
const upstreamMergeBase = '@{upstream}...';

/** The branches git knows in the directory, local first; none when git is missing or it is no repository. */
function branches(cwd: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes'], { cwd, timeout: 10_000 }, (error, stdout) =>
      resolve(error ? [] : stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.endsWith('/HEAD'))),
    );
  });
}

export async function compareHeapAllocations(client: LanguageClient | undefined): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId !== 'go') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Go file of the package to compare.'));
    return;
  }
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The Go Insight server is not running.'));
    return;
  }
  const items: vscode.QuickPickItem[] = [
    { label: upstreamMergeBase, description: vscode.l10n.t('where this branch left its upstream branch') },
    ...(await branches(path.dirname(document.uri.fsPath))).map((branch) => ({ label: branch })),
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Compare the heap allocations of this package with…') });
  if (!picked) return;
  const params: CompareHeapParams = { uri: document.uri.toString(), revision: picked.label };
  let result: CompareHeapResult | null;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Go Insight: comparing heap allocations with {0}', picked.label) },
      () => client.sendRequest<CompareHeapResult | null>(compareHeapRequest, params),
    );
  } catch (error) {
    // A compiler that timed out, a server that stopped: said, not thrown at the command palette.
    void vscode.window.showWarningMessage(vscode.l10n.t('Cannot compare with {0}: {1}', picked.label, error instanceof Error ? error.message : String(error)));
    return;
  }
  if (!result) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Escape analysis did not run (untrusted workspace, go not found, or the file is not saved on disk).'));
  } else if (result.error) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Cannot compare with {0}: {1}', picked.label, result.error));
  } else {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Heap facts since {0}: {1} new, {2} gone, {3} unchanged.', picked.label, result.newFacts.length, result.gone, result.unchanged),
    );
  }
}
