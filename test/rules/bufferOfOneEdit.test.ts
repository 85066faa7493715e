// The one "buffer of 1" edit the channel quick fixes share.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { createGoParser } from '../../server/src/parse/goParser';
import { bufferOfOneEdit } from '../../server/src/syntax/statementEdits';
import { applyFix, parseErrors } from '../support/applyFix';

async function edited(makeExpression: string): Promise<string | undefined> {
  const text = `package p\n\nvar ch = ${makeExpression}\n`;
  const parser = await createGoParser();
  const tree = parser.parse(text);
  assert.ok(tree);
  try {
    const call = tree.rootNode.descendantsOfType('call_expression')[0];
    assert.ok(call);
    const edit = bufferOfOneEdit(new LineIndex(text), call);
    if (!edit) return undefined;
    const result = applyFix(text, { title: 'buffer', edits: [edit] });
    assert.deepEqual(await parseErrors(result), []);
    return result.split('\n')[2];
  } finally {
    tree.delete();
  }
}

test('make(chan T) and make(chan T, 0) get a buffer of one; other capacities and other calls are left alone', async () => {
  assert.equal(await edited('make(chan int)'), 'var ch = make(chan int, 1)');
  assert.equal(await edited('make(chan struct{}, 0)'), 'var ch = make(chan struct{}, 1)');
  assert.equal(await edited('make(chan int, 4)'), undefined);
  assert.equal(await edited('make(chan int, n)'), undefined);
  assert.equal(await edited('make([]int, 3)'), undefined);
});
