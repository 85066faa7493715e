import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { allRules } from '../../server/src/rules/allRules';
import { checkFixture } from '../support/analysisTest';

const deferRules = allRules.filter((rule) => rule.id.startsWith('defer/') && rule.id !== 'defer/order');

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
}

test('defer rules: the eleven issue-4 rules are registered', () => {
  assert.deepEqual(deferRules.map((rule) => rule.id).sort(), [
    'defer/args-evaluated-early',
    'defer/before-error-check',
    'defer/call-chain',
    'defer/exit-skips-defers',
    'defer/ignored-close-error',
    'defer/in-loop',
    'defer/lock-unlock-mismatch',
    'defer/loop-var-capture',
    'defer/order-hazard',
    'defer/recover-misuse',
    'defer/value-receiver',
  ]);
});

test('defer rules: Chinese texts have the same message keys and placeholders as English, and full explanations', () => {
  for (const rule of deferRules) {
    const en = rule.text.en;
    const zh = rule.text['zh-cn'];
    assert.ok(zh, `${rule.id} has no zh-cn text`);
    assert.deepEqual(Object.keys(zh.messages).sort(), Object.keys(en.messages).sort(), rule.id);
    for (const key of Object.keys(en.messages)) {
      assert.deepEqual(placeholders(zh.messages[key]), placeholders(en.messages[key]), `${rule.id} ${key}`);
    }
    for (const text of [en, zh]) {
      assert.ok(text.title.length > 0, rule.id);
    }
    if (rule.id !== 'defer/order') assert.ok('before' in rule.example, `${rule.id}: the example needs a before and an after`);
    assert.match(rule.documentation ?? '', /^https:\/\/(go\.dev|pkg\.go\.dev)\//, rule.id);
    assert.equal(rule.presentation, 'diagnostic', rule.id);
  }
});

test('defer rules: nothing is reported in a function with a parse error', async () => {
  await checkFixture(
    'rules/defer/syntaxerror-traps/broken.go',
    deferRules.map((rule) => rule.id),
  );
});
