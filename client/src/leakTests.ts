// The command "Go Insight: Run Tests with Leak Detection" (the active file's
// package) and the target of the "run with leak check" code lens (one test).
// The server does the run, shows progress with a cancel button and publishes
// the findings; this side only asks and reports how it went.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { runLeakTestsRequest, type RunLeakTestsParams, type RunLeakTestsResult } from '../../server/src/protocol/customMessages';

export async function runLeakTests(client: LanguageClient | undefined, output: vscode.OutputChannel, uri?: string, test?: string): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!target || (!uri && vscode.window.activeTextEditor?.document.languageId !== 'go')) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Go file to run the tests of its package with leak detection.'));
    return;
  }
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The Go Insight server is not running.'));
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Running tests runs the workspace’s code: trust the workspace first.'));
    return;
  }
  const params: RunLeakTestsParams = { uri: target, test };
  const result: RunLeakTestsResult = await client.sendRequest(runLeakTestsRequest, params);
  if (result.refused) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The tests did not run: {0}', result.refused));
    return;
  }
  if (result.cancelled) return;
  const problems = [...result.failedTests, ...result.hungTests];
  if (problems.length > 0) {
    const show = vscode.l10n.t('Show Output');
    const text = result.hungTests.length > 0 ? vscode.l10n.t('Tests hung: {0}', result.hungTests.join(', ')) : vscode.l10n.t('Tests failed: {0}', result.failedTests.join(', '));
    if ((await vscode.window.showWarningMessage(text, show)) === show) output.show(true);
  }
  const summary = result.findings === 0 ? vscode.l10n.t('Leak check: no goroutine leaked.') : vscode.l10n.t('Leak check: {0} finding(s); see the Problems view.', result.findings);
  const note = result.leakProfile ? '' : ` ${vscode.l10n.t('(This Go has no goroutine leak profile: only goroutines still blocked at the end are shown.)')}`;
  void vscode.window.showInformationMessage(summary + note);
}
