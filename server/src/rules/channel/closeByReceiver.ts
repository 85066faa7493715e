// channel/close-by-receiver: a function that only receives from a channel
// closes it while goroutines it started may still send. Their next send
// panics ("send on closed channel"). Reported only when the sender can send
// again (it sends in a loop, or several senders are started) and the
// receiver stops early (it closes inside its receive loop, or after fewer
// receives than a loop of sends), with no handshake first (a Wait, or a
// receive from a channel the sender closes or sends on).
import type { Node } from 'web-tree-sitter';
import { methodCall } from '../../syntax/calls';
import { isFullyVisible, type ChannelUse, type ChannelVariable } from '../../syntax/channelVariables';
import { enclosingLoop } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { enclosingFunction, ownDescendants } from '../../syntax/functions';
import { goStatementOfLiteral } from '../../syntax/goroutines';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

const receiving: ReadonlySet<string> = new Set(['receive', 'select-receive', 'range']);

/** True when the receiver synchronises with the senders before the close: a Wait(), or a receive from another channel the sender signals on. */
function hasHandshake(receiver: Node, close: Node, channel: ChannelVariable, senders: Node[]): boolean {
  const before = (node: Node) => node.endIndex <= close.startIndex;
  const calls = ownDescendants(receiver, 'call_expression').filter(before);
  if (calls.some((call) => methodCall(call)?.method === 'Wait')) return true;
  const otherReceives = ownDescendants(receiver, 'unary_expression').filter(
    (node) => before(node) && node.childForFieldName('operator')?.type === '<-' && node.childForFieldName('operand')?.text !== channel.declaration.name,
  );
  return otherReceives.some((node) => {
    const other = node.childForFieldName('operand')?.text ?? '';
    return senders.some((sender) => sender.text.includes(`close(${other})`) || sender.text.includes(`${other} <-`));
  });
}

function checkChannel(context: RuleContext, channel: ChannelVariable): void {
  if (channel.origin.kind !== 'make' || !isFullyVisible(channel)) return;
  const sends = channel.uses.filter((use) => use.operation === 'send' || use.operation === 'select-send');
  const closes = channel.uses.filter((use) => use.operation === 'close');
  if (sends.length === 0 || closes.length !== 1) return;
  const [close] = closes;
  const receiver = close.fn;
  const receives = channel.uses.filter((use) => receiving.has(use.operation) && use.fn.id === receiver.id);
  if (receives.length === 0 || sends.some((send) => send.fn.id === receiver.id)) return;
  // Every sender is a goroutine literal started in the function that owns the channel.
  const senderStarts = new Map<number, Node>();
  for (const send of sends) {
    const goStatement = goStatementOfLiteral(send.fn);
    if (!goStatement || enclosingFunction(goStatement)?.id !== channel.owner.id) return;
    senderStarts.set(send.fn.id, goStatement);
  }
  const starts = [...senderStarts.values()];
  const senderRepeats = sends.some((send) => enclosingLoop(send.node) !== null) || starts.length > 1 || starts.some((start) => enclosingLoop(start) !== null);
  if (!senderRepeats || receives.some((use) => use.operation === 'range')) return;
  const closeLoop = enclosingLoop(close.node);
  const stopsInsideLoop = closeLoop !== null && receives.some((use) => closeLoop.startIndex <= use.node.startIndex && use.node.endIndex <= closeLoop.endIndex);
  const fewReceives = receives.every((use) => enclosingLoop(use.node) === null && use.node.endIndex <= close.node.startIndex);
  if (!stopsInsideLoop && !fewReceives) return;
  if (hasHandshake(receiver, close.node, channel, [...senderStarts.keys()].map((id) => sends.find((send) => send.fn.id === id)?.fn).filter((fn): fn is Node => fn !== undefined))) return;
  const firstSend: ChannelUse = sends[0];
  const name = channel.declaration.name;
  const values = { name, function: context.functionName(receiver), line: context.lineNumber(starts[0]) };
  context.report({
    at: close.node,
    messageKey: 'closedByReceiver',
    values,
    related: [{ range: context.rangeOf(firstSend.node), message: context.message('stillSending', values) }],
  });
}

export const closeByReceiver: Rule = {
  id: 'channel/close-by-receiver',
  category: 'channel',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Close',
  example: {
    before: [
      'go func() {',
      '\tfor _, x := range items { results <- x }',
      '}()',
      'first := <-results',
      'close(results) // {theSenderPanicsOn}',
    ].join('\n'),
    after: [
      'done := make(chan struct{})',
      'go func() {',
      '\tdefer close(results)',
      '\tfor _, x := range items {',
      '\t\tselect {',
      '\t\tcase results <- x:',
      '\t\tcase <-done:',
      '\t\t\treturn',
      '\t\t}',
      '\t}',
      '}()',
      'first := <-results',
      'close(done)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Channel closed by its receiver',
      messages: {
        closedByReceiver: '{name} is closed by {function}, which only receives from it, while the goroutine started on line {line} may still send: its next send panics with "send on closed channel"',
        stillSending: 'this send on {name} may run after the close and panic',
      },
      exampleComments: {
        theSenderPanicsOn: 'the sender panics on its next send',
      },
      explanation: [
        'Closing a channel tells its **receivers** that no more values will come; only the sender knows that. When the receiving side closes while a sender is still running, the sender\'s next `ch <- v` **panics** (`send on closed channel`), even inside a `select` with other cases: a send case on a closed channel is always ready, so sooner or later it is chosen.',
        '',
        'Fix: let the sender close the channel when it is done (`defer close(ch)` in the sending goroutine). To tell the sender to stop early, close a separate `done` channel (or cancel a `context.Context`) that the sender selects on, and let the sender close its own channel.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '通道被接收方关闭',
      messages: {
        closedByReceiver: '{function} 只从 {name} 接收数据，却关闭了它；而第 {line} 行启动的 goroutine 可能仍在发送，下一次发送就会 panic（send on closed channel）',
        stillSending: '这次向 {name} 的发送可能发生在关闭之后，从而 panic',
      },
      exampleComments: {
        theSenderPanicsOn: '发送方下一次发送时 panic',
      },
      explanation: [
        '关闭通道是在告诉**接收方**不会再有新值了；只有发送方知道这一点。如果接收方在发送方仍在运行时关闭通道，发送方的下一次 `ch <- v` 就会 **panic**（`send on closed channel`），即使这次发送位于带有其他 case 的 `select` 中也一样：向已关闭通道发送的 case 总是就绪的，迟早会被选中。',
        '',
        '修复方法：由发送方在完成时关闭通道（在发送数据的 goroutine 中写 `defer close(ch)`）。若要让发送方提前停止，关闭另一个供发送方 select 的 `done` 通道（或取消一个 `context.Context`），再由发送方关闭它自己的通道。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const fn of fileChannels(context).functions) {
      for (const channel of fn.channels) checkChannel(context, channel);
    }
  },
};
