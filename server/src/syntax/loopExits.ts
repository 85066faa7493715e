// Can control leave a loop? A `return`, a `break` that targets the loop, a
// `goto`, or a call that ends the goroutine (panic, os.Exit, log.Fatal…,
// runtime.Goexit, t.Fatal…). Nested function literals do not count: their
// returns leave the literal, not the loop.
import type { Node } from 'web-tree-sitter';
import { endsFunction } from './functionContext';
import { enclosingFunction } from './functions';

const breakableTypes: ReadonlySet<string> = new Set(['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);


function loopLabel(loop: Node): string | undefined {
  return loop.parent?.type === 'labeled_statement' ? loop.parent.childForFieldName('label')?.text : undefined;
}

/** The for/switch/select statement a `break` leaves, or null when it is outside the function's own statements. */
export function breakTarget(statement: Node): Node | null {
  const label = statement.namedChildren.find((child) => child?.type === 'label_name')?.text;
  for (let current = statement.parent; current; current = current.parent) {
    if (current.type === 'func_literal' || current.type === 'function_declaration' || current.type === 'method_declaration') return null;
    if (label === undefined && breakableTypes.has(current.type)) return current;
    if (label !== undefined && current.type === 'for_statement' && loopLabel(current) === label) return current;
  }
  return null;
}

/** The for statement a `continue` goes back to, or null when it is outside the function's own statements. */
export function continueTarget(statement: Node): Node | null {
  const label = statement.namedChildren.find((child) => child?.type === 'label_name')?.text;
  for (let current = statement.parent; current; current = current.parent) {
    if (current.type === 'func_literal' || current.type === 'function_declaration' || current.type === 'method_declaration') return null;
    if (current.type === 'for_statement' && (label === undefined || loopLabel(current) === label)) return current;
  }
  return null;
}

/** True when some statement in the loop's own body can make control leave it (or end the goroutine). */
export function loopCanExit(loop: Node): boolean {
  const fn = enclosingFunction(loop);
  const body = loop.childForFieldName('body');
  if (!body) return true;
  const own = (node: Node | null): node is Node => node !== null && enclosingFunction(node)?.id === fn?.id;
  const statements = body.descendantsOfType(['return_statement', 'goto_statement', 'break_statement', 'call_expression']).filter(own);
  return statements.some((node) => {
    switch (node.type) {
      case 'return_statement':
      case 'goto_statement':
        return true;
      case 'break_statement':
        return breakTarget(node)?.id === loop.id;
      default:
        return endsFunction(node);
    }
  });
}
