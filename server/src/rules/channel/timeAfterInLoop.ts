// channel/time-after-in-loop: `case <-time.After(d):` in a select that runs
// in a loop creates a new timer on every iteration. Before Go 1.23 each timer
// stayed alive until it fired (memory grows with the event rate); since 1.23
// the garbage is collected, but the timeout still restarts whenever another
// case fires, so it is an idle timeout, not a deadline. The quick fix hoists a
// single time.NewTimer out of the loop (one deadline for the whole loop).
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { callArguments, isPackageCall } from '../../syntax/calls';
import { enclosingLoop, indentationAt, isInfiniteLoop } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { descendantsSpelling, isInsideError } from '../../syntax/functions';
import { isGoOlderThan } from '../../syntax/goVersion';
import { importNames } from '../../syntax/imports';
import type { LocalNames } from '../../syntax/localNames';
import { isTerminating, statementsOf } from '../../syntax/statements';
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

/** True when some other case of the select ends without leaving the loop, so the timer is created again. */
function anotherCaseLoopsBack(call: Node): boolean {
  const select = selectOfCase(call);
  const ownCase = call.parent?.parent?.parent;
  if (!select) return false;
  return select.namedChildren.some((child) => {
    if (!child || child.id === ownCase?.id || (child.type !== 'communication_case' && child.type !== 'default_case')) return false;
    const statements = statementsOf(child);
    const last = statements[statements.length - 1];
    // `continue` and an unlabeled `break` (which only leaves the select) come back round.
    const loopsBack = !last || !isTerminating(last) || last.type === 'continue_statement' || (last.type === 'break_statement' && !last.namedChildren.some((c) => c?.type === 'label_name'));
    return loopsBack;
  });
}

function unusedName(root: Node): string | undefined {
  const used = new Set(root.descendantsOfType('identifier').map((node) => node?.text));
  return ['timer', 'timeout', 'deadline'].find((name) => !used.has(name));
}

function hoistFix(context: RuleContext, names: LocalNames, call: Node, loop: Node): Fix | null {
  // Arguments must mean the same thing before the loop: no names declared inside it.
  const argumentNames = callArguments(call).flatMap((argument) => [argument, ...argument.descendantsOfType('identifier').filter((n): n is Node => n !== null)]);
  for (const identifier of argumentNames) {
    if (identifier.type !== 'identifier') continue;
    const declaration = names.resolve(identifier);
    if (declaration && declaration.identifier.startIndex >= loop.startIndex && declaration.identifier.endIndex <= loop.endIndex) return null;
  }
  const name = unusedName(names.root);
  const callee = call.childForFieldName('function')?.childForFieldName('operand')?.text;
  if (!name || !callee) return null;
  const statement = loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
  const indent = indentationAt(context.text, statement.startIndex);
  const at = context.lines.positionAt(statement.startIndex);
  const argumentsText = call.childForFieldName('arguments')?.text ?? '()';
  return {
    title: context.message('fixHoist', { name }),
    edits: [
      { range: { start: at, end: at }, newText: `${name} := ${callee}.NewTimer${argumentsText}\n${indent}defer ${name}.Stop()\n${indent}` },
      { range: context.rangeOf(call), newText: `${name}.C` },
    ],
  };
}

export const timeAfterInLoop: Rule = {
  id: 'channel/time-after-in-loop',
  category: 'channel',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/time#After',
  text: {
    en: {
      title: 'time.After in a select loop',
      messages: {
        leaks: 'time.After in a loop creates a new timer on every iteration; before Go 1.23 (go.mod says {version}) each one stays in memory until it fires',
        restarts: 'time.After in a loop creates a new timer on every iteration: the timeout restarts whenever another case fires, so it may never expire',
        fixHoist: 'Hoist one timer out of the loop ({name} := time.NewTimer, one deadline for the whole loop)',
      },
      explanation: [
        '`time.After(d)` creates a new timer and returns its channel. Inside `for { select { … } }` every iteration creates another timer:',
        '',
        '- **before Go 1.23** an unfired timer is not garbage-collected: each iteration leaks a timer (and its channel) until `d` elapses; a busy loop with a long timeout holds thousands of them;',
        '- **with every version** the timeout starts over on each iteration, so as long as other cases keep firing it never expires. If you meant an overall deadline, this is a bug; if you meant an idle timeout, reuse one timer and `Reset` it.',
        '',
        'Fix: create the timer once, outside the loop.',
        '',
        '```go',
        '// before',
        'for {',
        '\tselect {',
        '\tcase msg := <-in:',
        '\t\thandle(msg)',
        '\tcase <-time.After(time.Minute):',
        '\t\treturn errTimeout',
        '\t}',
        '}',
        '',
        '// after',
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
        '```',
      ].join('\n'),
    },
    'zh-cn': {
      title: '在 select 循环中使用 time.After',
      messages: {
        leaks: '循环中的 time.After 每次迭代都会创建一个新定时器；在 Go 1.23 之前（go.mod 中为 {version}），每个定时器在触发前都不会被回收',
        restarts: '循环中的 time.After 每次迭代都会创建一个新定时器：每当其他 case 被选中，超时就重新计时，可能永远不会超时',
        fixHoist: '把一个定时器提到循环外（{name} := time.NewTimer，整个循环共用一个截止时间）',
      },
      explanation: [
        '`time.After(d)` 会创建一个新的定时器并返回它的通道。在 `for { select { … } }` 中，每次迭代都会再创建一个定时器：',
        '',
        '- **Go 1.23 之前**，未触发的定时器不会被垃圾回收：每次迭代都会泄漏一个定时器（及其通道），直到 `d` 到期；一个繁忙的循环加上较长的超时会同时持有成千上万个定时器；',
        '- **所有版本中**，超时在每次迭代时都重新开始计时，只要其他 case 不断被选中，它就永远不会超时。如果你想要的是整体截止时间，这就是 bug；如果你想要的是空闲超时，请复用一个定时器并调用 `Reset`。',
        '',
        '修复方法：在循环外只创建一次定时器。',
        '',
        '```go',
        '// 修改前',
        'for {',
        '\tselect {',
        '\tcase msg := <-in:',
        '\t\thandle(msg)',
        '\tcase <-time.After(time.Minute):',
        '\t\treturn errTimeout',
        '\t}',
        '}',
        '',
        '// 修改后',
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
        '```',
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
      return loop ? [{ call, loop, names }] : [];
    });
    const leaks = isGoOlderThan(context.goVersion, 23);
    for (const site of sites) {
      // Since 1.23 only an endless loop whose other cases come back round can keep restarting the timeout;
      // a bounded loop (for i := 0; i < n; i++) just gives each receive its own timeout.
      if (!leaks && (!isInfiniteLoop(site.loop) || !anotherCaseLoopsBack(site.call))) continue;
      const alone = sites.filter((other) => other.loop.id === site.loop.id).length === 1;
      const fix = alone ? hoistFix(context, site.names, site.call, site.loop) : null;
      context.report({
        at: site.call,
        messageKey: leaks ? 'leaks' : 'restarts',
        values: { version: context.goVersion ?? '' },
        fixes: fix ? [fix] : [],
      });
    }
  },
};
