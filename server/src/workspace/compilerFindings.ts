// Turns the compiler session's findings for one document into what the user
// sees: ranges widened to whole expressions with the syntax tree, the user's
// rule choices applied, and — when the compiler could not run on the package
// — one explanation at the package clause (gopls shows nothing in that case).
import type { Tree } from 'web-tree-sitter';
import type { BuildFailure } from '../compiler/escapeAnalysis';
import { applyUserChoices, type AnalysisOptions } from '../engine/analyzeFile';
import type { Finding } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';
import { widenToExpression } from '../engine/widenToExpression';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

export const compilerUnavailableRule = 'escape/unavailable';

function unavailableFinding(failure: BuildFailure, tree: Tree, lines: LineIndex, locale: Locale): Finding | undefined {
  const clause = tree.rootNode.namedChildren.find((child) => child?.type === 'package_clause');
  if (!clause) return undefined;
  const where = failure.file ? `${failure.file.split(/[\\/]/).pop()}:${failure.line ?? 0}:${failure.column ?? 0}: ` : '';
  const message =
    failure.kind === 'no-module'
      ? localize(locale, 'compilerNoModule')
      : localize(locale, failure.kind === 'compile' ? 'compilerBuildFailed' : 'compilerSetupFailed', { error: `${where}${failure.message}` });
  return {
    rule: compilerUnavailableRule,
    category: 'escape',
    severity: 'info',
    presentation: 'diagnostic',
    range: lines.rangeOf(clause.startIndex, clause.endIndex),
    message,
    source: 'compiler',
    related: [],
    fixes: [],
  };
}

export function presentCompilerFindings(
  findings: readonly Finding[],
  buildFailed: BuildFailure | undefined,
  tree: Tree,
  lines: LineIndex,
  locale: Locale,
  options: Omit<AnalysisOptions, 'locale'>,
): Finding[] {
  const shown = findings.map((finding) => widenToExpression(finding, tree, lines));
  const unavailable = buildFailed ? unavailableFinding(buildFailed, tree, lines, locale) : undefined;
  if (unavailable) shown.push(unavailable);
  return applyUserChoices(shown, lines, options);
}
