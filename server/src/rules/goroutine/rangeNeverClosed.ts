// goroutine/range-never-closed: a `for … range ch` ends only when ch is
// closed. When a function makes a channel, never closes it and never lets it
// escape, a range over it never ends: in a goroutine that is a leak; in the
// function itself it hangs once the senders are done. The quick fix adds
// `defer close(ch)` where the one sender is known.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { isFullyVisible, type ChannelVariable } from '../../syntax/channelVariables';
import { enclosingLoop, indentationAt } from '../../syntax/executionOrder';
import { followedOrSelf, siteInOwner, startingGoStatement } from '../../syntax/channelFlow';
import { fileChannels, type FileChannels } from '../../syntax/fileChannels';
import { loopCanExit } from '../../syntax/loopExits';
import { statementsOf } from '../../syntax/statements';
import { readsFunctions, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

function deferCloseAtStart(context: RuleContext, literal: Node, name: string): Fix | null {
  const body = literal.childForFieldName('body');
  const first = body ? statementsOf(body)[0] : undefined;
  if (!body || !first) return null;
  const sameLine = context.lines.positionAt(first.startIndex).line === context.lines.positionAt(body.startIndex).line;
  const at = context.lines.positionAt(first.startIndex);
  const newText = sameLine ? `defer close(${name}); ` : `defer close(${name})\n${indentationAt(context.text, first.startIndex)}`;
  return { title: context.message('fixDeferClose', { name }), isPreferred: true, edits: [{ range: { start: at, end: at }, newText }] };
}

function deferCloseAfterDeclaration(context: RuleContext, channel: ChannelVariable): Fix | null {
  const declaration = channel.declaration.declaringNode;
  const statement = declaration.type === 'var_spec' ? declaration.parent : declaration;
  if (!statement || statement.parent?.type !== 'statement_list' || enclosingLoop(statement)) return null;
  const at = context.lines.positionAt(statement.endIndex);
  const name = channel.declaration.name;
  return {
    title: context.message('fixDeferCloseOwner', { name }),
    isPreferred: true,
    edits: [{ range: { start: at, end: at }, newText: `\n${indentationAt(context.text, statement.startIndex)}defer close(${name})` }],
  };
}

function checkChannel(context: RuleContext, file: FileChannels, original: ChannelVariable): void {
  if (original.origin.kind !== 'make') return;
  const channel = followedOrSelf(original, file);
  if (!isFullyVisible(channel)) return;
  if (channel.uses.some((use) => use.operation === 'close')) return;
  const ranges = channel.uses.filter((use) => use.operation === 'range');
  const sends = channel.uses.filter((use) => use.operation === 'send' || use.operation === 'select-send');
  if (ranges.length !== 1 || sends.length === 0) return;
  const [range] = ranges;
  const loop = range.node.parent;
  if (loop?.type !== 'for_statement' || loopCanExit(loop)) return;
  const name = channel.declaration.name;
  const owner = channel.owner;
  const ownerName = context.functionName(owner);
  const rangeGoStatement = startingGoStatement(range, owner);
  if (rangeGoStatement === undefined) return;
  // Through a call, the finding sits on the call in the owner and points at the callee's range.
  const at = siteInOwner(range);
  const callee = range.via ? context.functionName(range.via.callee) : '';
  const calleeRange = range.via ? [{ range: context.rangeOf(range.node), message: context.message('calleeRange', { name, callee }) }] : [];
  if (rangeGoStatement) {
    // A goroutine ranges; the owner (or others) send and never close.
    const ownerSendsOnly = sends.every((send) => !send.via && send.fn.id === owner.id);
    const fix = ownerSendsOnly ? deferCloseAfterDeclaration(context, channel) : null;
    const messageKey = range.via ? 'goroutineRangesVia' : 'goroutineRanges';
    context.report({ at, messageKey, values: { name, function: ownerName, callee }, related: calleeRange, fixes: fix ? [fix] : [] });
    return;
  }
  // The owner ranges (itself or in a function it calls); every sender is a goroutine it started.
  const senderStarts = new Map<number, { goStatement: Node; literal: Node | null }>();
  for (const send of sends) {
    const goStatement = startingGoStatement(send, owner);
    if (!goStatement) return;
    senderStarts.set(goStatement.id, { goStatement, literal: send.via ? send.via.literal : send.fn });
  }
  const senders = [...senderStarts.values()];
  const single = senders.length === 1 && !enclosingLoop(senders[0].goStatement) ? senders[0] : undefined;
  const fix = single?.literal ? deferCloseAtStart(context, single.literal, name) : null;
  const related = [
    ...calleeRange,
    ...senders.map((sender) => ({ range: context.rangeOf(sender.goStatement), message: context.message('sender', { name }) })),
  ];
  const messageKey = range.via ? 'ownerRangesVia' : 'ownerRanges';
  context.report({ at, messageKey, values: { name, function: ownerName, callee }, related, fixes: fix ? [fix] : [] });
}

export const rangeNeverClosed: Rule = {
  id: 'goroutine/range-never-closed',
  crossDeclarationReads: readsFunctions,
  category: 'goroutine',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#For_range',
  example: {
    before: [
      'go func() {',
      '\tfor _, x := range items { ch <- x }',
      '}()',
      'for v := range ch { use(v) }   // {neverEnds}',
    ].join('\n'),
    after: [
      'go func() {',
      '\tdefer close(ch)',
      '\tfor _, x := range items { ch <- x }',
      '}()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Range over a channel that is never closed',
      messages: {
        goroutineRanges: 'this goroutine ranges over {name}, which {function} never closes: the loop never ends and the goroutine leaks',
        ownerRanges: 'range over {name} never ends: no sender closes it, so {function} blocks forever after the last value',
        goroutineRangesVia: 'the goroutine started here ranges over {name} in {callee}, but {function} never closes it: the loop never ends and the goroutine leaks',
        ownerRangesVia: '{callee} ranges over {name}, which no sender closes: this call never returns, {function} blocks forever after the last value',
        calleeRange: '{callee} ranges over {name} here until it is closed',
        sender: 'sends on {name} but never closes it',
        fixDeferClose: 'Close {name} when the sending goroutine returns (defer close({name}))',
        fixDeferCloseOwner: 'Close {name} when the owning function returns (defer close({name}))',
      },
      exampleComments: {
        neverEnds: 'never ends',
      },
      explanation: [
        '`for v := range ch` receives until `ch` is **closed**. If nobody closes it, the loop waits for the next value forever once the senders are done: the ranging goroutine never ends (a leak), or, when the function itself ranges, it hangs (`all goroutines are asleep - deadlock!` if nothing else runs). In the runtime, the receiver waits in the channel\'s receive queue (`recvq` of its `hchan`); only a send or a `close` takes it off that queue.',
        '',
        'Fix: the sender closes the channel after its last send. With one sending goroutine, `defer close(ch)` at its start also covers early returns; with several senders, close after a `sync.WaitGroup` says they are all done.',
      ].join('\n'),
    },
    'zh-cn': {
      title: 'range 遍历一个从未关闭的通道',
      messages: {
        goroutineRanges: '这个 goroutine 用 range 遍历 {name}，但 {function} 从未关闭它：循环永不结束，造成 goroutine 泄漏',
        ownerRanges: '对 {name} 的 range 永不结束：没有发送方关闭它，{function} 在收到最后一个值后会永久阻塞',
        goroutineRangesVia: '这里启动的 goroutine 在 {callee} 中用 range 遍历 {name}，但 {function} 从未关闭它：循环永不结束，造成 goroutine 泄漏',
        ownerRangesVia: '{callee} 用 range 遍历 {name}，但没有发送方关闭它：这次调用永不返回，{function} 在收到最后一个值后会永久阻塞',
        calleeRange: '{callee} 在这里用 range 遍历 {name}，直到它被关闭',
        sender: '向 {name} 发送数据，但从未关闭它',
        fixDeferClose: '在发送数据的 goroutine 返回时关闭 {name}（defer close({name})）',
        fixDeferCloseOwner: '在所属函数返回时关闭 {name}（defer close({name})）',
      },
      exampleComments: {
        neverEnds: '永不结束',
      },
      explanation: [
        '`for v := range ch` 会一直接收，直到 `ch` 被**关闭**。如果没有人关闭它，发送方结束后循环会永远等待下一个值：执行 range 的 goroutine 永不结束（goroutine 泄漏）；如果是函数自身在 range，它会一直挂起（若没有其他 goroutine 在运行，则报 `all goroutines are asleep - deadlock!`）。在运行时层面，接收方挂在通道 `hchan` 的接收等待队列 `recvq` 上，只有一次发送或 `close` 才能把它从队列中唤醒。',
        '',
        '修复方法：由发送方在最后一次发送后关闭通道。只有一个发送 goroutine 时，在它开头写 `defer close(ch)`，提前返回时也能关闭；有多个发送方时，用 `sync.WaitGroup` 等待它们全部结束后再关闭。',
      ].join('\n'),
    },
  },
  check(context) {
    const file = fileChannels(context);
    for (const fn of file.functions) {
      for (const channel of fn.channels) checkChannel(context, file, channel);
    }
  },
};
