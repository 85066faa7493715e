// Each rule has one Go example for every language (RuleExample): the prose of
// an explanation holds no Go block, so the two languages cannot drift apart
// again, and every comment the code asks for exists in each language.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import type { Locale, RuleDescription } from '../../server/src/rules/rule';
import { renderExample, ruleExplanation } from '../../server/src/rules/ruleExample';

const locales: Locale[] = ['en', 'zh-cn'];

test('no explanation contains a fenced code block: the example lives in `example`, once for both languages', () => {
  const problems: string[] = [];
  for (const rule of allRuleDescriptions()) {
    for (const locale of locales) {
      if (/```/.test(rule.text[locale]?.explanation ?? '')) problems.push(`${rule.id} (${locale})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('every `// {key}` comment and caption of an example is written in each language, and every written comment is used', () => {
  const problems: string[] = [];
  for (const rule of allRuleDescriptions()) {
    const example = rule.example;
    const code = 'code' in example ? example.code : [example.shared ?? '', example.before, example.after].join('\n');
    const used = new Set([...code.matchAll(/\/\/ \{(\w+)\}/g)].map((match) => match[1]));
    for (const locale of locales) {
      const comments = rule.text[locale]?.exampleComments ?? {};
      for (const key of used) if (!comments[key]) problems.push(`${rule.id} (${locale}): no comment ${key}`);
      for (const key of Object.keys(comments)) {
        const caption = (key === 'before' || key === 'after') && !('code' in example);
        if (!used.has(key) && !caption) problems.push(`${rule.id} (${locale}): comment ${key} is not used`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

const sample: RuleDescription = {
  id: 'defer/sample',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  example: { shared: 'type T struct{}', before: 'x := T{} // {made}', after: 'var x T' },
  text: {
    en: { title: 'Sample', messages: {}, explanation: 'Prose.', exampleComments: { before: 'allocates', made: 'made here' } },
    'zh-cn': { title: '示例', messages: {}, explanation: '说明。', exampleComments: { before: '会分配', made: '在此创建' } },
  },
};

test('an example renders as one Go block under the language\'s headings, with its comments in that language', () => {
  assert.equal(renderExample(sample, 'en'), '```go\ntype T struct{}\n\n// Before: allocates\nx := T{} // made here\n\n// After\nvar x T\n```');
  assert.equal(renderExample(sample, 'zh-cn'), '```go\ntype T struct{}\n\n// 修改前：会分配\nx := T{} // 在此创建\n\n// 修改后\nvar x T\n```');
  assert.equal(ruleExplanation(sample, 'zh-cn'), `说明。\n\n${renderExample(sample, 'zh-cn')}`);
  // A composite literal's braces are code, not a comment to fill.
  assert.ok(renderExample({ ...sample, example: { code: 'm := map[string]int{made: 1}' } }, 'en').includes('{made: 1}'));
});

test('every rule renders its example in both languages with the same code and no placeholder left', () => {
  const codeOf = (markdown: string) => markdown.replace(/\/\/.*$/gm, '').trimEnd();
  for (const rule of allRuleDescriptions()) {
    const [english, chinese] = locales.map((locale) => renderExample(rule, locale));
    assert.equal(codeOf(chinese), codeOf(english), rule.id);
    for (const rendered of [english, chinese]) assert.doesNotMatch(rendered, /\/\/ \{\w+\}/, rule.id);
  }
});
