// Go's analysistest, for our rules: a fixture is a real Go file in which every
// line that must get a finding carries `// want "regexp"` (one regexp per
// expected finding); every other line must get none from the rules under test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeTree, type AnalysisOptions } from '../../server/src/engine/analyzeFile';
import type { Finding } from '../../server/src/engine/finding';
import { GoModuleLocator } from '../../server/src/engine/goModule';
import { createGoParser } from '../../server/src/parse/goParser';

export const fixturesRoot = path.resolve(__dirname, '../../../test/fixtures');

export interface Expectation {
  line: number; // 0-based
  pattern: RegExp;
}

/** Parses `// want "re1" "re2"` comments; Go-style backquoted patterns are accepted too. */
export function parseWants(text: string): Expectation[] {
  const expectations: Expectation[] = [];
  text.split(/\r?\n/).forEach((lineText, line) => {
    const marker = lineText.indexOf('// want ');
    if (marker < 0) return;
    const rest = lineText.slice(marker + '// want '.length);
    const quoted = /"((?:[^"\\]|\\.)*)"|`([^`]*)`/g;
    for (let match = quoted.exec(rest); match; match = quoted.exec(rest)) {
      const source = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
      expectations.push({ line, pattern: new RegExp(source) });
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
    return { file, text, ...analysis };
  } finally {
    tree.delete();
  }
}

function describe(finding: Finding): string {
  return `${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.rule}: ${finding.message}`;
}

/**
 * Checks a fixture against its `want` comments for the given rules: every
 * expectation matched by exactly one finding on its line, no finding unmatched.
 */
export async function checkFixture(relativePath: string, rules: string[], options: Partial<AnalysisOptions> = {}) {
  const result = await analyzeFixture(relativePath, { onlyRules: new Set(rules), ...options });
  assert.deepEqual(result.failures, [], `rules threw on ${relativePath}`);
  const wants = parseWants(result.text);
  // Hover-only context is not a finding in the analysistest sense; rules test it directly.
  const unmatched = result.findings.filter((finding) => finding.presentation !== 'hover');
  const problems: string[] = [];
  for (const want of wants) {
    const index = unmatched.findIndex(
      (finding) => finding.range.start.line === want.line && want.pattern.test(finding.message),
    );
    if (index < 0) problems.push(`${relativePath}:${want.line + 1}: no finding matches ${want.pattern}`);
    else unmatched.splice(index, 1);
  }
  for (const finding of unmatched) problems.push(`${relativePath}: unexpected finding ${describe(finding)}`);
  assert.deepEqual(problems, [], problems.join('\n'));
  return result;
}
