// receive-without-ok, close-by-receiver and blocking-in-main-flow on their
// fixtures; the range / comma-ok / buffer fixes applied and re-parsed.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/finding';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { applyFix, parseErrors } from '../support/applyFix';

for (const rule of ['receive-without-ok', 'close-by-receiver', 'blocking-in-main-flow']) {
  test(`channel/${rule}: positive and negative fixtures`, async () => {
    await checkFixture(`rules/channel/${rule}/positive.go`, [`channel/${rule}`]);
    await checkFixture(`rules/channel/${rule}/negative.go`, [`channel/${rule}`]);
  });
}

function functionText(text: string, header: string): string {
  const start = text.indexOf(header);
  assert.ok(start >= 0, `no ${header}`);
  return text.slice(start, text.indexOf('\n}\n', start) + 2);
}

async function fixed(text: string, finding: Finding, title: string): Promise<string> {
  const fix = finding.fixes.find((candidate) => candidate.title === title);
  assert.ok(fix, `no fix "${title}" among ${finding.fixes.map((candidate) => candidate.title).join(', ')}`);
  const result = applyFix(text, fix);
  assert.deepEqual(await parseErrors(result), []);
  return result;
}

async function findingsOf(rule: string) {
  const result = await analyzeFixture(`rules/channel/${rule}/positive.go`, { onlyRules: new Set([`channel/${rule}`]) });
  const at = (fragment: string) => {
    const found = result.findings.find((finding) => result.lines.lineText(finding.range.start.line).includes(fragment));
    assert.ok(found, `no finding on a line with ${fragment}`);
    return found;
  };
  return { ...result, at };
}

test('channel/receive-without-ok: range fix and comma-ok fix', async () => {
  const { text, at } = await findingsOf('receive-without-ok');
  const job = at('job := <-jobs');
  assert.deepEqual(job.fixes.map((fix) => [fix.title, fix.isPreferred ?? false]), [
    ['Range over jobs (for job := range jobs)', true],
    ['Check for close (job, ok := <-jobs) and break', false],
  ]);
  assert.equal(
    functionText(await fixed(text, job, 'Range over jobs (for job := range jobs)'), 'func worker('),
    [
      'func worker(items []string) {',
      '\tjobs := make(chan string)',
      '\tgo func() {',
      '\t\tdefer close(jobs)',
      '\t\tfor _, item := range items {',
      '\t\t\tjobs <- item',
      '\t\t}',
      '\t}()',
      '\tfor job := range jobs {',
      '\t\t// want "once jobs is closed \\\\(line 8\\\\), .job := <-jobs. yields the zero value at once on every iteration"',
      '\t\tfmt.Println(job)',
      '\t}',
      '}',
    ].join('\n'),
  );
  const okFixed = functionText(await fixed(text, job, 'Check for close (job, ok := <-jobs) and break'), 'func worker(');
  assert.match(okFixed, /\tfor \{\n\t\tjob, ok := <-jobs \/\/ want "[^\n]*"\n\t\tif !ok \{\n\t\t\tbreak\n\t\t\}\n\t\tfmt\.Println\(job\)\n\t\}\n/);

  const v = at('v := <-values');
  assert.deepEqual(v.fixes.map((fix) => fix.title), ['Check for close (v, ok := <-values) and break'], 'not the first statement: no range fix');

  const event = at('case e := <-events');
  assert.equal(
    functionText(await fixed(text, event, 'Check for close (e, ok := <-events) and return'), 'func selecting(').split('\n').slice(9, 16).join('\n'),
    [
      '\t\tselect {',
      '\t\tcase e, ok := <-events: // want "once events is closed \\\\(line 37\\\\)"',
      '\t\t\tif !ok {',
      '\t\t\t\treturn',
      '\t\t\t}',
      '\t\t\tfmt.Println(e)',
      '\t\tcase <-quit:',
    ].join('\n'),
  );
});

test('channel/blocking-in-main-flow: buffer fix for the single send', async () => {
  const { text, at } = await findingsOf('blocking-in-main-flow');
  const send = at('ch <- compute()');
  const result = await fixed(text, send, 'Give ch a buffer of 1 so the send does not wait for a receiver');
  assert.equal(functionText(result, 'func selfSend(').split('\n')[1], '\tch := make(chan int, 1)');
  assert.deepEqual(at('<-ready').fixes, []);
});
