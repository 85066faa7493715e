import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allCategories, defaultSettings, readSettings } from '../../server/src/settings';
import { repositoryRoot } from '../support/lspClient';

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

test('the manifest states each category default the server applies, so Settings shows the boxes as they are', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown; properties?: Record<string, { default: unknown }> }> } };
  };
  const categories = manifest.contributes.configuration.properties['goinsight.categories'];
  const applied = Object.fromEntries(allCategories.map((category) => [category, !defaultSettings.disabledCategories.has(category)]));
  // The Settings editor draws an object's checkboxes from the object's own default, not its properties' defaults.
  assert.deepEqual(categories.default, applied);
  assert.deepEqual(Object.fromEntries(Object.entries(categories.properties ?? {}).map(([name, property]) => [name, property.default])), applied);
});
