// The `select` statements of one declaration, as plain data for the package
// model: for each, its receive cases with what they receive from (a channel
// path, or `x.Done()`) and whether the case leaves the loop around the select
// (a `return`, or a `break` to that loop or one around it, as a statement of
// the case itself, or under `if !ok` once the channel is closed), and the
// sends and receives written directly in its `default:` branch. Rules read
// these to tell a loop that stops on a signal (goroutine/unguarded-blocking-op).
// Spans are relative to the declaration, like every other declaration fact;
// only declarations whose text has a `select` are read.
import type { Node } from 'web-tree-sitter';
import { callArguments, unparenthesize } from '../syntax/calls';
import { enclosingLoop } from '../syntax/executionOrder';
import { breakTarget } from '../syntax/loopExits';
import { statementsOf } from '../syntax/statements';
import type { Span } from './functionFacts';
import { valuePathOf, type ValuePath } from './valuePaths';

/** What a receive case waits on: a channel path (`w.stop`), or the `Done()` of a path (`ctx.Done()`). */
export type ReceivedSignal = { kind: 'channel'; channel: ValuePath } | { kind: 'done'; context: ValuePath };

export interface ReceiveCase {
  /** The `<-x` expression. */
  at: Span;
  /** Undefined when it is neither a path nor `path.Done()` (`<-time.After(d)`). */
  signal?: ReceivedSignal;
  /**
   * How the case ends the loop around the select: by one of its own
   * statements, or only once the channel is closed (`v, ok := <-ch` followed
   * by `if !ok { return }`); undefined when it does not.
   */
  leaves?: 'always' | 'whenClosed';
}

export interface SelectFact {
  at: Span;
  receives: ReceiveCase[];
  /** Send statements and `<-x` expressions that are statements of the `default:` branch itself. */
  defaultOperations: Span[];
}

function signalOf(operand: Node | null): ReceivedSignal | undefined {
  if (!operand) return undefined;
  const expression = unparenthesize(operand);
  if (expression.type === 'call_expression') {
    const callee = expression.childForFieldName('function');
    if (callee?.type !== 'selector_expression' || callee.childForFieldName('field')?.text !== 'Done' || callArguments(expression).length > 0) return undefined;
    const context = valuePathOf(callee.childForFieldName('operand'));
    return context ? { kind: 'done', context } : undefined;
  }
  const channel = valuePathOf(expression);
  return channel ? { kind: 'channel', channel } : undefined;
}

/** Whether one of the statements ends `loop`: a return, or a break whose target is `loop` or a loop around it. */
function endsLoop(statements: readonly Node[], loop: Node): boolean {
  return statements.some((statement) => {
    if (statement.type === 'return_statement') return true;
    if (statement.type !== 'break_statement') return false;
    const target = breakTarget(statement);
    return target !== null && target.type === 'for_statement' && target.startIndex <= loop.startIndex && loop.endIndex <= target.endIndex;
  });
}

/** The `ok` of `v, ok := <-ch` (or `=`). */
function okName(receive: Node): string | undefined {
  const left = receive.childForFieldName('left');
  const names = left?.type === 'expression_list' ? left.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment') : [];
  return names.length === 2 && names[1].type === 'identifier' && names[1].text !== '_' ? names[1].text : undefined;
}

function leavingOf(clause: Node, receive: Node, loop: Node): ReceiveCase['leaves'] {
  const statements = statementsOf(clause);
  if (endsLoop(statements, loop)) return 'always';
  const ok = okName(receive);
  const [first] = statements;
  if (!ok || first?.type !== 'if_statement' || first.childForFieldName('alternative') || first.childForFieldName('initializer')) return undefined;
  if (first.childForFieldName('condition')?.text.replace(/\s+/g, '') !== `!${ok}`) return undefined;
  const consequence = first.childForFieldName('consequence');
  return consequence && endsLoop(statementsOf(consequence), loop) ? 'whenClosed' : undefined;
}

function selectFact(select: Node, start: number): SelectFact {
  const span = (node: Node): Span => [node.startIndex - start, node.endIndex - start];
  const loop = enclosingLoop(select);
  const receives: ReceiveCase[] = [];
  const defaultOperations: Span[] = [];
  for (const clause of select.namedChildren) {
    if (clause?.type === 'default_case') {
      for (const statement of statementsOf(clause)) {
        if (statement.type === 'send_statement') defaultOperations.push(span(statement));
        const expression = statement.type === 'expression_statement' ? statement.namedChild(0) : statement.type === 'short_var_declaration' || statement.type === 'assignment_statement' ? statement.childForFieldName('right')?.namedChild(0) : undefined;
        if (expression?.type === 'unary_expression' && expression.childForFieldName('operator')?.text === '<-') defaultOperations.push(span(expression));
      }
      continue;
    }
    const communication = clause?.type === 'communication_case' ? clause.childForFieldName('communication') : null;
    if (!clause || communication?.type !== 'receive_statement') continue;
    const receive = communication.childForFieldName('right');
    if (receive?.type !== 'unary_expression') continue;
    const leaves = loop && leavingOf(clause, communication, loop);
    receives.push({ at: span(receive), signal: signalOf(receive.childForFieldName('operand')), ...(leaves ? { leaves } : {}) });
  }
  return { at: span(select), receives, defaultOperations };
}

/** The selects of a function or method declaration (its literals' included); empty when its text has no `select`. */
export function selectFactsOf(declaration: Node, text: string): SelectFact[] {
  if (declaration.hasError || !/\bselect\s*\{/.test(text)) return [];
  const start = declaration.startIndex;
  return declaration.descendantsOfType('select_statement').flatMap((select) => (select ? [selectFact(select, start)] : []));
}
