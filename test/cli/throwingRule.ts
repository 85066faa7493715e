// A rule that fails on every file, for tests of how a rule failure inside a
// worker thread reaches the user.
import type { Rule } from '../../server/src/rules/rule';

export const throwingRuleId = 'defer/test-always-throws';
export const throwingRuleMessage = 'this test rule always throws';

export const throwingRule: Rule = {
  id: throwingRuleId,
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  text: { en: { title: 'always throws', messages: {}, explanation: 'A test rule.' } },
  example: { code: 'panic("always")' },
  check() {
    throw new Error(throwingRuleMessage);
  },
};
