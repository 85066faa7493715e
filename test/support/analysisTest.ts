// Go's analysistest, for our rules: a fixture is a real Go file in which every
// line that must get a finding carries `// want "regexp"` (one regexp per
// expected finding); every other line must get none from the rules under test.
// Ranges are checked too: every finding must start where a syntax node starts
// and end where one ends (a range cut short or run into the middle of a token
// fails), and a pattern followed by `@"text"` must cover exactly that text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { analyzeTree, type AnalysisOptions } from '../../server/src/engine/analyzeFile';
import type { Finding, Position } from '../../server/src/engine/finding';
import { GoModuleLocator } from '../../server/src/engine/goModule';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { createGoParser } from '../../server/src/parse/goParser';

export const fixturesRoot = path.resolve(__dirname, '../../../test/fixtures');

export interface Expectation {
  line: number; // 0-based
  pattern: RegExp;
  /** The exact source text the finding's range must cover, when the fixture says (`"re"@"text"`). */
  covers?: string;
}

/** A double-quoted string with backslash escapes (groups: content) or a backquoted one (content). */
const quotedString = '"((?:[^"\\\\]|\\\\.)*)"|`([^`]*)`';
const unquote = (double: string | undefined, backquoted: string | undefined) => (double !== undefined ? double.replace(/\\(.)/g, '$1') : (backquoted as string));

/** Parses `// want "re1" "re2"@"covered text"` comments; Go-style backquoted strings are accepted too. */
export function parseWants(text: string): Expectation[] {
  const expectations: Expectation[] = [];
  text.split(/\r?\n/).forEach((lineText, line) => {
    const marker = lineText.indexOf('// want ');
    if (marker < 0) return;
    const rest = lineText.slice(marker + '// want '.length);
    const want = new RegExp(`(?:${quotedString})(?:@(?:${quotedString}))?`, 'g');
    for (let match = want.exec(rest); match; match = want.exec(rest)) {
      const covers = match[3] !== undefined || match[4] !== undefined ? unquote(match[3], match[4]) : undefined;
      expectations.push({ line, pattern: new RegExp(unquote(match[1], match[2])), ...(covers !== undefined && { covers }) });
    }
  });
  return expectations;
}

const modules = new GoModuleLocator();

export async function analyzeFixture(relativePath: string, options: Partial<AnalysisOptions> = {}) {
  const file = path.join(fixturesRoot, relativePath);
  const text = fs.readFileSync(file, 'utf8');
  const parser = await createGoParser();
  const tree = parser.parse(text);
  if (!tree) throw new Error('no tree');
  try {
    const analysis = analyzeTree(tree, text, {
      locale: 'en',
      filePath: file,
      goVersion: modules.find(path.dirname(file))?.goVersion,
      ...options,
    });
    return { file, text, ...analysis, nodeEdges: nodeEdges(tree.rootNode, analysis.lines) };
  } finally {
    tree.delete();
  }
}

const positionKey = (position: Position) => `${position.line}:${position.character}`;

/** Where syntax nodes start and where they end, as position keys. */
function nodeEdges(root: Node, lines: LineIndex): { starts: Set<string>; ends: Set<string> } {
  const starts = new Set<string>();
  const ends = new Set<string>();
  const cursor = root.walk();
  for (let more = true; more; ) {
    starts.add(positionKey(lines.positionAt(cursor.startIndex)));
    ends.add(positionKey(lines.positionAt(cursor.endIndex)));
    if (cursor.gotoFirstChild() || cursor.gotoNextSibling()) continue;
    more = false;
    while (cursor.gotoParent()) {
      if (cursor.gotoNextSibling()) {
        more = true;
        break;
      }
    }
  }
  cursor.delete();
  return { starts, ends };
}

function describe(finding: Finding): string {
  return `${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.rule}: ${finding.message}`;
}

/**
 * Checks a fixture against its `want` comments for the given rules: every
 * expectation matched by exactly one finding on its line, no finding
 * unmatched, every range on syntax-node edges and covering what a want says.
 */
export async function checkFixture(relativePath: string, rules: string[], options: Partial<AnalysisOptions> = {}) {
  const result = await analyzeFixture(relativePath, { onlyRules: new Set(rules), ...options });
  assert.deepEqual(result.failures, [], `rules threw on ${relativePath}`);
  const wants = parseWants(result.text);
  // Hover-only context is not a finding in the analysistest sense; rules test it directly.
  const unmatched = result.findings.filter((finding) => finding.presentation !== 'hover');
  const problems: string[] = [];
  const covered = (finding: Finding) => result.text.slice(result.lines.offsetAt(finding.range.start), result.lines.offsetAt(finding.range.end));
  for (const finding of unmatched) {
    const { start, end } = finding.range;
    if (!result.nodeEdges.starts.has(positionKey(start)) || !result.nodeEdges.ends.has(positionKey(end))) {
      problems.push(`${relativePath}: range of ${describe(finding)} does not start and end at syntax nodes: ${JSON.stringify(covered(finding))}`);
    }
  }
  for (const want of wants) {
    const index = unmatched.findIndex(
      (finding) => finding.range.start.line === want.line && want.pattern.test(finding.message) && (want.covers === undefined || covered(finding) === want.covers),
    );
    if (index < 0) {
      const onLine = unmatched.filter((finding) => finding.range.start.line === want.line && want.pattern.test(finding.message));
      const coverage = want.covers !== undefined && onLine.length > 0 ? ` covering ${JSON.stringify(want.covers)} (it covers ${onLine.map((finding) => JSON.stringify(covered(finding))).join(', ')})` : '';
      problems.push(`${relativePath}:${want.line + 1}: no finding matches ${want.pattern}${coverage}`);
    } else unmatched.splice(index, 1);
  }
  for (const finding of unmatched) problems.push(`${relativePath}: unexpected finding ${describe(finding)}`);
  assert.deepEqual(problems, [], problems.join('\n'));
  return result;
}
