// "Go Insight: Show Rule Documentation": pick a rule (or pass its id) and read
// its explanation as rendered Markdown, in the server's language.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ruleDocumentationRequest, type RuleDocumentationParams, type RuleDocumentationResult } from '../../server/src/protocol/customMessages';

export async function showRuleDocumentation(client: LanguageClient | undefined, ruleId?: string): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The Go Insight server is not running.'));
    return;
  }
  let rule = typeof ruleId === 'string' ? ruleId : undefined;
  if (!rule) {
    const { rules } = await client.sendRequest<RuleDocumentationResult>(ruleDocumentationRequest, {} satisfies RuleDocumentationParams);
    const picked = await vscode.window.showQuickPick(
      rules.map((summary) => ({ label: summary.id, description: summary.title, detail: summary.category })),
      { placeHolder: vscode.l10n.t('Which rule?'), matchOnDescription: true },
    );
    rule = picked?.label;
  }
  if (!rule) return;
  const { markdown } = await client.sendRequest<RuleDocumentationResult>(ruleDocumentationRequest, { rule } satisfies RuleDocumentationParams);
  if (!markdown) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No rule named {0}.', rule));
    return;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.commands.executeCommand('markdown.showPreview', document.uri);
}
