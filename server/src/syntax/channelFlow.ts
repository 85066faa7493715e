// Following a local channel into the functions of the same file it is passed
// to. `go worker(ch)` or `drain(ch)` makes `ch` escape to code the channel
// facts of one function cannot see; when the callee is a plain function of
// this file whose parameter is itself fully visible (never reassigned, stored
// or passed on), its sends, receives, ranges and closes of the parameter are
// the caller's channel's, run in a new goroutine (`go worker(ch)`, or a call
// inside a `go func() { … }()` literal of the owner) or by the owner itself
// (a plain call). Rules opt in with `followChannel`; anything less
// certain (methods, function values, variadic parameters, recursion, calls
// under a defer, uses inside the callee's own literals) leaves the
// channel escaping, and the rules quiet.
import type { Node } from 'web-tree-sitter';
import { callArguments } from './calls';
import { isFullyVisible, type ChannelUse, type ChannelVariable } from './channelVariables';
import type { FileChannels } from './fileChannels';
import { enclosingFunction } from './functions';
import { goStatementOfLiteral } from './goroutines';
import { outermostFunction } from './localNames';

export interface PassedCall {
  /** The call in the owner (or in a literal it starts with `go`) that passes the channel. */
  call: Node;
  /** The goroutine the callee runs in: `go worker(ch)`, the `go` of the literal around `worker(ch)`, or null (the owner's own flow). */
  goStatement: Node | null;
  /** The `go func() { … }()` literal the call sits in, when it does. */
  literal: Node | null;
  /** The callee (a function_declaration of the same file). */
  callee: Node;
  /** The callee's parameter that receives the channel. */
  parameter: ChannelVariable;
}

export interface FollowedUse extends ChannelUse {
  /** Set when the use is the callee's, reached through this call. */
  via?: PassedCall;
}

export interface FollowedChannel extends ChannelVariable {
  uses: FollowedUse[];
}

/** The callee's parameter names by position, or undefined when a position is variadic. */
function parameterPositions(callee: Node): (Node | null)[] | undefined {
  const list = callee.childForFieldName('parameters');
  if (!list) return undefined;
  const positions: (Node | null)[] = [];
  for (const declaration of list.namedChildren) {
    if (!declaration || declaration.type === 'comment') continue;
    if (declaration.type !== 'parameter_declaration') return undefined;
    const names = declaration.childrenForFieldName('name').filter((name): name is Node => name !== null);
    if (names.length === 0) positions.push(null);
    else positions.push(...names);
  }
  return positions;
}

function hasSpread(call: Node): boolean {
  const list = call.childForFieldName('arguments');
  return !!list && list.children.some((child) => child?.type === '...');
}

/**
 * Where the call runs, seen from the owner: in the owner, or in a goroutine it
 * starts. Undefined when neither, and for calls under a `defer` (they run at
 * return) or in the arguments of a `go` call.
 */
function callPlacement(use: ChannelUse, call: Node, owner: Node): { goStatement: Node | null; literal: Node | null } | undefined {
  if (call.parent?.type === 'go_statement') {
    return use.fn.id === owner.id ? { goStatement: call.parent, literal: null } : undefined;
  }
  for (let current = call.parent; current && current.id !== use.fn.id; current = current.parent) {
    if (current.type === 'defer_statement' || current.type === 'go_statement') return undefined;
  }
  if (use.fn.id === owner.id) return { goStatement: null, literal: null };
  const goStatement = goStatementOfLiteral(use.fn);
  return goStatement && enclosingFunction(goStatement)?.id === owner.id ? { goStatement, literal: use.fn } : undefined;
}

/** The callee's uses of the parameter that receives an escaping use, or undefined when they cannot be followed. */
function follow(channel: ChannelVariable, use: ChannelUse, file: FileChannels): FollowedUse[] | undefined {
  if (use.operation !== 'escape' || !use.call || use.call.index < 0) return undefined;
  const { call, index } = use.call;
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  const names = file.namesFor(call);
  if (!names || names.resolve(callee)) return undefined; // a local function value
  const declaration = file.functionsByName.get(callee.text);
  if (!declaration || declaration.id === outermostFunction(call)?.id || declaration.id === channel.owner.id) return undefined;
  if (declaration.childForFieldName('type_parameters') && call.childForFieldName('type_arguments')) return undefined;
  const placement = callPlacement(use, call, channel.owner);
  if (!placement || hasSpread(call)) return undefined;
  const positions = parameterPositions(declaration);
  if (!positions || positions.length !== callArguments(call).length) return undefined;
  const name = positions[index];
  if (!name) return undefined;
  const parameter = file.channelsOf(declaration)?.channels.find((candidate) => candidate.declaration.identifier.id === name.id);
  if (!parameter || parameter.origin.kind !== 'parameter' || !isFullyVisible(parameter)) return undefined;
  // Only uses in the callee's own body: its literals run who knows when.
  if (parameter.uses.some((calleeUse) => calleeUse.fn.id !== declaration.id)) return undefined;
  const via: PassedCall = { call, ...placement, callee: declaration, parameter };
  return parameter.uses.map((calleeUse) => ({ ...calleeUse, via }));
}

const cache = new WeakMap<ChannelVariable, FollowedChannel | null>();

/**
 * The channel with every call that passes it to a followable function of the
 * file replaced by the callee's uses; undefined when it is passed nowhere or
 * some call cannot be followed (then the channel still escapes).
 */
export function followChannel(channel: ChannelVariable, file: FileChannels): FollowedChannel | undefined {
  const cached = cache.get(channel);
  if (cached !== undefined) return cached ?? undefined;
  let result: FollowedChannel | null = null;
  if (channel.origin.kind !== 'parameter' && channel.writes.length === 0 && channel.uses.some((use) => use.operation === 'escape')) {
    const uses: FollowedUse[] = [];
    let followable = true;
    for (const use of channel.uses) {
      if (use.operation !== 'escape') {
        uses.push(use);
        continue;
      }
      const followed = follow(channel, use, file);
      if (!followed) {
        followable = false;
        break;
      }
      uses.push(...followed);
    }
    if (followable) result = { ...channel, uses };
  }
  cache.set(channel, result);
  return result ?? undefined;
}

/** The channel as the rules that follow calls see it: followed when it can be, else as it is. */
export function followedOrSelf(channel: ChannelVariable, file: FileChannels): FollowedChannel {
  return followChannel(channel, file) ?? channel;
}

/**
 * The `go` statement of the owner that starts the goroutine a use runs in;
 * null when the owner runs it itself (directly or in a call statement);
 * undefined when it is neither (a literal that is not started with go, a
 * goroutine started by another goroutine…).
 */
export function startingGoStatement(use: FollowedUse, owner: Node): Node | null | undefined {
  if (use.via) return use.via.goStatement;
  if (use.fn.id === owner.id) return null;
  const goStatement = goStatementOfLiteral(use.fn);
  return goStatement && enclosingFunction(goStatement)?.id === owner.id ? goStatement : undefined;
}

/** The node that stands for the use in the owner's code: the use itself, or the call that leads to it. */
export function siteInOwner(use: FollowedUse): Node {
  return use.via ? use.via.call : use.node;
}
