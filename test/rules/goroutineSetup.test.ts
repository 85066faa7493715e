import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { applyFix, parseErrors } from '../support/applyFix';

test('goroutine/wg-add-inside', async () => {
  await checkFixture('rules/goroutine/wg-add-inside/positive.go', ['goroutine/wg-add-inside']);
  await checkFixture('rules/goroutine/wg-add-inside/negative.go', ['goroutine/wg-add-inside']);
});

test('goroutine/wg-add-inside: fix moves Add before the go statement', async () => {
  const { findings, text } = await analyzeFixture('rules/goroutine/wg-add-inside/positive.go', { onlyRules: new Set(['goroutine/wg-add-inside']) });
  const fixed = applyFix(text, findings[0].fixes[0]);
  assert.deepEqual(await parseErrors(fixed), []);
  assert.ok(
    fixed.includes(
      [
        '\tfor _, item := range items {',
        '\t\twg.Add(1) // want "wg.Add runs inside the goroutine it counts"',
        '\t\tgo func() {',
        '\t\t\tdefer wg.Done()',
        '\t\t\tfmt.Println(item)',
        '\t\t}()',
      ].join('\n'),
    ),
    fixed,
  );
});

test('goroutine/signal-unbuffered', async () => {
  await checkFixture('rules/goroutine/signal-unbuffered/positive.go', ['goroutine/signal-unbuffered']);
  await checkFixture('rules/goroutine/signal-unbuffered/negative.go', ['goroutine/signal-unbuffered']);
});

test('goroutine/signal-unbuffered: fix adds a buffer of 1', async () => {
  const { findings, text } = await analyzeFixture('rules/goroutine/signal-unbuffered/positive.go', { onlyRules: new Set(['goroutine/signal-unbuffered']) });
  const fixed = applyFix(text, findings[0].fixes[0]);
  assert.deepEqual(await parseErrors(fixed), []);
  assert.ok(fixed.includes('\tch := make(chan os.Signal, 1)\n\tsignal.Notify(ch, os.Interrupt)'), fixed);
});
