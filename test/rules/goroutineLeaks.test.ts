import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/finding';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { applyFix, parseErrors } from '../support/applyFix';

async function findingsOf(fixture: string, rule: string) {
  return analyzeFixture(fixture, { onlyRules: new Set([rule]) });
}

function onLine(findings: Finding[], lines: { lineText(line: number): string }, fragment: string): Finding {
  const found = findings.find((finding) => lines.lineText(finding.range.start.line).includes(fragment));
  assert.ok(found, `no finding on a line containing ${fragment}`);
  return found;
}

/** Applies the fix with the given title prefix and returns the lines of the function that contains `functionName`. */
async function fixedFunction(text: string, finding: Finding, titlePrefix: string, functionName: string): Promise<string> {
  const fix = finding.fixes.find((candidate) => candidate.title.startsWith(titlePrefix));
  assert.ok(fix, `no fix "${titlePrefix}…" among ${finding.fixes.map((f) => f.title).join(', ')}`);
  const fixed = applyFix(text, fix);
  assert.deepEqual(await parseErrors(fixed), []);
  const start = fixed.indexOf(`func ${functionName}(`);
  const end = fixed.indexOf('\n}\n', start);
  return fixed.slice(start, end + 2);
}

test('goroutine/unbuffered-send-leak: select with timeout / ctx, early return', async () => {
  await checkFixture('rules/goroutine/unbuffered-send-leak/positive.go', ['goroutine/unbuffered-send-leak']);
  await checkFixture('rules/goroutine/unbuffered-send-leak/negative.go', ['goroutine/unbuffered-send-leak']);
});

test('goroutine/unbuffered-send-leak: fix gives the channel a buffer of 1', async () => {
  const { findings, lines, text } = await findingsOf('rules/goroutine/unbuffered-send-leak/positive.go', 'goroutine/unbuffered-send-leak');
  const finding = onLine(findings, lines, 'ch <- fetch() //');
  assert.equal(finding.fixes[0].isPreferred, true);
  assert.deepEqual(
    finding.fixes.map((fix) => fix.title),
    ['Give ch a buffer of 1 so the send never blocks', 'Wrap the send in a select with a stop channel that withTimeout closes when it returns'],
    'no ctx in scope: the buffer fix and the stop channel',
  );
  assert.equal(
    await fixedFunction(text, finding, 'Give ch a buffer of 1', 'withTimeout'),
    [
      'func withTimeout() (int, error) {',
      '\tch := make(chan int, 1)',
      '\tgo func() {',
      '\t\tch <- fetch() // want "this send on unbuffered ch blocks forever when withTimeout takes the other select case \\\\(line 19\\\\)"',
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

test('goroutine/unbuffered-send-leak: fix wraps the send in a select on ctx.Done()', async () => {
  const { findings, lines, text } = await findingsOf('rules/goroutine/unbuffered-send-leak/positive.go', 'goroutine/unbuffered-send-leak');
  const finding = onLine(findings, lines, 'result <- v');
  const fixed = await fixedFunction(text, finding, 'Wrap the send in a select with <-ctx.Done()', 'withContext');
  assert.equal(
    fixed.split('\n').slice(1, 10).join('\n'),
    [
      '\tresult := make(chan int)',
      '\tgo func() {',
      '\t\tv := fetch()',
      '\t\tselect {',
      '\t\tcase result <- v:',
      '\t\tcase <-ctx.Done():',
      '\t\t} // want "this send on unbuffered result blocks forever when withContext takes the other select case"',
      '\t}()',
      '\tselect {',
    ].join('\n'),
  );
});

test('goroutine/range-never-closed: goroutine and owner ranges', async () => {
  await checkFixture('rules/goroutine/range-never-closed/positive.go', ['goroutine/range-never-closed']);
  await checkFixture('rules/goroutine/range-never-closed/negative.go', ['goroutine/range-never-closed']);
});

test('goroutine/range-never-closed: fix adds defer close in the single sending goroutine', async () => {
  const { findings, lines, text } = await findingsOf('rules/goroutine/range-never-closed/positive.go', 'goroutine/range-never-closed');
  const producer = onLine(findings, lines, 'for r := range results');
  assert.equal(
    await fixedFunction(text, producer, 'Close results when the sending goroutine returns', 'producerNeverCloses'),
    [
      'func producerNeverCloses(items []int) int {',
      '\tresults := make(chan int)',
      '\tgo func() {',
      '\t\tdefer close(results)',
      '\t\tfor _, item := range items {',
      '\t\t\tresults <- item * 2',
      '\t\t}',
      '\t}()',
      '\ttotal := 0',
      '\tfor r := range results { // want "range over results never ends: no sender closes it"',
      '\t\ttotal += r',
      '\t}',
      '\treturn total',
      '}',
    ].join('\n'),
  );
  const oneLine = onLine(findings, lines, 'for v := range ch');
  const fixedOneLine = await fixedFunction(text, oneLine, 'Close ch', 'oneLineSender');
  assert.match(fixedOneLine, /\tgo func\(\) \{ defer close\(ch\); ch <- 1 \}\(\)\n/);
});

test('goroutine/range-never-closed: fix closes in the owner when the owner is the only sender', async () => {
  const { findings, lines, text } = await findingsOf('rules/goroutine/range-never-closed/positive.go', 'goroutine/range-never-closed');
  const consumer = onLine(findings, lines, 'for line := range lines');
  const fixed = await fixedFunction(text, consumer, 'Close lines when the owning function returns', 'consumerNeverEnds');
  assert.deepEqual(fixed.split('\n').slice(0, 4), [
    'func consumerNeverEnds(items []string) {',
    '\tlines := make(chan string)',
    '\tdefer close(lines)',
    '\tgo func() {',
  ]);
});

test('goroutine/no-exit: endless loops without a way out', async () => {
  await checkFixture('rules/goroutine/no-exit/positive.go', ['goroutine/no-exit']);
  await checkFixture('rules/goroutine/no-exit/negative.go', ['goroutine/no-exit']);
  await checkFixture('rules/goroutine/no-exit/daemon/main.go', ['goroutine/no-exit']);
});

test('goroutine/no-exit: fix adds a ctx.Done() case when ctx is in scope', async () => {
  const { findings, text } = await findingsOf('rules/goroutine/no-exit/positive.go', 'goroutine/no-exit');
  const [watch, poll] = findings;
  assert.equal(poll.fixes.length, 0, 'no select and no ctx: no fix');
  assert.equal(
    await fixedFunction(text, watch, 'Add case <-ctx.Done(): return', 'watch'),
    [
      'func watch(ctx context.Context, events chan string) {',
      '\tgo func() {',
      '\t\tfor { // want "the goroutine started on line 10 loops forever here"',
      '\t\t\tselect {',
      '\t\t\tcase <-ctx.Done():',
      '\t\t\t\treturn',
      '\t\t\tcase ev := <-events:',
      '\t\t\t\tfmt.Println(ev)',
      '\t\t\t}',
      '\t\t}',
      '\t}()',
      '}',
    ].join('\n'),
  );
});

test('goroutine/wait-before-close: fan-in deadlock', async () => {
  await checkFixture('rules/goroutine/wait-before-close/positive.go', ['goroutine/wait-before-close']);
  await checkFixture('rules/goroutine/wait-before-close/negative.go', ['goroutine/wait-before-close']);
  await checkFixture('rules/goroutine/wait-before-close/go125/waitgroupgo.go', ['goroutine/wait-before-close']);
});

test('goroutine/wait-before-close: fix moves Wait and close into their own goroutine', async () => {
  const { findings, text } = await findingsOf('rules/goroutine/wait-before-close/positive.go', 'goroutine/wait-before-close');
  const fixed = await fixedFunction(text, findings[0], 'Wait and close in a separate goroutine', 'fanIn');
  assert.deepEqual(fixed.split('\n').slice(9, 16), [
    '\t}',
    '\tgo func() {',
    '\t\twg.Wait() // want "wg.Wait\\\\(\\\\) blocks forever: the workers block sending on unbuffered results"',
    '\t\tclose(results)',
    '\t}()',
    '\tfor r := range results {',
    '\t\tfmt.Println(r)',
  ]);
});
