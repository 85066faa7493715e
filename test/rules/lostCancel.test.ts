// goroutine/lost-cancel on its fixtures: a cancel function returned by a
// function of the file and dropped by the caller.
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';

test('goroutine/lost-cancel: positive and negative fixtures', async () => {
  await checkFixture('rules/goroutine/lost-cancel/positive.go', ['goroutine/lost-cancel']);
  await checkFixture('rules/goroutine/lost-cancel/negative.go', ['goroutine/lost-cancel']);
});
