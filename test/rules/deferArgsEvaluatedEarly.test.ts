import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix, findingOn } from './deferTestHelpers';

const rule = 'defer/args-evaluated-early';
const positive = 'rules/defer/args-evaluated-early/positive.go';

test('defer/args-evaluated-early: time.Since, printed variables assigned later, named results', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/args-evaluated-early: closures, explicit arguments, restore/free idioms are quiet', async () => {
  await checkFixture('rules/defer/args-evaluated-early/negative.go', [rule]);
});

test('defer/args-evaluated-early fix: wraps the call in a closure', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'time.Since(start))');
  assert.ok(
    fixed.includes('\tdefer func() { log.Printf("took %v", time.Since(start)) }() // want'),
    fixed,
  );
  const named = await applyOnlyFix(positive, rule, 'defer report(err)');
  assert.ok(named.includes('\tdefer func() { report(err) }() // want'), named);
});

test('defer/args-evaluated-early: the later assignment is a related location', async () => {
  const { finding } = await findingOn(positive, rule, 'defer fmt.Println("x =", x)');
  assert.deepEqual(finding.related.map((related) => related.range.start.line + 1), [18]);
});
