// Reading calls from the tree: what is called (`pkg.Func`, `recv.Method`,
// `f`), on which receiver expression, with which arguments; and the call of a
// `defer` or `go` statement.
import type { Node } from 'web-tree-sitter';
import type { ImportNames } from './imports';
import type { LocalNames } from './localNames';

/** The call a `defer`/`go` statement makes (the call_expression), if it is one. */
export function statementCall(statement: Node): Node | null {
  const call = statement.namedChildren.find((child) => child !== null && child.type !== 'comment') ?? null;
  return call?.type === 'call_expression' ? call : null;
}

export function callArguments(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  return list ? list.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment') : [];
}

/** Strips redundant parentheses: `(x)` → `x`. */
export function unparenthesize(node: Node): Node {
  let current = node;
  while (current.type === 'parenthesized_expression') {
    const inner = current.namedChildren.find((child) => child !== null && child.type !== 'comment');
    if (!inner) break;
    current = inner;
  }
  return current;
}

export interface MethodCall {
  /** The receiver expression (`s.mu` in `s.mu.Lock()`). */
  receiver: Node;
  method: string;
}

/** `recv.Method(...)` with any receiver expression. */
export function methodCall(call: Node): MethodCall | undefined {
  const callee = call.childForFieldName('function');
  if (!callee || callee.type !== 'selector_expression') return undefined;
  const receiver = callee.childForFieldName('operand');
  const field = callee.childForFieldName('field');
  if (!receiver || !field) return undefined;
  return { receiver: unparenthesize(receiver), method: field.text };
}

/** The identifier at the root of `a`, `a.b.c`, `(*a).b`, `a[i].b`: the variable whose state the expression reads. */
export function rootIdentifier(expression: Node): Node | null {
  let current: Node | null = expression;
  for (let steps = 0; current && steps < 64; steps++) {
    switch (current.type) {
      case 'identifier':
        return current;
      case 'selector_expression':
        current = current.childForFieldName('operand');
        break;
      case 'index_expression':
        current = current.childForFieldName('operand');
        break;
      case 'parenthesized_expression':
        current = unparenthesize(current);
        if (current.type === 'parenthesized_expression') return null;
        break;
      case 'unary_expression':
        current = current.childForFieldName('operand');
        break;
      default:
        return null;
    }
  }
  return null;
}

/**
 * True when the call is `pkg.Name(...)` for one of `names`, where `pkg` is the
 * file's import of `importPath` and is not shadowed by a local variable.
 */
export function isPackageCall(
  call: Node,
  importPath: string,
  names: readonly string[],
  imports: ImportNames,
  locals: LocalNames | undefined,
): boolean {
  const callee = call.childForFieldName('function');
  if (!callee || callee.type !== 'selector_expression') return false;
  const operand = callee.childForFieldName('operand');
  const field = callee.childForFieldName('field');
  if (!operand || operand.type !== 'identifier' || !field || !names.includes(field.text)) return false;
  if (imports.get(operand.text) !== importPath) return false;
  return !locals?.resolve(operand);
}

/** `name(...)` calling the predeclared (builtin) function `name`, not shadowed by a local. */
export function isBuiltinCall(call: Node, name: string, locals: LocalNames | undefined): boolean {
  const callee = call.childForFieldName('function');
  return callee?.type === 'identifier' && callee.text === name && !locals?.resolve(callee);
}
