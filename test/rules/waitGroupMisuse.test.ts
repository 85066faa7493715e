// sync/waitgroup-misuse on its fixtures: a wait in the loop iteration that
// starts its worker, and a sync.Cond wait outside a re-checking loop.
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';

test('sync/waitgroup-misuse: positive and negative fixtures', async () => {
  await checkFixture('rules/sync/waitgroup-misuse/positive.go', ['sync/waitgroup-misuse']);
  await checkFixture('rules/sync/waitgroup-misuse/negative.go', ['sync/waitgroup-misuse']);
});
