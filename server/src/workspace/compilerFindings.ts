// Turns the compiler session's findings for one document into what the user
// sees: ranges widened to whole expressions with the syntax tree, the user's
// rule choices applied, and — when the compiler could not run on the package
// — one explanation at the package clause (gopls shows nothing in that case).
import type { Tree } from 'web-tree-sitter';
import type { EscapeFact } from '../compiler';
import type { BuildFailure } from '../compiler/escapeAnalysis';
import { applyUserChoices, type AnalysisOptions } from '../engine/analyzeFile';
import type { Finding } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';
import { widenToExpression } from '../engine/widenToExpression';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

export const compilerUnavailableRule = 'escape/unavailable';

export interface FactVisibility {
  showDoesNotEscape: boolean;
  showClosureCaptures: boolean;
}

/**
 * Which compiler facts reach the user. "does not escape" is everywhere, and
 * closure-capture facts are compiler internals (`.autotmp_4 (addr=false …)`):
 * both only on request.
 */
export function isShownFact(fact: EscapeFact, visibility: FactVisibility): boolean {
  if (fact.kind === 'does-not-escape') return visibility.showDoesNotEscape;
  if (fact.kind === 'captured-by-value' || fact.kind === 'captured-by-reference') return visibility.showClosureCaptures;
  return true;
}

const deferAllocationKinds = { 'open-coded': 'deferOpenCoded', 'stack-allocated': 'deferStackAllocated', 'heap-allocated': 'deferHeapAllocated' } as const;

/**
 * The compiler's `-d=defer` verdict belongs with the defer's run order: it is
 * added to the defer-order hover. An open-coded defer (the free, usual case)
 * then needs no hint of its own; stack and heap defers keep theirs.
 */
export function attachDeferAllocations(ruleFindings: readonly Finding[], compilerFindings: readonly Finding[], locale: Locale): Finding[] {
  const allocations = compilerFindings.filter((finding) => finding.rule === 'defer/allocation');
  const withAllocation = ruleFindings.map((finding) => {
    if (finding.rule !== 'defer/order') return finding;
    const allocation = allocations.find(
      (candidate) => candidate.range.start.line === finding.range.start.line && candidate.range.start.character === finding.range.start.character,
    );
    const kind = allocation && /^(open-coded|stack-allocated|heap-allocated) defer/.exec(allocation.message)?.[1];
    if (!kind) return finding;
    const inLoop = finding.inlay?.label.includes('↻') ?? false;
    let note = localize(locale, deferAllocationKinds[kind as keyof typeof deferAllocationKinds]);
    if (kind === 'heap-allocated') note += ` ${localize(locale, inLoop ? 'deferHeapBecauseLoop' : 'deferHeapOtherReasons')}`;
    return { ...finding, details: [finding.details, note].filter(Boolean).join('\n\n') };
  });
  const shown = compilerFindings.filter((finding) => !(finding.rule === 'defer/allocation' && finding.message.startsWith('open-coded')));
  return [...withAllocation, ...shown];
}

function unavailableFinding(failure: BuildFailure, tree: Tree, lines: LineIndex, locale: Locale): Finding | undefined {
  const clause = tree.rootNode.namedChildren.find((child) => child?.type === 'package_clause');
  if (!clause) return undefined;
  const where = failure.file ? `${failure.file.split(/[\\/]/).pop()}:${failure.line ?? 0}:${failure.column ?? 0}: ` : '';
  const message =
    failure.kind === 'no-module'
      ? localize(locale, 'compilerNoModule')
      : failure.toolchain
        ? localize(locale, 'compilerToolchainNeeded', { ...failure.toolchain })
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
