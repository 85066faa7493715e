// Converts between the three ways positions are spoken of here: UTF-16 offsets
// (JavaScript strings, tree-sitter, LSP), LSP line/character positions, and the
// Go compiler's 1-based line + 1-based UTF-8 byte column.
import type { Position, Range } from './finding';

export class LineIndex {
  /** Offset of the first character of each line (LSP line breaks: \n, \r\n, lone \r). */
  private readonly starts: readonly number[];

  /**
   * `lineStarts`, when given, must be exactly those offsets and never change
   * afterwards (a document's row starts, kept up to date edit by edit, spare
   * a scan of the whole text on every keystroke).
   */
  constructor(
    private readonly text: string,
    lineStarts?: readonly number[],
  ) {
    if (lineStarts) {
      this.starts = lineStarts;
      return;
    }
    const starts = [0];
    if (!text.includes('\r')) {
      // The common case, built on every keystroke: indexOf is many times faster than a loop over characters.
      for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
    } else {
      for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (code === 10) starts.push(index + 1);
        else if (code === 13 && text.charCodeAt(index + 1) !== 10) starts.push(index + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[position.line] + Math.max(0, position.character), this.lineEnd(position.line));
  }

  /** The line's text without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }

  /** From the first line's first non-blank character to the last line's last one: the lines as a reader sees them. */
  textRange(firstLine: number, lastLine = firstLine): Range {
    const first = this.lineText(firstLine);
    return {
      start: { line: firstLine, character: first.length - first.trimStart().length },
      end: { line: lastLine, character: this.lineText(lastLine).trimEnd().length },
    };
  }

  private lineEnd(line: number): number {
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** 1-based UTF-8 byte column (as the Go compiler prints) of an LSP position. */
  utf8Column(position: Position): number {
    return byteColumnOfUtf16Character(this.lineText(position.line), position.character);
  }

  /** LSP position of a compiler position: 1-based line, 1-based UTF-8 byte column (0: none printed). */
  positionFromUtf8(line1: number, byteColumn1: number): Position {
    const line = Math.max(0, line1 - 1);
    return { line, character: utf16CharacterOfByteColumn(this.lineText(line), byteColumn1) };
  }
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
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
  return utf8Length(lineText.slice(0, Math.max(0, character))) + 1;
}
