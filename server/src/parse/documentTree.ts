// One syntax tree per open document, kept current incrementally: each LSP
// content change becomes a `tree.edit()` on the old tree, and the new text is
// reparsed against it, so tree-sitter only re-reads what changed.
import type { Parser, Point, Tree } from 'web-tree-sitter';
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
      // Positions inside a line break are clamped before it, as LSP clients do.
      const lines = new LineIndex(text);
      const startIndex = lines.offsetAt(change.range.start);
      const oldEndIndex = Math.max(startIndex, lines.offsetAt(change.range.end));
      const rows = rowStarts(text);
      const startPosition = pointAt(rows, startIndex);
      if (!fullReplacement) {
        this.currentTree.edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition,
          oldEndPosition: pointAt(rows, oldEndIndex),
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
