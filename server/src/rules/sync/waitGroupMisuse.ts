// sync/waitgroup-misuse: two ways a wait defeats its purpose. `wg.Wait()`
// right after the one goroutine its loop iteration starts: each iteration
// waits for its own worker, so the workers run one at a time. And
// `cond.Wait()` outside any `for` loop: Wait may return while the condition
// is still false (a Broadcast, a Signal meant for another waiter), so the
// condition must be checked again after it. A WaitGroup is recognised by use
// (`Add`+`Done` or `Go` on the same receiver in the loop), a sync.Cond by the
// file's declaration of the field or variable, or `sync.NewCond` in the
// function. `wg.Add` inside the goroutine is goroutine/wg-add-inside. Info:
// over GOROOT and six large repositories every finding was in a test that
// does this on purpose (test/precision/file-rules-issue14.md).
import type { Node } from 'web-tree-sitter';
import { callArguments, methodCall } from '../../syntax/calls';
import { declaredValue } from '../../syntax/channelVariables';
import { enclosingLoop, runsUnconditionallyIn } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { descendantsSpelling, enclosingFunction, functionNodeTypes, ownDescendants } from '../../syntax/functions';
import { literalOfGoStatement } from '../../syntax/goroutines';
import type { LocalNames } from '../../syntax/localNames';
import { previousStatement } from '../../syntax/statements';
import { endsInDeclaredName, fileSyncNames } from '../../syntax/syncDeclarations';
import { readsTypesAndValues, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

interface WaitCall {
  call: Node;
  statement: Node;
  /** The receiver path without whitespace. */
  key: string;
  receiver: Node;
}

/** `X.Wait()` as a statement of its own in the function's own code. */
function waitCalls(fn: Node): WaitCall[] {
  const found: WaitCall[] = [];
  for (const statement of ownDescendants(fn, 'expression_statement')) {
    const call = statement.namedChild(0);
    if (call?.type !== 'call_expression' || callArguments(call).length !== 0) continue;
    const method = methodCall(call);
    if (method?.method === 'Wait') found.push({ call, statement, key: method.receiver.text.replace(/\s+/g, ''), receiver: method.receiver });
  }
  return found;
}

function callsOn(root: Node, key: string, method: string): Node[] {
  return root.descendantsOfType('call_expression').filter((call): call is Node => {
    const found = call ? methodCall(call) : undefined;
    return found !== undefined && found.method === method && found.receiver.text.replace(/\s+/g, '') === key;
  });
}

/**
 * The one goroutine start of the wait's loop iteration, right before the
 * wait: `go` after `key.Add` with `key.Done()` in the started literal, or
 * `key.Go(…)`. With two workers per iteration, or work of the parent between
 * the start and the wait, the iteration does run things concurrently.
 */
function startRightBefore(wait: WaitCall, loop: Node, fn: Node): Node | undefined {
  const inIteration = (node: Node) => node.endIndex <= wait.statement.startIndex && enclosingLoop(node)?.id === loop.id && enclosingFunction(node)?.id === fn.id;
  const starts = [...callsOn(loop, wait.key, 'Go').filter(inIteration), ...ownDescendants(fn, 'go_statement').filter(inIteration)];
  if (starts.length !== 1) return undefined;
  const [start] = starts;
  const startStatement = start.type === 'go_statement' ? start : start.parent;
  if (!startStatement || previousStatement(wait.statement)?.id !== startStatement.id) return undefined;
  if (start.type !== 'go_statement') return start;
  const literal = literalOfGoStatement(start);
  const counted = callsOn(loop, wait.key, 'Add').some(inIteration) && literal !== null && callsOn(literal, wait.key, 'Done').length > 0;
  return counted ? start : undefined;
}

/** True when the receiver names a sync.Cond: a declared field or package variable, or a local made by sync.NewCond. */
function isCond(wait: WaitCall, condNames: ReadonlySet<string>, names: LocalNames): boolean {
  if (wait.receiver.type === 'identifier') {
    const declaration = names.resolve(wait.receiver);
    if (declaration) return /^sync\.NewCond\(/.test(declaredValue(declaration)?.text ?? '') && names.writes(declaration).length === 0;
  }
  return endsInDeclaredName(wait.key, condNames);
}

function hasEnclosingFor(node: Node, fn: Node): boolean {
  for (let current = node.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type === 'for_statement') return true;
  }
  return false;
}

export const waitGroupMisuse: Rule = {
  id: 'sync/waitgroup-misuse',
  crossDeclarationReads: readsTypesAndValues,
  category: 'sync',
  defaultSeverity: 'info',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#WaitGroup',
  example: {
    before: [
      'for _, job := range jobs {',
      '\twg.Add(1)',
      '\tgo func() { defer wg.Done(); run(job) }()',
      '\twg.Wait()',
      '}',
      '',
      'c.mu.Lock()',
      'if len(c.queue) == 0 {',
      '\tc.cond.Wait()',
      '}',
    ].join('\n'),
    after: [
      'for _, job := range jobs {',
      '\twg.Add(1)',
      '\tgo func() { defer wg.Done(); run(job) }()',
      '}',
      'wg.Wait()',
      '',
      'c.mu.Lock()',
      'for len(c.queue) == 0 {',
      '\tc.cond.Wait()',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Wait that defeats its purpose',
      messages: {
        waitInLoop: '`{wg}.Wait()` runs in the same loop iteration that starts the goroutine on line {line}: each iteration waits for its own worker, so the workers run one at a time',
        startedHere: 'the goroutine this iteration waits for',
        condWithoutLoop: '`{cond}.Wait()` is not inside a `for` loop that checks the condition again: Wait can return while the condition is still false',
      },
      explanation: [
        'Two waits that do not do what they look like:',
        '',
        '- **`wg.Wait()` inside the loop that starts the workers.** The iteration starts one goroutine and then waits for it before the next iteration starts the next one: the work runs one goroutine at a time, with the cost of a goroutine each. Wait once, after the loop. (`wg.Add` inside the goroutine is a different mistake: goroutine/wg-add-inside.)',
        '- **`cond.Wait()` outside a `for` loop.** `Wait` returns after a `Signal` or `Broadcast`, which does not mean the condition holds: a `Broadcast` wakes every waiter, another goroutine may have taken the item first, and the signal may have been meant for someone else. The `sync.Cond` documentation asks to call `Wait` in a loop that re-checks the condition.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '等待没有起到应有的作用',
      messages: {
        waitInLoop: '`{wg}.Wait()` 与第 {line} 行启动的 goroutine 处在同一轮循环中：每一轮都要等自己的 worker 结束，结果这些 worker 只能一个接一个地运行',
        startedHere: '这一轮循环所等待的 goroutine',
        condWithoutLoop: '`{cond}.Wait()` 没有放在重新检查条件的 `for` 循环里：Wait 返回时条件可能仍不成立',
      },
      explanation: [
        '两种看似正确、实际不起作用的等待：',
        '',
        '- **在启动 worker 的循环里调用 `wg.Wait()`。** 每一轮启动一个 goroutine，随即等它结束，下一轮才启动下一个：工作实际上是串行的，还白白付出了创建 goroutine 的开销。应当在循环结束后只等待一次。（在 goroutine 内部调用 `wg.Add` 是另一种错误，见 goroutine/wg-add-inside。）',
        '- **不在 `for` 循环里调用 `cond.Wait()`。** `Wait` 在 `Signal` 或 `Broadcast` 之后返回，但这并不代表条件已经成立：`Broadcast` 会唤醒所有等待者，别的 goroutine 可能已先一步取走数据，这次唤醒也可能是发给别人的。`sync.Cond` 的文档要求在一个重新检查条件的循环中调用 `Wait`。',
      ].join('\n'),
    },
  },
  check(context: RuleContext) {
    const channels = fileChannels(context);
    const condNames = fileSyncNames(context.declarations, 'cond');
    for (const fn of descendantsSpelling(context.tree.rootNode, 'Wait', [...functionNodeTypes])) {
      const names = channels.namesFor(fn);
      if (!names || fn.hasError) continue;
      for (const wait of waitCalls(fn)) {
        const loop = enclosingLoop(wait.statement);
        const body = loop?.childForFieldName('body');
        const start = loop && body && runsUnconditionallyIn(wait.statement, body) ? startRightBefore(wait, loop, fn) : undefined;
        if (start) {
          context.report({
            at: wait.statement,
            messageKey: 'waitInLoop',
            values: { wg: wait.receiver.text, line: context.lineNumber(start) },
            related: [{ range: context.rangeOf(start), message: context.message('startedHere') }],
          });
        } else if (!hasEnclosingFor(wait.statement, fn) && isCond(wait, condNames, names)) {
          context.report({ at: wait.statement, messageKey: 'condWithoutLoop', values: { cond: wait.receiver.text } });
        }
      }
    }
  },
};
