import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyFix } from '../support/applyFix';
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

test('defer/ignored-close-error fix: uses an existing named result, also when `f, err :=` at the top of the body assigns it', async () => {
  // appendLine's defer (its want starts with "error of"): `f, err := os.OpenFile(…)` reuses the result err.
  const fixed = await applyOnlyFix(positive, rule, 'want "error of the deferred .f.Close');
  const appendLine = linesBetween(fixed, 'func appendLine', 'return f.WriteString');
  assert.ok(appendLine.startsWith('func appendLine(name, line string) (n int, err error) {'), appendLine);
  assert.ok(appendLine.includes('\t\tif cerr := f.Close(); cerr != nil && err == nil {\n\t\t\terr = cerr\n'), appendLine);
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

const withFlush = 'rules/defer/ignored-close-error-flush/positive.go';

test('defer/ignored-close-error fix: a deferred Flush of a bufio.Writer on the file keeps its error too, and runs first', async () => {
  const fixed = await applyOnlyFix(withFlush, rule, 'want ".f. is written to, but');
  assert.equal(
    linesBetween(fixed, 'func writeReport', 'for _, line := range lines'),
    [
      'func writeReport(name string, lines []string) (err error) {',
      '\tf, err := os.Create(name)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\tdefer func() {',
      '\t\tif cerr := f.Close(); cerr != nil && err == nil {',
      '\t\t\terr = cerr',
      '\t\t}',
      '\t}() // want ".f. is written to, but the error of the deferred .f.Close... is discarded"',
      '\tw := bufio.NewWriterSize(f, 4096)',
      '\tdefer func() {',
      '\t\tif ferr := w.Flush(); ferr != nil && err == nil {',
      '\t\t\terr = ferr',
      '\t\t}',
      '\t}()',
      '\tfor _, line := range lines {',
    ].join('\n'),
  );
  const { finding } = await findingOn(withFlush, rule, 'want ".f. is written to, but');
  assert.equal(finding.fixes[0].title, 'Return the Flush and Close errors through the result `err`');
});

test('defer/ignored-close-error fix: the Flush of a writer on another file is left alone', async () => {
  const fixed = await applyOnlyFix(withFlush, rule, 'want ".f. is written to"');
  assert.ok(fixed.includes('\tdefer out.Flush()\n'), fixed);
  assert.ok(fixed.includes('if cerr := f.Close(); cerr != nil && err == nil {'), fixed);
});

const hasGo = spawnSync('go', ['version']).status === 0;
const hasFullDevice = fs.existsSync('/dev/full');

test('defer/ignored-close-error fix with Flush: go vet is clean, and a write that fails in Flush is now reported (on /dev/full)', { skip: hasGo && hasFullDevice ? false : 'needs go and /dev/full' }, async () => {
  const { finding, text } = await findingOn(withFlush, rule, 'want ".f. is written to, but');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-flush-'));
  const run = (...args: string[]) => spawnSync('go', args, { cwd: scratch, encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' } });
  try {
    fs.writeFileSync(path.join(scratch, 'go.mod'), 'module closeflush\n\ngo 1.26\n');
    // Small enough for the buffer: the write succeeds, and only Flush meets the full device (ENOSPC).
    fs.writeFileSync(
      path.join(scratch, 'report_test.go'),
      'package closeflush\n\nimport "testing"\n\nfunc TestFullDevice(t *testing.T) {\n\tif err := writeReport("/dev/full", []string{"a line"}); err == nil {\n\t\tt.Fatal("writeReport reported success on a full device")\n\t}\n}\n',
    );
    fs.writeFileSync(path.join(scratch, 'report.go'), text);
    const before = run('test', '-run', 'TestFullDevice', '.');
    assert.notEqual(before.status, 0, `the unfixed code should lose the Flush error:\n${before.stdout}${before.stderr}`);
    assert.match(before.stdout, /reported success on a full device/);
    fs.writeFileSync(path.join(scratch, 'report.go'), applyFix(text, finding.fixes[0]));
    const vet = run('vet', '.');
    assert.equal(vet.status, 0, `go vet on the fixed code:\n${vet.stdout}${vet.stderr}`);
    const after = run('test', '-run', 'TestFullDevice', '.');
    assert.equal(after.status, 0, `the fixed code:\n${after.stdout}${after.stderr}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
