import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { applyFix, parseErrors } from '../support/applyFix';

const rule = 'channel/time-after-in-loop';
const go123 = 'rules/channel/time-after-in-loop/go123';

test('channel/time-after-in-loop: a sleep between polls, a done context, a select followed by return are quiet', async () => {
  await checkFixture(`${go123}/sleeps_test.go`, [rule]);
});

test('channel/time-after-in-loop: `for cond` loops count; a ticker that restarts the timeout is a warning, an idle timeout info', async () => {
  const { findings, lines } = await checkFixture(`${go123}/restarts.go`, [rule]);
  const severityOn = (text: string) => findings.find((finding) => lines.lineText(finding.range.start.line - 2).includes(text))?.severity;
  assert.equal(severityOn('ticker.C'), 'warning');
  assert.equal(severityOn('msg := <-in'), 'info');
});

test('channel/time-after-in-loop: two fixes, each keeping what it says', async () => {
  const { findings, text } = await analyzeFixture(`${go123}/collected.go`, { onlyRules: new Set([rule]) });
  assert.equal(findings.length, 1);
  const [idle, deadline] = findings[0].fixes;
  assert.match(idle.title, /^Keep an idle timeout: reset one timer per event/);
  assert.match(deadline.title, /^One deadline for the whole loop/);
  const body = (fixedText: string) => fixedText.slice(fixedText.indexOf('func idle('));
  const withReset = applyFix(text, idle);
  assert.deepEqual(await parseErrors(withReset), []);
  assert.equal(
    body(withReset),
    [
      'func idle(in chan string) {',
      '\ttimer := time.NewTimer(time.Hour)',
      '\tdefer timer.Stop()',
      '\tfor {',
      '\t\ttimer.Reset(time.Hour)',
      '\t\tselect {',
      '\t\tcase msg := <-in:',
      '\t\t\tfmt.Println(msg)',
      '\t\tcase <-timer.C: // want "is an idle timeout, restarted by every event"',
      '\t\t\treturn',
      '\t\t}',
      '\t}',
      '}',
      '',
    ].join('\n'),
  );
  const once = applyFix(text, deadline);
  assert.deepEqual(await parseErrors(once), []);
  assert.ok(!once.includes('Reset'), once);
  assert.ok(body(once).startsWith('func idle(in chan string) {\n\ttimer := time.NewTimer(time.Hour)\n\tdefer timer.Stop()\n\tfor {\n\t\tselect {'), once);
});

test('channel/time-after-in-loop: before go 1.23 only the deadline fix (Reset alone may deliver a stale tick)', async () => {
  const { findings, lines } = await analyzeFixture('rules/channel/time-after-in-loop/positive.go', { onlyRules: new Set([rule]) });
  const idle = findings.find((finding) => lines.lineText(finding.range.start.line).includes('time.Minute'));
  assert.deepEqual(idle?.fixes.map((fix) => fix.title), ['One deadline for the whole loop (timer := time.NewTimer before the loop, never reset)']);
  assert.equal(idle?.severity, 'warning');
});
