// Which function a compiler fact belongs to, named so that the name survives
// edits elsewhere in the file: `Build`, `(*Server).Close`, a closure as its
// place among the literals of its enclosing function (`Build/func2`,
// `Build/func2/func1`), code outside functions as `(package scope)`. Line
// numbers are deliberately not part of it; the fact's line relative to its
// function's first line is kept apart, only to tell identical facts apart.
import type { Node, Parser } from 'web-tree-sitter';
import type { EscapeFact } from '../compiler';
import { LineIndex } from '../engine/lineIndex';
import { descendantsSpelling, enclosingFunction, functionDisplayName, ownDescendants } from '../syntax/functions';

export interface FactOwner {
  /** The function path; `(package scope)` outside every function. */
  path: string;
  /** The fact's line counted from its owner's first line (0 on that line); from the file's start at package scope. */
  lineInOwner: number;
}

export const packageScope = '(package scope)';

/** The literal's place among the literals of its enclosing function (or of the file's package-level code), from 1. */
function literalOrdinal(literal: Node, outer: Node | null): number {
  const siblings = outer
    ? ownDescendants(outer, 'func_literal')
    : descendantsSpelling(literal.tree.rootNode, 'func', 'func_literal').filter((candidate) => enclosingFunction(candidate) === null);
  return siblings.findIndex((candidate) => candidate.id === literal.id) + 1;
}

function functionPath(fn: Node): string {
  const parts: string[] = [];
  let current: Node | null = fn;
  while (current?.type === 'func_literal') {
    const outer = enclosingFunction(current);
    parts.unshift(`func${literalOrdinal(current, outer)}`);
    current = outer;
  }
  parts.unshift(current ? functionDisplayName(current) : packageScope);
  return parts.join('/');
}

/** The owner of each fact of one file, in the facts' order. */
export function factOwners(parser: Parser, text: string, facts: readonly EscapeFact[]): FactOwner[] {
  const tree = parser.parse(text);
  if (!tree) return facts.map((fact) => ({ path: packageScope, lineInOwner: fact.line }));
  try {
    const lines = new LineIndex(text);
    return facts.map((fact) => {
      const offset = lines.offsetAt(lines.positionFromUtf8(Math.min(fact.line, lines.lineCount), fact.column || 1));
      const node = tree.rootNode.descendantForIndex(offset, offset);
      // The literal's own `func` keyword (where "func literal escapes" points) is the outer function's fact.
      const owner = node ? enclosingFunction(node.type === 'func' && node.parent?.type === 'func_literal' ? node.parent : node) : null;
      if (!owner) return { path: packageScope, lineInOwner: fact.line };
      return { path: functionPath(owner), lineInOwner: fact.line - (owner.startPosition.row + 1) };
    });
  } finally {
    tree.delete();
  }
}
