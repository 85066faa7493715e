// The rules tuned for real code (issue 15) say in their hover, in every
// language, when the pattern is deliberate and how to silence it.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { allRules } from '../../server/src/rules/allRules';

const tuned = [
  'defer/in-loop',
  'defer/exit-skips-defers',
  'defer/ignored-close-error',
  'defer/args-evaluated-early',
  'defer/before-error-check',
  'defer/order-hazard',
  'channel/receive-without-ok',
  'channel/time-after-in-loop',
  'goroutine/unbuffered-send-leak',
  'goroutine/no-exit',
];

test('tuned rules: the hover says when the pattern is deliberate and how to silence it, en and zh-cn', () => {
  for (const id of tuned) {
    const rule = allRules.find((candidate) => candidate.id === id);
    assert.ok(rule, id);
    for (const locale of ['en', 'zh-cn'] as const) {
      const explanation = rule.text[locale]?.explanation ?? '';
      assert.ok(explanation.includes(`//goinsight:ignore ${id} `), `${id} (${locale}) does not show how to silence it`);
    }
    assert.match(rule.text.en.explanation, /deliberate|idle timeout/, id);
    assert.match(rule.text['zh-cn']?.explanation ?? '', /有意为之/, id);
  }
});

test('channel/time-after-in-loop: the hover names the idle timeout, restarted by every event', () => {
  const rule = allRules.find((candidate) => candidate.id === 'channel/time-after-in-loop');
  assert.ok(rule?.text.en.explanation.includes('idle timeout, restarted by every event'));
  assert.ok(rule?.text['zh-cn']?.explanation.includes('空闲超时，每来一个事件就重新计时'));
});
