// Goroutines started in a function: `go func() { … }()` literals and
// `go name(args)` calls of functions declared in the same file. A node
// "runs in" a goroutine when its nearest function is such a literal.
import type { Node } from 'web-tree-sitter';
import { statementCall, unparenthesize } from './calls';
import type { FileDeclarations, TopLevelNode } from './fileDeclarations';

/** What the source of every go statement spells (for descendantsSpelling): the keyword as a word of its own. */
export const goKeyword = /\bgo\b/;

/** When `fn` is a func literal started directly by a `go` statement: that statement. */
export function goStatementOfLiteral(fn: Node): Node | null {
  if (fn.type !== 'func_literal') return null;
  let callee = fn;
  while (callee.parent?.type === 'parenthesized_expression') callee = callee.parent;
  const call = callee.parent;
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== callee.id) return null;
  return call.parent?.type === 'go_statement' ? call.parent : null;
}

/** The func literal a `go` statement starts, if it starts one. */
export function literalOfGoStatement(goStatement: Node): Node | null {
  const call = statementCall(goStatement);
  const callee = call?.childForFieldName('function');
  if (!callee) return null;
  const literal = unparenthesize(callee);
  return literal.type === 'func_literal' ? literal : null;
}

/**
 * Top-level functions of the file by name, for following a value into a
 * callee. Methods are excluded (their receiver type is unknown), and so are
 * functions without a body (implemented in assembly) and names declared more
 * than once (`init`, or files that rely on build tags).
 */
export function fileFunctions(declarations: FileDeclarations): Map<string, Node> {
  const byName = new Map<string, TopLevelNode[]>();
  for (const { declaration, name } of declarations.functions()) byName.set(name, [...(byName.get(name) ?? []), declaration]);
  const functions = new Map<string, Node>();
  for (const [name, found] of byName) {
    const [only] = found;
    if (found.length !== 1 || name === '_' || name === 'init') continue;
    if (declarations.fact(only, 'hasBodyWithoutError', (node) => node.childForFieldName('body') !== null && !node.hasError)) functions.set(name, only.node);
  }
  return functions;
}
