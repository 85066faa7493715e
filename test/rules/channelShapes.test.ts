import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/finding';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { applyFix, parseErrors } from '../support/applyFix';

async function fixed(fixture: string, rule: string, line: string | number): Promise<{ finding: Finding; text: string }> {
  const { findings, lines, text } = await analyzeFixture(fixture, { onlyRules: new Set([rule]) });
  const finding = typeof line === 'number' ? findings[line] : findings.find((candidate) => lines.lineText(candidate.range.start.line).includes(line));
  assert.ok(finding, `no ${rule} finding on "${line}"`);
  assert.ok(finding.fixes[0], 'no fix');
  const result = applyFix(text, finding.fixes[0]);
  assert.deepEqual(await parseErrors(result), []);
  return { finding, text: result };
}

function functionText(text: string, name: string): string {
  const start = text.indexOf(`func ${name}(`);
  return text.slice(start, text.indexOf('\n}\n', start) + 2);
}

test('channel/time-after-in-loop: leak message for a go 1.22 module, negatives', async () => {
  await checkFixture('rules/channel/time-after-in-loop/positive.go', ['channel/time-after-in-loop']);
  await checkFixture('rules/channel/time-after-in-loop/negative.go', ['channel/time-after-in-loop']);
});

test('channel/time-after-in-loop: from go 1.23 on, only the restarting timeout is reported', async () => {
  await checkFixture('rules/channel/time-after-in-loop/go123/collected.go', ['channel/time-after-in-loop']);
  await checkFixture('rules/channel/time-after-in-loop/go123/periodic.go', ['channel/time-after-in-loop']);
});

test('channel/time-after-in-loop: fix hoists one timer out of the loop', async () => {
  const { text } = await fixed('rules/channel/time-after-in-loop/positive.go', 'channel/time-after-in-loop', 'time.After(time.Minute)');
  assert.equal(
    functionText(text, 'idle'),
    [
      'func idle(in chan string) error {',
      '\ttimer := time.NewTimer(time.Minute)',
      '\tdefer timer.Stop()',
      '\tfor {',
      '\t\tselect {',
      '\t\tcase msg := <-in:',
      '\t\t\tfmt.Println(msg)',
      '\t\tcase <-timer.C: // want "time.After in a loop creates a new timer on every iteration; before Go 1.23 \\\\(go.mod says 1.22\\\\) each one stays in memory"',
      '\t\t\treturn errors.New("timeout")',
      '\t\t}',
      '\t}',
      '}',
    ].join('\n'),
  );
});

test('channel/time-after-in-loop: no fix when the duration is a loop variable', async () => {
  const { findings, lines } = await analyzeFixture('rules/channel/time-after-in-loop/positive.go', { onlyRules: new Set(['channel/time-after-in-loop']) });
  const perItem = findings.find((finding) => lines.lineText(finding.range.start.line).includes('time.After(d)'));
  assert.deepEqual(perItem?.fixes, []);
});

test('channel/busy-select', async () => {
  await checkFixture('rules/channel/busy-select/positive.go', ['channel/busy-select']);
  await checkFixture('rules/channel/busy-select/negative.go', ['channel/busy-select']);
});

test('channel/busy-select: fix removes the empty default', async () => {
  const { text } = await fixed('rules/channel/busy-select/positive.go', 'channel/busy-select', 'default: // want');
  assert.equal(
    functionText(text, 'spin'),
    [
      'func spin(in chan string, done chan struct{}) {',
      '\tfor {',
      '\t\tselect {',
      '\t\tcase msg := <-in:',
      '\t\t\tfmt.Println(msg)',
      '\t\tcase <-done:',
      '\t\t\treturn',
      '\t\t}',
      '\t}',
      '}',
    ].join('\n'),
  );
});

test('channel/single-case-select', async () => {
  await checkFixture('rules/channel/single-case-select/positive.go', ['channel/single-case-select']);
  await checkFixture('rules/channel/single-case-select/negative.go', ['channel/single-case-select']);
});

test('channel/single-case-select: fix writes the plain operation; no fix when a break targets the select', async () => {
  const { text } = await fixed('rules/channel/single-case-select/positive.go', 'channel/single-case-select', 0);
  assert.equal(functionText(text, 'receive'), ['func receive(results chan int) {', '\tv := <-results // want "select with a single case and no default: the plain `v := <-results` does the same"', '\tfmt.Println(v)', '\tfmt.Println("done")', '}'].join('\n'));
  const send = await fixed('rules/channel/single-case-select/positive.go', 'channel/single-case-select', 1);
  assert.match(send.text, /func send\(out chan int\) \{\n\tout <- 1 \/\/ want "the plain `out <- 1` does the same"\n\}/);
  const { findings, lines } = await analyzeFixture('rules/channel/single-case-select/positive.go', { onlyRules: new Set(['channel/single-case-select']) });
  assert.equal(findings.length, 3);
  assert.match(lines.lineText(findings[2].range.start.line), /^\t\tselect/);
  assert.deepEqual(findings[2].fixes, []);
});
