// goroutine/lost-cancel on its fixtures: a cancel function returned by a
// function of the file and dropped by the caller; and (package fixtures) one
// stored in a field or package variable that the package never calls.
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { checkPackageFixture } from '../support/packageTest';

test('goroutine/lost-cancel: positive and negative fixtures', async () => {
  await checkFixture('rules/goroutine/lost-cancel/positive.go', ['goroutine/lost-cancel']);
  await checkFixture('rules/goroutine/lost-cancel/negative.go', ['goroutine/lost-cancel']);
});

test('goroutine/lost-cancel: a cancel stored in a field or package variable that the package never calls', async () => {
  await checkPackageFixture('rules/goroutine/lost-cancel-stored/positive', ['goroutine/lost-cancel']);
});

test('goroutine/lost-cancel: a stored cancel that is called, exported, handed out or shared with a local is quiet', async () => {
  await checkPackageFixture('rules/goroutine/lost-cancel-stored/negative', ['goroutine/lost-cancel']);
});
