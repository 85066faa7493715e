import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, parseErrors } from '../support/applyFix';
import { analyzeFixture, checkFixture } from '../support/analysisTest';

const rule = 'defer/in-loop';

test('defer/in-loop: defers that repeat per iteration', async () => {
  await checkFixture('rules/defer/in-loop/positive.go', [rule]);
});

test('defer/in-loop: per-iteration literals and defers that run at most once are quiet', async () => {
  await checkFixture('rules/defer/in-loop/negative.go', [rule]);
});

async function fixFor(file: string, lineIncludes: string) {
  const { findings, lines, text } = await analyzeFixture(file, { onlyRules: new Set([rule]) });
  const finding = findings.find((candidate) => lines.lineText(candidate.range.start.line).includes(lineIncludes));
  assert.ok(finding, `no finding on a line with ${lineIncludes}`);
  return { finding, text };
}

test('defer/in-loop fix: wraps the body and turns continue into return', async () => {
  const { finding, text } = await fixFor('rules/defer/in-loop/positive.go', 'closeEach returns');
  assert.equal(finding.fixes.length, 1);
  const fixed = applyFix(text, finding.fixes[0]);
  assert.ok(
    fixed.includes(
      [
        '\tfor _, name := range names {',
        '\t\tfunc() {',
        '\t\t\tf, err := os.Open(name)',
        '\t\t\tif err != nil {',
        '\t\t\t\treturn',
        '\t\t\t}',
        '\t\t\tdefer f.Close() // want "f.Close... is deferred inside a loop: it runs when closeEach returns"',
        '\t\t\t_ = f',
        '\t\t}()',
        '\t}',
        '}',
      ].join('\n'),
    ),
    fixed,
  );
  assert.deepEqual(await parseErrors(fixed), []);
});

test('defer/in-loop fix: wraps a body without jumps', async () => {
  const { finding, text } = await fixFor('rules/defer/in-loop/positive.go', 'defer mu.Unlock()');
  const fixed = applyFix(text, finding.fixes[0]);
  assert.ok(
    fixed.includes(
      [
        '\tfor i := 0; i < n; i++ {',
        '\t\tfunc() {',
        '\t\t\tmu.Lock()',
        '\t\t\tdefer mu.Unlock() // want "deferred inside a loop"',
        '\t\t}()',
        '\t}',
      ].join('\n'),
    ),
    fixed,
  );
  assert.deepEqual(await parseErrors(fixed), []);
});

test('defer/in-loop fix: refused when break, return or a jump to an outer label cannot be kept', async () => {
  const { findings, lines } = await analyzeFixture('rules/defer/in-loop/positive.go', { onlyRules: new Set([rule]) });
  const fixCount = (functionLine: number) => findings.find((finding) => finding.range.start.line === functionLine)?.fixes.length;
  const lineOf = (needle: string) => {
    for (let line = 0; line < lines.lineCount; line++) if (lines.lineText(line).includes(needle)) return line;
    return -1;
  };
  assert.equal(fixCount(lineOf('func breaksOut') + 3), 0);
  assert.equal(fixCount(lineOf('func returnsInBody') + 6), 0);
  // `continue outer` targets the wrapped loop itself: it becomes return.
  assert.equal(fixCount(lineOf('func labeled') + 4), 1);
  // The inner loop's break leaves the inner loop only; the outer body has no jumps.
  assert.equal(fixCount(lineOf('func innerBreakStillRepeatsInOuterLoop') + 4), 1);
});

test('defer/in-loop fix: `continue label` of the wrapped loop becomes return and the unused label goes', async () => {
  const { findings, lines, text } = await analyzeFixture('rules/defer/in-loop/positive.go', { onlyRules: new Set([rule]) });
  const labelLine = text.split('\n').findIndex((line) => line.startsWith('outer:'));
  const finding = findings.find((candidate) => candidate.range.start.line === labelLine + 3);
  assert.ok(finding, lines.lineText(labelLine + 3));
  const fixed = applyFix(text, finding.fixes[0]);
  assert.ok(
    fixed.includes(
      [
        'func labeled(names []string) {',
        '\tfor _, name := range names {',
        '\t\tfunc() {',
        '\t\t\tf, _ := os.Open(name)',
        '\t\t\tdefer f.Close() // want "deferred inside a loop"',
        '\t\t\tfor i := 0; i < 3; i++ {',
        '\t\t\t\tif i == 1 {',
        '\t\t\t\t\treturn',
        '\t\t\t\t}',
        '\t\t\t}',
        '\t\t}()',
        '\t}',
        '}',
      ].join('\n'),
    ),
    fixed,
  );
  assert.deepEqual(await parseErrors(fixed), []);
});

test('defer/in-loop: unknown-length loops that acquire per iteration are warnings', async () => {
  const { findings } = await checkFixture('rules/defer/in-loop/positive.go', [rule]);
  assert.deepEqual(new Set(findings.map((finding) => finding.severity)), new Set(['warning']));
});

test('defer/in-loop: constant loops, rollbacks, tests and main are info', async () => {
  for (const fixture of ['info.go', 'info_test.go', 'main/main.go']) {
    const { findings } = await checkFixture(`rules/defer/in-loop/${fixture}`, [rule]);
    assert.ok(findings.length > 0, fixture);
    assert.deepEqual(new Set(findings.map((finding) => finding.severity)), new Set(['info']), fixture);
  }
});
