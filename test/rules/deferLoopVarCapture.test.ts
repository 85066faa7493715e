import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { beforePerIterationLoopVariables } from '../../server/src/rules/defer/deferLoopVarCapture';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix, linesBetween } from './deferTestHelpers';

const rule = 'defer/loop-var-capture';
const positive = 'rules-go121/defer/loop-var-capture/positive.go';

test('defer/loop-var-capture: go 1.21 closures capturing range and for variables', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/loop-var-capture: copies, arguments, direct calls, shadowing are quiet (go 1.21)', async () => {
  await checkFixture('rules-go121/defer/loop-var-capture/negative.go', [rule]);
});

test('defer/loop-var-capture: nothing with go 1.22 (per-iteration variables)', async () => {
  await checkFixture('rules/defer/loop-var-capture/go122.go', [rule]);
});

test('defer/loop-var-capture: nothing in a go 1.21 module\'s file whose //go:build line says go1.22 (verified with go1.26.8: prints 012, not 333)', async () => {
  await checkFixture('rules-go121/defer/loop-var-capture/buildline.go', [rule]);
});

test('defer/loop-var-capture fix: copies the variable before the defer', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'os.Remove(name)');
  assert.equal(
    linesBetween(fixed, 'func removeAll', '}()'),
    [
      'func removeAll(names []string) {',
      '\tfor _, name := range names {',
      '\t\tname := name',
      '\t\tdefer func() {',
      '\t\t\tos.Remove(name) // want "the deferred closure captures loop variable .name.: with go 1.21 all iterations share one .name."',
      '\t\t}()',
    ].join('\n'),
  );
});

test('go version gate', () => {
  assert.deepEqual(
    ['1.21', '1.21.5', '1.22', '1.22rc1', '1.9', '2.0', undefined, 'junk'].map(beforePerIterationLoopVariables),
    [true, true, false, false, true, false, false, false],
  );
});
