// Which of the compiler's "escapes to heap" verdicts allocate nothing. The
// compiler prints the verdict for a constant converted to an interface (the
// value lives in read-only static data) and for a function literal that
// captures no variable (a static function value), although neither costs an
// allocation (measured with -benchmem, go1.26: 0 allocs/op). What cannot be
// shown to allocate nothing counts as an allocation.
import type { Node, Tree } from 'web-tree-sitter';
import type { Finding } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';
import { LocalNamesCache } from '../syntax/localNames';

/**
 * A Go constant as the compiler prints it in `X escapes to heap`: a string,
 * a rune or a number (the compiler folds `"a" + "b"` and named constants to
 * their value). A name never starts with a digit or a quote.
 */
const constantSubject = /^(?:"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)+'|[+-]?\.?\d[\w.+-]*)$/;

function escapedConstant(message: string): boolean {
  const subject = /^(.+) escapes to heap$/.exec(message)?.[1];
  return subject !== undefined && constantSubject.test(subject);
}

/** The function literal that starts where the finding starts. */
function literalAt(finding: Finding, tree: Tree, lines: LineIndex): Node | undefined {
  const offset = lines.offsetAt(finding.range.start);
  for (let node: Node | null = tree.rootNode.descendantForIndex(offset, offset); node && node.startIndex === offset; node = node.parent) {
    if (node.type === 'func_literal') return node;
  }
  return undefined;
}

/**
 * Whether an identifier in the literal names a variable declared outside it
 * (in a function around it). Constants are not captured; names that resolve
 * to nothing local are package-level.
 */
function capturesVariables(literal: Node, names: LocalNamesCache): boolean {
  const locals = names.for(literal);
  if (!locals) return true;
  return literal.descendantsOfType('identifier').some((identifier) => {
    const declaration = identifier && locals.resolve(identifier);
    if (!declaration || declaration.kind === 'const') return false;
    return declaration.identifier.startIndex < literal.startIndex || declaration.identifier.endIndex > literal.endIndex;
  });
}

export function allocatesNothing(finding: Finding, tree: Tree, lines: LineIndex, names: LocalNamesCache): boolean {
  if (finding.rule === 'escape/escapes-to-heap') return escapedConstant(finding.message);
  if (finding.rule === 'escape/func-literal-escapes') {
    const literal = literalAt(finding, tree, lines);
    return literal !== undefined && !capturesVariables(literal, names);
  }
  return false;
}
