// One syntax tree per open document, kept current incrementally: each LSP
// content change becomes a `tree.edit()` on the old tree, and the new text is
// reparsed against it, so tree-sitter only re-reads what changed.
import type { Parser, Point, Tree } from 'web-tree-sitter';

export interface TextChange {
  /** Omitted for a full-text replacement. */
  range?: { start: Point2; end: Point2 };
  text: string;
}

/** An LSP position: 0-based line and UTF-16 character. */
interface Point2 {
  line: number;
  character: number;
}

/**
 * Line start offsets. LSP ends lines at \n, \r\n and a lone \r; tree-sitter
 * counts rows at \n only, so the two need separate tables when a file has a
 * lone \r (rare, but then positions must still be right).
 */
function lineStarts(text: string, breakAtLoneCarriageReturn: boolean): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) starts.push(index + 1);
    else if (breakAtLoneCarriageReturn && code === 13 && text.charCodeAt(index + 1) !== 10) starts.push(index + 1);
  }
  return starts;
}

function offsetAt(starts: number[], text: string, position: Point2): number {
  if (position.line >= starts.length) return text.length;
  const lineStart = starts[position.line];
  const nextLineStart = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  return Math.min(lineStart + Math.max(0, position.character), nextLineStart);
}

/** Where text ends if it were inserted at `start` (tree-sitter points are row + UTF-16 column). */
function endPointAfterInsert(start: Point, inserted: string): Point {
  const lines = lineStarts(inserted, false);
  if (lines.length === 1) return { row: start.row, column: start.column + inserted.length };
  return { row: start.row + lines.length - 1, column: inserted.length - lines[lines.length - 1] };
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

export class DocumentTree {
  private currentText: string;
  private currentTree: Tree;

  private constructor(private readonly parser: Parser, text: string, tree: Tree) {
    this.currentText = text;
    this.currentTree = tree;
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

  /**
   * Applies LSP content changes in order (each range refers to the text left
   * by the previous change), then reparses once against the edited tree.
   */
  applyChanges(changes: readonly TextChange[]): void {
    let text = this.currentText;
    let fullReplacement = false;
    for (const change of changes) {
      if (!change.range) {
        text = change.text;
        fullReplacement = true;
        continue;
      }
      const lspStarts = lineStarts(text, true);
      const startIndex = offsetAt(lspStarts, text, change.range.start);
      const oldEndIndex = Math.max(startIndex, offsetAt(lspStarts, text, change.range.end));
      const rowStarts = text.includes('\r') ? lineStarts(text, false) : lspStarts;
      const startPosition = pointAt(rowStarts, startIndex);
      if (!fullReplacement) {
        this.currentTree.edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition,
          oldEndPosition: pointAt(rowStarts, oldEndIndex),
          newEndPosition: endPointAfterInsert(startPosition, change.text),
        });
      }
      text = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
    }
    const oldTree = this.currentTree;
    this.currentTree = parseOrThrow(this.parser, text, fullReplacement ? undefined : oldTree);
    oldTree.delete();
    this.currentText = text;
  }

  dispose(): void {
    this.currentTree.delete();
  }
}

function parseOrThrow(parser: Parser, text: string, oldTree?: Tree): Tree {
  const tree = parser.parse(text, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree (parser has no language set)');
  return tree;
}
