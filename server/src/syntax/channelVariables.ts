// Local channel variables and everything a function does with them: where a
// channel is declared and how it was made (`make(chan T)`, `make(chan T, n)`,
// or never: a nil `var ch chan T`), and each reference classified as a send,
// receive, close, range, select case, harmless inspection (len, cap, == nil),
// write, or escape (passed, stored, returned… to code we cannot see). Rules
// reason only about channels whose every use they understand.
import type { Node } from 'web-tree-sitter';
import { callArguments, isBuiltinCall, unparenthesize } from './calls';
import { enclosingFunction, functionDescendants, isInsideError } from './functions';
import type { LocalDeclaration, LocalNames, LocalWrite } from './localNames';

export type ChannelOrigin =
  | { kind: 'nil' }
  | { kind: 'make'; buffered: boolean | undefined; call: Node }
  | { kind: 'parameter' }
  | { kind: 'other' };

export type ChannelOperation =
  | 'send'
  | 'select-send'
  | 'receive'
  | 'select-receive'
  | 'close'
  | 'range'
  | 'inspect'
  | 'write'
  | 'escape';

export interface ChannelUse {
  operation: ChannelOperation;
  /** The referring identifier. */
  identifier: Node;
  /** The operation's node: send_statement, unary_expression, close call, range_clause, or the identifier. */
  node: Node;
  /** The function (declaration or literal) the use sits in directly. */
  fn: Node;
  /** For an escape as a call argument: the call and the argument's index. */
  call?: { call: Node; index: number };
}

export interface ChannelVariable {
  declaration: LocalDeclaration;
  origin: ChannelOrigin;
  /** The function whose body declares the channel (for parameters: that function). */
  owner: Node;
  uses: ChannelUse[];
  writes: LocalWrite[];
}

/** The value expression paired with `identifier` in a `:=` or `var … =` declaration. */
export function declaredValue(declaration: LocalDeclaration): Node | null {
  const node = declaration.declaringNode;
  let names: Node[];
  let values: Node[];
  if (node.type === 'short_var_declaration') {
    names = node.childForFieldName('left')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
    values = node.childForFieldName('right')?.namedChildren.filter((n): n is Node => n !== null) ?? [];
  } else if (node.type === 'var_spec') {
    names = node.childrenForFieldName('name').filter((n): n is Node => n !== null);
    const list = node.childForFieldName('value');
    values = list ? list.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') : [];
  } else {
    return null;
  }
  if (names.length !== values.length) return null;
  const index = names.findIndex((name) => name.id === declaration.identifier.id);
  return index >= 0 ? unparenthesize(values[index]) : null;
}

/** `make(chan T)` / `make(chan T, n)`: whether it has a buffer (undefined when the size is not a literal or constant-looking). */
export function makeChannelCall(expression: Node, names: LocalNames): { buffered: boolean | undefined; call: Node } | undefined {
  if (expression.type !== 'call_expression' || !isBuiltinCall(expression, 'make', names)) return undefined;
  const args = callArguments(expression);
  if (args.length === 0 || args[0].type !== 'channel_type') return undefined;
  if (args.length === 1) return { buffered: false, call: expression };
  const size = unparenthesize(args[1]);
  if (size.type === 'int_literal') return { buffered: Number(size.text.replace(/_/g, '')) !== 0, call: expression };
  return { buffered: undefined, call: expression };
}

function originOf(declaration: LocalDeclaration, names: LocalNames): ChannelOrigin | undefined {
  const node = declaration.declaringNode;
  if (declaration.kind === 'parameter') {
    return node.childForFieldName('type')?.type === 'channel_type' ? { kind: 'parameter' } : undefined;
  }
  if (declaration.kind !== 'short-var' && declaration.kind !== 'var') return undefined;
  const value = declaredValue(declaration);
  if (!value) {
    const hasValue = node.type === 'var_spec' && node.childForFieldName('value');
    if (node.type === 'var_spec' && !hasValue && node.childForFieldName('type')?.type === 'channel_type') return { kind: 'nil' };
    return undefined;
  }
  const made = makeChannelCall(value, names);
  if (made) return { kind: 'make', ...made };
  if (node.childForFieldName('type')?.type === 'channel_type') return { kind: 'other' };
  return undefined;
}

function isCommunication(node: Node): boolean {
  const parent = node.parent;
  return parent?.type === 'communication_case' && parent.childForFieldName('communication')?.id === node.id;
}

/** Climbs redundant parentheses around an expression. */
function outerExpression(node: Node): Node {
  let current = node;
  while (current.parent?.type === 'parenthesized_expression') current = current.parent;
  return current;
}

function classify(identifier: Node, names: LocalNames): Omit<ChannelUse, 'identifier' | 'fn'> {
  const expression = outerExpression(identifier);
  const parent = expression.parent;
  if (!parent) return { operation: 'escape', node: identifier };
  if (parent.type === 'send_statement' && parent.childForFieldName('channel')?.id === expression.id) {
    return { operation: isCommunication(parent) ? 'select-send' : 'send', node: parent };
  }
  if (parent.type === 'unary_expression' && parent.childForFieldName('operator')?.type === '<-') {
    const receiveOwner = outerExpression(parent).parent;
    const inSelect = receiveOwner?.type === 'receive_statement' && isCommunication(receiveOwner);
    return { operation: inSelect ? 'select-receive' : 'receive', node: parent };
  }
  if (parent.type === 'range_clause' && parent.childForFieldName('right')?.id === expression.id) {
    return { operation: 'range', node: parent };
  }
  if (parent.type === 'binary_expression') {
    const operator = parent.childForFieldName('operator')?.type;
    const other = parent.childForFieldName('left')?.id === expression.id ? parent.childForFieldName('right') : parent.childForFieldName('left');
    if ((operator === '==' || operator === '!=') && other?.type === 'nil') return { operation: 'inspect', node: parent };
  }
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    if (call?.type === 'call_expression') {
      if (isBuiltinCall(call, 'close', names)) return { operation: 'close', node: call };
      if (isBuiltinCall(call, 'len', names) || isBuiltinCall(call, 'cap', names)) return { operation: 'inspect', node: call };
      const index = callArguments(call).findIndex((argument) => argument.id === expression.id);
      return { operation: 'escape', node: identifier, call: { call, index } };
    }
  }
  return { operation: 'escape', node: identifier };
}

/** Classifies every reference to a channel declaration. Writes are reported as 'write'. */
export function channelUses(declaration: LocalDeclaration, names: LocalNames): ChannelUse[] {
  const writes = new Set(names.writes(declaration).map((write) => write.identifier.id));
  return names.references(declaration).map((identifier) => {
    const fn = enclosingFunction(identifier) ?? names.root;
    if (writes.has(identifier.id)) return { operation: 'write' as const, identifier, node: identifier, fn };
    return { identifier, fn, ...classify(identifier, names) };
  });
}

/** The channel variables declared in (or as parameters of) any function under `names.root`. */
export function channelVariables(names: LocalNames): ChannelVariable[] {
  // From the declaration's index, which the names above were built from: a giant function is walked once, not twice.
  const candidates = functionDescendants(names.root, ['short_var_declaration', 'var_spec', 'parameter_declaration']).filter((node) => !isInsideError(node));
  const result: ChannelVariable[] = [];
  for (const node of candidates) {
    const identifiers =
      node.type === 'short_var_declaration'
        ? (node.childForFieldName('left')?.namedChildren ?? [])
        : node.childrenForFieldName('name');
    for (const identifier of identifiers) {
      if (!identifier || identifier.type !== 'identifier') continue;
      const declaration = names.resolve(identifier);
      if (!declaration || declaration.identifier.id !== identifier.id) continue;
      const origin = originOf(declaration, names);
      if (!origin) continue;
      const owner = declaration.kind === 'parameter' ? declaration.scope : (enclosingFunction(identifier) ?? names.root);
      result.push({ declaration, origin, owner, uses: channelUses(declaration, names), writes: names.writes(declaration) });
    }
  }
  return result;
}

/** True when every use is one the rules understand: no writes, no escapes. */
export function isFullyVisible(channel: ChannelVariable): boolean {
  return channel.writes.length === 0 && channel.uses.every((use) => use.operation !== 'write' && use.operation !== 'escape');
}
