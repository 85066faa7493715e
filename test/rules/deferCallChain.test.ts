import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';
import { applyOnlyFix } from './deferTestHelpers';

const rule = 'defer/call-chain';
const positive = 'rules/defer/call-chain/positive.go';

test('defer/call-chain: deferring the setup instead of the cleanup it returns', async () => {
  await checkFixture(positive, [rule]);
});

test('defer/call-chain: called cleanups, plain functions, shadowed names, unknown receivers are quiet', async () => {
  await checkFixture('rules/defer/call-chain/negative.go', [rule]);
});

test('defer/call-chain fix: calls the returned function', async () => {
  const fixed = await applyOnlyFix(positive, rule, 'defer trace("load")');
  assert.match(fixed, /\n\tdefer trace\("load"\)\(\) \/\/ want/);
  const method = await applyOnlyFix(positive, rule, 'defer s.track("handle")');
  assert.match(method, /\n\tdefer s\.track\("handle"\)\(\) \/\/ want/);
});
