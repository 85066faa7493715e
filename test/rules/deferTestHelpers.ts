// Shared by the defer rule tests: find the finding of a rule on a fixture line
// and apply its quick fix, checking the result still parses.
import * as assert from 'node:assert/strict';
import type { Finding } from '../../server/src/engine/finding';
import { analyzeFixture } from '../support/analysisTest';
import { applyFix, parseErrors } from '../support/applyFix';

export async function findingOn(file: string, rule: string, lineIncludes: string): Promise<{ finding: Finding; text: string }> {
  const { findings, lines, text } = await analyzeFixture(file, { onlyRules: new Set([rule]) });
  const finding = findings.find((candidate) => lines.lineText(candidate.range.start.line).includes(lineIncludes));
  assert.ok(finding, `no ${rule} finding on a line with ${lineIncludes}`);
  return { finding, text };
}

/** Applies the finding's only fix and returns the new text, asserting it parses cleanly. */
export async function applyOnlyFix(file: string, rule: string, lineIncludes: string): Promise<string> {
  const { finding, text } = await findingOn(file, rule, lineIncludes);
  assert.equal(finding.fixes.length, 1, `expected one fix for ${lineIncludes}`);
  const fixed = applyFix(text, finding.fixes[0]);
  assert.deepEqual(await parseErrors(fixed), [], `fix for ${lineIncludes} does not parse:\n${fixed}`);
  return fixed;
}

/** The text between the first line containing `from` and the first following line containing `to`, inclusive. */
export function linesBetween(text: string, from: string, to: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.includes(from));
  const end = lines.findIndex((line, index) => index > start && line.includes(to));
  assert.ok(start >= 0 && end >= 0, `no lines from ${from} to ${to}`);
  return lines.slice(start, end + 1).join('\n');
}
