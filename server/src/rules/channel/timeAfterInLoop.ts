// channel/time-after-in-loop: `case <-time.After(d):` in a select that runs
// in a loop creates a new timer on every iteration. Before Go 1.23 each timer
// stayed alive until it fired (memory grows with the event rate); since 1.23
// the garbage is collected, but the timeout still restarts whenever another
// case fires, so it is an idle timeout, not a deadline. That is usually the
// intent (info); it is a warning when a ticker or a default case can keep it
// from ever firing. Two quick fixes keep one meaning each: an idle timeout
// with one timer reset per event, or one deadline for the whole loop.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { callArguments, isPackageCall } from '../../syntax/calls';
import { enclosingLoop, indentationAt, isInfiniteLoop } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { descendantsSpelling, isInsideError } from '../../syntax/functions';
import { isGoOlderThan } from '../../syntax/goVersion';
import { importNames } from '../../syntax/imports';
import type { LocalNames } from '../../syntax/localNames';
import { followingStatements, isTerminating, statementsOf } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

/** The select a `<-time.After(…)` call is the communication of. */
function selectOfCase(call: Node): Node | null {
  let receive = call.parent;
  if (receive?.type !== 'unary_expression') return null;
  receive = receive.parent;
  if (receive?.type !== 'receive_statement') return null;
  const communicationCase = receive.parent;
  return communicationCase?.type === 'communication_case' ? communicationCase.parent : null;
}

/** The receive operand of a communication case (`<-x` in `case v := <-x:`), if it is one. */
function receivedFrom(communicationCase: Node): Node | null {
  const communication = communicationCase.childForFieldName('communication');
  const receive = communication?.type === 'receive_statement' ? communication.childForFieldName('right') : null;
  return receive?.type === 'unary_expression' && receive.childForFieldName('operator')?.text === '<-' ? receive.childForFieldName('operand') : null;
}

/**
 * What the other cases of the select do to the timeout: `none` when every one
 * leaves the loop (the timer is then only a sleep), `busy` when one can fire
 * again and again without waiting (a default, a ticker), so the timeout may
 * never expire, `event` when the timeout restarts with every event of
 * another case: an idle timeout.
 */
function otherCases(call: Node): 'none' | 'event' | 'busy' {
  const select = selectOfCase(call);
  const ownCase = call.parent?.parent?.parent;
  if (!select) return 'none';
  let answer: 'none' | 'event' | 'busy' = 'none';
  for (const child of select.namedChildren) {
    if (!child || child.id === ownCase?.id || (child.type !== 'communication_case' && child.type !== 'default_case')) continue;
    const statements = statementsOf(child);
    const last = statements[statements.length - 1];
    // `continue` and an unlabeled `break` (which only leaves the select) come back round.
    const loopsBack = !last || !isTerminating(last) || last.type === 'continue_statement' || (last.type === 'break_statement' && !last.namedChildren.some((c) => c?.type === 'label_name'));
    if (!loopsBack) continue;
    if (child.type === 'default_case') return 'busy';
    const channel = receivedFrom(child);
    // A context's Done channel fires once, and the loop must then stop some other way (its head checks ctx.Err()).
    if (channel && /\.Done\(\)$/.test(channel.text)) continue;
    if (channel && isTicker(channel)) return 'busy';
    answer = 'event';
  }
  return answer;
}

/** `ticker.C`, `time.Tick(d)`: a channel that fires on its own, periodically. */
function isTicker(channel: Node): boolean {
  if (channel.type === 'call_expression') return /^\w+\.Tick$/.test(channel.childForFieldName('function')?.text ?? '');
  return channel.type === 'selector_expression' && channel.childForFieldName('field')?.text === 'C' && /tick/i.test(channel.childForFieldName('operand')?.text ?? '');
}

/** True when the loop can run many times: `for {}` or `for cond {}`; a counted or ranged loop is bounded by its data. */
function isOpenEndedLoop(loop: Node): boolean {
  if (isInfiniteLoop(loop)) return true;
  return loop.type === 'for_statement' && !loop.namedChildren.some((child) => child?.type === 'for_clause' || child?.type === 'range_clause');
}

/** True when every path from the select to the next iteration returns first: the select runs at most once per call. */
function runsOncePerCall(select: Node, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  for (let current: Node | null = select; current && current.id !== body?.id; current = current.parent) {
    if (current.parent?.type !== 'statement_list') continue;
    for (const following of followingStatements(current)) {
      if (following.type === 'continue_statement' || following.type === 'break_statement') return false;
      if (isTerminating(following)) return true;
    }
  }
  return false;
}

function unusedName(root: Node): string | undefined {
  const used = new Set(root.descendantsOfType('identifier').map((node) => node?.text));
  return ['timer', 'timeout', 'deadline'].find((name) => !used.has(name));
}

/**
 * The two rewrites, each keeping one meaning: a single deadline for the whole
 * loop (the timer is made once and never restarted), or the idle timeout the
 * code has now (one timer, reset each time the select is entered). The reset
 * alone is exact only since Go 1.23, when Reset guarantees no stale tick.
 */
function hoistFixes(context: RuleContext, names: LocalNames, call: Node, select: Node, loop: Node): Fix[] {
  // Arguments must mean the same thing before the loop: no names declared inside it.
  const argumentNames = callArguments(call).flatMap((argument) => [argument, ...argument.descendantsOfType('identifier').filter((n): n is Node => n !== null)]);
  for (const identifier of argumentNames) {
    if (identifier.type !== 'identifier') continue;
    const declaration = names.resolve(identifier);
    if (declaration && declaration.identifier.startIndex >= loop.startIndex && declaration.identifier.endIndex <= loop.endIndex) return [];
  }
  const name = unusedName(names.root);
  const callee = call.childForFieldName('function')?.childForFieldName('operand')?.text;
  if (!name || !callee) return [];
  const statement = loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
  const indent = indentationAt(context.text, statement.startIndex);
  const at = context.lines.positionAt(statement.startIndex);
  const argumentsText = call.childForFieldName('arguments')?.text ?? '()';
  const hoist = { range: { start: at, end: at }, newText: `${name} := ${callee}.NewTimer${argumentsText}\n${indent}defer ${name}.Stop()\n${indent}` };
  const useTimer = { range: context.rangeOf(call), newText: `${name}.C` };
  const fixes: Fix[] = [{ title: context.message('fixDeadline', { name }), edits: [hoist, useTimer] }];
  if (!isGoOlderThan(context.goVersion, 23)) {
    const selectAt = context.lines.positionAt(select.startIndex);
    const reset = { range: { start: selectAt, end: selectAt }, newText: `${name}.Reset${argumentsText}\n${indentationAt(context.text, select.startIndex)}` };
    fixes.unshift({ title: context.message('fixIdle', { name }), edits: [hoist, reset, useTimer] });
  }
  return fixes;
}

export const timeAfterInLoop: Rule = {
  id: 'channel/time-after-in-loop',
  category: 'channel',
  defaultSeverity: 'info',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/time#After',
  example: {
    before: [
      'for {',
      '\tselect {',
      '\tcase msg := <-in:',
      '\t\thandle(msg)',
      '\tcase <-time.After(time.Minute):',
      '\t\treturn errTimeout',
      '\t}',
      '}',
    ].join('\n'),
    after: [
      'timer := time.NewTimer(time.Minute)',
      'defer timer.Stop()',
      'for {',
      '\tselect {',
      '\tcase msg := <-in:',
      '\t\thandle(msg)',
      '\tcase <-timer.C:',
      '\t\treturn errTimeout',
      '\t}',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'time.After in a select loop',
      messages: {
        leaks: 'time.After in a loop creates a new timer on every iteration; before Go 1.23 (go.mod says {version}) each one stays in memory until it fires',
        restarts: 'time.After in a loop creates a new timer on every iteration: the timeout restarts whenever another case fires, so it may never expire',
        idle: 'time.After in a loop is an idle timeout, restarted by every event: it fires only after a whole period without one',
        fixIdle: 'Keep an idle timeout: reset one timer per event ({name}.Reset before the select)',
        fixDeadline: 'One deadline for the whole loop ({name} := time.NewTimer before the loop, never reset)',
      },
      explanation: [
        '`time.After(d)` creates a new timer and returns its channel. Inside `for { select { … } }` every iteration creates another timer:',
        '',
        '- **when go.mod says a Go version below 1.23** (or with `GODEBUG=asynctimerchan=1`), whatever toolchain builds it, an unfired timer is not garbage-collected: each iteration leaks a timer (and its channel) until `d` elapses; a busy loop with a long timeout holds thousands of them;',
        '- **with every version** the timeout starts over on each iteration: it is an **idle timeout, restarted by every event**, and fires only after a whole period in which no other case fired. If you meant an overall deadline, this is a bug; if you meant an idle timeout ("give up after a minute of silence"), it is correct, and with go.mod at 1.23 or later costs only a timer per event.',
        '',
        'It is a real bug when another case can fire without waiting — a `default`, a ticker shorter than the timeout, a closed channel — because then the timeout never expires.',
        '',
        'Fix: create the timer once, outside the loop. For an overall deadline, never reset it (below); to keep the idle timeout, call `timer.Reset(d)` before each `select` (go.mod at 1.23 or later: before that, `Reset` alone may deliver a stale tick, so only the deadline fix is offered). When the idle timeout is deliberate and the garbage does not matter, silence it with `//goinsight:ignore channel/time-after-in-loop idle timeout` on the line.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '在 select 循环中使用 time.After',
      messages: {
        leaks: '循环中的 time.After 每次迭代都会创建一个新定时器；在 Go 1.23 之前（go.mod 中为 {version}），每个定时器在触发前都不会被回收',
        restarts: '循环中的 time.After 每次迭代都会创建一个新定时器：每当其他 case 被选中，超时就重新计时，可能永远不会超时',
        idle: '循环中的 time.After 是一个空闲超时，每来一个事件就重新计时：只有整整一个周期都没有事件时才会触发',
        fixIdle: '保留空闲超时：复用一个定时器，每个事件后重置（在 select 之前调用 {name}.Reset）',
        fixDeadline: '整个循环共用一个截止时间（在循环前 {name} := time.NewTimer，不再重置）',
      },
      explanation: [
        '`time.After(d)` 会创建一个新的定时器并返回它的通道。在 `for { select { … } }` 中，每次迭代都会再创建一个定时器：',
        '',
        '- **`go.mod` 中的 go 版本低于 1.23 时**（或设置了 `GODEBUG=asynctimerchan=1`），无论用哪个版本的工具链编译，未触发的定时器都不会被垃圾回收：每次迭代都会泄漏一个定时器（及其通道），直到 `d` 到期；一个繁忙的循环加上较长的超时会同时持有成千上万个定时器；',
        '- **所有版本中**，超时在每次迭代时都重新开始计时：这是一个**空闲超时，每来一个事件就重新计时**，只有在整整一个周期内其他 case 都没有被选中时才会触发。如果你想要的是整体截止时间，这就是 bug；如果你想要的正是空闲超时（“静默一分钟就放弃”），代码没有错；`go.mod` 为 1.23 及以上时，每个事件也只多花一个定时器。',
        '',
        '如果另一个 case 无需等待就能被选中——`default`、周期比超时还短的 ticker、已关闭的通道——超时就永远不会触发，这才是真正的 bug。',
        '',
        '修复方法：在循环外只创建一次定时器。若要整体截止时间，就不要重置它（见下例）；若要保留空闲超时，在每次 `select` 之前调用 `timer.Reset(d)`（需要 `go.mod` 为 1.23 及以上：在此之前单独调用 `Reset` 可能收到过期的触发，所以只提供截止时间这一种修复）。如果空闲超时是有意为之、多出的定时器也无关紧要，可以在该行加上 `//goinsight:ignore channel/time-after-in-loop 空闲超时` 来忽略。',
      ].join('\n'),
    },
  },
  check(context) {
    const imports = importNames(context.tree.rootNode);
    if (![...imports.values()].includes('time')) return;
    const facts = fileChannels(context);
    // Only declarations that spell `After` can call time.After, and the call's shape is checked before
    // its function's names are resolved (the costly part, needed only to rule out a shadowing local).
    const calls = descendantsSpelling(context.tree.rootNode, 'After', 'call_expression').filter((call) => isPackageCall(call, 'time', ['After'], imports, undefined) && !isInsideError(call));
    const sites = calls.flatMap((call) => {
      const names = facts.namesFor(call);
      if (!names || !isPackageCall(call, 'time', ['After'], imports, names)) return [];
      const select = selectOfCase(call);
      const loop = select ? enclosingLoop(select) : null;
      return select && loop && !runsOncePerCall(select, loop) ? [{ call, select, loop, names }] : [];
    });
    const leaks = isGoOlderThan(context.goVersion, 23);
    for (const site of sites) {
      // When every other case leaves the loop, the timer fires or the function ends: it is only a sleep.
      const others = otherCases(site.call);
      if (others === 'none') continue;
      // Since 1.23 only a loop that can turn without end restarts the timeout for long;
      // a bounded loop (for i := 0; i < n; i++) just gives each receive its own timeout.
      if (!leaks && !isOpenEndedLoop(site.loop)) continue;
      const alone = sites.filter((other) => other.loop.id === site.loop.id).length === 1;
      context.report({
        at: site.call,
        messageKey: leaks ? 'leaks' : others === 'busy' ? 'restarts' : 'idle',
        values: { version: context.goVersion ?? '' },
        // An idle timeout restarted by the very events it times is usually the intent (info);
        // a timeout that may never fire, or timers piling up before Go 1.23, is a warning.
        severity: leaks || others === 'busy' ? 'warning' : undefined,
        fixes: alone ? hoistFixes(context, site.names, site.call, site.select, site.loop) : [],
      });
    }
  },
};
