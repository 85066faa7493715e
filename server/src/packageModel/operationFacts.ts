// The blocking side of a function's text, for the package model: channel
// operations (send, receive, range, close; a case of a select, with or
// without default), `x.Wait()`, `x.Done()`, goroutines started (`go f(…)`,
// `go func(){…}()` with the literal's own facts and the names it captures),
// the channels a `make` creates with or without a buffer, and the paths that
// leave the function (returned, passed, stored) so that a channel's other
// side may be out of sight. Only syntax here: whether `x` is a channel, a
// WaitGroup or a Cond is decided later with the types (blockingSummaries).
// The statement walker of functionFacts records each operation with the
// locks held there; this file says what an operation is.
import type { Node } from 'web-tree-sitter';
import { callArguments, unparenthesize } from '../syntax/calls';
import { parentOf } from '../syntax/functions';
import type { BodyNodes, TypedNode } from './bodyNodes';
import type { CallArgument, CallTarget, FunctionFacts, HeldLock, Span } from './functionFacts';
import { typeExpressionOf, type TypeExpression } from './typeExpressions';
import { valuePathOf, type ValuePath } from './valuePaths';

interface OperationBase {
  at: Span;
  held: HeldLock[];
  releasedBefore: string[];
  dependsOnParameter: boolean;
  /** The innermost `for` of this function around it (a `range` over a channel: that loop itself). */
  loop?: Span;
}

export type ChannelOperationKind = 'send' | 'receive' | 'range' | 'close';

export interface ChannelOperation extends OperationBase {
  kind: 'channel';
  operation: ChannelOperationKind;
  /** Undefined when the channel is not a path (`<-ctx.Done()`, `<-time.After(d)`): unknown. */
  channel?: ValuePath;
  /** A case of a select: the select statement, and whether it has a default (then nothing blocks). */
  select?: { at: Span; hasDefault: boolean };
}

/** `x.Wait()`, `x.Done()`, `x.Signal()`, `x.Broadcast()` with no arguments: a WaitGroup or a Cond when `x`'s type says so. */
export interface SyncOperation extends OperationBase {
  kind: 'sync';
  method: 'Wait' | 'Done' | 'Signal' | 'Broadcast';
  receiver: ValuePath;
  /** In a `defer`: runs when the function returns. */
  deferred: boolean;
}

export type GoroutineBody =
  | { kind: 'call'; target: CallTarget; arguments: CallArgument[] }
  /** A literal: its own facts (spans relative to the enclosing declaration) and the enclosing function's names it uses. */
  | { kind: 'literal'; facts: FunctionFacts; captures: string[] };

export interface GoroutineStart extends OperationBase {
  kind: 'go';
  body: GoroutineBody;
}

export type BlockingOperation = ChannelOperation | SyncOperation | GoroutineStart;

/** Where a value is stored: a path, or a field of a composite literal of a type. */
export type StoredInto = { kind: 'path'; path: ValuePath } | { kind: 'field'; type: TypeExpression; field: string };

/** A value stored into a path or field: a channel `make` with its buffer, or a `NewCond` with its locker; anything else as `other`. */
export type StoredValue =
  /** `buffered` is undefined when the size is not an integer literal. */
  | { kind: 'make'; buffered: boolean | undefined }
  /** `q.NewCond(&x.mu)`: `q` as the file spells the package, and the locker's path. */
  | { kind: 'cond'; qualifier: string; locker: ValuePath | undefined }
  | { kind: 'other' };

export interface ChannelMake {
  into: StoredInto;
  value: StoredValue;
}

export interface OperationFacts {
  /** Values stored into paths and fields: what a channel's buffer and a Cond's locker are. */
  makes: ChannelMake[];
  /** Paths returned, passed to a call, stored or sent: their objects can be used where this package's text cannot show. */
  escaping: ValuePath[];
  /** Channels used inside function literals that are not started with `go` (they run at a time the text does not tell). */
  inOtherLiterals: ValuePath[];
}

const syncMethods: ReadonlySet<string> = new Set(['Wait', 'Done', 'Signal', 'Broadcast']);

/** The node types whose own occurrences can be operations (see operationOf). */
export const operationNodeTypes: ReadonlySet<string> = new Set(['send_statement', 'unary_expression', 'range_clause', 'call_expression']);

type OperationShape = Omit<ChannelOperation, keyof OperationBase> | Omit<SyncOperation, keyof OperationBase | 'deferred'>;

function selectOf(communication: Node, start: number): ChannelOperation['select'] {
  const clause = parentOf(communication);
  const select = clause?.type === 'communication_case' ? parentOf(clause) : null;
  if (!select || select.type !== 'select_statement') return undefined;
  const hasDefault = select.namedChildren.some((child) => child?.type === 'default_case');
  return { at: [select.startIndex - start, select.endIndex - start], hasDefault };
}

/** What an own node of one of operationNodeTypes is as an operation, if it is one. */
export function operationOf(node: Node, start: number): OperationShape | undefined {
  switch (node.type) {
    case 'send_statement':
      return { kind: 'channel', operation: 'send', channel: valuePathOf(node.childForFieldName('channel')), select: selectOf(node, start) };
    case 'unary_expression': {
      if (node.childForFieldName('operator')?.text !== '<-') return undefined;
      const parent = parentOf(node);
      const receive = parent?.type === 'receive_statement' && parent.childForFieldName('right')?.id === node.id ? parent : null;
      return { kind: 'channel', operation: 'receive', channel: valuePathOf(node.childForFieldName('operand')), select: receive ? selectOf(receive, start) : undefined };
    }
    case 'range_clause': {
      const right = node.childForFieldName('right');
      return right ? { kind: 'channel', operation: 'range', channel: valuePathOf(right) } : undefined;
    }
    case 'call_expression': {
      const callee = node.childForFieldName('function');
      const argumentsOf = callArguments(node);
      if (callee?.type === 'identifier' && callee.text === 'close' && argumentsOf.length === 1) {
        return { kind: 'channel', operation: 'close', channel: valuePathOf(argumentsOf[0]) };
      }
      if (callee?.type !== 'selector_expression' || argumentsOf.length > 0) return undefined;
      const method = callee.childForFieldName('field')?.text ?? '';
      const receiver = valuePathOf(callee.childForFieldName('operand'));
      if (!receiver || !syncMethods.has(method)) return undefined;
      return { kind: 'sync', method: method as SyncOperation['method'], receiver };
    }
    default:
      return undefined;
  }
}

/** The innermost `for` statement of the function around a node (the node itself for a range clause's loop). */
export function enclosingLoop(node: Node, fn: Node, start: number): Span | undefined {
  for (let current = parentOf(node); current && current.id !== fn.id; current = parentOf(current)) {
    if (current.type === 'func_literal') return undefined;
    if (current.type === 'for_statement') return [current.startIndex - start, current.endIndex - start];
  }
  return undefined;
}

/** What a stored value is: `make(chan T[, n])` with its buffer, `sync.NewCond(&mu)` with its locker, or other. */
function storedValueOf(value: Node): StoredValue {
  const call = unparenthesize(value);
  if (call.type !== 'call_expression') return { kind: 'other' };
  const callee = call.childForFieldName('function');
  const [first, size] = callArguments(call);
  if (callee?.type === 'selector_expression' && callee.childForFieldName('field')?.text === 'NewCond' && callee.childForFieldName('operand')?.type === 'identifier') {
    return { kind: 'cond', qualifier: callee.childForFieldName('operand')?.text ?? '', locker: valuePathOf(first) };
  }
  if (callee?.text !== 'make' || first?.type !== 'channel_type') return { kind: 'other' };
  if (!size) return { kind: 'make', buffered: false };
  const literal = unparenthesize(size);
  return { kind: 'make', buffered: literal.type === 'int_literal' ? Number(literal.text.replace(/_/g, '')) !== 0 : undefined };
}

function expressionList(node: Node | null): Node[] {
  if (!node) return [];
  if (node.type !== 'expression_list') return [node];
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}

function channelMakes(nodes: readonly TypedNode[]): ChannelMake[] {
  const makes: ChannelMake[] = [];
  for (const { node, type } of nodes) {
    if (type !== 'assignment_statement' && type !== 'short_var_declaration' && type !== 'var_spec' && type !== 'keyed_element') continue;
    if (type === 'keyed_element') {
      const [key, value] = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
      const field = key?.type === 'literal_element' ? key.namedChild(0) : key;
      const body = parentOf(node);
      const literal = body ? parentOf(body) : null;
      if (!value || (field?.type !== 'field_identifier' && field?.type !== 'identifier') || literal?.type !== 'composite_literal') continue;
      const stored = storedValueOf(value.type === 'literal_element' ? (value.namedChild(0) ?? value) : value);
      makes.push({ into: { kind: 'field', type: typeExpressionOf(literal.childForFieldName('type')), field: field.text }, value: stored });
      continue;
    }
    const left = type === 'var_spec' ? node.childrenForFieldName('name').filter((name): name is Node => name !== null) : expressionList(node.childForFieldName('left'));
    const right = expressionList(node.childForFieldName(type === 'var_spec' ? 'value' : 'right'));
    if (left.length !== right.length) continue;
    left.forEach((target, index) => {
      const path = valuePathOf(target);
      // Every store counts: a channel field also set from a parameter is not known to be unbuffered.
      if (path) makes.push({ into: { kind: 'path', path }, value: storedValueOf(right[index]) });
    });
  }
  return makes;
}

/** The paths whose values leave the function's sight at one of the places a value can leave: returned, passed, stored, sent. */
function escapingPaths(nodes: readonly TypedNode[]): ValuePath[] {
  const paths: ValuePath[] = [];
  const add = (expression: Node | null | undefined) => {
    const path = expression ? valuePathOf(expression) : undefined;
    if (path) paths.push(path);
  };
  for (const { node, type } of nodes) {
    switch (type) {
      case 'argument_list': {
        const callee = parentOf(node)?.childForFieldName('function');
        if (callee?.type === 'identifier' && ['close', 'len', 'cap'].includes(callee.text)) break;
        for (const argument of node.namedChildren) add(argument);
        break;
      }
      case 'return_statement':
        for (const value of expressionList(node.namedChild(0))) add(value);
        break;
      case 'literal_element':
        add(node.namedChild(0));
        break;
      case 'send_statement':
        add(node.childForFieldName('value'));
        break;
      case 'assignment_statement':
      case 'short_var_declaration':
        for (const value of expressionList(node.childForFieldName('right'))) add(value);
        break;
      case 'var_spec':
        for (const value of expressionList(node.childForFieldName('value'))) add(value);
        break;
    }
  }
  return paths;
}

/** Channel paths operated on inside function literals that no `go` starts (at any depth). */
function channelsInOtherLiterals(literals: BodyNodes['literals'], isGoLiteral: (literal: Node) => boolean): ValuePath[] {
  const paths: ValuePath[] = [];
  for (const { literal, inside } of literals) {
    if (isGoLiteral(literal)) continue;
    for (const { node, type } of inside) {
      const shape = operationNodeTypes.has(type) ? operationOf(node, 0) : undefined;
      if (shape?.kind === 'channel' && shape.channel) paths.push(shape.channel);
      if (shape?.kind === 'sync') paths.push(shape.receiver);
    }
  }
  return paths;
}

/**
 * The node types the facts of this file read, asked of a function's body in
 * one walk (bodyNodes): operations, stores and the places a value leaves the
 * function.
 */
export const operationFactTypes: ReadonlySet<string> = new Set([...operationNodeTypes, 'assignment_statement', 'short_var_declaration', 'var_spec', 'keyed_element', 'argument_list', 'literal_element', 'return_statement']);

/** `nodes`: the function's own nodes of operationFactTypes, and its own literals with theirs (bodyNodes). */
export function operationFactsOf({ own, literals }: Pick<BodyNodes, 'own' | 'literals'>, isGoLiteral: (literal: Node) => boolean): OperationFacts {
  return { makes: channelMakes(own), escaping: escapingPaths(own), inOtherLiterals: channelsInOtherLiterals(literals, isGoLiteral) };
}

/** The names of the enclosing function a literal uses without declaring them itself. */
export function capturedNames(literal: Node, literalFacts: FunctionFacts, outerNames: ReadonlySet<string>): string[] {
  const own = new Set([...literalFacts.parameters.map((parameter) => parameter.name), ...Object.keys(literalFacts.locals), ...literalFacts.unstable]);
  const captured = new Set<string>();
  for (const identifier of literal.descendantsOfType('identifier')) {
    if (identifier && outerNames.has(identifier.text) && !own.has(identifier.text)) captured.add(identifier.text);
  }
  return [...captured].sort();
}
