import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix, findingOn, linesBetween } from './deferTestHelpers';

const rule = 'defer/order-hazard';
const positive = 'rules/defer/order-hazard/positive.go';

test('defer/order-hazard: writer after file, cancel after wait, relock while held', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/order-hazard: the right order and unrelated pairs are quiet', async () => {
  await checkFixture('rules/defer/order-hazard/negative.go', [rule]);
});

test('defer/order-hazard fix: swaps adjacent defers', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'defer f.Close() // want "f.Close');
  assert.equal(
    linesBetween(fixed, 'w := bufio.NewWriter(f)', '_, err = w.WriteString'),
    [
      '\tw := bufio.NewWriter(f)',
      '\tdefer f.Close()',
      '\tdefer w.Flush() // want "f.Close... .line 18. runs before .w.Flush... .line 17.: the file is closed before the writer is flushed"',
      '\t_, err = w.WriteString("data")',
    ].join('\n'),
  );
});

test('defer/order-hazard fix: swaps across statements that do not touch either defer', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'runs before .zw.Close');
  assert.ok(fixed.includes('\tdefer f.Close()\n\tzw.Write([]byte("x"))\n\tdefer zw.Close() // want'), fixed);
});

test('defer/order-hazard fix: refused when a name of the later defer is declared between them', async () => {
  const { finding } = await findingOn(positive, rule, 'defer wg.Wait()');
  assert.deepEqual(finding.fixes, []);
});
