// Text edits on whole statements for quick fixes: deleting a statement takes
// its line with it when it stands alone there, so no blank line is left;
// a trailing comment is kept on its own line.
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';

export function deleteStatementEdit(text: string, lines: LineIndex, statement: Node): TextEdit {
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const lineEnd = text.indexOf('\n', statement.endIndex);
  const before = text.slice(lineStart, statement.startIndex);
  const after = text.slice(statement.endIndex, lineEnd < 0 ? text.length : lineEnd);
  if (/^[ \t]*$/.test(before) && /^[ \t]*$/.test(after) && lineEnd >= 0) {
    return { range: lines.rangeOf(lineStart, lineEnd + 1), newText: '' };
  }
  // A trailing comment stays, on its own line at the statement's indentation.
  const trailingComment = /^[ \t]+(?=\/[/*])/.exec(after);
  const end = trailingComment ? statement.endIndex + trailingComment[0].length : statement.endIndex;
  return { range: lines.rangeOf(statement.startIndex, end), newText: '' };
}
