// How deeply a Go file's brackets nest, from the text alone. Rules walk from
// nodes to their ancestors, and tree-sitter answers `parent` by descending from
// the root, so their cost grows with the square (or worse) of the nesting:
// thousands of nested blocks, calls or func literals (generated or hostile
// input) took minutes. Real code nests far less (no file of GOROOT, generated
// ones included, nests deeper than 15), so the engine skips the syntactic
// rules above a limit, as it skips files above the size limit. A character
// scan costs a few milliseconds per megabyte, unlike a walk over the syntax
// tree; it skips comments, strings and rune literals so their brackets do not
// count.

/**
 * The deepest nesting of `(`, `[` and `{` outside comments and literals.
 * Stops counting once `stopAbove` is exceeded (the answer is then only known
 * to be larger). Unbalanced closers never take the depth below zero.
 */
export function maxBracketDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    switch (code) {
      case 0x28: // (
      case 0x5b: // [
      case 0x7b: // {
        depth++;
        if (depth > deepest) {
          deepest = depth;
          if (deepest > stopAbove) return deepest;
        }
        break;
      case 0x29: // )
      case 0x5d: // ]
      case 0x7d: // }
        if (depth > 0) depth--;
        break;
      case 0x2f: {
        // '/': a line or block comment, else division.
        const next = text.charCodeAt(index + 1);
        if (next === 0x2f) {
          const end = text.indexOf('\n', index + 2);
          index = end < 0 ? length : end;
        } else if (next === 0x2a) {
          const end = text.indexOf('*/', index + 2);
          index = end < 0 ? length : end + 1;
        }
        break;
      }
      case 0x60: {
        // A raw string runs to the next backquote, across lines.
        const end = text.indexOf('`', index + 1);
        index = end < 0 ? length : end;
        break;
      }
      case 0x22: // "
      case 0x27: // '
        index = endOfQuoted(text, index, code);
        break;
    }
  }
  return deepest;
}

/** Index of the closing quote of an interpreted string or rune; they cannot span lines, so an unterminated one ends at the line break. */
function endOfQuoted(text: string, start: number, quote: number): number {
  for (let index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x5c) index++;
    else if (code === quote || code === 0x0a) return index;
  }
  return text.length;
}
