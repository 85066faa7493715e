import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture } from '../support/analysisTest';

test('goroutine/unbuffered-send-leak: info when the competing case fails the test (t.Fatal, t.Error), warning when the test goes on', async () => {
  const { findings, lines } = await checkFixture('rules/goroutine/unbuffered-send-leak/fails_test.go', ['goroutine/unbuffered-send-leak']);
  const inTest = (finding: (typeof findings)[number]) => {
    for (let row = finding.range.start.line; row >= 0; row--) {
      const match = /^func (\w+)/.exec(lines.lineText(row));
      if (match) return `${match[1]} ${finding.severity}`;
    }
    return '';
  };
  assert.deepEqual(findings.map(inTest), ['TestFetchFailsOnTimeout info', 'TestFetchGivesUp warning', 'TestFetchErrorsOnTimeout info']);
});
