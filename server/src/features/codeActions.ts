// Quick fixes: every fix a finding carries becomes a code action that edits
// the document, linked to the diagnostic it resolves.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import { comparePositions, type Finding } from '../engine/finding';

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

export function codeActionsFor(
  findings: readonly Finding[],
  uri: string,
  range: Range,
  contextDiagnostics: readonly Diagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    if (finding.fixes.length === 0 || !overlaps(finding.range, range)) continue;
    const diagnostic = contextDiagnostics.find(
      (candidate) => candidate.code === finding.rule && comparePositions(candidate.range.start, finding.range.start) === 0,
    );
    for (const fix of finding.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: diagnostic ? [diagnostic] : undefined,
        isPreferred: fix.isPreferred,
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
}
