// Quick fixes: every fix a finding carries becomes a code action that edits
// the document, linked to the diagnostic it resolves; every diagnostic also
// gets "Ignore RULE on this line", which inserts a goinsight:ignore comment.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import { comparePositions, type Finding } from '../engine/finding';
import { LineIndex } from '../engine/lineIndex';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function ignoreAction(finding: Finding, text: string, uri: string, locale: Locale, diagnostic: Diagnostic | undefined): CodeAction {
  const line = finding.range.start.line;
  const indentation = /^[ \t]*/.exec(new LineIndex(text).lineText(line))?.[0] ?? '';
  const lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  return {
    title: localize(locale, 'ignoreOnLine', { rule: finding.rule }),
    kind: CodeActionKind.QuickFix,
    diagnostics: diagnostic ? [diagnostic] : undefined,
    edit: {
      changes: {
        [uri]: [
          {
            range: { start: { line, character: 0 }, end: { line, character: 0 } },
            newText: `${indentation}//goinsight:ignore ${finding.rule} ${localize(locale, 'ignoreReason')}${lineBreak}`,
          },
        ],
      },
    },
  };
}

export function codeActionsFor(
  findings: readonly Finding[],
  text: string,
  uri: string,
  range: Range,
  contextDiagnostics: readonly Diagnostic[],
  locale: Locale,
): CodeAction[] {
  const fixes: CodeAction[] = [];
  const ignores: CodeAction[] = [];
  for (const finding of findings) {
    if (finding.presentation !== 'diagnostic' || !overlaps(finding.range, range)) continue;
    const diagnostic = contextDiagnostics.find(
      (candidate) => candidate.code === finding.rule && comparePositions(candidate.range.start, finding.range.start) === 0,
    );
    for (const fix of finding.fixes) {
      fixes.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: diagnostic ? [diagnostic] : undefined,
        isPreferred: fix.isPreferred,
        edit: { changes: { [uri]: fix.edits } },
      });
    }
    ignores.push(ignoreAction(finding, text, uri, locale, diagnostic));
  }
  // Real fixes first: the light bulb lists actions in order.
  return [...fixes, ...ignores];
}
