// channel/double-close: the same channel closed twice on one path, which
// always panics ("close of closed channel"). Three shapes are recognised:
// two closes in sequence, an unconditional close inside a loop, and a close in
// the body of a function that also closes the channel in a defer. Channels
// that are reassigned anywhere (or whose address is taken) are skipped.
import type { Node } from 'web-tree-sitter';
import type { ChannelUse, ChannelVariable } from '../../syntax/channelVariables';
import { enclosingLoop, reachesAfter, runsUnconditionallyIn } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { deferredCloses, directCloses } from './closeSites';


/** More closes of one channel than real code has (GOROOT's most is far below). */
const maxClosesCompared = 64;
function isDeclaredOutside(channel: ChannelVariable, loop: Node): boolean {
  const declared = channel.declaration.identifier;
  return declared.endIndex <= loop.startIndex || declared.startIndex >= loop.endIndex;
}

function checkChannel(context: RuleContext, channel: ChannelVariable): void {
  if (channel.origin.kind === 'nil' || channel.writes.length > 0) return;
  const name = channel.declaration.name;
  const reported = new Set<number>();
  const report = (second: ChannelUse, messageKey: string, first: Node, firstMessageKey: string, values: Record<string, string | number> = {}) => {
    if (reported.has(second.node.id)) return;
    reported.add(second.node.id);
    context.report({
      at: second.node,
      messageKey,
      values: { name, line: context.lineNumber(first), ...values },
      related: [{ range: context.rangeOf(first), message: context.message(firstMessageKey, { name }) }],
    });
  };

  const closes = directCloses(channel);
  // Pairs of closes are compared: a channel closed in hundreds of places is generated or hostile code, where
  // the comparisons would take minutes; such code gets no finding rather than a stalled editor.
  if (closes.length > maxClosesCompared) return;
  for (const second of closes) {
    const first = closes.find((candidate) => candidate !== second && candidate.fn.id === second.fn.id && reachesAfter(candidate.node, second.node));
    if (first) report(second, 'twice', first.node, 'firstClose');
  }

  for (const close of closes) {
    const loop = enclosingLoop(close.node);
    const body = loop?.childForFieldName('body');
    if (!loop || !body || !isDeclaredOutside(channel, loop)) continue;
    if (runsUnconditionallyIn(close.node, body)) report(close, 'inLoop', loop, 'loopHere');
  }

  for (const deferred of deferredCloses(channel)) {
    const deferringFunction = deferred.deferStatement.parent?.parent?.parent;
    // Only a defer at the top of the function body surely runs at every return.
    if (!deferringFunction || deferringFunction.childForFieldName('body')?.id !== deferred.deferStatement.parent?.parent?.id) continue;
    for (const close of closes) {
      if (close.fn.id !== deferringFunction.id || close.node.startIndex < deferred.deferStatement.endIndex) continue;
      report(close, 'alsoDeferred', deferred.deferStatement, 'deferredClose');
    }
  }
}

export const doubleClose: Rule = {
  id: 'channel/double-close',
  category: 'channel',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Close',
  example: {
    before: [
      'defer close(results)',
      'for _, job := range jobs { results <- run(job) }',
      'close(results)',
    ].join('\n'),
    after: [
      'defer close(results)',
      'for _, job := range jobs { results <- run(job) }',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Channel closed twice',
      messages: {
        twice: '{name} is closed a second time here (first close on line {line}): this panics with "close of closed channel"',
        inLoop: '{name} is closed on every iteration of the loop on line {line}: the second iteration panics with "close of closed channel"',
        alsoDeferred: '{name} is closed here and again by the deferred close on line {line} when the function returns: this panics',
        firstClose: 'first close of {name}',
        loopHere: 'the loop that repeats the close',
        deferredClose: 'deferred close of {name} runs at return',
      },
      exampleComments: {
        before: 'panics when the function returns',
      },
      explanation: [
        'Closing a channel that is already closed **panics** at run time (`panic: close of closed channel`). Unlike a double `Close()` on a file, there is no error to ignore: the program crashes unless the panic is recovered.',
        '',
        'It usually happens when cleanup is written twice: once in a `defer` and once at the end of the body, or when a close sits inside a loop.',
        '',
        'Fix: close each channel exactly once, in the one goroutine that owns (sends on) it. Prefer a single `defer close(ch)` right after the channel is made; when several places may close, guard the close with `sync.Once`.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '通道被关闭两次',
      messages: {
        twice: '{name} 在此处被第二次关闭（第 {line} 行已关闭过）：运行时会 panic（close of closed channel）',
        inLoop: '{name} 在第 {line} 行的循环中每次迭代都会被关闭：第二次迭代时 panic（close of closed channel）',
        alsoDeferred: '{name} 在此处关闭后，函数返回时第 {line} 行的 defer 还会再关闭一次：运行时会 panic',
        firstClose: '{name} 第一次关闭的位置',
        loopHere: '重复执行关闭的循环',
        deferredClose: '{name} 的 defer 关闭在函数返回时执行',
      },
      exampleComments: {
        before: '函数返回时 panic',
      },
      explanation: [
        '关闭一个已经关闭的通道会在运行时 **panic**（`panic: close of closed channel`）。这和对文件重复调用 `Close()` 不同，没有可以忽略的错误返回值：除非被 recover，否则整个程序崩溃。',
        '',
        '常见原因是清理逻辑写了两遍：一次在 `defer` 中，一次在函数体末尾；或者 `close` 被放在了循环里。',
        '',
        '修复方法：每个通道只关闭一次，并由拥有它（向它发送数据）的那个 goroutine 关闭。最好在创建通道后紧接着写一个 `defer close(ch)`；如果确实有多个地方可能关闭，用 `sync.Once` 保护。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const fn of fileChannels(context).functions) {
      for (const channel of fn.channels) checkChannel(context, channel);
    }
  },
};
