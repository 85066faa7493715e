import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix, findingOn, linesBetween } from './deferTestHelpers';

const rule = 'defer/before-error-check';
const positive = 'rules/defer/before-error-check/positive.go';

test('defer/before-error-check: defers registered before the error is checked', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/before-error-check: checked first, other receivers, errors used first are quiet', async () => {
  await checkFixture('rules/defer/before-error-check/negative.go', [rule]);
});

test('defer/before-error-check fix: moves the defer below the check', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'defer resp.Body.Close()');
  assert.equal(
    linesBetween(fixed, 'func fetch', 'return resp.StatusCode'),
    [
      'func fetch(url string) (int, error) {',
      '\tresp, err := http.Get(url)',
      '\tif err != nil {',
      '\t\treturn 0, err',
      '\t}',
      '\tdefer resp.Body.Close() // want "resp.Body.Close... is deferred before .err. is checked: .* evaluating .resp.Body.Close... at the defer statement then panics"',
      '\treturn resp.StatusCode, nil',
    ].join('\n'),
  );
});

test('defer/before-error-check fix: moves past a check that panics', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'defer f.Close() // want "deferred before .err. is checked"');
  assert.equal(
    linesBetween(fixed, 'func reassigned', 'return nil'),
    [
      'func reassigned(name string) (err error) {',
      '\tvar f *os.File',
      '\tf, err = os.Create(name)',
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
      '\tdefer f.Close() // want "deferred before .err. is checked"',
      '\treturn nil',
    ].join('\n'),
  );
});

test('defer/before-error-check fix: refused when the check does not leave the function', async () => {
  const { finding } = await findingOn(positive, rule, 'no fix: the check does not leave');
  assert.deepEqual(finding.fixes, []);
});
