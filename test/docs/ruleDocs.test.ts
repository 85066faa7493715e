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

/**
 * The `*` runs of a Markdown line that CommonMark cannot use as the emphasis
 * they are meant to be: runs alternate opener/closer, and an opener must be
 * left-flanking, a closer right-flanking (spec 6.2; punctuation includes
 * CJK punctuation such as `）` and `：`, which is what goes wrong in Chinese).
 */
function unusableEmphasis(line: string): string[] {
  const prose = line.replace(/`[^`]*`/g, 'x');
  const punctuation = /[\p{P}\p{S}]/u;
  const problems: string[] = [];
  let open = false;
  for (const run of prose.matchAll(/\*+/g)) {
    const before = prose[run.index - 1] ?? ' ';
    const after = prose[run.index + run[0].length] ?? ' ';
    // A list bullet is not emphasis.
    if (run.index === 0 && run[0] === '*' && after === ' ') continue;
    const leftFlanking = !/\s/.test(after) && (!punctuation.test(after) || /\s/.test(before) || punctuation.test(before));
    const rightFlanking = !/\s/.test(before) && (!punctuation.test(before) || /\s/.test(after) || punctuation.test(after));
    if (open ? !rightFlanking : !leftFlanking) problems.push(`${open ? 'closing' : 'opening'} ${run[0]} at ${run.index}: …${prose.slice(Math.max(0, run.index - 12), run.index + 14)}…`);
    open = !open;
  }
  return problems;
}

test('the emphasis check knows CommonMark flanking next to CJK punctuation', () => {
  assert.deepEqual(unusableEmphasis('按**后进先出**（LIFO）的顺序'), []);
  assert.equal(unusableEmphasis('按**后进先出（LIFO）**的顺序').length, 1);
  assert.deepEqual(unusableEmphasis('**有意为之的情况。** 在测试中'), []);
});

test('every bold and italic in the rendered docs can render as emphasis (CommonMark next to CJK punctuation)', () => {
  for (const locale of ['en', 'zh-cn'] as const) {
    let inCode = false;
    const problems: string[] = [];
    for (const line of renderRuleDocs(locale).split('\n')) {
      if (line.startsWith('```')) inCode = !inCode;
      else if (!inCode) problems.push(...unusableEmphasis(line));
    }
    assert.deepEqual(problems, [], locale);
  }
});
