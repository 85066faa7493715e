// goroutine/unbuffered-send-leak when the child has several sends that
// exclude each other (each ends the goroutine): the common real shape.
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';

const leak = 'goroutine/unbuffered-send-leak';

test('goroutine/unbuffered-send-leak: mutually exclusive sends in the child', async () => {
  await checkFixture('rules/goroutine/unbuffered-send-leak/exclusive_positive.go', [leak]);
  await checkFixture('rules/goroutine/unbuffered-send-leak/exclusive_negative.go', [leak]);
});
