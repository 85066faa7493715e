// Channels followed into the functions of the same file they are passed to
// (`go worker(ch)`, `helper(ch)`), and the stop-channel fix of
// goroutine/unbuffered-send-leak.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/finding';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { applyFix, buildWithFixedFile, parseErrors } from '../support/applyFix';

const leak = 'goroutine/unbuffered-send-leak';

test('goroutine/range-never-closed follows the channel into functions of the file', async () => {
  await checkFixture('rules/goroutine/range-never-closed/calls_positive.go', ['goroutine/range-never-closed']);
  await checkFixture('rules/goroutine/range-never-closed/calls_negative.go', ['goroutine/range-never-closed']);
});

test('goroutine/unbuffered-send-leak follows the channel into functions of the file', async () => {
  await checkFixture('rules/goroutine/unbuffered-send-leak/calls_positive.go', [leak]);
  await checkFixture('rules/goroutine/unbuffered-send-leak/calls_negative.go', [leak]);
});

test('goroutine/wait-before-close follows the channel into functions of the file', async () => {
  await checkFixture('rules/goroutine/wait-before-close/calls_positive.go', ['goroutine/wait-before-close']);
  await checkFixture('rules/goroutine/wait-before-close/calls_negative.go', ['goroutine/wait-before-close']);
});

test('the other channel rules still see a passed channel as escaping', async () => {
  const rules = ['channel/double-close', 'channel/send-after-close', 'channel/close-by-receiver', 'channel/blocking-in-main-flow', 'channel/receive-without-ok', 'channel/nil-op'];
  for (const dir of ['range-never-closed', 'unbuffered-send-leak', 'wait-before-close']) {
    const { findings } = await analyzeFixture(`rules/goroutine/${dir}/calls_negative.go`, { onlyRules: new Set(rules) });
    assert.deepEqual(findings.map((finding) => `${finding.range.start.line + 1} ${finding.rule}`), [], dir);
  }
});

test('findings through a call point at the callee', async () => {
  const { findings, lines } = await analyzeFixture('rules/goroutine/unbuffered-send-leak/calls_positive.go', { onlyRules: new Set([leak]) });
  const finding = findings.find((candidate) => lines.lineText(candidate.range.start.line).includes('go compute(ch)'));
  assert.ok(finding);
  assert.equal(lines.lineText(finding.related[0].range.start.line).trim(), 'out <- fetch()');
  assert.equal(finding.related[0].message, 'compute sends on ch here');
  // The callee's send is shared with its other callers: only the owner's make is changed.
  assert.deepEqual(finding.fixes.map((fix) => fix.title), ['Give ch a buffer of 1 so the send never blocks']);

  const range = await analyzeFixture('rules/goroutine/range-never-closed/calls_positive.go', { onlyRules: new Set(['goroutine/range-never-closed']) });
  const printAll = range.findings.find((candidate) => range.lines.lineText(candidate.range.start.line).includes('go printAll(lines)'));
  assert.ok(printAll);
  assert.equal(range.lines.lineText(printAll.related[0].range.start.line).trim(), 'for line := range lines {');
  // The owner is the only sender: close it there.
  assert.deepEqual(printAll.fixes.map((fix) => fix.title), ['Close lines when the owning function returns (defer close(lines))']);
});

function stopFixOf(findings: Finding[], lines: { lineText(line: number): string }, fragment: string) {
  const finding = findings.find((candidate) => lines.lineText(candidate.range.start.line).includes(fragment));
  assert.ok(finding, `no finding on ${fragment}`);
  return { finding, fix: finding.fixes.find((fix) => fix.title.startsWith('Wrap the send in a select with a stop channel')) };
}

test('goroutine/unbuffered-send-leak: stop-channel fix when no ctx is in scope', async () => {
  const { findings, lines, text } = await analyzeFixture('rules/goroutine/unbuffered-send-leak/calls_positive.go', { onlyRules: new Set([leak]) });
  const { fix } = stopFixOf(findings, lines, 'ch <- v //');
  assert.ok(fix);
  assert.equal(fix.title, 'Wrap the send in a select with a stop channel that stopChannel closes when it returns');
  const fixed = applyFix(text, fix);
  assert.deepEqual(await parseErrors(fixed), []);
  const start = fixed.indexOf('func stopChannel(');
  assert.equal(
    fixed.slice(start, fixed.indexOf('\n}\n', start) + 2),
    [
      'func stopChannel() (int, error) {',
      '\tch := make(chan int)',
      '\tdone := make(chan struct{})',
      '\tdefer close(done)',
      '\tgo func() {',
      '\t\tv := fetch()',
      '\t\tselect {',
      '\t\tcase ch <- v:',
      '\t\tcase <-done:',
      '\t\t} // want "this send on unbuffered ch blocks forever when stopChannel takes the other select case"',
      '\t}()',
      '\tselect {',
      '\tcase v := <-ch:',
      '\t\treturn v, nil',
      '\tcase <-time.After(time.Second):',
      '\t\treturn 0, errors.New("timeout")',
      '\t}',
      '}',
    ].join('\n'),
  );
});

test('goroutine/unbuffered-send-leak: no stop-channel fix where it is not safe', async () => {
  const calls = await analyzeFixture('rules/goroutine/unbuffered-send-leak/calls_positive.go', { onlyRules: new Set([leak]) });
  // `done` is already a name in the function.
  assert.equal(stopFixOf(calls.findings, calls.lines, 'ch <- fetch() // want "this send on unbuffered ch blocks forever when doneTaken').fix, undefined);
  // Through a call: the send is the callee's.
  assert.equal(stopFixOf(calls.findings, calls.lines, 'go compute(ch)').fix, undefined);
  const positive = await analyzeFixture('rules/goroutine/unbuffered-send-leak/positive.go', { onlyRules: new Set([leak]) });
  // A ctx is in scope: the ctx.Done() fix instead.
  assert.equal(stopFixOf(positive.findings, positive.lines, 'result <- v').fix, undefined);
  // The send shares its line with the go statement.
  assert.equal(stopFixOf(positive.findings, positive.lines, 'go func() { ch <- fetch() }()').fix, undefined);
});

const hasGo = spawnSync('go', ['version']).status === 0;

test('goroutine/unbuffered-send-leak quick fixes are gofmt-clean and compile (go build)', { skip: hasGo ? false : 'no go toolchain on PATH' }, async () => {
  const failures: string[] = [];
  let checked = 0;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-fix-'));
  try {
    for (const fixture of ['positive.go', 'calls_positive.go']) {
      const { findings, text, file } = await analyzeFixture(`rules/goroutine/unbuffered-send-leak/${fixture}`, { onlyRules: new Set([leak]) });
      for (const finding of findings) {
        for (const fix of finding.fixes) {
          checked++;
          const { fixedFile, buildErrors } = buildWithFixedFile(file, applyFix(text, fix), scratch);
          const unformatted = execFileSync('gofmt', ['-l', fixedFile], { encoding: 'utf8' }).trim();
          if (unformatted) failures.push(`${fixture}:${finding.range.start.line + 1} "${fix.title}": not gofmt-clean`);
          if (buildErrors !== undefined) failures.push(`${fixture}:${finding.range.start.line + 1} "${fix.title}":\n${buildErrors}`);
        }
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  assert.ok(checked >= 8, `only ${checked} fixes found`);
  assert.deepEqual(failures, []);
});
