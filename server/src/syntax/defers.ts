// The defer statements of a file with what the defer rules need next to each:
// the deferred call and the function it belongs to (the one whose return runs
// it). Defers in functions with parse errors are left out so no rule reports
// on code the parser may have misread.
import type { Node } from 'web-tree-sitter';
import { statementCall } from './calls';
import { descendantsSpelling, enclosingFunction, isInsideError, perRoot } from './functions';

export interface DeferSite {
  statement: Node;
  /** The deferred call_expression. */
  call: Node;
  /** The function (declaration, method or literal) whose return runs the call. */
  fn: Node;
}

/** The file's defer sites in source order (memoized per tree: most defer rules ask; a fresh array each time). */
export function deferSites(root: Node): DeferSite[] {
  return [...perRoot(root, 'deferSites', findDeferSites)];
}

function findDeferSites(root: Node): DeferSite[] {
  const sites: DeferSite[] = [];
  for (const statement of descendantsSpelling(root, 'defer', 'defer_statement')) {
    if (isInsideError(statement)) continue;
    const call = statementCall(statement);
    const fn = enclosingFunction(statement);
    // A function with a parse error is read wrongly around the error: stay quiet in all of it.
    if (!call || !fn || fn.childForFieldName('body')?.hasError !== false) continue;
    sites.push({ statement, call, fn });
  }
  return sites;
}

/** The leading whitespace of the line the node starts on. */
export function lineIndentOf(text: string, node: Node): string {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const match = /^[ \t]*/.exec(text.slice(lineStart, node.startIndex));
  return match ? match[0] : '';
}
