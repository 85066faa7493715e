// Byte columns (compiler) to UTF-16 characters (LSP) and back.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteColumnOfUtf16Character, CompilerPositionMapper, utf16CharacterOfByteColumn } from '../../server/src/compiler/positions';

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
  const mapper = new CompilerPositionMapper('package a\r\n\r\nvar é, x = 1, 2\rfunc f() {}\n');
  assert.deepEqual(mapper.toPosition(3, 9), { line: 2, character: 7 }, 'x: 8 bytes, 7 units in');
  assert.equal(mapper.lineText(4), 'func f() {}');
  assert.deepEqual(mapper.toPosition(99, 1), { line: 98, character: 0 });
});
