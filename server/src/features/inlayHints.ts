// Renders the findings that carry an inlay label (defer order, heap escapes)
// as LSP inlay hints within the requested range.
import { InlayHintKind, MarkupKind, type InlayHint, type Range } from 'vscode-languageserver';
import { comparePositions, type Finding } from '../engine/finding';

export function toInlayHints(findings: readonly Finding[], range: Range, isShown: (finding: Finding) => boolean): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const finding of findings) {
    const inlay = finding.inlay;
    if (!inlay || !isShown(finding)) continue;
    if (comparePositions(inlay.position, range.start) < 0 || comparePositions(inlay.position, range.end) > 0) continue;
    hints.push({
      position: inlay.position,
      label: inlay.label,
      kind: InlayHintKind.Type,
      tooltip: inlay.tooltip ? { kind: MarkupKind.Markdown, value: inlay.tooltip } : undefined,
      paddingLeft: inlay.paddingLeft,
      paddingRight: inlay.paddingRight,
    });
  }
  return hints;
}
