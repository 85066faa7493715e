// Statements as lists: a block's statements, a statement's neighbours, and
// whether a statement surely ends the flow through its list (return, panic,
// goto, break/continue). tree-sitter-go wraps the statements of a block or a
// case clause in a statement_list node.
import type { Node } from 'web-tree-sitter';
import { endsFunction } from './functionContext';

export function statementsOf(container: Node): Node[] {
  const list = container.type === 'statement_list' ? container : container.namedChildren.find((child) => child?.type === 'statement_list');
  if (!list) return [];
  return list.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}

/** The statement_list a statement sits in directly, if any. */
export function enclosingStatementList(statement: Node): Node | null {
  return statement.parent?.type === 'statement_list' ? statement.parent : null;
}

/** The statement (a direct child of a statement_list) that contains the node, if any. */
export function enclosingStatement(node: Node): Node | null {
  let current: Node | null = node;
  while (current && current.parent?.type !== 'statement_list') current = current.parent;
  return current;
}

/** The statements after this one in the same list. */
export function followingStatements(statement: Node): Node[] {
  const list = enclosingStatementList(statement);
  if (!list) return [];
  return statementsOf(list).filter((sibling) => sibling.startIndex >= statement.endIndex);
}

export function previousStatement(statement: Node): Node | null {
  const list = enclosingStatementList(statement);
  if (!list) return null;
  const siblings = statementsOf(list);
  const index = siblings.findIndex((sibling) => sibling.id === statement.id);
  return index > 0 ? siblings[index - 1] : null;
}

export function nextStatement(statement: Node): Node | null {
  return followingStatements(statement)[0] ?? null;
}

/**
 * True when control cannot fall through the statement: return, goto,
 * break/continue, a call that ends the function (syntax/functionContext), or a block/if-else whose every path ends so.
 * Bounded: looks at most `depth` nested blocks deep.
 */
export function isTerminating(statement: Node, depth = 8): boolean {
  switch (statement.type) {
    case 'return_statement':
    case 'goto_statement':
    case 'break_statement':
    case 'continue_statement':
      return true;
    case 'expression_statement': {
      const call = statement.namedChild(0);
      return call !== null && endsFunction(call);
    }
    case 'block': {
      const statements = statementsOf(statement);
      const last = statements[statements.length - 1];
      return depth > 0 && last !== undefined && isTerminating(last, depth - 1);
    }
    case 'if_statement': {
      const consequence = statement.childForFieldName('consequence');
      const alternative = statement.childForFieldName('alternative');
      return depth > 0 && !!consequence && !!alternative && isTerminating(consequence, depth - 1) && isTerminating(alternative, depth - 1);
    }
    default:
      return false;
  }
}
