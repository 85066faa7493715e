// Where a channel is closed, told apart by when the close runs: in the flow
// of the function, or when the function returns (`defer close(ch)` and
// `defer func() { … close(ch) … }()`).
import type { Node } from 'web-tree-sitter';
import type { ChannelUse, ChannelVariable } from '../../syntax/channelVariables';
import { enclosingFunction } from '../../syntax/functions';
import { runsUnconditionallyIn } from '../../syntax/executionOrder';

export interface DeferredClose {
  use: ChannelUse;
  /** The defer statement, in the function whose return triggers it. */
  deferStatement: Node;
}

export function directCloses(channel: ChannelVariable): ChannelUse[] {
  return channel.uses.filter((use) => use.operation === 'close' && use.node.parent?.type !== 'defer_statement' && deferredBy(use) === null);
}

/** The defer statement that runs this close at return: `defer close(ch)` or an unconditional close in `defer func(){…}()`. */
export function deferredBy(use: ChannelUse): Node | null {
  if (use.node.parent?.type === 'defer_statement') return use.node.parent;
  const literal = use.fn;
  if (literal.type !== 'func_literal') return null;
  const call = literal.parent;
  const statement = call?.parent;
  if (call?.type !== 'call_expression' || statement?.type !== 'defer_statement') return null;
  const body = literal.childForFieldName('body');
  return body && runsUnconditionallyIn(use.node, body) ? statement : null;
}

export function deferredCloses(channel: ChannelVariable): DeferredClose[] {
  return channel.uses.flatMap((use) => {
    if (use.operation !== 'close') return [];
    const deferStatement = deferredBy(use);
    return deferStatement ? [{ use, deferStatement }] : [];
  });
}

/** The function a defer statement belongs to. */
export function deferringFunction(deferStatement: Node): Node | null {
  return enclosingFunction(deferStatement);
}
