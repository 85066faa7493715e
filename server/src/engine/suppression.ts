// `//goinsight:ignore RULE-ID reason` on a finding's line, or alone on the line
// above it, silences that finding. Several ids may be given comma-separated;
// `category/*` silences a whole category.
import type { Finding } from './finding';
import type { LineIndex } from './lineIndex';

const directive = /\/\/\s*goinsight:ignore\s+([\w\-/*,]+)/;

function suppressedIds(lineText: string): string[] {
  const match = directive.exec(lineText);
  return match ? match[1].split(',').filter(Boolean) : [];
}

function matches(pattern: string, rule: string): boolean {
  return pattern === rule || (pattern.endsWith('/*') && rule.startsWith(pattern.slice(0, -1)));
}

export function isSuppressed(finding: Finding, lines: LineIndex): boolean {
  const line = finding.range.start.line;
  const here = suppressedIds(lines.lineText(line));
  const above = line > 0 && /^\s*\/\//.test(lines.lineText(line - 1)) ? suppressedIds(lines.lineText(line - 1)) : [];
  return [...here, ...above].some((pattern) => matches(pattern, finding.rule));
}
