import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings, readSettings } from '../../server/src/settings';

test('settings: defaults for missing or mistyped values', () => {
  assert.deepEqual(readSettings(undefined), defaultSettings);
  assert.deepEqual(readSettings({ enable: 'yes', maxFileSize: 5, inlayHints: 3, rules: [] }), defaultSettings);
});

test('settings: categories switched off, rule overrides filtered to known values', () => {
  const settings = readSettings({
    categories: { escape: false, defer: true, channel: false, bogus: false },
    rules: { 'defer/order': 'off', 'defer/in-loop': 'error', 'x/y': 'loud', 'a/b': 3 },
    inlayHints: { enable: false },
    analyzeGeneratedFiles: true,
  });
  // inline and bounds are off unless asked for.
  assert.deepEqual([...settings.disabledCategories].sort(), ['bounds', 'channel', 'escape', 'inline']);
  assert.deepEqual([...readSettings({ categories: { inline: true } }).disabledCategories], ['bounds']);
  assert.deepEqual(settings.rules, { 'defer/order': 'off', 'defer/in-loop': 'error' });
  assert.equal(settings.inlayHints.enable, false);
  assert.equal(settings.inlayHints.deferOrder, true);
  assert.equal(settings.analyzeGeneratedFiles, true);
});

test('settings: the leak-run limit in seconds, at least 2; anything else falls back to 60', () => {
  assert.equal(readSettings({ leaks: { timeoutSeconds: 300 } }).leaks.timeoutSeconds, 300);
  for (const wrong of [1, '30', null, -5]) assert.equal(readSettings({ leaks: { timeoutSeconds: wrong } }).leaks.timeoutSeconds, 60);
  assert.equal(readSettings({ leaks: 10 }).leaks.timeoutSeconds, 60);
});
