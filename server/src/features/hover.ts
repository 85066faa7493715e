// Hover: one composed text for everything at the cursor. First the one-line
// verdicts (most severe first; among equals, the finding whose range hugs the
// cursor most), then what is specific to these occurrences (the defer order
// first, then e.g. the compiler's escape flow in plain words), then each
// rule's explanation once, cut to its first paragraph with a link to the
// rule's full text in docs/rules.md. Several findings on one line used to
// append a whole explanation each; the reader wants the verdicts at a glance.
import { pathToFileURL } from 'node:url';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { rangeContains, severityRank, type Finding } from '../engine/finding';
import { findRule } from '../rules/allRules';
import { localize } from '../l10n/serverText';
import { glossedVerdict } from '../compiler/verdictGloss';
import { ruleDocumentationUrl } from '../docs/ruleDocLinks';
import { code, escapeFlowMarkdown } from './escapeFlow';
import { hoverWords } from './hoverText';
import { explanationLead, ruleText, type Locale, type RuleDescription } from '../rules/rule';
import { ruleExplanation } from '../rules/ruleExample';

/** A rule's page: title, id, explanation and documentation link. */
export function ruleDocumentationMarkdown(rule: RuleDescription, locale: Locale): string {
  const text = ruleText(rule, locale);
  const parts = [`# ${text.title}`, `\`${rule.id}\``, ruleExplanation(rule, locale)];
  if (rule.documentation) parts.push(`[${localize(locale, 'documentation')}](${rule.documentation})`);
  return parts.join('\n\n');
}

/**
 * The compiler's message is its own words, not Markdown (`*p escapes to heap`): shown as code, verbatim,
 * and in Chinese followed by what it means.
 */
function messageMarkdown(finding: Finding, locale: Locale): string {
  return finding.source === 'compiler' ? glossedVerdict(finding.message, locale, code) : finding.message;
}

/** The finding's rule title in the locale (its rule id when the rule is unknown). */
export function findingTitle(finding: Finding, locale: Locale): string {
  const rule = findRule(finding.rule);
  return rule ? ruleText(rule, locale).title : finding.rule;
}

function verdict(finding: Finding, locale: Locale): string {
  const line = hoverWords(locale, 'verdict', { title: findingTitle(finding, locale), message: messageMarkdown(finding, locale) });
  return finding.stale ? `${line}\n\n${localize(locale, 'findingStale')}` : line;
}

/** What is specific to this occurrence: its details and, for a compiler fact, the escape flow. */
function occurrence(finding: Finding, locale: Locale, documentUri: string | undefined): string | undefined {
  const flow = escapeFlowMarkdown(finding, locale, { documentUri, uriOf: (file) => pathToFileURL(file).toString() });
  const parts = [finding.details, flow].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function explanationMarkdown(rule: RuleDescription, locale: Locale, titled: boolean): string {
  const text = ruleText(rule, locale);
  // The whole explanation includes the rule's example, which only the documentation shows.
  const explanation = ruleExplanation(rule, locale);
  const paragraph = explanationLead(explanation);
  const links = [`\`${rule.id}\``];
  const fullText = paragraph.length < explanation.trimEnd().length ? ruleDocumentationUrl(rule.id, locale) : undefined;
  if (fullText) links.push(`[${hoverWords(locale, 'fullExplanation')}](${fullText})`);
  if (rule.documentation) links.push(`[${localize(locale, 'documentation')}](${rule.documentation})`);
  const body = titled ? hoverWords(locale, 'verdict', { title: text.title, message: paragraph }) : paragraph;
  return `${body}\n\n${links.join(' · ')}`;
}

/** A size for comparing ranges: lines first, then characters. */
function spanOf(range: Finding['range']): number {
  return (range.end.line - range.start.line) * 1_000_000 + (range.end.character - range.start.character);
}

/** Most severe first; among equals, the narrowest range (what the cursor is on) first; then as found. */
function inHoverOrder(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => severityRank[b.finding.severity] - severityRank[a.finding.severity] || spanOf(a.finding.range) - spanOf(b.finding.range) || a.index - b.index)
    .map(({ finding }) => finding);
}

export interface HoverOptions {
  /** The finding's document; the compiler's flow steps link to its lines. */
  documentUri?: string;
  /** A note about the keyword under the cursor (keywordHover), shown after the verdicts. */
  keywordNote?: string;
}

/** The composed hover text for findings that share a position (in any order). */
export function hoverMarkdown(findings: Finding | readonly Finding[], locale: Locale, options: HoverOptions = {}): string {
  const ordered = inHoverOrder(Array.isArray(findings) ? findings : [findings as Finding]);
  const sections = [ordered.map((finding) => verdict(finding, locale)).join('\n\n')];
  if (options.keywordNote) sections.push(options.keywordNote);
  // The defer order is what a `defer` line is about: first among the occurrences' details.
  const withDetails = [...ordered.filter((finding) => finding.rule === 'defer/order'), ...ordered.filter((finding) => finding.rule !== 'defer/order')]
    .map((finding) => ({ finding, text: occurrence(finding, locale, options.documentUri) }))
    .filter((entry): entry is { finding: Finding; text: string } => entry.text !== undefined);
  for (const { finding, text } of withDetails) {
    // Two flows (or outputs) one after the other need to say whose they are; the defer sequence says it itself.
    const label = withDetails.length > 1 && finding.rule !== 'defer/order' ? (finding.source === 'compiler' ? code(finding.message) : `**${findingTitle(finding, locale)}**`) : undefined;
    sections.push(label ? `${label}\n\n${text}` : text);
  }
  const rules = [...new Set(ordered.map((finding) => finding.rule))].flatMap((id) => findRule(id) ?? []);
  if (rules.length > 0) sections.push('---', rules.map((rule) => explanationMarkdown(rule, locale, rules.length > 1)).join('\n\n'));
  return sections.join('\n\n');
}

export function hoverAt(findings: readonly Finding[], position: Position, locale: Locale, options: HoverOptions = {}): Hover | null {
  const here = findings.filter((finding) => rangeContains(finding.range, position));
  if (here.length === 0) {
    return options.keywordNote ? { contents: { kind: MarkupKind.Markdown, value: options.keywordNote } } : null;
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(here, locale, options) },
    // Highlight what the cursor is on: the narrowest of the findings (a keyword inside a statement-wide finding).
    range: here.reduce((narrowest, finding) => (spanOf(finding.range) < spanOf(narrowest.range) ? finding : narrowest)).range,
  };
}
