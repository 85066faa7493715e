// The one status bar item: the server's state (from its status notification)
// plus the counts of Go Insight's findings in the active Go file. Clicking it
// lists those findings.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol/customMessages';

const stateIcons: Record<StatusParams['state'], string> = {
  ready: '$(check)',
  analyzing: '$(sync~spin)',
  warning: '$(warning)',
  error: '$(error)',
};

/** Go Insight's own diagnostics (its rules and the compiler facts it reports). */
export function goInsightDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source?.startsWith('goinsight'));
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('goinsight.status', vscode.StatusBarAlignment.Left, 0);
  private status: StatusParams = { state: 'analyzing', text: '', tooltip: vscode.l10n.t('Go Insight is starting…') };
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.item.name = 'Go Insight';
    this.item.command = 'goinsight.showFindings';
    this.subscriptions = [
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    ];
    this.render();
    this.item.show();
  }

  setServerStatus(status: StatusParams): void {
    this.status = status;
    this.render();
  }

  private counts(): string {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'go') return '';
    const diagnostics = goInsightDiagnostics(document.uri);
    const problems = diagnostics.filter((diagnostic) => diagnostic.severity <= vscode.DiagnosticSeverity.Warning).length;
    const notes = diagnostics.length - problems;
    return ` $(warning) ${problems} $(info) ${notes}`;
  }

  private render(): void {
    const { state, text, tooltip } = this.status;
    this.item.text = `${stateIcons[state]} Go Insight${text ? `: ${text}` : ''}${this.counts()}`;
    const file = vscode.window.activeTextEditor?.document;
    this.item.tooltip = file?.languageId === 'go'
      ? `${tooltip}\n${vscode.l10n.t('Counts for this file: problems (errors and warnings), then notes. Click to list them.')}`
      : tooltip;
    this.item.backgroundColor =
      state === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : state === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }

  dispose(): void {
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
