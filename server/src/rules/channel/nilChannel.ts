// channel/close-nil and channel/nil-op: a channel variable declared with
// `var ch chan T` and never assigned stays nil for its whole life. Closing it
// panics; sending, receiving or ranging on it blocks forever; as a select case
// it can never fire. Any write to the variable (including through a closure or
// `&ch`) makes the rules stay quiet.
import type { ChannelVariable } from '../../syntax/channelVariables';
import { fileChannels } from '../../syntax/fileChannels';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

function neverMadeChannels(context: RuleContext): ChannelVariable[] {
  return fileChannels(context).functions.flatMap((fn) =>
    fn.channels.filter((channel) => channel.origin.kind === 'nil' && channel.writes.length === 0),
  );
}

function declaredHere(context: RuleContext, channel: ChannelVariable) {
  return [{ range: context.rangeOf(channel.declaration.declaringNode), message: context.message('declaredNil', { name: channel.declaration.name }) }];
}

export const closeNil: Rule = {
  id: 'channel/close-nil',
  category: 'channel',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Close',
  example: {
    before: [
      'var done chan struct{}',
      'defer close(done)   // {panicsAtReturn}',
    ].join('\n'),
    after: [
      'done := make(chan struct{})',
      'defer close(done)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Close of a nil channel',
      messages: {
        closeNil: '{name} is never made (declared nil and never assigned): closing it panics with "close of nil channel"',
        declaredNil: '{name} is declared here without make(...)',
      },
      exampleComments: {
        panicsAtReturn: 'panics at return',
      },
      explanation: [
        '`var ch chan T` declares a **nil** channel: no channel exists until `make(chan T)` is assigned. `close` on a nil channel **panics** (`panic: close of nil channel`).',
        '',
        'Fix: create the channel with `make` before it is used (or remove the close if the channel is not needed).',
      ].join('\n'),
    },
    'zh-cn': {
      title: '关闭 nil 通道',
      messages: {
        closeNil: '{name} 从未通过 make 创建（声明为 nil 且从未赋值）：关闭它会 panic（close of nil channel）',
        declaredNil: '{name} 在此处声明，但没有 make(...)',
      },
      exampleComments: {
        panicsAtReturn: '返回时 panic',
      },
      explanation: [
        '`var ch chan T` 声明的是一个 **nil** 通道：在把 `make(chan T)` 赋给它之前，通道并不存在。对 nil 通道调用 `close` 会 **panic**（`panic: close of nil channel`）。',
        '',
        '修复方法：在使用前用 `make` 创建通道（如果不需要这个通道，就去掉 close）。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const channel of neverMadeChannels(context)) {
      for (const use of channel.uses) {
        if (use.operation !== 'close') continue;
        context.report({ at: use.node, messageKey: 'closeNil', values: { name: channel.declaration.name }, related: declaredHere(context, channel) });
      }
    }
  },
};

const blockingKeys: Partial<Record<string, string>> = {
  send: 'sendNil',
  receive: 'receiveNil',
  range: 'rangeNil',
  'select-send': 'selectCaseNil',
  'select-receive': 'selectCaseNil',
};

export const nilOperation: Rule = {
  id: 'channel/nil-op',
  category: 'channel',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Channel_types',
  example: {
    before: [
      'var results chan int',
      'go produce(results)',
      'v := <-results   // {blocksForever}',
    ].join('\n'),
    after: [
      'results := make(chan int)',
      'go produce(results)',
      'v := <-results',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Operation on a nil channel',
      messages: {
        sendNil: 'send on {name}, which is never made (nil): blocks forever',
        receiveNil: 'receive from {name}, which is never made (nil): blocks forever',
        rangeNil: 'range over {name}, which is never made (nil): blocks forever',
        selectCaseNil: 'this select case on {name} can never fire: {name} is never made (nil)',
        declaredNil: '{name} is declared here without make(...)',
      },
      exampleComments: {
        blocksForever: 'blocks forever',
      },
      explanation: [
        'A channel declared with `var ch chan T` is **nil** until `make(chan T)` is assigned to it. On a nil channel, a send, a receive and a `range` **block forever**: the goroutine never continues (if it is the last one running, the runtime reports `all goroutines are asleep - deadlock!`; otherwise it silently leaks). In the runtime, a nil channel has no `hchan` and so no wait queue: the operation parks the goroutine (`gopark`) with nothing that could ever wake it.',
        '',
        'In a `select`, a case on a nil channel is never chosen. That is sometimes intended, to switch a case off by setting the channel variable to `nil` at run time; but a channel that is never assigned at all makes the case dead code.',
        '',
        'Fix: create the channel with `make` (and hand it to the other side), or delete the operation.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '对 nil 通道的操作',
      messages: {
        sendNil: '向 {name} 发送数据，但它从未通过 make 创建（nil）：永久阻塞',
        receiveNil: '从 {name} 接收数据，但它从未通过 make 创建（nil）：永久阻塞',
        rangeNil: 'range 遍历 {name}，但它从未通过 make 创建（nil）：永久阻塞',
        selectCaseNil: '这个 select case 永远不会被选中：{name} 从未通过 make 创建（nil）',
        declaredNil: '{name} 在此处声明，但没有 make(...)',
      },
      exampleComments: {
        blocksForever: '永久阻塞',
      },
      explanation: [
        '用 `var ch chan T` 声明的通道在赋值 `make(chan T)` 之前是 **nil**。对 nil 通道发送、接收或 `range` 都会**永久阻塞**：该 goroutine 再也不会继续执行（如果它是最后一个运行的 goroutine，运行时会报告 `all goroutines are asleep - deadlock!`；否则就悄无声息地造成 goroutine 泄漏）。在运行时层面，nil 通道背后没有 `hchan`，也就没有等待队列：这次操作直接调用 `gopark` 挂起 goroutine，之后再也没有谁能唤醒它。',
        '',
        '在 `select` 中，nil 通道上的 case 永远不会被选中。有时这是有意为之：在程序运行过程中把通道变量置为 `nil`，以**禁用** select 中的某个 case（注意不是 close）；但如果通道从未被赋值，这个 case 就成了永远不会执行的死代码。',
        '',
        '修复方法：用 `make` 创建通道（并把它交给另一方），或者删除这个操作。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const channel of neverMadeChannels(context)) {
      for (const use of channel.uses) {
        const messageKey = blockingKeys[use.operation];
        if (!messageKey) continue;
        context.report({ at: use.node, messageKey, values: { name: channel.declaration.name }, related: declaredHere(context, channel) });
      }
    }
  },
};
