// goroutine/wait-before-close: the fan-in deadlock. Workers send on an
// unbuffered channel; the parent calls wg.Wait() and only afterwards receives
// (then closes). The workers block on their sends, Wait never returns, and
// nobody ever reads. The quick fix moves Wait + close into their own goroutine.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { callArguments, methodCall } from '../../syntax/calls';
import { followedOrSelf, type FollowedUse, type PassedCall } from '../../syntax/channelFlow';
import { isFullyVisible, type ChannelVariable } from '../../syntax/channelVariables';
import { indentationAt } from '../../syntax/executionOrder';
import { fileChannels, type FileChannels } from '../../syntax/fileChannels';
import { enclosingFunction } from '../../syntax/functions';
import { goStatementOfLiteral } from '../../syntax/goroutines';
import { nextStatement } from '../../syntax/statements';
import { readsFunctions, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

/** The `wg.Wait()` statements of a function (own, expression statements). */
function waitStatements(owner: Node): { statement: Node; receiver: string }[] {
  const body = owner.childForFieldName('body');
  if (!body) return [];
  return body.descendantsOfType('expression_statement').flatMap((statement) => {
    if (!statement || enclosingFunction(statement)?.id !== owner.id) return [];
    const call = statement.namedChild(0);
    const method = call?.type === 'call_expression' ? methodCall(call) : undefined;
    if (!call || !method || method.method !== 'Wait' || callArguments(call).length > 0) return [];
    return [{ statement, receiver: method.receiver.text }];
  });
}

/** The go statement (or `wg.Go(...)` call) that starts the literal, for a WaitGroup named `receiver`. */
function workerStart(literal: Node, receiver: string): Node | null {
  const goStatement = goStatementOfLiteral(literal);
  if (goStatement) {
    return literal.text.includes(`${receiver}.Done()`) ? goStatement : null;
  }
  const call = literal.parent?.parent;
  const method = call?.type === 'call_expression' ? methodCall(call) : undefined;
  return method && method.method === 'Go' && method.receiver.text === receiver ? call ?? null : null;
}

function doneBeforeSend(literal: Node, send: Node, receiver: string): boolean {
  const body = literal.childForFieldName('body');
  if (!body) return false;
  return body.descendantsOfType('call_expression').some((call) => {
    if (!call || call.startIndex > send.startIndex || call.parent?.type === 'defer_statement') return false;
    const method = methodCall(call);
    return method?.method === 'Done' && method.receiver.text === receiver;
  });
}

function separateGoroutineFix(context: RuleContext, wait: Node, close: Node): Fix {
  const indent = indentationAt(context.text, wait.startIndex);
  // Re-indent the original text (comments between the two statements included) one level deeper.
  const original = context.text.slice(wait.startIndex, close.endIndex).replace(/\n/g, '\n\t');
  return {
    title: context.message('fixSeparate'),
    isPreferred: true,
    edits: [
      {
        range: context.lines.rangeOf(wait.startIndex, close.endIndex),
        newText: `go func() {\n${indent}\t${original}\n${indent}}()`,
      },
    ],
  };
}

interface Worker {
  /** The go statement (or `wg.Go(...)` call) that starts the worker. */
  start: Node;
  /** Whether it calls Done before the send (then Wait returns first). */
  doneFirst: boolean;
}

/** `go worker(ch, &wg)`: the callee's parameter that receives `&wg` / `wg`, by name. */
function waitGroupParameter(via: PassedCall, receiver: string): string | undefined {
  const args = callArguments(via.call);
  const index = args.findIndex((arg) => arg.text === receiver || arg.text === `&${receiver}`);
  if (index < 0) return undefined;
  const list = via.callee.childForFieldName('parameters');
  const names = (list?.namedChildren ?? []).flatMap((declaration) =>
    declaration?.type === 'parameter_declaration' ? declaration.childrenForFieldName('name').filter((name): name is Node => name !== null) : [],
  );
  return names.length === args.length ? names[index]?.text : undefined;
}

/** The worker a send runs in, for the WaitGroup named `receiver`; null when it is not a worker that Wait waits for. */
function workerOf(send: FollowedUse, receiver: string): Worker | null {
  if (!send.via) {
    if (send.fn.type !== 'func_literal') return null;
    const start = workerStart(send.fn, receiver);
    return start ? { start, doneFirst: doneBeforeSend(send.fn, send.node, receiver) } : null;
  }
  const via = send.via;
  if (via.literal) {
    // go func() { defer wg.Done(); worker(ch) }()
    const start = workerStart(via.literal, receiver);
    return start ? { start, doneFirst: doneBeforeSend(via.literal, via.call, receiver) } : null;
  }
  // go worker(ch, &wg): the callee calls Done on its own parameter.
  const parameter = waitGroupParameter(via, receiver);
  if (!via.goStatement || !parameter || !via.callee.text.includes(`${parameter}.Done()`)) return null;
  return { start: via.goStatement, doneFirst: doneBeforeSend(via.callee, send.node, parameter) };
}

function checkChannel(context: RuleContext, file: FileChannels, original: ChannelVariable): void {
  if (original.origin.kind !== 'make' || original.origin.buffered !== false) return;
  const channel = followedOrSelf(original, file);
  if (!isFullyVisible(channel)) return;
  const owner = channel.owner;
  const sends = channel.uses.filter((use) => use.operation === 'send' || use.operation === 'select-send');
  const receives = channel.uses.filter((use) => use.operation === 'receive' || use.operation === 'select-receive' || use.operation === 'range');
  if (sends.length === 0 || receives.length === 0) return;
  if (receives.some((use) => use.via || use.fn.id !== owner.id) || sends.some((use) => use.operation !== 'send')) return;
  for (const wait of waitStatements(owner)) {
    const workers = sends.map((send) => workerOf(send, wait.receiver));
    // A worker that calls Done before it sends lets Wait return first: no deadlock.
    if (workers.some((worker) => worker?.doneFirst)) continue;
    if (workers.some((worker) => !worker || enclosingFunction(worker.start)?.id !== owner.id || worker.start.startIndex > wait.statement.startIndex)) continue;
    if (receives.some((receive) => receive.node.startIndex < wait.statement.endIndex)) continue;
    const closeUse = channel.uses.find((use) => use.operation === 'close' && !use.via && use.fn.id === owner.id);
    const closeStatement = closeUse?.node.parent?.type === 'expression_statement' ? closeUse.node.parent : null;
    const fix = closeStatement && nextStatement(wait.statement)?.id === closeStatement.id ? separateGoroutineFix(context, wait.statement, closeStatement) : null;
    const name = channel.declaration.name;
    context.report({
      at: wait.statement,
      messageKey: 'deadlock',
      values: { name, wg: wait.receiver, line: context.lineNumber(receives[0].node) },
      related: [
        { range: context.rangeOf(sends[0].node), message: context.message('workerSend', { name }) },
        { range: context.rangeOf(receives[0].node), message: context.message('receiveAfter', { name }) },
      ],
      fixes: fix ? [fix] : [],
    });
    return;
  }
}

export const waitBeforeClose: Rule = {
  id: 'goroutine/wait-before-close',
  crossDeclarationReads: readsFunctions,
  category: 'goroutine',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/blog/pipelines',
  example: {
    before: [
      'wg.Wait()',
      'close(results)',
      'for r := range results {',
      '\tcollect(r)',
      '}',
    ].join('\n'),
    after: [
      'go func() {',
      '\twg.Wait()',
      '\tclose(results)',
      '}()',
      'for r := range results {',
      '\tcollect(r)',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Wait before draining: fan-in deadlock',
      messages: {
        deadlock: '{wg}.Wait() blocks forever: the workers block sending on unbuffered {name}, which is only received after Wait (line {line})',
        workerSend: 'a worker blocks here until someone receives from {name}',
        receiveAfter: '{name} is first received here, after Wait returns',
        fixSeparate: 'Wait and close in a separate goroutine',
      },
      explanation: [
        'Each worker\'s send on an **unbuffered** channel blocks until the receiver takes the value. Here the receiver first waits for all workers (`wg.Wait()`) and only then starts receiving. The workers never finish their sends, so `Done` is never called, `Wait` never returns: a **deadlock** (`all goroutines are asleep - deadlock!`, or a silent hang in a server).',
        '',
        'Fix: wait and close in a separate goroutine, so the receiving loop runs while the workers send and ends when the channel is closed.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '先 Wait 后接收：扇入死锁',
      messages: {
        deadlock: '{wg}.Wait() 会永久阻塞：工作 goroutine 在向无缓冲通道 {name} 发送时阻塞，而 {name} 只在 Wait 之后（第 {line} 行）才被接收',
        workerSend: '工作 goroutine 会阻塞在这里，直到有人从 {name} 接收',
        receiveAfter: 'Wait 返回后才第一次从 {name} 接收',
        fixSeparate: '在单独的 goroutine 中 Wait 并关闭通道',
      },
      explanation: [
        '每个工作 goroutine 向**无缓冲通道**发送时都会阻塞，直到接收方取走数据。而这里接收方先等待所有工作 goroutine 结束（`wg.Wait()`），之后才开始接收。工作 goroutine 的发送永远完成不了，`Done` 永远不会被调用，`Wait` 也永远不会返回：这就是**死锁**（`all goroutines are asleep - deadlock!`，在服务器里则是悄无声息地挂起）。',
        '',
        '修复方法：在单独的 goroutine 中等待并关闭通道，这样接收循环可以与工作 goroutine 的发送同时进行，并在通道关闭时结束。',
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
