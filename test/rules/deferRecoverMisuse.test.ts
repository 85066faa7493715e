import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix, linesBetween } from './deferTestHelpers';

const rule = 'defer/recover-misuse';
const positive = 'rules/defer/recover-misuse/positive.go';

test('defer/recover-misuse: recover that cannot stop the panic', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/recover-misuse: direct recovers, deferred helpers, goroutines with their own recover are quiet', async () => {
  await checkFixture('rules/defer/recover-misuse/negative.go', [rule]);
});

test('defer/recover-misuse fix: defer recover() becomes a deferred literal', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'defer recover()');
  assert.equal(
    linesBetween(fixed, 'func deferDirect', 'panic("boom")'),
    [
      'func deferDirect() {',
      '\tdefer func() { _ = recover() }() // want "defer recover... does not stop a panic"',
      '\tpanic("boom")',
    ].join('\n'),
  );
});
