// The compiler counts 1-based lines and 1-based UTF-8 *byte* columns; LSP (and
// Finding) counts 0-based lines and UTF-16 code units. On a line with `é` or an
// emoji before the expression the two differ, so every compiler position goes
// through here before it reaches an editor.
import type { Position } from '../engine/finding';

/** Splits like LSP does: `\n`, `\r\n` and a lone `\r` all end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** UTF-16 offset within `lineText` of a 1-based UTF-8 byte column; clamps to the line. */
export function utf16CharacterOfByteColumn(lineText: string, byteColumn: number): number {
  let bytes = 0;
  let character = 0;
  const wanted = Math.max(0, byteColumn - 1);
  while (character < lineText.length && bytes < wanted) {
    const codePoint = lineText.codePointAt(character) ?? 0;
    bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    character += codePoint >= 0x10000 ? 2 : 1;
  }
  return character;
}

/** 1-based UTF-8 byte column of a UTF-16 character offset in `lineText`. */
export function byteColumnOfUtf16Character(lineText: string, character: number): number {
  return Buffer.byteLength(lineText.slice(0, Math.max(0, character)), 'utf8') + 1;
}

/** Converts positions of one document; build it once per document, not per fact. */
export class CompilerPositionMapper {
  private readonly lines: string[];

  constructor(documentText: string) {
    this.lines = splitLines(documentText);
  }

  lineText(line1: number): string {
    return this.lines[line1 - 1] ?? '';
  }

  toPosition(line1: number, byteColumn1: number): Position {
    const line = Math.max(0, line1 - 1);
    return { line, character: utf16CharacterOfByteColumn(this.lines[line] ?? '', byteColumn1) };
  }
}
