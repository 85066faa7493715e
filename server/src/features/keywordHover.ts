// Hover on the concurrency keywords — `go`, `select`, `make(chan …)` and
// channel types — with a short note about *this* statement: buffered or not,
// where the channel is sent on, received from and closed, which cases a select
// waits on. Nothing is said where nothing specific can be said.
import type { Node, Tree } from 'web-tree-sitter';
import type { Position } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';
import { listSeparator, localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';
import { enclosingLoop } from '../syntax/executionOrder';
import { fileChannels } from '../syntax/fileChannels';
import { FileDeclarations } from '../syntax/fileDeclarations';
import { outermostFunction } from '../syntax/localNames';

type Say = (key: Parameters<typeof localize>[1], values?: Record<string, string | number>) => string;

function lineOf(lines: LineIndex, node: Node): number {
  return lines.positionAt(node.startIndex).line + 1;
}

function lineList(lines: LineIndex, nodes: readonly Node[], separator: string): string {
  const numbers = [...new Set(nodes.map((node) => lineOf(lines, node)))].sort((a, b) => a - b);
  return numbers.length > 6 ? `${numbers.slice(0, 6).join(separator)}${separator}…` : numbers.join(separator);
}

function goStatementNote(statement: Node, say: Say): string {
  const call = statement.namedChildren.find((child) => child?.type === 'call_expression');
  const callee = call?.childForFieldName('function');
  const target = callee?.type === 'func_literal' ? say('goTargetLiteral') : `\`${(callee?.text ?? '').replace(/\s+/g, ' ').slice(0, 60)}\``;
  const parts = [say('goStarts', { target }), say('goArguments')];
  if (enclosingLoop(statement) !== null) parts.push(say('goInLoop'));
  return parts.join(' ');
}

function selectNote(statement: Node, say: Say): string {
  const body = statement.namedChildren.find((child) => child?.type === 'block') ?? statement;
  const cases = body.namedChildren.filter((child) => child?.type === 'communication_case').length;
  const hasDefault = body.namedChildren.some((child) => child?.type === 'default_case');
  const parts = [say(hasDefault ? 'selectWithDefault' : 'selectBlocking', { cases })];
  if (cases > 1) parts.push(say('selectRandom'));
  if (enclosingLoop(statement) !== null && !hasDefault && /\btime\.After\(/.test(statement.text)) parts.push(say('selectInLoop'));
  return parts.join(' ');
}

function makeChannelNote(call: Node, tree: Tree, text: string, lines: LineIndex, say: Say, separator: string): string | undefined {
  const argumentsNode = call.childForFieldName('arguments');
  const values = argumentsNode?.namedChildren.filter((child) => child !== null && child.type !== 'comment') ?? [];
  if (values[0]?.type !== 'channel_type') return undefined;
  const parts = [values.length > 1 ? say('chanBuffered', { capacity: values[1]?.text ?? '' }) : say('chanUnbuffered')];
  const root = outermostFunction(call);
  const channel = (root ? fileChannels({ tree, wholeTree: tree, text, declarations: new FileDeclarations(tree.rootNode, text) }).channelsOf(root)?.channels : undefined)?.find(
    (candidate) => candidate.origin.kind === 'make' && candidate.origin.call.id === call.id,
  );
  if (!channel) return parts.join(' ');
  const name = channel.declaration.identifier.text;
  const uses = (operations: string[]) => channel.uses.filter((use) => operations.includes(use.operation)).map((use) => use.node);
  const sends = uses(['send', 'select-send']);
  const receives = uses(['receive', 'select-receive', 'range']);
  const closes = uses(['close']);
  const escapes = uses(['escape']);
  if (sends.length > 0) parts.push(say('chanSends', { name, lines: lineList(lines, sends, separator) }));
  if (receives.length > 0) parts.push(say('chanReceives', { name, lines: lineList(lines, receives, separator) }));
  if (closes.length > 0) parts.push(say('chanClosed', { name, lines: lineList(lines, closes, separator) }));
  else if (escapes.length === 0 && channel.writes.length === 0) parts.push(say('chanNeverClosed', { name }));
  if (escapes.length > 0) parts.push(say('chanEscapes', { name, lines: lineList(lines, escapes, separator) }));
  return parts.join(' ');
}

function channelTypeNote(type: Node, say: Say): string | undefined {
  const text = type.text.trimStart();
  if (text.startsWith('<-')) return say('chanReceiveOnly');
  if (/^chan\s*<-/.test(text)) return say('chanSendOnly');
  return undefined;
}

/** Markdown for the keyword at the position, or undefined when there is nothing specific to say. */
export function keywordHover(tree: Tree, text: string, lines: LineIndex, position: Position, locale: Locale): string | undefined {
  const offset = lines.offsetAt(position);
  const leaf = tree.rootNode.descendantForIndex(offset, offset);
  if (!leaf || leaf.hasError) return undefined;
  const say: Say = (key, values) => localize(locale, key, values);
  const parent = leaf.parent;
  if (leaf.type === 'go' && parent?.type === 'go_statement') return goStatementNote(parent, say);
  if (leaf.type === 'select' && parent?.type === 'select_statement') return selectNote(parent, say);
  if (leaf.type === 'identifier' && leaf.text === 'make' && parent?.type === 'call_expression') return makeChannelNote(parent, tree, text, lines, say, listSeparator(locale));
  if (leaf.type === 'chan' && parent?.type === 'channel_type') {
    const call = parent.parent?.type === 'argument_list' ? parent.parent.parent : null;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.text === 'make') return makeChannelNote(call, tree, text, lines, say, listSeparator(locale));
    return channelTypeNote(parent, say);
  }
  if (leaf.type === '<-' && parent?.type === 'channel_type') return channelTypeNote(parent, say);
  return undefined;
}
