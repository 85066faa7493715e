// channel/blocking-in-main-flow: a function makes a channel and blocks on it
// itself with nobody on the other side. A send on an unbuffered channel that
// no other goroutine ever receives from waits forever (the function cannot
// receive while it is blocked sending); a receive from a channel that
// nothing sends on or closes waits forever. Only channels whose every use is
// visible are considered, so "nobody" is certain. One exception: a channel
// that leaves the function later can still deadlock before it leaves, when
// the first thing done with it is an unbuffered send by the function itself
// (no other goroutine can hold it yet).
import type { Fix } from '../../engine/finding';
import { isFullyVisible, type ChannelUse, type ChannelVariable } from '../../syntax/channelVariables';
import { enclosingLoop } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { ownDescendants } from '../../syntax/functions';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { bufferOfOneEdit } from '../../syntax/statementEdits';

const receiving: ReadonlySet<string> = new Set(['receive', 'select-receive', 'range']);

function bufferFix(context: RuleContext, channel: ChannelVariable, sends: ChannelUse[]): Fix | null {
  if (channel.origin.kind !== 'make' || sends.length !== 1 || enclosingLoop(sends[0].node)) return null;
  const edit = bufferOfOneEdit(context.lines, channel.origin.call);
  return edit ? { title: context.message('fixBuffer', { name: channel.declaration.name }), isPreferred: true, edits: [edit] } : null;
}

/**
 * The send that is the first use of a channel in source order, made by the
 * function itself (not a literal) as a statement of its own, in the loop of
 * the make (or none), in a function without goto: nothing else can refer to
 * the channel yet, so no goroutine can be receiving.
 */
function sendBeforeAnyOtherUse(channel: ChannelVariable): ChannelUse | undefined {
  const [first] = [...channel.uses].sort((a, b) => a.node.startIndex - b.node.startIndex);
  if (first?.operation !== 'send' || first.fn.id !== channel.owner.id || first.node.parent?.type !== 'statement_list') return undefined;
  if ((enclosingLoop(first.node)?.id ?? -1) !== (enclosingLoop(channel.declaration.identifier)?.id ?? -1)) return undefined;
  if (ownDescendants(channel.owner, 'goto_statement').length > 0) return undefined;
  return first;
}

function checkChannel(context: RuleContext, channel: ChannelVariable): void {
  if (channel.origin.kind !== 'make') return;
  const owner = channel.owner;
  const name = channel.declaration.name;
  const values = { name, function: context.functionName(owner) };
  if (!isFullyVisible(channel)) {
    const send = channel.origin.buffered === false ? sendBeforeAnyOtherUse(channel) : undefined;
    if (send) {
      const related = [{ range: context.rangeOf(channel.origin.call), message: context.message('madeHereOnly', values) }];
      context.report({ at: send.node, messageKey: 'sendBeforeShared', values, related });
    }
    return;
  }
  const sends = channel.uses.filter((use) => use.operation === 'send' || use.operation === 'select-send');
  const receives = channel.uses.filter((use) => receiving.has(use.operation));
  const related = [{ range: context.rangeOf(channel.origin.call), message: context.message('madeHere', values) }];

  if (channel.origin.buffered === false && receives.every((use) => use.fn.id === owner.id)) {
    // A send after a close panics instead (channel/send-after-close); a send in a for clause's post statement may never run.
    const firstClose = channel.uses.find((use) => use.operation === 'close');
    const send = sends.find(
      (use) =>
        use.operation === 'send' &&
        use.fn.id === owner.id &&
        use.node.parent?.type === 'statement_list' &&
        (!firstClose || firstClose.node.startIndex > use.node.startIndex),
    );
    if (send) {
      const fix = bufferFix(context, channel, sends);
      context.report({ at: send.node, messageKey: 'sendDeadlock', values, related, fixes: fix ? [fix] : [] });
      return;
    }
  }

  if (sends.length > 0 || channel.uses.some((use) => use.operation === 'close')) return;
  const receive = receives.find((use) => (use.operation === 'receive' || use.operation === 'range') && use.fn.id === owner.id);
  if (receive) context.report({ at: receive.node, messageKey: receive.operation === 'range' ? 'rangeNobody' : 'receiveNobody', values, related });
}

export const blockingInMainFlow: Rule = {
  id: 'channel/blocking-in-main-flow',
  category: 'channel',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Send_statements',
  example: {
    before: [
      'ch := make(chan int)',
      'ch <- compute() // {deadlock}',
      'fmt.Println(<-ch)',
    ].join('\n'),
    after: [
      'ch := make(chan int, 1)',
      'ch <- compute()',
      'fmt.Println(<-ch)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Channel operation that nobody can complete',
      messages: {
        sendDeadlock: 'this send on unbuffered {name} blocks forever: no goroutine ever receives from it, and {function} cannot receive while it waits here (deadlock)',
        receiveNobody: 'this receive from {name} blocks forever: nothing sends on {name} or closes it',
        rangeNobody: 'this range over {name} blocks forever: nothing sends on {name} or closes it',
        madeHere: '{name} is made here and never leaves {function}',
        sendBeforeShared: 'this send on unbuffered {name} blocks forever: it is the first thing done with {name}, so no other goroutine can have it yet to receive (deadlock)',
        madeHereOnly: '{name} is made here; nothing else sees it before the send',
        fixBuffer: 'Give {name} a buffer of 1 so the send does not wait for a receiver',
      },
      exampleComments: {
        deadlock: 'deadlock',
      },
      explanation: [
        'A send on an **unbuffered** channel completes only when another goroutine receives at the same moment. If the function that made the channel sends on it and no goroutine it started ever receives from it, the send waits forever: the function itself cannot reach its own receive. With no other goroutine running, Go stops with `fatal error: all goroutines are asleep - deadlock!`; in a server, the request just hangs.',
        '',
        'Likewise, a receive from a channel that nothing sends on and nothing closes never returns.',
        '',
        'Fix: receive in a goroutine started before the send, give the channel a buffer large enough for the values sent before the first receive, or remove the channel.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '无人能完成的通道操作',
      messages: {
        sendDeadlock: '这次向无缓冲通道 {name} 的发送会永久阻塞：没有任何 goroutine 从它接收，而 {function} 阻塞在这里时也无法自己接收（死锁）',
        receiveNobody: '这次从 {name} 接收会永久阻塞：没有人向 {name} 发送，也没有人关闭它',
        rangeNobody: '对 {name} 的 range 会永久阻塞：没有人向 {name} 发送，也没有人关闭它',
        madeHere: '{name} 在这里创建，且从未离开 {function}',
        sendBeforeShared: '这次向无缓冲通道 {name} 的发送会永久阻塞：这是对 {name} 的第一次使用，此时还没有别的 goroutine 拿得到它，也就没人能接收（死锁）',
        madeHereOnly: '{name} 在这里创建；在这次发送之前没有别的代码碰过它',
        fixBuffer: '给 {name} 设置容量为 1 的缓冲，使发送不必等待接收方',
      },
      exampleComments: {
        deadlock: '死锁',
      },
      explanation: [
        '向**无缓冲通道**发送，只有在另一个 goroutine 同时接收时才能完成。如果创建通道的函数自己向它发送，而它启动的 goroutine 中没有任何一个从中接收，这次发送就会永远等待：函数本身执行不到自己的接收语句。若没有其他 goroutine 在运行，Go 会以 `fatal error: all goroutines are asleep - deadlock!` 终止；在服务器中，请求则会一直挂起。',
        '',
        '同样，从一个没有人发送、也没有人关闭的通道接收，永远不会返回。',
        '',
        '修复方法：在发送之前启动一个负责接收的 goroutine；或者给通道足够的缓冲，容纳第一次接收之前发送的所有值；或者干脆去掉这个通道。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const fn of fileChannels(context).functions) {
      for (const channel of fn.channels) checkChannel(context, channel);
    }
  },
};
