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

/**
 * The edit that gives `make(chan T)` or `make(chan T, 0)` a buffer of one: one
 * place for every "buffer of 1" fix (appending ", 1" to a call that already has
 * a capacity would not compile). Undefined for any other call.
 */
export function bufferOfOneEdit(lines: LineIndex, makeCall: Node): TextEdit | undefined {
  const args = makeCall.childForFieldName('arguments');
  const values = args?.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment') ?? [];
  if (!args || values[0]?.type !== 'channel_type') return undefined;
  if (values.length === 1) {
    const closing = lines.positionAt(args.endIndex - 1);
    return { range: { start: closing, end: closing }, newText: ', 1' };
  }
  if (values.length === 2 && values[1].type === 'int_literal' && Number(values[1].text.replace(/_/g, '')) === 0) {
    return { range: lines.rangeOf(values[1].startIndex, values[1].endIndex), newText: '1' };
  }
  return undefined;
}
