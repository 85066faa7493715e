import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix } from './deferTestHelpers';

const rule = 'defer/value-receiver';
const positive = 'rules/defer/value-receiver/positive.go';

test('defer/value-receiver: value-receiver methods deferred on a variable changed later', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/value-receiver: pointer receivers, unchanged values, closures, unknown types are quiet', async () => {
  await checkFixture('rules/defer/value-receiver/negative.go', [rule]);
});

test('defer/value-receiver fix: wraps the call in a closure', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'does not see the change on line 14');
  assert.ok(fixed.includes('\tvar s stats\n\tdefer func() { s.report() }() // want'), fixed);
});
