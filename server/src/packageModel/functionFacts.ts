// What one function's own text says, for the package model: its signature,
// the types of its locals where a declaration shows them, and, in source
// order, the mutex operations and calls it makes with the locks it surely
// holds at each (a must-analysis over the statement tree: after a branch only
// what every branch still holds counts). Calls inside function literals are
// left out: a literal started with `go` runs in another goroutine, and any
// other literal runs at a time the text does not tell. Plain data with spans
// relative to the declaration's start, so the facts of an unchanged function
// are reused while another function is edited.
import type { Node } from 'web-tree-sitter';
import { callArguments } from '../syntax/calls';
import { goStatementOfLiteral, literalOfGoStatement } from '../syntax/goroutines';
import { mutexCallOf, type MutexMethod } from '../syntax/mutexCalls';
import { bodyNodesOf, type TypedNode } from './bodyNodes';
import { capturedNames, enclosingLoop, operationFactsOf, operationFactTypes, operationNodeTypes, operationOf, type BlockingOperation, type GoroutineStart, type OperationFacts } from './operationFacts';
import { typeExpressionOf, type TypeExpression } from './typeExpressions';
import { pathKey, valuePathOf, type ValuePath } from './valuePaths';

/** [start, end) offsets relative to the start of the declaration. */
export type Span = [number, number];

export type CallTarget =
  | { kind: 'function'; name: string }
  /** `x.f(…)`: a method of `x`, or a function of the imported package `x` (told apart with the file's imports). */
  | { kind: 'selector'; receiver: ValuePath; name: string };

export interface HeldLock {
  path: ValuePath;
  method: 'Lock' | 'RLock';
  at: Span;
}

interface EventBase {
  at: Span;
  /** Locks surely held when it runs (by this function's own operations). */
  held: HeldLock[];
  /** Keys of the paths this function unlocked anywhere before it, in source order. */
  releasedBefore: string[];
  /** Inside a branch or loop whose condition reads a parameter (e.g. `if !locked {…}`): the caller decides whether it runs. */
  dependsOnParameter: boolean;
}

export interface LockEvent extends EventBase {
  kind: 'lock';
  method: MutexMethod;
  receiver: ValuePath;
}

export interface CallArgument {
  path?: ValuePath;
  /** The contents of a string literal argument (a format string). */
  literal?: string;
}

export interface CallEvent extends EventBase {
  kind: 'call';
  target: CallTarget;
  arguments: CallArgument[];
}

export type FunctionEvent = LockEvent | CallEvent;

export type LocalOrigin =
  | { kind: 'type'; type: TypeExpression }
  /** The `index`th result of a call. */
  | { kind: 'call'; target: CallTarget; index: number }
  /** Another variable or field (`c := s.conn`). */
  | { kind: 'path'; path: ValuePath };

/** What a function's declaration says outside its body: cheap, and what the package's index needs. */
export interface FunctionSignature {
  name: string;
  receiver?: { name?: string; type: TypeExpression };
  parameters: { name: string; type: TypeExpression }[];
  results: TypeExpression[];
  /**
   * Whether the declaration's text mentions `Lock` at all. When not, the
   * function locks nothing itself and holds no lock at any event: a rule
   * about held locks skips it without reading its body facts.
   */
  mentionsLock: boolean;
}

/** What a function's body says (computed lazily for files read from disk: see lazyFunctionFacts). */
export interface FunctionBodyFacts {
  /** Locals declared once, never assigned again, with what their declaration shows of their type. */
  locals: Record<string, LocalOrigin>;
  /** Names declared more than once in the function (shadowing) or assigned after their declaration: unknown. */
  unstable: string[];
  events: FunctionEvent[];
  /** Channel operations, Wait/Done/Signal calls and goroutines started, with the locks held at each (see operationFacts). */
  operations: BlockingOperation[];
  channels: OperationFacts;
}

export interface FunctionFacts extends FunctionSignature, FunctionBodyFacts {}

/** Body facts that know nothing: for a text that no longer parses, or a scope with no function around it. */
export function emptyBodyFacts(): FunctionBodyFacts {
  return { locals: {}, unstable: [], events: [], operations: [], channels: { makes: [], escaping: [], inOtherLiterals: [] } };
}

type Held = Map<string, HeldLock>;

const caseTypes: ReadonlySet<string> = new Set(['expression_case', 'default_case', 'type_case', 'communication_case']);

function meet(states: (Held | null)[]): Held | null {
  const live = states.filter((state): state is Held => state !== null);
  if (live.length === 0) return null;
  const [first, ...rest] = live;
  const result: Held = new Map();
  for (const [key, lock] of first) if (rest.every((state) => state.get(key)?.method === lock.method)) result.set(key, lock);
  return result;
}

function parameterList(list: Node | null): { name: string; type: TypeExpression }[] {
  const parameters: { name: string; type: TypeExpression }[] = [];
  for (const declaration of list?.namedChildren ?? []) {
    if (declaration?.type !== 'parameter_declaration' && declaration?.type !== 'variadic_parameter_declaration') continue;
    const type = declaration.type === 'variadic_parameter_declaration' ? { kind: 'other' as const } : typeExpressionOf(declaration.childForFieldName('type'));
    for (const name of declaration.childrenForFieldName('name')) if (name) parameters.push({ name: name.text, type });
  }
  return parameters;
}

function resultTypes(result: Node | null): TypeExpression[] {
  if (!result) return [];
  if (result.type !== 'parameter_list') return [typeExpressionOf(result)];
  const types: TypeExpression[] = [];
  for (const declaration of result.namedChildren) {
    if (declaration?.type !== 'parameter_declaration') continue;
    const type = typeExpressionOf(declaration.childForFieldName('type'));
    const names = declaration.childrenForFieldName('name').length;
    for (let count = 0; count < Math.max(1, names); count++) types.push(type);
  }
  return types;
}

export function callTargetOf(call: Node): CallTarget | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') return { kind: 'function', name: callee.text };
  if (callee?.type !== 'selector_expression') return undefined;
  const receiver = valuePathOf(callee.childForFieldName('operand'));
  const name = callee.childForFieldName('field')?.text;
  return receiver && name ? { kind: 'selector', receiver, name } : undefined;
}

/** What a declaration's value shows of its type: a composite literal, `&T{}`, `new(T)`, `make(chan T)`, a call, a path. */
export function originOfValue(value: Node, index: number, valueCount: number): LocalOrigin | undefined {
  if (valueCount === 1 && index > 0) {
    const target = value.type === 'call_expression' ? callTargetOf(value) : undefined;
    return target ? { kind: 'call', target, index } : undefined;
  }
  switch (value.type) {
    case 'composite_literal':
      return { kind: 'type', type: typeExpressionOf(value.childForFieldName('type')) };
    case 'unary_expression': {
      const operand = value.childForFieldName('operand');
      if (value.childForFieldName('operator')?.text === '&' && operand?.type === 'composite_literal') {
        return { kind: 'type', type: { kind: 'pointer', element: typeExpressionOf(operand.childForFieldName('type')) } };
      }
      const path = valuePathOf(value);
      return path ? { kind: 'path', path } : undefined;
    }
    case 'call_expression': {
      const callee = value.childForFieldName('function');
      const first = callArguments(value)[0];
      if (callee?.type === 'identifier' && callee.text === 'new' && first) {
        const element = first.type === 'identifier' ? { kind: 'named' as const, name: first.text } : typeExpressionOf(first);
        return { kind: 'type', type: { kind: 'pointer', element } };
      }
      if (callee?.type === 'identifier' && callee.text === 'make' && first?.type === 'channel_type') return { kind: 'type', type: typeExpressionOf(first) };
      const target = callTargetOf(value);
      return target ? { kind: 'call', target, index: 0 } : undefined;
    }
    case 'identifier':
    case 'selector_expression':
    case 'parenthesized_expression': {
      const path = valuePathOf(value);
      return path ? { kind: 'path', path } : undefined;
    }
    default:
      return undefined;
  }
}

function expressions(list: Node | null): Node[] {
  if (!list) return [];
  if (list.type !== 'expression_list') return [list];
  return list.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}

const declaringTypes: ReadonlySet<string> = new Set(['short_var_declaration', 'var_spec', 'range_clause', 'parameter_declaration', 'variadic_parameter_declaration', 'type_switch_statement', 'receive_statement', 'assignment_statement', 'const_spec']);

/** The body's nodes of declaringTypes at any depth, in source order. */
function declaringNodes(body: Node): TypedNode[] {
  return body.descendantsOfType([...declaringTypes]).flatMap((node) => (node ? [{ node, type: node.type }] : []));
}

/** Locals with their origins (`declaring`: declaringNodes), and the names that cannot be trusted to name one variable. */
function localsOf(declaring: readonly TypedNode[], declaredOutside: readonly string[]): { locals: Record<string, LocalOrigin>; unstable: string[] } {
  const counts = new Map<string, number>();
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const name of declaredOutside) count(name);
  const origins = new Map<string, LocalOrigin>();
  const assigned = new Set<string>();
  for (const { node, type } of declaring) {
    switch (type) {
      case 'short_var_declaration':
      case 'receive_statement':
      case 'range_clause': {
        if (type !== 'short_var_declaration' && !node.children.some((child) => child?.type === ':=')) {
          for (const left of expressions(node.childForFieldName('left'))) if (left.type === 'identifier') assigned.add(left.text);
          break;
        }
        const left = expressions(node.childForFieldName('left'));
        const right = type === 'short_var_declaration' ? expressions(node.childForFieldName('right')) : [];
        left.forEach((identifier, index) => {
          if (identifier.type !== 'identifier' || identifier.text === '_') return;
          count(identifier.text);
          const value = right.length === left.length ? right[index] : right.length === 1 ? right[0] : undefined;
          const origin = value ? originOfValue(value, right.length === left.length ? 0 : index, right.length === left.length ? left.length : 1) : undefined;
          if (origin) origins.set(identifier.text, origin);
        });
        break;
      }
      case 'var_spec':
      case 'const_spec': {
        const names = node.childrenForFieldName('name').filter((name): name is Node => name !== null);
        const typeNode = node.childForFieldName('type');
        const values = expressions(node.childForFieldName('value'));
        names.forEach((name, index) => {
          count(name.text);
          const origin: LocalOrigin | undefined = typeNode
            ? { kind: 'type', type: typeExpressionOf(typeNode) }
            : values[index]
              ? originOfValue(values[index], 0, names.length)
              : undefined;
          if (origin) origins.set(name.text, origin);
        });
        break;
      }
      case 'parameter_declaration':
      case 'variadic_parameter_declaration':
        for (const name of node.childrenForFieldName('name')) if (name) count(name.text);
        break;
      case 'type_switch_statement':
        for (const alias of expressions(node.childForFieldName('alias'))) count(alias.text);
        break;
      case 'assignment_statement':
        for (const left of expressions(node.childForFieldName('left'))) if (left.type === 'identifier') assigned.add(left.text);
        break;
    }
  }
  const unstable = [...counts.keys()].filter((name) => (counts.get(name) ?? 0) > 1 || assigned.has(name));
  for (const name of assigned) if (!counts.has(name)) unstable.push(name);
  const locals: Record<string, LocalOrigin> = {};
  for (const [name, origin] of origins) if (!unstable.includes(name) && !declaredOutside.includes(name)) locals[name] = origin;
  return { locals, unstable };
}

class StatementWalker {
  readonly events: FunctionEvent[] = [];
  readonly operations: BlockingOperation[] = [];
  private readonly released: string[] = [];
  /** The states at `break`/`continue`/`goto`, per enclosing loop, switch or select. */
  private readonly exits: (Held | null)[][] = [];

  /**
   * Set once a branch that reads a parameter has returned (`if !create {
   * return }`): from there on, in source order, what runs depends on the caller.
   */
  private pastParameterExit = false;
  /** Matches a parameter's name as a word; undefined without parameters. */
  private readonly parameterPattern: RegExp | undefined;

  constructor(
    private readonly start: number,
    parameters: readonly string[],
    /** The function's own calls (not those of nested literals), in source order. */
    private readonly calls: readonly Node[],
    /** The function's own nodes that may be operations (operationFacts), in source order. */
    private readonly operationNodes: readonly Node[],
    private readonly fn: Node,
    /** The names the function declares (receiver, parameters, locals): what a goroutine literal can capture. */
    private readonly ownNames: ReadonlySet<string>,
  ) {
    this.parameterPattern = parameters.length > 0 ? new RegExp(`\\b(?:${parameters.join('|')})\\b`) : undefined;
  }

  private span(node: Node): Span {
    return [node.startIndex - this.start, node.endIndex - this.start];
  }

  private base(node: Node, held: Held, dependsOnParameter: boolean): EventBase {
    return { at: this.span(node), held: [...held.values()], releasedBefore: [...this.released], dependsOnParameter: dependsOnParameter || this.pastParameterExit };
  }

  /** By the text (a field of the same name counts too: quieter, never louder). */
  private readsParameter(node: Node | null): boolean {
    return node !== null && this.parameterPattern !== undefined && this.parameterPattern.test(node.text);
  }

  private recordOperations(node: Node, held: Held, dependsOnParameter: boolean, deferred = false): void {
    for (const candidate of nodesWithin(this.operationNodes, node)) {
      const shape = operationOf(candidate, this.start);
      if (!shape || (deferred && !(shape.kind === 'sync' || shape.operation === 'close'))) continue;
      const base = { ...this.base(candidate, deferred ? new Map() : held, dependsOnParameter), loop: enclosingLoop(candidate, this.fn, this.start) };
      this.operations.push(shape.kind === 'sync' ? { ...shape, ...base, deferred } : { ...shape, ...base });
    }
  }

  private recordGoroutine(statement: Node, held: Held, dependsOnParameter: boolean): void {
    const literal = literalOfGoStatement(statement);
    const call = statement.namedChildren.find((child) => child?.type === 'call_expression');
    let body: GoroutineStart['body'] | undefined;
    if (literal) {
      const facts = functionFactsOf(literal, this.start);
      body = { kind: 'literal', facts, captures: capturedNames(literal, facts, this.ownNames) };
    } else {
      const target = call ? callTargetOf(call) : undefined;
      if (call && target) body = { kind: 'call', target, arguments: callArguments(call).map(callArgumentOf) };
    }
    if (body) this.operations.push({ kind: 'go', body, ...this.base(statement, held, dependsOnParameter), loop: enclosingLoop(statement, this.fn, this.start) });
  }

  private recordCalls(node: Node | null, held: Held, dependsOnParameter: boolean): void {
    if (!node) return;
    this.recordOperations(node, held, dependsOnParameter);
    for (const call of nodesWithin(this.calls, node)) {
      const target = callTargetOf(call);
      if (!target) continue;
      this.events.push({ kind: 'call', target, arguments: callArguments(call).map(callArgumentOf), ...this.base(call, held, dependsOnParameter) });
    }
  }

  walkBlock(block: Node | null, held: Held, dependsOnParameter: boolean): Held | null {
    if (!block) return held;
    let state: Held | null = held;
    for (const child of block.namedChildren) {
      if (!child) continue;
      // The type read once per statement: each read is a call into wasm.
      const type = child.type;
      if (type === 'comment') continue;
      if (type === 'statement_list') {
        state = this.walkBlock(child, state, dependsOnParameter);
      } else {
        state = this.walkStatement(child, state, dependsOnParameter, type);
      }
      if (state === null) return null;
    }
    return state;
  }

  /** `header`: the statement's headerOf when the caller has read it already. */
  private walkConstruct(statement: Node, held: Held, dependsOnParameter: boolean, body: (inner: boolean) => (Held | null)[], header?: Node | null): Held | null {
    this.exits.push([]);
    const inner = dependsOnParameter || this.readsParameter(header === undefined ? headerOf(statement) : header);
    const outcomes = body(inner);
    const exits = this.exits.pop() ?? [];
    return meet([held, ...outcomes, ...exits]);
  }

  walkStatement(statement: Node, held: Held, dependsOnParameter: boolean, type = statement.type): Held | null {
    switch (type) {
      case 'expression_statement': {
        const mutex = mutexCallOf(statement);
        const receiver = mutex ? valuePathOf(mutex.receiver) : undefined;
        if (mutex && receiver) {
          const key = pathKey(receiver);
          this.events.push({ kind: 'lock', method: mutex.method, receiver, ...this.base(statement, held, dependsOnParameter) });
          const next = new Map(held);
          if (mutex.method === 'Lock' || mutex.method === 'RLock') next.set(key, { path: receiver, method: mutex.method, at: this.span(statement) });
          else {
            next.delete(key);
            this.released.push(key);
          }
          return next;
        }
        this.recordCalls(statement, held, dependsOnParameter);
        const expression = statement.namedChild(0);
        const callee = expression?.type === 'call_expression' ? expression.childForFieldName('function')?.text : undefined;
        return callee === 'panic' ? null : held;
      }
      case 'defer_statement':
        // A deferred call runs at return, with locks the text here does not tell: only what it does is kept (`defer wg.Done()`).
        this.recordOperations(statement, held, dependsOnParameter, true);
        return held;
      case 'go_statement':
        // In another goroutine: it runs with none of these locks.
        this.recordGoroutine(statement, held, dependsOnParameter);
        return held;
      case 'return_statement':
        this.recordCalls(statement, held, dependsOnParameter);
        return null;
      case 'block':
        return this.walkBlock(statement, held, dependsOnParameter);
      case 'labeled_statement': {
        const inner = statement.namedChildren.find((child) => child !== null && child.type !== 'label_name');
        return inner ? this.walkStatement(inner, held, dependsOnParameter) : held;
      }
      case 'break_statement':
      case 'continue_statement':
      case 'goto_statement':
        for (const exits of this.exits) exits.push(held);
        return null;
      case 'if_statement': {
        const initialized = statement.childForFieldName('initializer');
        const before = initialized ? this.walkStatement(initialized, held, dependsOnParameter) : held;
        if (!before) return null;
        this.recordCalls(statement.childForFieldName('condition'), before, dependsOnParameter);
        // `if v, ok := p[k]; !ok` decides on a parameter through its initializer.
        const readsParameter = this.readsParameter(statement.childForFieldName('condition')) || this.readsParameter(initialized);
        const inner = dependsOnParameter || readsParameter;
        const consequence = this.walkBlock(statement.childForFieldName('consequence'), new Map(before), inner);
        const alternativeNode = statement.childForFieldName('alternative');
        const alternative = alternativeNode ? this.walkStatement(alternativeNode, new Map(before), inner) : before;
        if (readsParameter && (consequence === null || alternative === null)) this.pastParameterExit = true;
        return meet([consequence, alternative]);
      }
      case 'for_statement': {
        const header = headerOf(statement);
        return this.walkConstruct(
          statement,
          held,
          dependsOnParameter,
          (inner) => {
            this.recordCalls(header, held, dependsOnParameter);
            return [this.walkBlock(statement.childForFieldName('body'), new Map(held), inner)];
          },
          header,
        );
      }
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement':
        return this.walkConstruct(statement, held, dependsOnParameter, (inner) => {
          for (const field of ['initializer', 'value']) this.recordCalls(statement.childForFieldName(field), held, dependsOnParameter);
          const outcomes: (Held | null)[] = [];
          for (const clause of statement.namedChildren) {
            if (!clause || !caseTypes.has(clause.type)) continue;
            this.recordCalls(clause.childForFieldName('communication'), held, inner);
            outcomes.push(this.walkBlock(clause.namedChildren.find((child) => child?.type === 'statement_list') ?? null, new Map(held), inner));
          }
          return outcomes;
        });
      default:
        this.recordCalls(statement, held, dependsOnParameter);
        return held;
    }
  }
}

function callArgumentOf(argument: Node): CallArgument {
  if (argument.type === 'interpreted_string_literal' || argument.type === 'raw_string_literal') return { literal: argument.text.slice(1, -1) };
  // `*p` passes a copy: its method set is not the pointer's, so its path would say too much.
  if (argument.type === 'unary_expression' && argument.childForFieldName('operator')?.text === '*') return {};
  const path = valuePathOf(argument);
  return path ? { path } : {};
}

/** The nodes of a list in source order that lie within `node`. */
function nodesWithin(sorted: readonly Node[], node: Node): Node[] {
  const { startIndex, endIndex } = node;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].startIndex < startIndex) low = middle + 1;
    else high = middle;
  }
  const within: Node[] = [];
  for (let index = low; index < sorted.length && sorted[index].startIndex < endIndex; index++) {
    if (sorted[index].endIndex <= endIndex) within.push(sorted[index]);
  }
  return within;
}

/** The part of a loop, switch or select that decides which body runs. */
function headerOf(statement: Node): Node | null {
  if (statement.type === 'for_statement') return statement.namedChildren.find((child) => child !== null && child.type !== 'block' && child.type !== 'comment') ?? null;
  return statement.childForFieldName('value') ?? statement.childForFieldName('initializer');
}

/** The signature of a function or method declaration. */
export function functionSignatureOf(declaration: Node): FunctionSignature {
  const receiverList = declaration.type === 'method_declaration' ? declaration.childForFieldName('receiver') : null;
  const receiverDeclaration = receiverList?.namedChildren.find((child) => child?.type === 'parameter_declaration');
  const receiver = receiverDeclaration ? { name: receiverDeclaration.childForFieldName('name')?.text, type: typeExpressionOf(receiverDeclaration.childForFieldName('type')) } : undefined;
  const parameters = parameterList(declaration.childForFieldName('parameters'));
  const results = resultTypes(declaration.childForFieldName('result'));
  return { name: declaration.childForFieldName('name')?.text ?? '', receiver, parameters, results, mentionsLock: declaration.text.includes('Lock') };
}

/**
 * The body facts of a function or method declaration, given its signature, or
 * of a function literal a `go` statement starts (then `start` is its enclosing
 * declaration's, so spans stay relative to the declaration).
 */
/** The locals part of the body facts alone (what typing a path in the function needs): a walk of the body, not of its operations. */
export function functionLocalsOf(declaration: Node, signature: FunctionSignature): Pick<FunctionBodyFacts, 'locals' | 'unstable'> {
  const body = declaration.childForFieldName('body');
  return body ? localsOf(declaringNodes(body), namesDeclaredOutside(signature)) : { locals: {}, unstable: [] };
}

/** The receiver's and the parameters' names: declared outside the body. */
function namesDeclaredOutside({ receiver, parameters }: FunctionSignature): string[] {
  return [...(receiver?.name ? [receiver.name] : []), ...parameters.map((parameter) => parameter.name)];
}

export function functionBodyFactsOf(declaration: Node, signature: FunctionSignature, start = declaration.startIndex, known?: Pick<FunctionBodyFacts, 'locals' | 'unstable'>): FunctionBodyFacts {
  const body = declaration.childForFieldName('body');
  const outside = namesDeclaredOutside(signature);
  // One walk of the body for the locals (unless known) and the operations; its nodes come in source order.
  const nodes = body ? bodyNodesOf(declaration, body, known ? new Set() : declaringTypes, operationFactTypes) : { declaring: [], own: [], literals: [] };
  const { locals, unstable } = known ?? (body ? localsOf(nodes.declaring, outside) : { locals: {}, unstable: [] });
  const calls = nodes.own.filter((typed) => typed.type === 'call_expression').map((typed) => typed.node);
  const parameterNames = signature.parameters.map((parameter) => parameter.name).filter((name) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name) && name !== '_');
  const operationNodes = nodes.own.filter((typed) => operationNodeTypes.has(typed.type)).map((typed) => typed.node);
  const ownNames = new Set([...outside, ...Object.keys(locals), ...unstable]);
  const walker = new StatementWalker(start, parameterNames, calls, operationNodes, declaration, ownNames);
  if (body) walker.walkBlock(body, new Map(), false);
  const channels = operationFactsOf(nodes, (literal) => goStatementOfLiteral(literal) !== null);
  return { locals, unstable, events: walker.events, operations: walker.operations, channels };
}

/** The facts of a function or method declaration, or of a function literal a `go` statement starts (see functionBodyFactsOf). */
export function functionFactsOf(declaration: Node, start = declaration.startIndex): FunctionFacts {
  const signature = functionSignatureOf(declaration);
  return { ...signature, ...functionBodyFactsOf(declaration, signature, start) };
}
