// "Go Insight: Show Findings in This File": a quick pick of the active file's
// findings; picking one moves the cursor to it.
import * as vscode from 'vscode';
import { goInsightDiagnostics } from './statusItem';

const severityIcons: Record<vscode.DiagnosticSeverity, string> = {
  [vscode.DiagnosticSeverity.Error]: '$(error)',
  [vscode.DiagnosticSeverity.Warning]: '$(warning)',
  [vscode.DiagnosticSeverity.Information]: '$(info)',
  [vscode.DiagnosticSeverity.Hint]: '$(lightbulb)',
};

interface FindingItem extends vscode.QuickPickItem {
  range: vscode.Range;
}

export async function showFindingsInActiveFile(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'go') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Go file to see its Go Insight findings.'));
    return;
  }
  const items: FindingItem[] = goInsightDiagnostics(editor.document.uri)
    .sort((a, b) => a.range.start.compareTo(b.range.start))
    .map((diagnostic) => ({
      label: `${severityIcons[diagnostic.severity]} ${diagnostic.message}`,
      description: typeof diagnostic.code === 'string' || typeof diagnostic.code === 'number' ? String(diagnostic.code) : undefined,
      detail: vscode.l10n.t('line {0}', diagnostic.range.start.line + 1),
      range: diagnostic.range,
    }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Go Insight found nothing in this file.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Go Insight findings in this file'), matchOnDescription: true });
  if (!picked) return;
  editor.selection = new vscode.Selection(picked.range.start, picked.range.end);
  editor.revealRange(picked.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
