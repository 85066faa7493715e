import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Tree } from 'web-tree-sitter';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { DocumentTree, type TextChange } from '../../server/src/parse/documentTree';
import { createGoParser } from '../../server/src/parse/goParser';
import { fixturesRoot } from '../support/analysisTest';
import { seededRandom } from '../support/seededRandom';

const snippets = ['x', '\n', '}', '{', 'defer f()\n', 'é', '😀', '"', '/*', '\r\n', '\r', 'func() {', ' ', ''];

/** Every node with its points: the row bookkeeping of incremental edits shows here, not in toString(). */
function nodesWithPoints(tree: Tree): string[] {
  const found: string[] = [];
  const cursor = tree.walk();
  for (let more = true; more; ) {
    const { startPosition: start, endPosition: end } = cursor;
    found.push(`${cursor.nodeType}@${start.row}:${start.column}-${end.row}:${end.column}`);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
  }
  cursor.delete();
  return found;
}

function randomChange(text: string, random: () => number): TextChange {
  const lines = new LineIndex(text);
  const start = Math.floor(random() * (text.length + 1));
  const end = Math.min(text.length, start + Math.floor(random() * 12));
  const inserted = snippets[Math.floor(random() * snippets.length)];
  return { range: { start: lines.positionAt(start), end: lines.positionAt(end) }, text: inserted };
}

function applyToText(text: string, change: TextChange): string {
  if (!change.range) return change.text;
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(change.range.start)) + change.text + text.slice(lines.offsetAt(change.range.end));
}

test('random incremental edits always leave the same tree as a fresh parse', async () => {
  const parser = await createGoParser();
  const sources = [
    fs.readFileSync(path.join(fixturesRoot, 'rules/defer/order/order.go'), 'utf8'),
    fs.readFileSync(path.join(fixturesRoot, 'rules/defer/order/order.go'), 'utf8').replace(/\n/g, '\r\n'),
  ];
  const random = seededRandom(20261123);
  for (const source of sources) {
    const document = DocumentTree.create(parser, source);
    let expected = source;
    for (let round = 0; round < 150; round++) {
      // Sometimes several changes in one batch: each refers to the text the previous one left.
      const batch: TextChange[] = [];
      for (let count = 1 + Math.floor(random() * 3); count > 0; count--) {
        const change = randomChange(expected, random);
        batch.push(change);
        expected = applyToText(expected, change);
      }
      document.applyChanges(batch);
      assert.equal(document.text, expected, `text after round ${round}`);
      const fresh = parser.parse(expected);
      assert.ok(fresh);
      assert.equal(document.tree.rootNode.toString(), fresh.rootNode.toString(), `tree after round ${round}`);
      assert.deepEqual(nodesWithPoints(document.tree), nodesWithPoints(fresh), `points after round ${round}`);
      // The document's line index (built on its row starts when it can) answers like one built from the text.
      const scanned = new LineIndex(expected);
      assert.equal(document.lines.lineCount, scanned.lineCount, `line count after round ${round}`);
      for (let line = 0; line < scanned.lineCount; line++) {
        assert.equal(document.lines.offsetAt({ line, character: 0 }), scanned.offsetAt({ line, character: 0 }), `line ${line} after round ${round}`);
        assert.equal(document.lines.lineText(line), scanned.lineText(line), `text of line ${line} after round ${round}`);
      }
      fresh.delete();
    }
    document.dispose();
  }
});

test('a full-text change replaces the document', async () => {
  const parser = await createGoParser();
  const document = DocumentTree.create(parser, 'package a\n');
  document.applyChanges([{ text: 'package b\n\nfunc f() { defer g() }\n' }]);
  assert.equal(document.text, 'package b\n\nfunc f() { defer g() }\n');
  assert.match(document.tree.rootNode.toString(), /defer_statement/);
  document.dispose();
});
