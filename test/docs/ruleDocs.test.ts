import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { renderRuleDocs, ruleDocFiles } from '../../server/src/docs/ruleDocs';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import type { Locale } from '../../server/src/rules/rule';
import { renderExample } from '../../server/src/rules/ruleExample';
import { repositoryRoot } from '../support/lspClient';

test('docs/rules*.md are up to date with the rule modules (run `npm run docs` after changing a rule)', () => {
  for (const [locale, file] of Object.entries(ruleDocFiles) as [Locale, string][]) {
    const onDisk = fs.readFileSync(path.join(repositoryRoot, file), 'utf8');
    assert.equal(onDisk, renderRuleDocs(locale), `${file} is out of date: run npm run docs`);
  }
});

test('the rendered docs have a section with the explanation of every rule', () => {
  for (const locale of ['en', 'zh-cn'] as const) {
    const markdown = renderRuleDocs(locale);
    for (const rule of allRuleDescriptions()) {
      assert.ok(markdown.includes(`### ${rule.id}\n`), `${locale}: no section for ${rule.id}`);
      assert.ok(markdown.includes((rule.text[locale] ?? rule.text.en).explanation), `${locale}: ${rule.id} explanation missing`);
      assert.ok(markdown.includes(renderExample(rule, locale)), `${locale}: ${rule.id} example missing`);
    }
  }
});
