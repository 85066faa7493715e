// "Go Insight: Show Escape Report": asks the server for the report of the
// active file's package and shows it as a read-only document (its own URI
// scheme, highlighted by syntaxes/escape-report.tmLanguage.json), whose
// `file.go:line:col` locations are links.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { escapeReportRequest, type EscapeReportParams, type EscapeReportResult } from '../../server/src/protocol/customMessages';

export const reportScheme = 'goinsight-report';
export const reportLanguage = 'goinsight-escape-report';

/** Report texts by URI; a report is regenerated each time the command runs. */
class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

/** Links every `file.go:line:col` in a report to that place; relative names are relative to the package directory. */
class ReportLinks implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const packageDir = new URLSearchParams(document.uri.query).get('dir');
    if (!packageDir) return [];
    const links: vscode.DocumentLink[] = [];
    const location = /([^\s()]+\.go):(\d+):(\d+)/g;
    for (let line = 0; line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      for (const match of text.matchAll(location)) {
        const file = path.isAbsolute(match[1]) ? match[1] : path.join(packageDir, match[1]);
        const target = vscode.Uri.file(file).with({ fragment: `L${match[2]},${match[3]}` });
        const start = match.index ?? 0;
        links.push(new vscode.DocumentLink(new vscode.Range(line, start, line, start + match[0].length), target));
      }
    }
    return links;
  }
}

export function registerEscapeReport(getClient: () => LanguageClient | undefined): vscode.Disposable {
  const documents = new ReportDocuments();
  const show = async () => {
    const editor = vscode.window.activeTextEditor;
    const client = getClient();
    if (!editor || editor.document.languageId !== 'go') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a Go file to see the escape report of its package.'));
      return;
    }
    if (!client?.isRunning()) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The Go Insight server is not running.'));
      return;
    }
    const params: EscapeReportParams = { uri: editor.document.uri.toString() };
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Go Insight: escape analysis') },
      () => client.sendRequest<EscapeReportResult | null>(escapeReportRequest, params),
    );
    if (!report) {
      void vscode.window.showWarningMessage(vscode.l10n.t('No escape report: the compiler did not run (untrusted workspace, go not found, or the file is not saved on disk).'));
      return;
    }
    const uri = vscode.Uri.from({
      scheme: reportScheme,
      path: `/${path.basename(report.packageDir)}.escapes`,
      query: new URLSearchParams({ dir: report.packageDir }).toString(),
    });
    documents.set(uri, report.text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, reportLanguage);
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(reportScheme, documents),
    vscode.languages.registerDocumentLinkProvider({ scheme: reportScheme }, new ReportLinks()),
    vscode.commands.registerCommand('goinsight.showEscapeReport', show),
  );
}
