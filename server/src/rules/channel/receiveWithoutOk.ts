// channel/receive-without-ok: `v := <-ch` (or `case v := <-ch:`) in an
// endless loop, on a channel that another goroutine closes. Once closed, the
// receive succeeds at once with the zero value on every iteration: the loop
// spins and processes zeros. Loops that test the value (a nil or sentinel
// check) and channels made anew in each iteration are left alone. Fixes:
// `for v := range ch` when the receive opens the loop, or `v, ok := <-ch`
// with a check that leaves the loop.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { unparenthesize } from '../../syntax/calls';
import type { ChannelUse, ChannelVariable } from '../../syntax/channelVariables';
import { enclosingLoop, indentationAt, isInfiniteLoop } from '../../syntax/executionOrder';
import { fileChannels, type FunctionChannels } from '../../syntax/fileChannels';
import type { LocalDeclaration } from '../../syntax/localNames';
import { isTerminating, statementsOf } from '../../syntax/statements';
import { deleteStatementEdit } from '../../syntax/statementEdits';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

interface ValueReceive {
  use: ChannelUse;
  /** `v := <-ch` (short_var_declaration) or the receive_statement of a select case. */
  statement: Node;
  /** The variable that gets the value. */
  value: Node;
}

function climbParentheses(node: Node): Node {
  let current = node;
  while (current.parent?.type === 'parenthesized_expression') current = current.parent;
  return current;
}

/** The one-value `v := <-ch` form of a receive, if it is one. */
function valueReceive(use: ChannelUse): ValueReceive | undefined {
  const receive = climbParentheses(use.node);
  const owner = receive.parent?.type === 'expression_list' ? receive.parent.parent : receive.parent;
  if (!owner || (owner.type !== 'short_var_declaration' && owner.type !== 'receive_statement')) return undefined;
  if (owner.type === 'receive_statement' && !owner.children.some((child) => child?.type === ':=')) return undefined;
  const right = owner.childForFieldName('right');
  if (!right || (right.id !== receive.id && right.namedChildCount !== 1)) return undefined;
  const left = owner.childForFieldName('left')?.namedChildren.filter((child): child is Node => child !== null) ?? [];
  if (left.length !== 1 || left[0].type !== 'identifier' || left[0].text === '_') return undefined;
  return { use, statement: owner, value: left[0] };
}

/** True when the received value is compared (v == nil, v != "", switch v): a sentinel check that can end the loop. */
function isValueTested(declaration: LocalDeclaration | undefined, names: FunctionChannels['names']): boolean {
  if (!declaration) return true;
  return names.references(declaration).some((reference) => {
    const expression = climbParentheses(reference);
    const parent = expression.parent;
    if (parent?.type === 'binary_expression' && /^(==|!=)$/.test(parent.childForFieldName('operator')?.type ?? '')) return true;
    if (parent?.type === 'unary_expression' && parent.childForFieldName('operator')?.type === '!') return true;
    if (parent?.type === 'expression_switch_statement' || parent?.type === 'type_switch_statement') return true;
    return parent?.type === 'if_statement' && parent.childForFieldName('condition')?.id === expression.id;
  });
}

/** True when the code right after the receive (its case body, or the rest of its block) surely leaves: the loop does not come back to it. */
function leavesAfterReceive(receive: ValueReceive): boolean {
  const list = receive.statement.type === 'receive_statement' ? receive.statement.parent?.namedChildren.find((child) => child?.type === 'statement_list') : receive.statement.parent;
  if (!list || list.type !== 'statement_list') return false;
  return statementsOf(list).some((statement) => statement.startIndex >= receive.statement.endIndex && isTerminating(statement));
}

function rangeFix(context: RuleContext, receive: ValueReceive, loop: Node, name: string): Fix | null {
  const body = loop.childForFieldName('body');
  if (receive.statement.type !== 'short_var_declaration' || !body || statementsOf(body)[0]?.id !== receive.statement.id) return null;
  const header = context.lines.rangeOf(loop.startIndex, body.startIndex + 1);
  return {
    title: context.message('fixRange', { name, value: receive.value.text }),
    isPreferred: true,
    edits: [
      { range: header, newText: `for ${receive.value.text} := range ${name} {` },
      deleteStatementEdit(context.text, context.lines, receive.statement),
    ],
  };
}

/** The end of the line when only a line comment follows the offset there, else the offset. */
function pastTrailingComment(text: string, offset: number): number {
  const lineEnd = text.indexOf('\n', offset);
  const rest = text.slice(offset, lineEnd < 0 ? text.length : lineEnd);
  return /^[ \t]*(\/\/.*)?$/.test(rest) && !rest.includes('/*') ? offset + rest.length : offset;
}

function commaOkFix(context: RuleContext, fn: FunctionChannels, receive: ValueReceive, loop: Node, name: string): Fix | null {
  if (fn.names.resolveNameAt('ok', receive.statement)) return null;
  let leave: string;
  if (receive.statement.type === 'short_var_declaration') {
    // `break` must leave the loop itself, not a switch or select around the receive.
    if (receive.statement.parent?.type !== 'statement_list') return null;
    for (let current: Node | null = receive.statement.parent; current && current.id !== loop.id; current = current.parent) {
      if (current.type === 'expression_switch_statement' || current.type === 'type_switch_statement' || current.type === 'select_statement') return null;
    }
    leave = 'break';
  } else {
    // In a select case `break` leaves only the select: return instead, where the function has no results.
    if (receive.use.fn.childForFieldName('result')) return null;
    leave = 'return';
  }
  const communication = receive.statement;
  const caseBody = communication.type === 'receive_statement' ? communication.parent : null;
  const indent =
    communication.type === 'receive_statement'
      ? `${indentationAt(context.text, communication.startIndex)}\t`
      : indentationAt(context.text, communication.startIndex);
  const insertAt = communication.type === 'receive_statement' && caseBody ? (caseBody.children.find((child) => child?.type === ':')?.endIndex ?? communication.endIndex) : communication.endIndex;
  const position = context.lines.positionAt(pastTrailingComment(context.text, insertAt));
  const left = communication.childForFieldName('left');
  if (!left) return null;
  return {
    title: context.message('fixCommaOk', { name, value: receive.value.text, leave }),
    edits: [
      { range: context.rangeOf(left), newText: `${receive.value.text}, ok` },
      { range: { start: position, end: position }, newText: `\n${indent}if !ok {\n${indent}\t${leave}\n${indent}}` },
    ],
  };
}

function isInside(node: Node, container: Node): boolean {
  return container.startIndex <= node.startIndex && node.endIndex <= container.endIndex;
}

function checkChannel(context: RuleContext, fn: FunctionChannels, channel: ChannelVariable): void {
  if (channel.writes.length > 0 || channel.origin.kind === 'nil') return;
  const closes = channel.uses.filter((use) => use.operation === 'close');
  if (closes.length === 0) return;
  const name = channel.declaration.name;
  for (const use of channel.uses) {
    if (use.operation !== 'receive' && use.operation !== 'select-receive') continue;
    const receive = valueReceive(use);
    const loop = receive ? enclosingLoop(receive.statement) : null;
    if (!receive || !loop || !isInfiniteLoop(loop)) continue;
    // A channel made inside the loop is a fresh one per iteration: the receive never sees it closed twice.
    if (isInside(channel.declaration.identifier, loop)) continue;
    // The close must come from another goroutine while this loop runs.
    const closer = closes.find((close) => close.fn.id !== use.fn.id);
    if (!closer) continue;
    if (isValueTested(fn.names.resolve(receive.value), fn.names)) continue;
    if (leavesAfterReceive(receive)) continue;
    const fixes = [rangeFix(context, receive, loop, name), commaOkFix(context, fn, receive, loop, name)].filter((fix): fix is Fix => fix !== null);
    const line = context.lineNumber(closer.node);
    context.report({
      at: unparenthesize(use.node),
      messageKey: 'zeroValues',
      values: { name, value: receive.value.text, line },
      related: [{ range: context.rangeOf(closer.node), message: context.message('closedHere', { name }) }],
      fixes,
    });
  }
}

export const receiveWithoutOk: Rule = {
  id: 'channel/receive-without-ok',
  category: 'channel',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Receive_operator',
  example: {
    before: [
      'for {',
      '\tjob := <-jobs',
      '\trun(job)',
      '}',
    ].join('\n'),
    after: [
      'for job := range jobs {',
      '\trun(job)',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Receive in a loop without checking for close',
      messages: {
        zeroValues: 'once {name} is closed (line {line}), `{value} := <-{name}` yields the zero value at once on every iteration: the loop spins on zero values',
        closedHere: '{name} is closed here by another goroutine',
        fixRange: 'Range over {name} (for {value} := range {name})',
        fixCommaOk: 'Check for close ({value}, ok := <-{name}) and {leave}',
      },
      explanation: [
        'A receive from a **closed** channel never blocks: once the values still in its buffer have been received, it returns the zero value of the element type immediately, every time. `v := <-ch` cannot tell a real zero from "closed", so an endless loop around it keeps running after the sender closes the channel: it burns a CPU and handles zero values (`nil` pointers, empty strings, `0`) as if they were data.',
        '',
        'Fix: use the two-value form `v, ok := <-ch` and leave the loop when `ok` is false, or let `for v := range ch` do it for you (it stops at close).',
        '',
        '**When it is deliberate.** A channel made anew in each iteration, sent to once and then closed, never yields a zero value and is not reported. If the loop stops some other way once the channel is closed, write `//goinsight:ignore channel/receive-without-ok reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '循环中接收时未检查通道是否已关闭',
      messages: {
        zeroValues: '一旦 {name} 被关闭（第 {line} 行），`{value} := <-{name}` 在每次迭代中都会立即得到零值：循环会空转并处理零值',
        closedHere: '{name} 在这里被另一个 goroutine 关闭',
        fixRange: '改为 range 遍历 {name}（for {value} := range {name}）',
        fixCommaOk: '检查通道是否关闭（{value}, ok := <-{name}），关闭时 {leave}',
      },
      explanation: [
        '从**已关闭**的通道接收永远不会阻塞：缓冲区中剩余的值取完之后，每次接收都立即返回元素类型的零值。`v := <-ch` 无法区分真正的零值和“通道已关闭”，因此发送方关闭通道后，外面的无限循环仍会继续运行：占满一个 CPU，并把零值（`nil` 指针、空字符串、`0`）当作数据处理。',
        '',
        '修复方法：使用双返回值形式 `v, ok := <-ch`，在 `ok` 为 false 时退出循环；或者直接用 `for v := range ch`，它会在通道关闭时自动结束。',
        '',
        '**有意为之的情况。** 每次迭代都新建、只发送一次然后关闭的通道，永远不会收到零值，不会被报告。如果通道关闭后循环会通过别的方式结束，可以在该行或上一行写 `//goinsight:ignore channel/receive-without-ok 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const fn of fileChannels(context).functions) {
      for (const channel of fn.channels) checkChannel(context, fn, channel);
    }
  },
};
