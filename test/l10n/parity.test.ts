// Every text the user reads exists in English and Simplified Chinese with the
// same keys and the same {placeholders}: rule texts, the server's own strings,
// the manifest's NLS files and the client's l10n bundle.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { hoverText } from '../../server/src/features/hoverText';
import { serverText } from '../../server/src/l10n/serverText';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import { repositoryRoot } from '../support/lspClient';

/** The distinct placeholder names (a language may use one twice where another uses it once). */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();
}

const hasHan = (text: string) => /[\u4e00-\u9fff]/.test(text);

test('every rule has Chinese texts with the same message keys and placeholders', () => {
  const problems: string[] = [];
  for (const rule of allRuleDescriptions()) {
    const chinese = rule.text['zh-cn'];
    if (!chinese) {
      problems.push(`${rule.id}: no zh-cn text`);
      continue;
    }
    const english = rule.text.en;
    assert.deepEqual(Object.keys(chinese.messages).sort(), Object.keys(english.messages).sort(), `${rule.id}: message keys`);
    for (const [key, template] of Object.entries(english.messages)) {
      if (placeholders(chinese.messages[key]).join() !== placeholders(template).join()) {
        problems.push(`${rule.id}.${key}: placeholders ${placeholders(template)} vs ${placeholders(chinese.messages[key])}`);
      }
      if (!hasHan(chinese.messages[key])) problems.push(`${rule.id}.${key}: the Chinese message has no Chinese text`);
    }
    if (!hasHan(chinese.title) || !hasHan(chinese.explanation)) problems.push(`${rule.id}: Chinese title or explanation is not Chinese`);
    if (Object.keys(chinese.exampleComments ?? {}).sort().join() !== Object.keys(english.exampleComments ?? {}).sort().join()) {
      problems.push(`${rule.id}: the example's comments differ between the languages`);
    }
    for (const [key, comment] of Object.entries(chinese.exampleComments ?? {})) {
      if (!hasHan(comment)) problems.push(`${rule.id}: the example comment ${key} is not translated`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the server strings exist in both languages with the same placeholders', () => {
  assert.deepEqual(Object.keys(serverText['zh-cn']).sort(), Object.keys(serverText.en).sort());
  for (const [key, english] of Object.entries(serverText.en)) {
    const chinese = serverText['zh-cn'][key as keyof typeof serverText.en];
    assert.deepEqual(placeholders(chinese), placeholders(english), key);
    assert.ok(hasHan(chinese), `${key} is not translated`);
  }
});

test('the hover strings exist in both languages with the same placeholders', () => {
  assert.deepEqual(Object.keys(hoverText['zh-cn']).sort(), Object.keys(hoverText.en).sort());
  for (const [key, english] of Object.entries(hoverText.en)) {
    const chinese = hoverText['zh-cn'][key as keyof typeof hoverText.en];
    assert.deepEqual(placeholders(chinese), placeholders(english), key);
    // A template of placeholders and punctuation (`**{title}**: {message}`) differs only in its punctuation.
    if (/[A-Za-z]/.test(english.replace(/\{\w+\}/g, ''))) assert.ok(hasHan(chinese), `${key} is not translated`);
    else assert.notEqual(chinese, english, `${key}: Chinese punctuation`);
  }
});

test('the manifest: every %key% is in package.nls.json, and the Chinese file has the same keys', () => {
  const manifest = fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8');
  const english = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const chinese = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
  const used = [...manifest.matchAll(/"%([\w.]+)%"/g)].map((match) => match[1]).sort();
  assert.deepEqual([...new Set(used)].sort(), Object.keys(english).sort());
  assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
  for (const key of Object.keys(english)) assert.ok(hasHan(chinese[key]), `${key} is not translated`);
});

test("the client's l10n bundle translates exactly the strings the client passes to l10n.t", () => {
  const clientDirectory = path.join(repositoryRoot, 'client', 'src');
  const used = new Set<string>();
  for (const file of fs.readdirSync(clientDirectory)) {
    const source = fs.readFileSync(path.join(clientDirectory, file), 'utf8');
    for (const match of source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) used.add(match[1]);
  }
  const bundle = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  assert.deepEqual(Object.keys(bundle).sort(), [...used].sort());
  for (const [english, chinese] of Object.entries(bundle)) {
    assert.deepEqual(placeholders(chinese), placeholders(english), english);
    assert.ok(hasHan(chinese), `"${english}" is not translated`);
  }
});
