// Simple path reasoning on the tree: does one statement surely run, and is
// another one then reachable after it on the same path? Only structured
// sequence is understood (statement order in nested blocks, branches,
// loops, early returns); anything else answers "not sure", which rules treat
// as silence.
import type { Node } from 'web-tree-sitter';
import { isFunctionNode, parentOf } from './functions';
import { isTerminating, statementsOf } from './statements';

/** Node types a node may sit in and still run whenever the statement around it runs. */
const passThroughTypes: ReadonlySet<string> = new Set([
  'expression_statement',
  'call_expression',
  'argument_list',
  'block',
  'statement_list',
  'unary_expression',
  'send_statement',
  'short_var_declaration',
  'assignment_statement',
  'expression_list',
  'var_declaration',
  'var_spec',
  'parenthesized_expression',
  'labeled_statement',
]);

/** The lowest statement_list containing both nodes, with the child statements that contain each. */
function commonStatementList(a: Node, b: Node): { list: Node; first: Node; second: Node } | null {
  const chain = new Map<number, Node>();
  // parentOf (memoized), not .parent (O(depth) each): rules ask this for every pair of statements.
  for (let current: Node | null = a; current; current = parentOf(current)) {
    const parent = parentOf(current);
    if (parent?.type === 'statement_list') chain.set(parent.id, current);
    if (isFunctionNode(current)) break;
  }
  for (let current: Node | null = b; current; current = parentOf(current)) {
    const list = parentOf(current);
    if (list?.type === 'statement_list' && chain.has(list.id)) {
      const first = chain.get(list.id);
      return first ? { list, first, second: current } : null;
    }
    if (isFunctionNode(current)) break;
  }
  return null;
}

/**
 * True when `node` runs whenever `statement` (one of its ancestors) runs and
 * control then falls through past it: no branch, loop body, case, nested
 * function or defer in between, and no terminating statement after it.
 */
export function runsUnconditionallyIn(node: Node, statement: Node): boolean {
  for (let current: Node = node; current.id !== statement.id; ) {
    const parent = parentOf(current);
    if (!parent) return false;
    if (!passThroughTypes.has(parent.type)) {
      // The condition of an if (or a switch's value) is evaluated unconditionally.
      const unconditionalField =
        (parent.type === 'if_statement' && (parent.childForFieldName('condition')?.id === current.id || parent.childForFieldName('initializer')?.id === current.id)) ||
        (parent.type === 'expression_switch_statement' && parent.childForFieldName('value')?.id === current.id);
      if (!unconditionalField) return false;
    }
    if (parent.type === 'statement_list' && statementsOf(parent).some((sibling) => sibling.startIndex >= current.endIndex && isTerminating(sibling))) {
      return false;
    }
    current = parent;
  }
  return true;
}

/**
 * True when, once `first` has run, `second` is reached on at least one path
 * that does not loop back: both sit in one statement list, `first` runs
 * unconditionally in its statement, and no statement between them ends the flow.
 * `second` itself may be conditional.
 */
export function reachesAfter(first: Node, second: Node): boolean {
  if (first.endIndex > second.startIndex) return false;
  const common = commonStatementList(first, second);
  if (!common || common.first.id === common.second.id) return false;
  if (!runsUnconditionallyIn(first, common.first)) return false;
  const between = statementsOf(common.list).filter(
    (statement) => statement.startIndex >= common.first.endIndex && statement.endIndex <= common.second.startIndex,
  );
  return !between.some((statement) => isTerminating(statement));
}

/** The nearest loop around the node inside its own function, if any. */
export function enclosingLoop(node: Node): Node | null {
  for (let current = parentOf(node); current; current = parentOf(current)) {
    if (isFunctionNode(current)) return null;
    if (current.type === 'for_statement') return current;
  }
  return null;
}

/** `for { … }` with no condition, clause or range. */
export function isInfiniteLoop(loop: Node): boolean {
  if (loop.type !== 'for_statement') return false;
  return !loop.namedChildren.some(
    (child) => child !== null && child.type !== 'block' && child.type !== 'comment',
  );
}

/** Leading whitespace of the line the offset is on. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}
