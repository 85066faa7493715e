// goroutine/unbuffered-send-leak: a goroutine sends its one result on an
// unbuffered channel, and the parent can go on without receiving it (another
// select case wins, or an early return sits between `go` and the receive).
// The child then blocks on the send forever: a goroutine leak. Only channels
// whose every use is visible in the function are considered. The child may
// send in several places when they exclude each other (each send is the last
// thing the child does: `if err != nil { ch <- false; return }; ch <- true`).
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { followedOrSelf, siteInOwner, startingGoStatement, type FollowedUse } from '../../syntax/channelFlow';
import type { ChannelUse, ChannelVariable } from '../../syntax/channelVariables';
import { isFullyVisible } from '../../syntax/channelVariables';
import { contextNameAt } from '../../syntax/contextInScope';
import { enclosingLoop, indentationAt } from '../../syntax/executionOrder';
import { fileChannels, type FileChannels, type FunctionChannels } from '../../syntax/fileChannels';
import { failsTest, isTestFile } from '../../syntax/functionContext';
import { enclosingFunction } from '../../syntax/functions';
import { readsFunctions, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { bufferOfOneEdit } from '../../syntax/statementEdits';
import { nextStatement } from '../../syntax/statements';

interface Escape {
  /** Where the parent leaves without receiving: another select case, or a return. */
  node: Node;
  kind: 'otherCase' | 'earlyReturn';
}

function selectOf(receive: ChannelUse): Node | null {
  const receiveStatement = receive.node.parent;
  const communicationCase = receiveStatement?.parent;
  return communicationCase?.type === 'communication_case' ? communicationCase.parent : null;
}

function sameLoop(a: Node, b: Node): boolean {
  return (enclosingLoop(a)?.id ?? -1) === (enclosingLoop(b)?.id ?? -1);
}

function escapeWithoutReceive(channel: ChannelVariable, goStatement: Node, receive: ChannelUse): Escape | null {
  if (receive.operation === 'select-receive') {
    const select = selectOf(receive);
    if (!select || !sameLoop(select, goStatement)) return null;
    const caseOfReceive = receive.node.parent?.parent;
    // A case receiving what the same goroutine sends instead of this (`if err != nil { errs <- err } else { lines <- line }`)
    // cannot win while this send waits: it is not the way out, so it is not cited.
    const sentByChild = new Set(goStatement.descendantsOfType('send_statement').map((send) => send?.childForFieldName('channel')?.text));
    const other = select.namedChildren.find(
      (child) =>
        child !== null &&
        (child.type === 'communication_case' || child.type === 'default_case') &&
        child.id !== caseOfReceive?.id &&
        !sentByChild.has(receivedChannel(child)),
    );
    return other ? { node: other, kind: 'otherCase' } : null;
  }
  // A plain receive: look for a return of the parent between the go statement and it.
  const list = goStatement.parent;
  if (list?.type !== 'statement_list' || receive.node.startIndex < goStatement.endIndex) return null;
  if (receive.node.endIndex > list.endIndex) return null;
  const returns = list
    .descendantsOfType('return_statement')
    .filter(
      (node): node is Node =>
        node !== null && node.startIndex >= goStatement.endIndex && node.endIndex <= receive.node.startIndex && enclosingFunction(node)?.id === channel.owner.id,
    );
  return returns[0] ? { node: returns[0], kind: 'earlyReturn' } : null;
}

/** The channel a select case receives from, as written (`lines` in `case l := <-lines:`); undefined for a send or default case. */
function receivedChannel(selectCase: Node): string | undefined {
  const communication = selectCase.childForFieldName('communication');
  const receive = communication?.type === 'receive_statement' ? communication.childForFieldName('right') : communication;
  if (receive?.type !== 'unary_expression' || receive.childForFieldName('operator')?.text !== '<-') return undefined;
  return receive.childForFieldName('operand')?.text;
}

/** In a test, a competing case that fails it (t.Fatal, t.Error…): the goroutine leaks only from a run already failed. */
function failsTheTest(context: RuleContext, escape: Escape): boolean {
  return isTestFile(context.filePath) && escape.node.descendantsOfType('call_expression').some((call) => call !== null && failsTest(call));
}

function bufferFix(context: RuleContext, channel: ChannelVariable): Fix | null {
  if (channel.origin.kind !== 'make') return null;
  const edit = bufferOfOneEdit(context.lines, channel.origin.call);
  return edit ? { title: context.message('fixBuffer', { name: channel.declaration.name }), isPreferred: true, edits: [edit] } : null;
}

function selectFix(context: RuleContext, fn: FunctionChannels, send: ChannelUse): Fix | null {
  const ctx = contextNameAt(fn.names, send.node);
  if (!ctx) return null;
  const indent = indentationAt(context.text, send.node.startIndex);
  return {
    title: context.message('fixSelect', { ctx }),
    edits: [
      {
        range: context.rangeOf(send.node),
        newText: `select {\n${indent}case ${send.node.text}:\n${indent}case <-${ctx}.Done():\n${indent}}`,
      },
    ],
  };
}

/** True when only whitespace precedes the node on its line. */
function startsLine(text: string, node: Node): boolean {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, node.startIndex));
}

const stopName = 'done';

/**
 * Without a ctx: `done := make(chan struct{})` and `defer close(done)` before
 * the `go`, and the child's send in a select with `case <-done:`. Only when
 * the send is a statement of its own line in the literal, the `go` statement
 * one of the owner's own (not in a loop: one defer per run), and the names
 * `done`, `make` and `close` mean nothing else in the function.
 */
function stopChannelFix(context: RuleContext, fn: FunctionChannels, channel: ChannelVariable, send: ChannelUse, goStatement: Node): Fix | null {
  if (send.node.type !== 'send_statement' || send.node.parent?.type !== 'statement_list' || enclosingFunction(send.node.parent)?.id !== send.fn.id) return null;
  if (goStatement.parent?.type !== 'statement_list' || enclosingLoop(goStatement)) return null;
  if (!startsLine(context.text, send.node) || !startsLine(context.text, goStatement)) return null;
  if (fn.root.descendantsOfType('identifier').some((identifier) => identifier?.text === stopName)) return null;
  if (['make', 'close'].some((builtin) => fn.names.resolveNameAt(builtin, send.node) || fn.names.resolveNameAt(builtin, goStatement))) return null;
  const sendIndent = indentationAt(context.text, send.node.startIndex);
  const goIndent = indentationAt(context.text, goStatement.startIndex);
  const at = context.lines.positionAt(goStatement.startIndex);
  return {
    title: context.message('fixStopChannel', { function: context.functionName(channel.owner) }),
    edits: [
      { range: { start: at, end: at }, newText: `${stopName} := make(chan struct{})\n${goIndent}defer close(${stopName})\n${goIndent}` },
      {
        range: context.rangeOf(send.node),
        newText: `select {\n${sendIndent}case ${send.node.text}:\n${sendIndent}case <-${stopName}:\n${sendIndent}}`,
      },
    ],
  };
}

/**
 * True when nothing of the function runs after the statement: it is followed
 * by a `return`, or it ends its block and every `if`/`else` block around it
 * ends in turn, up to the function's body.
 */
function endsItsFunction(statement: Node, fn: Node): boolean {
  const body = fn.childForFieldName('body');
  for (let current: Node = statement; ; ) {
    const list = current.parent;
    if (list?.type !== 'statement_list') return false;
    const next = nextStatement(current);
    if (next) return next.type === 'return_statement';
    const block = list.parent;
    if (!block || block.type !== 'block') return false;
    if (block.id === body?.id) return true;
    let around = block.parent;
    // `else if` chains: the inner if is the alternative of the outer one.
    while (around?.type === 'if_statement' && around.parent?.type === 'if_statement' && around.parent.childForFieldName('alternative')?.id === around.id) around = around.parent;
    if (around?.type !== 'if_statement') return false;
    current = around;
  }
}

/**
 * The child's sends when at most one of them runs: one send, or several in
 * the same function (reached the same way) each of which ends that function.
 */
function exclusiveSends(sends: FollowedUse[]): FollowedUse[] | undefined {
  if (sends.length === 0 || sends.some((send) => send.operation !== 'send')) return undefined;
  if (sends.length === 1) return sends;
  const [first] = sends;
  const sameWay = sends.every((send) => send.fn.id === first.fn.id && (send.via?.call.id ?? -1) === (first.via?.call.id ?? -1));
  return sameWay && sends.every((send) => endsItsFunction(send.node, send.fn)) ? sends : undefined;
}

function checkChannel(context: RuleContext, file: FileChannels, fn: FunctionChannels, original: ChannelVariable): void {
  if (original.origin.kind !== 'make' || original.origin.buffered !== false) return;
  const channel = followedOrSelf(original, file);
  if (!isFullyVisible(channel)) return;
  const owner = channel.owner;
  const sends = exclusiveSends(channel.uses.filter((use) => use.operation === 'send' || use.operation === 'select-send'));
  const receives = channel.uses.filter((use) => use.operation === 'receive' || use.operation === 'select-receive' || use.operation === 'range');
  if (!sends || receives.length !== 1) return;
  const [send] = sends;
  const [receive] = receives;
  const goStatement = startingGoStatement(send, owner);
  if (!goStatement || receive.via || receive.fn.id !== owner.id) return;
  if (sends.some((each) => enclosingLoop(each.node)) || (send.via && enclosingLoop(send.via.call)) || receive.operation === 'range') return;
  // The sender is started once per channel: same loop as the make, or none.
  if (!sameLoop(goStatement, channel.declaration.identifier) || receive.node.startIndex < goStatement.endIndex) return;
  const escape = escapeWithoutReceive(channel, goStatement, receive);
  if (!escape) return;
  const name = channel.declaration.name;
  const callee = send.via ? context.functionName(send.via.callee) : '';
  const values = { name, callee, function: context.functionName(owner), line: context.lineNumber(escape.node) };
  // Through a call, the callee's send is shared with its other callers: only the owner's make is changed.
  const ctxFix = send.via || sends.length > 1 ? null : selectFix(context, fn, send);
  const stopFix = send.via || ctxFix || sends.length > 1 ? null : stopChannelFix(context, fn, channel, send, goStatement);
  const fixes = [bufferFix(context, channel), ctxFix, stopFix].filter((fix): fix is Fix => fix !== null);
  const related = [
    { range: context.rangeOf(escape.node), message: context.message(escape.kind === 'otherCase' ? 'relatedCase' : 'relatedReturn', values) },
    { range: context.rangeOf(original.origin.call), message: context.message('relatedMake', values) },
  ];
  if (send.via) related.unshift({ range: context.rangeOf(send.node), message: context.message('relatedCalleeSend', values) });
  context.report({ at: siteInOwner(send), messageKey: send.via ? `${escape.kind}Via` : escape.kind, values, related, fixes, severity: failsTheTest(context, escape) ? 'info' : undefined });
}

export const unbufferedSendLeak: Rule = {
  id: 'goroutine/unbuffered-send-leak',
  crossDeclarationReads: readsFunctions,
  category: 'goroutine',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Channel_types',
  example: {
    before: [
      'ch := make(chan result)',
      'go func() { ch <- fetch() }()',
      'select {',
      'case r := <-ch:',
      '\treturn r, nil',
      'case <-time.After(time.Second):',
      '\treturn result{}, errTimeout',
      '}',
    ].join('\n'),
    after: [
      'ch := make(chan result, 1)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Goroutine leak: unbuffered send nobody may receive',
      messages: {
        otherCase: 'this send on unbuffered {name} blocks forever when {function} takes the other select case (line {line}) instead of receiving: goroutine leak',
        earlyReturn: 'this send on unbuffered {name} blocks forever when {function} returns early (line {line}) before receiving: goroutine leak',
        otherCaseVia: 'the goroutine started here sends on unbuffered {name} in {callee} and blocks forever when {function} takes the other select case (line {line}) instead of receiving: goroutine leak',
        earlyReturnVia: 'the goroutine started here sends on unbuffered {name} in {callee} and blocks forever when {function} returns early (line {line}) before receiving: goroutine leak',
        relatedCalleeSend: '{callee} sends on {name} here',
        relatedCase: 'when this case fires, nobody receives from {name}',
        relatedReturn: 'returning here leaves the send on {name} blocked',
        relatedMake: '{name} is made without a buffer',
        fixBuffer: 'Give {name} a buffer of 1 so the send never blocks',
        fixSelect: 'Wrap the send in a select with <-{ctx}.Done()',
        fixStopChannel: 'Wrap the send in a select with a stop channel that {function} closes when it returns',
      },
      exampleComments: {
        before: 'leaks the goroutine on timeout',
      },
      explanation: [
        'A send on an **unbuffered** channel blocks until another goroutine receives. When the parent gives up waiting — a timeout or `ctx.Done()` case wins the `select`, or it returns on an error first — nobody will ever receive, so the child goroutine **blocks forever**: it waits in the channel\'s send queue (`sendq` of the runtime\'s `hchan`), which no receiver will ever take it from. It is never collected and keeps everything it references alive: a goroutine leak, one per call.',
        '',
        'Common fixes:',
        '- give the channel a buffer of 1: the child\'s single send always succeeds, and the channel is garbage-collected with the goroutine;',
        '- or make the child\'s send cancellable with a `select` on the parent\'s `ctx.Done()` (or a stop channel the parent closes with `defer`).',
        '',
        'To see the leak happen, run the package\'s tests with leak detection (`goinsight leaks`, or **Run Tests with Leak Detection** in the editor): Go 1.26\'s `goroutineleak` profile (`GOEXPERIMENT=goroutineleakprofile`) lists every goroutine blocked forever, at the operation it blocks on.',
        '',
        '**When it is deliberate.** In a test whose competing case fails it (`t.Fatal`), the goroutine leaks only from a run that has already failed, so it is only info. If the leak cannot happen for a reason the code does not show, write `//goinsight:ignore goroutine/unbuffered-send-leak reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: 'goroutine 泄漏：无缓冲通道的发送可能无人接收',
      messages: {
        otherCase: '当 {function} 选中另一个 select case（第 {line} 行）而没有接收时，这次向无缓冲通道 {name} 的发送会永久阻塞：goroutine 泄漏',
        earlyReturn: '当 {function} 在接收之前提前返回（第 {line} 行）时，这次向无缓冲通道 {name} 的发送会永久阻塞：goroutine 泄漏',
        otherCaseVia: '这里启动的 goroutine 在 {callee} 中向无缓冲通道 {name} 发送；当 {function} 选中另一个 select case（第 {line} 行）而没有接收时，它会永久阻塞：goroutine 泄漏',
        earlyReturnVia: '这里启动的 goroutine 在 {callee} 中向无缓冲通道 {name} 发送；当 {function} 在接收之前提前返回（第 {line} 行）时，它会永久阻塞：goroutine 泄漏',
        relatedCalleeSend: '{callee} 在这里向 {name} 发送',
        relatedCase: '这个 case 被选中时，没有人再从 {name} 接收',
        relatedReturn: '从这里返回后，向 {name} 的发送将一直阻塞',
        relatedMake: '{name} 创建时没有缓冲',
        fixBuffer: '给 {name} 设置容量为 1 的缓冲，使发送永不阻塞',
        fixSelect: '把发送包进带 <-{ctx}.Done() 的 select',
        fixStopChannel: '把发送包进 select，并加一个由 {function} 在返回时关闭的停止通道',
      },
      exampleComments: {
        before: '超时时 goroutine 泄漏',
      },
      explanation: [
        '向**无缓冲通道**发送数据会一直阻塞，直到另一个 goroutine 接收。如果父 goroutine 不再等待——`select` 中超时或 `ctx.Done()` 的 case 先就绪，或者因为错误提前返回——就再也没有人接收，子 goroutine 会**永久阻塞**。阻塞的 goroutine 挂在这个通道（运行时的 `hchan`）的发送等待队列 `sendq` 上，再也不会被唤醒，GC 也不会回收它，它引用的所有对象因此一直存活：这就是 goroutine 泄漏，每调用一次就泄漏一个。',
        '',
        '常见修复方法：',
        '- 给通道设置容量为 1 的缓冲：子 goroutine 唯一的一次发送总能成功，通道随 goroutine 一起被垃圾回收；',
        '- 或者让子 goroutine 的发送可以取消：用 `select` 同时等待父 goroutine 的 `ctx.Done()`（或一个由父 goroutine 用 `defer` 关闭的停止通道）。',
        '',
        '想在运行时确认这个泄漏，可以带泄漏检测运行这个包的测试（`goinsight leaks`，或编辑器中的“运行测试并检测 goroutine 泄漏”命令）：Go 1.26 的 `goroutineleak` profile（`GOEXPERIMENT=goroutineleakprofile`）会列出每个永久阻塞的 goroutine，并指出它阻塞在哪个操作上。',
        '',
        '**有意为之的情况。** 在测试中，如果与之竞争的 case 会让测试失败（`t.Fatal`），goroutine 只会在一次已经失败的运行里泄漏，因此只作为 info 报告。如果由于代码里看不出的原因泄漏不可能发生，可以在该行或上一行写 `//goinsight:ignore goroutine/unbuffered-send-leak 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    const file = fileChannels(context);
    for (const fn of file.functions) {
      for (const channel of fn.channels) checkChannel(context, file, fn, channel);
    }
  },
};
