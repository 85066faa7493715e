// Line numbers in finding texts move with their declaration (engine/lineReferences):
// marked numbers shift, other digits stay, users never see a mark.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/engine/finding';
import { markLine, unmarkFindings } from '../../server/src/engine/lineReferences';
import { canMove, moveFindings, type Unit } from '../../server/src/engine/unitFindings';
import { createGoParser } from '../../server/src/parse/goParser';

function finding(message: string, line: number): Finding {
  const range = { start: { line, character: 1 }, end: { line, character: 5 } };
  return {
    rule: 'sync/double-lock',
    category: 'sync',
    severity: 'warning',
    presentation: 'diagnostic',
    range,
    message,
    source: 'goinsight',
    related: [{ range, message: `first locked on ${markLine(line + 1)}` }],
    details: `1. \`mu.Lock()\` (line ${markLine(line)})`,
    fixes: [],
  };
}

test('moving a finding shifts its marked line numbers and nothing else', () => {
  const [moved] = unmarkFindings(moveFindings([finding(`locked twice: 2 calls, first on line ${markLine(11)}`, 10)], 3));
  assert.equal(moved.message, 'locked twice: 2 calls, first on line 14');
  assert.equal(moved.related[0].message, 'first locked on 14');
  assert.equal(moved.details, '1. `mu.Lock()` (line 13)');
  assert.equal(moved.range.start.line, 13);
  assert.doesNotMatch(JSON.stringify(moved), /[\uE000\uE001]/);
});

test('a finding may move when its line numbers are marked, not when a bare number could be a line', async () => {
  const parser = await createGoParser();
  const tree = parser.parse('package p\n');
  assert.ok(tree);
  const unit: Unit = { node: tree.rootNode, text: '', start: { line: 8, character: 0 }, end: { line: 20, character: 1 } };
  assert.equal(canMove([finding(`first locked on line ${markLine(12)}`, 10)], unit), true);
  assert.equal(canMove([finding('first locked on line 12', 10)], unit), false);
  // A number outside the declaration's lines cannot be one of its lines.
  assert.equal(canMove([finding('buffered with capacity 64', 10)], unit), true);
  tree.delete();
});
