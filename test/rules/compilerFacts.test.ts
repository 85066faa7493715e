// The descriptions of the compiler's fact kinds: one per kind that
// factToFinding can produce (same presentation and category), plus the
// server's escape/unavailable; each explained in both languages with a Go
// example and a link to Go's own documentation.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindPresentation } from '../../server/src/compiler/factToFinding';
import { findRule } from '../../server/src/rules/allRules';
import { compilerFactDescriptions } from '../../server/src/rules/compilerFacts';
import { compilerUnavailableRule } from '../../server/src/workspace/compilerFindings';

test('every compiler fact kind has a description with the presentation and category factToFinding gives it', () => {
  for (const [kind, shown] of Object.entries(kindPresentation)) {
    const description = compilerFactDescriptions.find((candidate) => candidate.id === shown.rule);
    assert.ok(description, `${kind}: no description for ${shown.rule}`);
    assert.equal(description.presentation, shown.presentation, `${shown.rule}: presentation`);
    assert.equal(description.category, shown.category, `${shown.rule}: category`);
    assert.equal(description.defaultSeverity, 'hint', `${shown.rule}: severity`);
    assert.equal(findRule(shown.rule), description, `${shown.rule}: findRule`);
  }
});

test('escape/unavailable is described as an info diagnostic', () => {
  const description = findRule(compilerUnavailableRule);
  assert.ok(description);
  assert.equal(description.category, 'escape');
  assert.equal(description.defaultSeverity, 'info');
  assert.equal(description.presentation, 'diagnostic');
});

test('exactly the fact kinds and escape/unavailable, each once, category matching the id prefix', () => {
  const ids = compilerFactDescriptions.map((description) => description.id);
  const expected = [...Object.values(kindPresentation).map((shown) => shown.rule), compilerUnavailableRule];
  assert.deepEqual([...ids].sort(), [...expected].sort());
  assert.equal(ids.length, 17);
  for (const description of compilerFactDescriptions) assert.equal(description.id.split('/')[0], description.category, description.id);
});

test('each description explains in English and Chinese, with a before/after Go example and Go documentation', () => {
  for (const description of compilerFactDescriptions) {
    const chinese = description.text['zh-cn'];
    assert.ok(chinese, `${description.id}: no Chinese text`);
    for (const [locale, text] of [['en', description.text.en], ['zh-cn', chinese]] as const) {
      assert.ok(text.title.length > 0, `${description.id} (${locale}): title`);
      // The compiler's messages are shown verbatim: no templates to keep in step.
      assert.deepEqual(text.messages, {}, `${description.id} (${locale}): messages`);
    }
    assert.match(chinese.title, /[\u4e00-\u9fff]/, description.id);
    // inline/inlined-call shows correct code: there is nothing to rewrite.
    if (description.id !== 'inline/inlined-call') assert.ok('before' in description.example, `${description.id}: a before/after example`);
    assert.match(description.documentation ?? '', /^https:\/\/go\.dev\//, `${description.id}: documentation`);
  }
});

test('Chinese bold labels close: no ** right after full-width punctuation and before more text', () => {
  // CommonMark does not close ** that follows punctuation and precedes a letter:
  // "**运行时：**编译器" renders the asterisks literally. Write "**运行时**：编译器".
  for (const description of compilerFactDescriptions) {
    const explanation = description.text['zh-cn']?.explanation ?? '';
    assert.doesNotMatch(explanation, /[：。，；）]\*\*[^\s\p{P}*]/u, description.id);
  }
});
