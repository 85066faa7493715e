// One syntax tree per open document, kept current incrementally: each LSP
// content change becomes a `tree.edit()` on the old tree, and the new text is
// reparsed against it, so tree-sitter only re-reads what changed.
import type { Parser, Point, Tree } from 'web-tree-sitter';
import type { Position } from '../engine/finding';
import { LineIndex } from '../engine/lineIndex';
import type { TextChange } from '../engine/textChange';

export type { TextChange };

/** Offsets where tree-sitter rows start: it counts rows at \n only (a lone \r is not a break for it). */
function rowStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function pointAt(starts: number[], offset: number): Point {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { row: low, column: offset - starts[low] };
}

/** Where text ends if it were inserted at `start`. */
function endPointAfterInsert(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak < 0) return { row: start.row, column: start.column + inserted.length };
  return { row: start.row + rowStarts(inserted).length - 1, column: inserted.length - lastBreak - 1 };
}

/** True when the text has a \r not followed by \n: LSP counts it as a line break, tree-sitter does not. */
function hasLoneCarriageReturn(text: string, from = 0, to = text.length): boolean {
  if (to >= text.length) {
    // indexOf is fastest, but searches to the end of the text: only when that is the range asked for.
    for (let index = text.indexOf('\r', from); index >= 0 && index < to; index = text.indexOf('\r', index + 1)) {
      if (text.charCodeAt(index + 1) !== 10) return true;
    }
    return false;
  }
  const end = Math.min(to, text.length);
  for (let index = from; index < end; index++) {
    if (text.charCodeAt(index) === 13 && text.charCodeAt(index + 1) !== 10) return true;
  }
  return false;
}

export class DocumentTree {
  private currentText: string;
  private currentTree: Tree;
  /**
   * Row starts of the current text, kept up to date edit by edit (O(lines),
   * not O(characters), per keystroke). Undefined once the text has a lone
   * \r, where LSP lines and tree-sitter rows differ: then every change
   * recomputes both, as before.
   */
  private rows: number[] | undefined;
  /** The current text's line index, built on first use (it shares `rows`: a new array per edit, never changed). */
  private lineIndex: LineIndex | undefined;

  private constructor(private readonly parser: Parser, text: string, tree: Tree) {
    this.currentText = text;
    this.currentTree = tree;
    this.rows = hasLoneCarriageReturn(text) ? undefined : rowStarts(text);
  }

  static create(parser: Parser, text: string): DocumentTree {
    return new DocumentTree(parser, text, parseOrThrow(parser, text));
  }

  get text(): string {
    return this.currentText;
  }

  get tree(): Tree {
    return this.currentTree;
  }

  /** LSP positions of the current text. Without a lone \r, tree-sitter rows and LSP lines start at the same offsets. */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.currentText, this.rows);
    return this.lineIndex;
  }

  /**
   * Applies LSP content changes in order (each range refers to the text left
   * by the previous change), then reparses once against the edited tree.
   */
  applyChanges(changes: readonly TextChange[]): void {
    let text = this.currentText;
    let fullReplacement = false;
    let rows = this.rows;
    for (const change of changes) {
      if (!change.range) {
        text = change.text;
        fullReplacement = true;
        rows = hasLoneCarriageReturn(text) ? undefined : rowStarts(text);
        continue;
      }
      // Positions inside a line break are clamped before it, as LSP clients do.
      const currentRows = rows ?? rowStarts(text);
      const offsetAt = rows ? (position: Position) => offsetInRows(rows as number[], text, position) : lineOffsets(text);
      const startIndex = offsetAt(change.range.start);
      const oldEndIndex = Math.max(startIndex, offsetAt(change.range.end));
      const startPosition = pointAt(currentRows, startIndex);
      if (!fullReplacement) {
        this.currentTree.edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition,
          oldEndPosition: pointAt(currentRows, oldEndIndex),
          newEndPosition: endPointAfterInsert(startPosition, change.text),
        });
      }
      text = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
      // A lone \r can appear only in the inserted text or where it meets its neighbours.
      rows =
        rows && !hasLoneCarriageReturn(text, Math.max(0, startIndex - 1), startIndex + change.text.length + 1)
          ? editedRows(rows, startIndex, oldEndIndex, change.text)
          : undefined;
    }
    const oldTree = this.currentTree;
    this.currentTree = parseOrThrow(this.parser, text, fullReplacement ? undefined : oldTree);
    oldTree.delete();
    this.currentText = text;
    this.rows = rows;
    this.lineIndex = undefined;
  }

  dispose(): void {
    this.currentTree.delete();
  }
}

/** LSP position → offset through a full LineIndex (texts with a lone \r). */
function lineOffsets(text: string): (position: Position) => number {
  const lines = new LineIndex(text);
  return (position) => lines.offsetAt(position);
}

/** LineIndex.offsetAt on row starts, valid when every line break is \n or \r\n. */
function offsetInRows(rows: readonly number[], text: string, position: Position): number {
  if (position.line < 0) return 0;
  if (position.line >= rows.length) return text.length;
  const start = rows[position.line];
  let end = position.line + 1 < rows.length ? rows[position.line + 1] - 1 : text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return Math.min(start + Math.max(0, position.character), end);
}

/** Row starts after replacing [start, oldEnd) with `inserted`. */
function editedRows(rows: readonly number[], start: number, oldEnd: number, inserted: string): number[] {
  const delta = inserted.length - (oldEnd - start);
  const result: number[] = [];
  let index = 0;
  while (index < rows.length && rows[index] <= start) result.push(rows[index++]);
  for (let at = inserted.indexOf('\n'); at >= 0; at = inserted.indexOf('\n', at + 1)) result.push(start + at + 1);
  while (index < rows.length && rows[index] <= oldEnd) index++;
  while (index < rows.length) result.push(rows[index++] + delta);
  return result;
}

function parseOrThrow(parser: Parser, text: string, oldTree?: Tree): Tree {
  const tree = parser.parse(text, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree (parser has no language set)');
  return tree;
}
