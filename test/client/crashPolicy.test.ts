import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { CrashPolicy } from '../../client/src/crashPolicy';

test('a crashed server is restarted, the user told once; a crash loop stops it', () => {
  const policy = new CrashPolicy(5, 180_000);
  assert.equal(policy.onCrash(0), 'restart-and-tell');
  assert.equal(policy.onCrash(1_000), 'restart');
  assert.equal(policy.onCrash(2_000), 'restart');
  assert.equal(policy.onCrash(3_000), 'restart');
  assert.equal(policy.onCrash(4_000), 'give-up');
});

test('crashes far apart never add up to a loop, and a manual restart starts the count again', () => {
  const policy = new CrashPolicy(3, 60_000);
  for (let minute = 0; minute < 10; minute++) assert.notEqual(policy.onCrash(minute * 61_000), 'give-up');
  const looping = new CrashPolicy(3, 60_000);
  looping.onCrash(0);
  looping.onCrash(1);
  looping.reset();
  assert.equal(looping.onCrash(2), 'restart', 'told already: no second notice');
});
