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

test('settings: the package rules\' typing delay in milliseconds, 0 or more (0: with every keystroke); anything else falls back to 300', () => {
  assert.equal(readSettings({ packageRules: { typingDelayMs: 0 } }).packageRules.typingDelayMs, 0);
  assert.equal(readSettings({ packageRules: { typingDelayMs: 1200 } }).packageRules.typingDelayMs, 1200);
  for (const wrong of [-1, '100', null]) assert.equal(readSettings({ packageRules: { typingDelayMs: wrong } }).packageRules.typingDelayMs, 300);
  assert.equal(readSettings({ packageRules: 50 }).packageRules.typingDelayMs, 300);
});

test('settings: delays and time limits beyond what a timer can wait (about 24.8 days) are cut to it, never run at once', async () => {
  const settings = readSettings({ packageRules: { typingDelayMs: 1e12 }, compiler: { typingDelayMs: 1e12, timeoutSeconds: 1e10 }, leaks: { timeoutSeconds: Infinity } });
  const delays = [settings.packageRules.typingDelayMs, settings.compiler.typingDelayMs, settings.compiler.timeoutSeconds * 1000, settings.leaks.timeoutSeconds * 1000];
  assert.ok(delays.every((delay) => delay >= 2_147_000_000 && delay <= 2 ** 31 - 1), `delays: ${delays.join(', ')}`);
  // Node runs a timer of more than 2^31 - 1 ms after 1 ms (and warns): the cut delays must not fire soon.
  let fired = 0;
  const timers = delays.map((delay) => setTimeout(() => fired++, delay));
  await new Promise((resolve) => setTimeout(resolve, 20));
  timers.forEach(clearTimeout);
  assert.equal(fired, 0);
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

test('every setting in the manifest has the default the server applies, and the README lists it with that default', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  };
  const readme = fs.readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
  const applied = defaultSettings as unknown as Record<string, unknown>;
  let checked = 0;
  for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
    const name = key.replace(/^goinsight\./, '');
    // The language client's own setting: the server never reads it.
    if (name === 'trace.server') continue;
    // Objects (categories, rules) have their own tests; here the plain values.
    if (typeof property.default === 'object' && property.default !== null && !Array.isArray(property.default)) continue;
    const value = name.split('.').reduce<unknown>((within, part) => (within as Record<string, unknown> | undefined)?.[part], applied);
    assert.deepEqual(value, property.default, `${key}: the server applies ${JSON.stringify(value)}`);
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
    assert.ok(row, `${key} is missing from the README's settings table`);
    const shown = JSON.stringify(property.default);
    // A word needs no quotes in the table (`onType`); an empty string does (`""`).
    const accepted = typeof property.default === 'string' && property.default !== '' ? [shown, property.default] : [shown];
    assert.ok(accepted.map((each) => `\`${each}\``).includes(row.split('|')[2].trim()), `${key}: the README's default is ${row.split('|')[2].trim()}`);
    checked++;
  }
  assert.ok(checked >= 15, `only ${checked} settings checked`);
});
