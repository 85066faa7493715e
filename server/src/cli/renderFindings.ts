// The CLI's two renderings of findings: the JSON object of DESIGN.md and one
// line per finding in the go vet style. Positions become 1-based lines and
// 1-based UTF-8 byte columns, as the Go compiler prints them.
import * as path from 'node:path';
import type { Finding, Position, Range } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';
import { plainText } from '../engine/plainText';

export interface AnalyzedFile {
  /** Absolute path. */
  file: string;
  lines: LineIndex;
  findings: Finding[];
}

interface CliPosition {
  line: number;
  column: number;
}

function cliPosition(lines: LineIndex, position: Position): CliPosition {
  return { line: position.line + 1, column: lines.utf8Column(position) };
}

function cliRange(lines: LineIndex, range: Range) {
  return { start: cliPosition(lines, range.start), end: cliPosition(lines, range.end) };
}

export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export function findingToJson(finding: Finding, analyzed: AnalyzedFile, cwd: string, linesOf: (file: string) => LineIndex) {
  const { lines } = analyzed;
  return {
    file: displayPath(analyzed.file, cwd),
    range: cliRange(lines, finding.range),
    rule: finding.rule,
    category: finding.category,
    severity: finding.severity,
    message: finding.message,
    source: finding.source,
    related: finding.related.map((related) => {
      const relatedFile = related.file ?? analyzed.file;
      const relatedLines = related.file ? linesOf(related.file) : lines;
      return { file: displayPath(relatedFile, cwd), ...cliPosition(relatedLines, related.range.start), message: related.message };
    }),
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((edit) => ({ range: cliRange(lines, edit.range), newText: edit.newText })),
    })),
  };
}

export function findingToText(finding: Finding, analyzed: AnalyzedFile, cwd: string, linesOf: (file: string) => LineIndex): string {
  const start = cliPosition(analyzed.lines, finding.range.start);
  const head = `${displayPath(analyzed.file, cwd)}:${start.line}:${start.column}: ${finding.severity}: ${plainText(finding.message)} [${finding.rule}]`;
  const related = finding.related.map((item) => {
    const relatedFile = item.file ?? analyzed.file;
    const position = cliPosition(item.file ? linesOf(item.file) : analyzed.lines, item.range.start);
    return `\t${displayPath(relatedFile, cwd)}:${position.line}:${position.column}: ${plainText(item.message)}`;
  });
  return [head, ...related].join('\n');
}
