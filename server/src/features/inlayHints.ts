// Renders the findings that carry an inlay label (defer order, the compiler's
// facts) as LSP inlay hints within the requested range. A compiler fact's
// hint explains itself when hovered: its verdict and the step of the
// compiler's flow that decides it. Equal compiler hints on one line
// (`fmt.Println(a, b)`: two `⇡heap`) become one, `⇡heap ×2`, whose tooltip
// lists both.
import { InlayHintKind, MarkupKind, type InlayHint, type Range } from 'vscode-languageserver';
import { comparePositions, type Finding, type InlayLabel } from '../engine/finding';
import type { Locale } from '../rules/rule';
import { code, escapeFlowReason } from './escapeFlow';
import { findingTitle } from './hover';
import { hoverWords } from './hoverText';

type Labelled = Finding & { inlay: InlayLabel };

/** A compiler fact in one or two lines: "**Parameter leaks**: `leaking param: p`" and why. */
function factTooltip(finding: Finding, locale: Locale): string {
  const verdict = hoverWords(locale, 'verdict', { title: findingTitle(finding, locale), message: code(finding.message) });
  const reason = escapeFlowReason(finding, locale);
  return reason ? `${verdict}\n\n${hoverWords(locale, 'hintReason', { reason })}` : verdict;
}

function hint(finding: Labelled, label: string, tooltip: string | undefined): InlayHint {
  return {
    position: finding.inlay.position,
    label,
    kind: InlayHintKind.Type,
    tooltip: tooltip ? { kind: MarkupKind.Markdown, value: tooltip } : undefined,
    paddingLeft: finding.inlay.paddingLeft,
    paddingRight: finding.inlay.paddingRight,
  };
}

/** One hint for equal compiler hints of a line, after the rightmost of them. */
function mergedHint(group: readonly Labelled[], locale: Locale): InlayHint {
  const ordered = [...group].sort((a, b) => comparePositions(a.inlay.position, b.inlay.position));
  const last = ordered[ordered.length - 1];
  if (group.length === 1) return hint(last, last.inlay.label, last.inlay.tooltip ?? factTooltip(last, locale));
  const items = ordered.map((finding) => `- ${factTooltip(finding, locale).replace(/\n\n/g, '\n\n  ')}`);
  return hint(last, `${last.inlay.label} ×${group.length}`, `${hoverWords(locale, 'hintCount', { count: group.length })}\n\n${items.join('\n')}`);
}

export function toInlayHints(findings: readonly Finding[], range: Range, isShown: (finding: Finding) => boolean, locale: Locale): InlayHint[] {
  const hints: InlayHint[] = [];
  const compilerGroups = new Map<string, Labelled[]>();
  for (const finding of findings) {
    const inlay = finding.inlay;
    if (!inlay || !isShown(finding)) continue;
    if (comparePositions(inlay.position, range.start) < 0 || comparePositions(inlay.position, range.end) > 0) continue;
    const labelled = { ...finding, inlay };
    // Only the compiler's hints merge: two `⟲1` on a line belong to different functions.
    if (finding.source !== 'compiler') {
      hints.push(hint(labelled, inlay.label, inlay.tooltip));
      continue;
    }
    const key = `${inlay.position.line}\u0000${inlay.label}`;
    compilerGroups.set(key, [...(compilerGroups.get(key) ?? []), labelled]);
  }
  for (const group of compilerGroups.values()) hints.push(mergedHint(group, locale));
  return hints.sort((a, b) => comparePositions(a.position, b.position));
}
