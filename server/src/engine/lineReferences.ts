// Line numbers written into a finding's texts ("closed on line 12", the
// defer sequence in a hover). Rules write them through `RuleContext.lineNumber`,
// which wraps the number in two private-use characters while the engine works;
// that is what lets the incremental analysis keep such a finding when its
// declaration moves (the marked numbers move with it) instead of re-running the
// rules on every declaration below an Enter key. `analyzeTree` removes the
// marks before anyone sees the findings.
import type { Finding } from './finding';

const open = '\uE000';
const close = '\uE001';
const marked = /\uE000(\d+)\uE001/g;

/** The 1-based line number as rules put it into texts. */
export function markLine(line: number): string {
  return `${open}${line}${close}`;
}

/** The text with its marked line numbers moved by `lines`. */
export function shiftLineReferences(text: string, lines: number): string {
  if (lines === 0 || !text.includes(open)) return text;
  return text.replace(marked, (_, line: string) => markLine(Number(line) + lines));
}

/** The text without its marked line numbers (what is left are the digits no mark vouches for). */
export function withoutLineReferences(text: string): string {
  return text.includes(open) ? text.replace(marked, '') : text;
}

function unmark(text: string): string {
  return text.includes(open) ? text.replace(marked, '$1') : text;
}

/** Every text of the finding with `edit` applied (positions untouched). */
export function mapFindingTexts(finding: Finding, edit: (text: string) => string): Finding {
  const mapped: Finding = {
    ...finding,
    message: edit(finding.message),
    related: finding.related.map((related) => ({ ...related, message: edit(related.message) })),
    fixes: finding.fixes.map((fix) => ({ ...fix, title: edit(fix.title) })),
  };
  // Optional fields stay absent when absent (findings are compared as JSON).
  if (finding.details !== undefined) mapped.details = edit(finding.details);
  if (finding.inlay) {
    mapped.inlay = { ...finding.inlay, label: edit(finding.inlay.label) };
    if (finding.inlay.tooltip !== undefined) mapped.inlay.tooltip = edit(finding.inlay.tooltip);
  }
  return mapped;
}

/** True when some text of the finding carries a mark (asked of every finding on every analysis: no arrays built). */
function hasMarks(finding: Finding): boolean {
  if (finding.message.includes(open) || finding.details?.includes(open) || finding.inlay?.label.includes(open) || finding.inlay?.tooltip?.includes(open)) return true;
  return finding.related.some((related) => related.message.includes(open)) || finding.fixes.some((fix) => fix.title.includes(open));
}

/** The findings as users see them: line numbers without marks. */
export function unmarkFindings(findings: readonly Finding[]): Finding[] {
  return findings.map((finding) => (hasMarks(finding) ? mapFindingTexts(finding, unmark) : finding));
}
