// channel/send-after-close: a send on a channel after the same function closed
// it on the same path. The send panics ("send on closed channel"), also when
// it is a case of a select (a send case on a closed channel is always ready, so it can be chosen).
import { reachesAfter } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import type { Rule } from '../rule';
import { directCloses } from './closeSites';

export const sendAfterClose: Rule = {
  id: 'channel/send-after-close',
  category: 'channel',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Send_statements',
  example: {
    before: [
      'close(out)',
      'out <- summary   // {panics}',
    ].join('\n'),
    after: [
      'out <- summary',
      'close(out)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Send on a closed channel',
      messages: {
        sendAfterClose: 'send on {name} after it was closed on line {line}: this panics with "send on closed channel"',
        closedHere: '{name} is closed here',
      },
      exampleComments: {
        panics: 'panics',
      },
      explanation: [
        'A send on a closed channel **panics** (`panic: send on closed channel`), even when the send is one case of a `select`: a send case on a closed channel is always ready, so it can be chosen at any time (when several cases are ready, `select` picks one at random), and then it panics.',
        '',
        'Closing a channel means "no more values will be sent". Close only after the last send, from the sending side.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '向已关闭的通道发送数据',
      messages: {
        sendAfterClose: '{name} 已在第 {line} 行关闭，此处再向它发送数据：运行时会 panic（send on closed channel）',
        closedHere: '{name} 在此处关闭',
      },
      exampleComments: {
        panics: '此处 panic',
      },
      explanation: [
        '向已关闭的通道发送数据会 **panic**（`panic: send on closed channel`），即使这个发送是 `select` 的一个 case 也一样：向已关闭通道发送的 case 总是就绪的，随时可能被选中（多个 case 同时就绪时，`select` 随机挑一个），一旦选中就会 panic。',
        '',
        '关闭通道的含义是“不会再有值发送进来”。只能在最后一次发送之后，由发送方关闭通道。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const fn of fileChannels(context).functions) {
      for (const channel of fn.channels) {
        if (channel.origin.kind === 'nil' || channel.writes.length > 0) continue;
        const closes = directCloses(channel);
        for (const send of channel.uses) {
          if (send.operation !== 'send' && send.operation !== 'select-send') continue;
          const close = closes.find((candidate) => candidate.fn.id === send.fn.id && reachesAfter(candidate.node, send.node));
          if (!close) continue;
          context.report({
            at: send.node,
            messageKey: 'sendAfterClose',
            values: { name: channel.declaration.name, line: context.lineNumber(close.node) },
            related: [{ range: context.rangeOf(close.node), message: context.message('closedHere', { name: channel.declaration.name }) }],
          });
        }
      }
    }
  },
};
