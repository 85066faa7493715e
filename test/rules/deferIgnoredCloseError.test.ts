import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix, findingOn, linesBetween } from './deferTestHelpers';

const rule = 'defer/ignored-close-error';
const positive = 'rules/defer/ignored-close-error/positive.go';

test('defer/ignored-close-error: created files, write-only OpenFile, compressors', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/ignored-close-error: read files, explicit Close, named-result pattern, scratch files are quiet', async () => {
  await checkFixture('rules/defer/ignored-close-error/negative.go', [rule]);
});

test('defer/ignored-close-error fix: names the error result and folds the Close error into it', async () => {
  const fixed = await applyOnlyFix(positive, rule, '.f. is written to');
  assert.equal(
    linesBetween(fixed, 'func save', '_, err = f.Write(data)'),
    [
      'func save(name string, data []byte) (err error) {',
      '\tf, err := os.Create(name)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\tdefer func() {',
      '\t\tif cerr := f.Close(); cerr != nil && err == nil {',
      '\t\t\terr = cerr',
      '\t\t}',
      '\t}() // want ".f. is written to, but the error of the deferred .f.Close... is discarded"',
      '\t_, err = f.Write(data)',
    ].join('\n'),
  );
});

test('defer/ignored-close-error fix: uses an existing named result', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'error of the deferred .f.Close');
  assert.ok(fixed.includes('func appendLine(name, line string) (n int, err error) {'), fixed);
  assert.ok(fixed.includes('\t\tif cerr := f.Close(); cerr != nil && err == nil {\n\t\t\terr = cerr\n'), fixed);
});

test('defer/ignored-close-error fix: names unnamed results with blanks', async () => {
  const fixed = await applyOnlyFix(positive, rule, '.zw. is written to');
  assert.ok(fixed.includes('func compress(w io.Writer, data []byte) (_ int, err error) {'), fixed);
  assert.ok(fixed.includes('if cerr := zw.Close(); cerr != nil && err == nil {'), fixed);
});

test('defer/ignored-close-error fix: none when the function returns no error', async () => {
  const { finding } = await findingOn(positive, rule, 'want "is discarded"');
  assert.deepEqual(finding.fixes, []);
});

test('defer/ignored-close-error: a function product or a compressor is a warning; helpers that cannot report and tests are info', async () => {
  const { findings, lines } = await checkFixture('rules/defer/ignored-close-error/positive.go', ['defer/ignored-close-error']);
  const byFunction = (name: string) => {
    const line = lines.lineText.bind(lines);
    return findings.find((finding) => {
      for (let row = finding.range.start.line; row >= 0; row--) if (line(row).startsWith('func ')) return line(row).startsWith(`func ${name}(`);
      return false;
    })?.severity;
  };
  assert.equal(byFunction('save'), 'warning');
  assert.equal(byFunction('compress'), 'warning');
  assert.equal(byFunction('noErrorResult'), 'info');
  assert.equal(byFunction('dumpForDebugging'), 'info');
  const inTest = await checkFixture('rules/defer/ignored-close-error/info_test.go', ['defer/ignored-close-error']);
  assert.deepEqual(inTest.findings.map((finding) => finding.severity), ['info']);
});
