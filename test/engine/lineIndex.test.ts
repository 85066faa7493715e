// Byte columns (the Go compiler's) to UTF-16 characters (LSP's) and back, and
// LSP lines (\n, \r\n and a lone \r all end one).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteColumnOfUtf16Character, LineIndex, utf16CharacterOfByteColumn } from '../../server/src/engine/lineIndex';

test('UTF-8 byte columns to UTF-16 characters', () => {
  const line = '\ts := "héllo 😀"; x'; // é: 2 bytes/1 unit, 😀: 4 bytes/2 units
  const xCharacter = line.indexOf('x');
  const xByteColumn = Buffer.byteLength(line.slice(0, xCharacter)) + 1;
  assert.equal(xByteColumn - 1 - xCharacter, 1 + 2);
  assert.equal(utf16CharacterOfByteColumn(line, xByteColumn), xCharacter);
  assert.equal(byteColumnOfUtf16Character(line, xCharacter), xByteColumn);
  assert.equal(utf16CharacterOfByteColumn(line, 1), 0);
  assert.equal(utf16CharacterOfByteColumn(line, 0), 0, 'column 0 (none printed) is the line start');
  assert.equal(utf16CharacterOfByteColumn(line, 10_000), line.length, 'clamped to the line');
  assert.equal(utf16CharacterOfByteColumn('日本語x', 10), 3);
});

test('document lines: LF, CRLF and CR', () => {
  const lines = new LineIndex('package a\r\n\r\nvar é, x = 1, 2\rfunc f() {}\n');
  assert.deepEqual(lines.positionFromUtf8(3, 9), { line: 2, character: 7 }, 'x: 8 bytes, 7 units in');
  assert.equal(lines.utf8Column({ line: 2, character: 7 }), 9);
  assert.equal(lines.lineText(3), 'func f() {}');
  assert.equal(lines.lineCount, 5);
  assert.deepEqual(lines.positionFromUtf8(99, 1), { line: 98, character: 0 });
  // Offsets inside a line break clamp before it, as LSP clients do.
  assert.equal(lines.offsetAt({ line: 0, character: 50 }), 'package a'.length);
  assert.deepEqual(lines.positionAt('package a\r\n'.length), { line: 1, character: 0 });
});
