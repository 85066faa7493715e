// Hover: for each finding under the cursor, what it is (the rule's title and
// the concrete message), the occurrence's details (e.g. the whole defer
// sequence; for compiler facts, the escape flow in plain words) and the
// rule's explanation of the run-time behaviour.
import { pathToFileURL } from 'node:url';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { rangeContains, type Finding } from '../engine/finding';
import { findRule } from '../rules/allRules';
import { localize } from '../l10n/serverText';
import { escapeFlowMarkdown } from './escapeFlow';
import { glossedVerdict } from '../compiler/verdictGloss';
import { ruleText, type Locale, type RuleDescription } from '../rules/rule';
import { ruleExplanation } from '../rules/ruleExample';

/** A rule's page: title, id, explanation and documentation link. */
export function ruleDocumentationMarkdown(rule: RuleDescription, locale: Locale): string {
  const text = ruleText(rule, locale);
  const parts = [`# ${text.title}`, `\`${rule.id}\``, ruleExplanation(rule, locale)];
  if (rule.documentation) parts.push(`[${localize(locale, 'documentation')}](${rule.documentation})`);
  return parts.join('\n\n');
}

/** `documentUri` (the finding's document) turns the compiler's flow steps into links to their lines. */
export function hoverMarkdown(finding: Finding, locale: Locale, documentUri?: string): string {
  const rule = findRule(finding.rule);
  const text = rule ? ruleText(rule, locale) : undefined;
  const parts = [`**${text?.title ?? finding.rule}** · \`${finding.rule}\``];
  if (finding.stale) parts.push(`*${localize(locale, 'findingStale')}*`);
  // The compiler's verdict stays verbatim; a Chinese reader also gets what it means.
  parts.push(finding.source === 'compiler' ? glossedVerdict(finding.message, locale) : finding.message);
  if (finding.details) parts.push(finding.details);
  const flow = escapeFlowMarkdown(finding, locale, { documentUri, uriOf: (file) => pathToFileURL(file).toString() });
  if (flow) parts.push(flow);
  if (rule) parts.push('---', ruleExplanation(rule, locale));
  if (rule?.documentation) parts.push(`[${localize(locale, 'documentation')}](${rule.documentation})`);
  return parts.join('\n\n');
}

export function hoverAt(findings: readonly Finding[], position: Position, locale: Locale, documentUri?: string): Hover | null {
  const here = findings.filter((finding) => rangeContains(finding.range, position));
  if (here.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: here.map((finding) => hoverMarkdown(finding, locale, documentUri)).join('\n\n---\n\n') },
    // Highlight what the cursor is on: the narrowest of the findings (a keyword inside a statement-wide finding).
    range: here.reduce((narrowest, finding) => (spanOf(finding.range) < spanOf(narrowest.range) ? finding : narrowest)).range,
  };
}

/** A size for comparing ranges: lines first, then characters. */
function spanOf(range: Finding['range']): number {
  return (range.end.line - range.start.line) * 1_000_000 + (range.end.character - range.start.character);
}
