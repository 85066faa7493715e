// channel/busy-select and channel/single-case-select: two select shapes that
// are wrong or needlessly indirect. A loop whose only statement is a select
// with an empty `default` never blocks and spins a CPU core; a select with a
// single case and no default is just that channel operation.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { indentationAt, isInfiniteLoop } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { descendantsSpelling, isInsideError } from '../../syntax/functions';
import { breakTarget } from '../../syntax/loopExits';
import { statementsOf } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

function selects(context: RuleContext): Node[] {
  return descendantsSpelling(context.tree.rootNode, 'select', 'select_statement').filter((node) => !isInsideError(node) && !node.hasError);
}

function cases(select: Node, type: string): Node[] {
  return select.namedChildren.filter((child): child is Node => child?.type === type);
}

/** The channel a case communicates on: `ch` of `ch <- v`, `v := <-ch`, `<-ch`. */
function caseChannel(communication: Node): string | undefined {
  if (communication.type === 'send_statement') return communication.childForFieldName('channel')?.text;
  const received = communication.type === 'receive_statement' ? communication.childForFieldName('right') : communication.namedChild(0);
  return received?.type === 'unary_expression' && received.child(0)?.type === '<-' ? received.childForFieldName('operand')?.text : undefined;
}

/** The channels a select waits on, as code, in the locale's list style. */
function waitedChannels(select: Node, locale: RuleContext['locale']): string {
  const channels = new Set<string>();
  for (const communicationCase of cases(select, 'communication_case')) {
    const communication = communicationCase.childForFieldName('communication');
    const channel = communication ? caseChannel(communication) : undefined;
    if (channel) channels.add(`\`${channel.replace(/\s+/g, ' ')}\``);
  }
  return [...channels].join(locale === 'zh-cn' ? '、' : ', ');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function removeDefaultFix(context: RuleContext, select: Node, defaultCase: Node): Fix | null {
  const start = lineStart(context.text, defaultCase.startIndex);
  if (context.text.slice(start, defaultCase.startIndex).trim() !== '') return null;
  const nextLine = context.text.indexOf('\n', defaultCase.endIndex);
  if (nextLine < 0 || nextLine >= select.endIndex) return null;
  // A comment after `default:` describes the empty case and goes with it.
  if (!/^\s*(\/\/.*)?$/.test(context.text.slice(defaultCase.endIndex, nextLine))) return null;
  return { title: context.message('fixRemoveDefault'), isPreferred: true, edits: [{ range: context.lines.rangeOf(start, nextLine + 1), newText: '' }] };
}

export const busySelect: Rule = {
  id: 'channel/busy-select',
  category: 'channel',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Select_statements',
  example: {
    before: [
      'for {',
      '\tselect {',
      '\tcase msg := <-in:',
      '\t\thandle(msg)',
      '\tcase <-ctx.Done():',
      '\t\treturn',
      '\tdefault:',
      '\t}',
      '}',
    ].join('\n'),
    after: [
      'for {',
      '\tselect {',
      '\tcase msg := <-in:',
      '\t\thandle(msg)',
      '\tcase <-ctx.Done():',
      '\t\treturn',
      '\t}',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Busy loop: select with an empty default',
      messages: {
        busy: 'empty default in a looping select on {channels}: the loop never blocks and spins a CPU core at 100% while waiting',
        fixRemoveDefault: 'Remove the empty default so the select blocks until a case is ready',
      },
      explanation: [
        'A `select` with a `default` case never blocks: when no other case is ready, `default` runs at once. In `for { select { …; default: } }` with an empty `default`, the loop re-enters the select immediately, millions of times per second: **100% of a CPU core** is burnt doing nothing, and other goroutines get less time.',
        '',
        'Fix: remove the empty `default`; the `select` then sleeps until one of its channels is ready. (If the loop must do periodic work, add a `time.Ticker` case instead.)',
      ].join('\n'),
    },
    'zh-cn': {
      title: '忙等待：带空 default 的 select',
      messages: {
        busy: '循环中等待 {channels} 的 select 带有空的 default：循环永远不会阻塞，等待期间会让一个 CPU 核心空转到 100%',
        fixRemoveDefault: '删除空的 default，让 select 阻塞到某个 case 就绪',
      },
      explanation: [
        '带 `default` 的 `select` 永远不会阻塞：没有其他 case 就绪时立即执行 `default`。在 `for { select { …; default: } }` 中，如果 `default` 为空，循环会立即再次进入 select，每秒空转数百万次，白白占满**一个 CPU 核心**，还会挤占其他 goroutine 的运行时间。',
        '',
        '修复方法：删除空的 `default`，这样 `select` 会休眠直到某个通道就绪。（如果循环需要定期做事，改为添加一个 `time.Ticker` 的 case。）',
      ].join('\n'),
    },
  },
  check(context) {
    for (const select of selects(context)) {
      const [defaultCase, ...moreDefaults] = cases(select, 'default_case');
      if (!defaultCase || moreDefaults.length > 0 || cases(select, 'communication_case').length === 0) continue;
      if (defaultCase.namedChildren.some((child) => child !== null && child.type !== 'comment')) continue;
      // The select must be the loop's only statement: anything else in the body might block or sleep.
      const body = select.parent?.parent;
      const loop = body?.parent;
      if (body?.type !== 'block' || !loop || !isInfiniteLoop(loop) || statementsOf(body).length !== 1) continue;
      const fix = removeDefaultFix(context, select, defaultCase);
      context.report({ at: defaultCase.child(0) ?? defaultCase, messageKey: 'busy', values: { channels: waitedChannels(select, context.locale) }, fixes: fix ? [fix] : [] });
    }
  },
};

/** Names the case's communication declares with `:=`. */
function declaredNames(communication: Node): Node[] {
  if (communication.type !== 'receive_statement' || !communication.children.some((child) => child?.type === ':=')) return [];
  return communication.childForFieldName('left')?.namedChildren.filter((n): n is Node => n?.type === 'identifier') ?? [];
}

function plainOperationFix(context: RuleContext, select: Node, communicationCase: Node): Fix | null {
  const communication = communicationCase.childForFieldName('communication');
  if (!communication || select.parent?.type !== 'statement_list') return null;
  const list = communicationCase.namedChildren.find((child) => child?.type === 'statement_list') ?? null;
  // Comments outside the case body would be lost; a `break` would change target.
  const selectLine = context.lines.positionAt(select.startIndex).line;
  const comments = select.descendantsOfType('comment').filter((n): n is Node => n !== null);
  const headerComments = comments.filter((comment) => context.lines.positionAt(comment.startIndex).line === selectLine);
  const otherComments = comments.filter((comment) => !headerComments.includes(comment));
  if (otherComments.some((comment) => !list || comment.startIndex < list.startIndex || comment.endIndex > list.endIndex)) return null;
  if (list?.descendantsOfType('break_statement').some((node) => node !== null && breakTarget(node)?.id === select.id)) return null;
  // `case v := <-ch` becomes `v := <-ch` in the enclosing block: the name must be unused there.
  const enclosing = select.parent;
  for (const name of declaredNames(communication)) {
    const clash = enclosing
      .descendantsOfType('identifier')
      .some((node) => node !== null && node.text === name.text && (node.startIndex < select.startIndex || node.startIndex >= select.endIndex));
    if (clash) return null;
  }
  const indent = indentationAt(context.text, select.startIndex);
  // A comment on the `select {` line stays on the line of the operation.
  let newText = [communication.text, ...headerComments.map((comment) => comment.text)].join(' ');
  if (list) {
    const body = context.text.slice(list.startIndex, list.endIndex).trimEnd().split('\n').map((line, index) => (index === 0 ? line : line.replace(/^\t/, '')));
    newText += `\n${indent}${body.join('\n')}`;
  }
  return { title: context.message('fixPlain'), isPreferred: true, edits: [{ range: context.rangeOf(select), newText }] };
}

export const singleCaseSelect: Rule = {
  id: 'channel/single-case-select',
  category: 'channel',
  defaultSeverity: 'info',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Select_statements',
  example: {
    before: [
      'select {',
      'case v := <-results:',
      '\tuse(v)',
      '}',
    ].join('\n'),
    after: [
      'v := <-results',
      'use(v)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Select with a single case',
      messages: {
        single: 'select with a single case and no default: the plain {operation} does the same',
        fixPlain: 'Replace the select with the plain channel operation',
      },
      explanation: [
        'A `select` with one case and no `default` blocks until that one operation can proceed — exactly what the plain send or receive does. The `select` adds indentation and suggests a choice that does not exist (often a leftover from removing a timeout or cancellation case: check that the missing case is not needed). staticcheck reports the same shape as S1000.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '只有一个 case 的 select',
      messages: {
        single: '只有一个 case 且没有 default 的 select：直接写 {operation} 效果相同',
        fixPlain: '把 select 替换为直接的通道操作',
      },
      explanation: [
        '只有一个 case、没有 `default` 的 `select` 会一直阻塞到这个操作可以进行——和直接发送或接收完全一样。`select` 只会多一层缩进，还暗示存在实际上并不存在的选择（这常常是删掉超时或取消 case 后留下的：请确认缺少的那个 case 确实不需要）。`staticcheck` 也会把这种写法报告为 S1000。',
      ].join('\n'),
    },
  },
  check(context) {
    const facts = fileChannels(context);
    for (const select of selects(context)) {
      const communicationCases = cases(select, 'communication_case');
      if (communicationCases.length !== 1 || cases(select, 'default_case').length > 0 || !facts.namesFor(select)) continue;
      const fix = plainOperationFix(context, select, communicationCases[0]);
      const operation = communicationCases[0].childForFieldName('communication')?.text.replace(/\s+/g, ' ') ?? '';
      context.report({ at: select.child(0) ?? select, messageKey: 'single', values: { operation: `\`${operation}\`` }, fixes: fix ? [fix] : [] });
    }
  },
};
