// defer/order-hazard: deferred calls run last-in first-out, which undoes what
// was meant for a few well-known pairs (the earlier defer runs later):
//  - `defer w.Flush()` (or w.Close()) then `defer f.Close()` where w writes to
//    f: the file is closed first and the buffered data is lost;
//  - `defer cancel()` then `defer wg.Wait()` while goroutines wait for ctx:
//    Wait runs first, before the cancel that would stop them (deadlock);
//  - `mu.Lock(); defer mu.Unlock()` then a deferred literal that locks mu
//    while it is still held (not after unlocking it first): it runs first,
//    while mu is still held (deadlock).
// The fix swaps the two defers when nothing between them depends on them.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { callArguments, methodCall } from '../../syntax/calls';
import { deferSites, type DeferSite } from '../../syntax/defers';
import { enclosingLoop } from '../../syntax/executionOrder';
import { enclosingFunction, ownDescendants } from '../../syntax/functions';
import { LocalNamesCache, type LocalDeclaration, type LocalNames } from '../../syntax/localNames';
import { previousStatement } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { deferredCallText } from './deferOrder';

type HazardKey = 'writerAfterFile' | 'cancelAfterWait' | 'relockWhileHeld';

/** The call that initialised a variable, and the position of the variable among the names declared. */
function initializer(declaration: LocalDeclaration): { call: Node; index: number } | undefined {
  const node = declaration.declaringNode;
  if (node.type !== 'short_var_declaration' && node.type !== 'var_spec') return undefined;
  const left = node.type === 'var_spec' ? node.childrenForFieldName('name') : (node.childForFieldName('left')?.namedChildren ?? []);
  const index = left.findIndex((name) => name?.id === declaration.identifier.id);
  const value = node.childForFieldName(node.type === 'var_spec' ? 'value' : 'right')?.namedChild(0);
  return value?.type === 'call_expression' && index >= 0 ? { call: value, index } : undefined;
}

function resolveIdentifier(node: Node | null | undefined, names: LocalNames): LocalDeclaration | undefined {
  return node?.type === 'identifier' ? names.resolve(node) : undefined;
}

function calleeField(call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  return callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
}

/** `defer w.Flush()`/`w.Close()` registered before `defer f.Close()` where `w := pkg.NewWriter…(f…)`. */
function writerAfterFile(earlier: DeferSite, later: DeferSite, names: LocalNames): boolean {
  const writerCall = methodCall(earlier.call);
  const fileCall = methodCall(later.call);
  if (!writerCall || !fileCall || !['Flush', 'Close'].includes(writerCall.method) || fileCall.method !== 'Close') return false;
  const writer = resolveIdentifier(writerCall.receiver, names);
  const file = resolveIdentifier(fileCall.receiver, names);
  const made = writer ? initializer(writer) : undefined;
  if (!writer || !file || !made || made.index !== 0 || !/^New(Writer|Encoder)/.test(calleeField(made.call) ?? '')) return false;
  return callArguments(made.call).some((argument) => resolveIdentifier(argument, names) === file);
}

function isWaitGroup(declaration: LocalDeclaration): boolean {
  const node = declaration.declaringNode;
  if (node.type === 'var_spec') return node.childForFieldName('type')?.text === 'sync.WaitGroup';
  if (node.type !== 'short_var_declaration') return false;
  const value = node.childForFieldName('right')?.text.replace(/\s+/g, '') ?? '';
  return ['&sync.WaitGroup{}', 'new(sync.WaitGroup)', 'sync.WaitGroup{}'].includes(value);
}

/** `defer cancel()` registered before `defer wg.Wait()`, with goroutines that use the cancelled context. */
function cancelAfterWait(earlier: DeferSite, later: DeferSite, names: LocalNames): boolean {
  const callee = earlier.call.childForFieldName('function');
  const cancel = resolveIdentifier(callee, names);
  const made = cancel ? initializer(cancel) : undefined;
  if (!cancel || !made || made.index !== 1 || callArguments(earlier.call).length > 0) return false;
  if (!/^context\.With(Cancel|Timeout|Deadline|CancelCause|TimeoutCause|DeadlineCause)$/.test(made.call.childForFieldName('function')?.text ?? '')) {
    return false;
  }
  const wait = methodCall(later.call);
  const group = wait?.method === 'Wait' ? resolveIdentifier(wait.receiver, names) : undefined;
  if (!group || !isWaitGroup(group)) return false;
  const contextName = made.call.parent?.parent?.childForFieldName('left')?.namedChild(0);
  const contextDeclaration = resolveIdentifier(contextName, names);
  if (!contextDeclaration) return false;
  // Some goroutine of this function must read the context (that is what makes it wait for cancel).
  return ownDescendants(earlier.fn, 'go_statement').some((statement) =>
    statement.descendantsOfType('identifier').some((identifier) => identifier !== null && names.resolve(identifier) === contextDeclaration),
  );
}

/** `mu.Lock(); defer mu.Unlock()` registered before a deferred literal that locks mu again. */
function relockWhileHeld(earlier: DeferSite, later: DeferSite): string | undefined {
  const unlock = methodCall(earlier.call);
  if (unlock?.method !== 'Unlock') return undefined;
  const mutex = unlock.receiver.text.replace(/\s+/g, '');
  const lockStatement = previousStatement(earlier.statement);
  const lock = lockStatement?.type === 'expression_statement' && lockStatement.namedChild(0)?.type === 'call_expression'
    ? methodCall(lockStatement.namedChild(0) as Node)
    : undefined;
  if (lock?.method !== 'Lock' || lock.receiver.text.replace(/\s+/g, '') !== mutex) return undefined;
  const literal = later.call.childForFieldName('function');
  if (literal?.type !== 'func_literal') return undefined;
  // Follow the lock state through the literal in source order: it starts held,
  // so an unlock first (unlock, work, lock again) is balanced; a lock while held deadlocks.
  let held = true;
  for (const call of ownDescendants(literal, 'call_expression').sort((a, b) => a.startIndex - b.startIndex)) {
    const parsed = methodCall(call);
    if (!parsed || parsed.receiver.text.replace(/\s+/g, '') !== mutex) continue;
    if (parsed.method === 'Unlock' || parsed.method === 'RUnlock') held = false;
    else if (parsed.method === 'Lock' || parsed.method === 'RLock') {
      if (held) return mutex;
      held = true;
    }
  }
  return undefined;
}

const jumpTypes = ['return_statement', 'goto_statement', 'break_statement', 'continue_statement', 'defer_statement'];

function swapFix(context: RuleContext, earlier: DeferSite, later: DeferSite, names: LocalNames): Fix | undefined {
  if (earlier.statement.parent?.id !== later.statement.parent?.id) return undefined;
  const start = earlier.statement.endIndex;
  const end = later.statement.startIndex;
  const between = (node: Node) => node.startIndex >= start && node.endIndex <= end;
  const fnBody = earlier.fn.childForFieldName('body');
  if (!fnBody) return undefined;
  const jumps = fnBody
    .descendantsOfType(jumpTypes)
    .some((node) => node !== null && between(node) && enclosingFunction(node)?.id === earlier.fn.id);
  if (jumps) return undefined;
  // Moving a defer moves the moment its function value and arguments are evaluated.
  for (const site of [earlier, later]) {
    for (const identifier of site.call.descendantsOfType('identifier')) {
      const declaration = identifier ? names.resolve(identifier) : undefined;
      if (!declaration) continue;
      if (declaration.visibleFrom > earlier.statement.startIndex && site === later) return undefined;
      if (names.writes(declaration).some((write) => between(write.identifier))) return undefined;
    }
  }
  return {
    title: context.message('fixSwap'),
    isPreferred: true,
    edits: [
      { range: context.rangeOf(earlier.statement), newText: later.statement.text },
      { range: context.rangeOf(later.statement), newText: earlier.statement.text },
    ],
  };
}

export const deferOrderHazard: Rule = {
  id: 'defer/order-hazard',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Defer_statements',
  example: {
    before: [
      'w := bufio.NewWriter(f)',
      'defer w.Flush()',
      'defer f.Close()',
    ].join('\n'),
    after: [
      'w := bufio.NewWriter(f)',
      'defer f.Close()',
      'defer w.Flush()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Deferred calls run in an order that undoes their purpose',
      messages: {
        writerAfterFile: '`{later}` (line {laterLine}) runs before `{earlier}` (line {earlierLine}): the file is closed before the writer is flushed, and the buffered data is lost',
        cancelAfterWait: '`{later}` (line {laterLine}) runs before `{earlier}` (line {earlierLine}): Wait blocks on goroutines that stop only when the context is cancelled (deadlock)',
        relockWhileHeld: '`{later}` (line {laterLine}) runs before `{earlier}` (line {earlierLine}): it locks `{mutex}` while this function still holds it (deadlock)',
        runsSecond: 'registered first, so it runs after line {laterLine}',
        fixSwap: 'Swap the two defer statements',
      },
      exampleComments: {
        before: 'f.Close() runs first, then w.Flush() fails',
      },
      explanation: [
        'Deferred calls run **last in, first out**: the `defer` written later runs earlier. For cleanups that depend on each other, writing them in the order they should happen produces the opposite order:',
        '',
        '- a buffered or compressing writer must be flushed/closed *before* the file under it is closed; if the writer\'s defer comes first it runs last, writing into a closed file;',
        '- `cancel()` must run *before* `wg.Wait()` when the goroutines stop on `ctx.Done()`; otherwise `Wait` never returns;',
        '- a deferred function that locks a mutex must not run while the same function still holds it via `defer mu.Unlock()` registered earlier.',
        '',
        'Fix: register the defer that must run first *last*.',
        '',
        '**When it is deliberate.** A deferred literal that unlocks the mutex, does its work and locks it again is balanced and not reported. For another order that is meant, write `//goinsight:ignore defer/order-hazard reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '延迟调用的执行顺序与本意相反',
      messages: {
        writerAfterFile: '`{later}`（第 {laterLine} 行）先于 `{earlier}`（第 {earlierLine} 行）执行：文件在 writer 刷新之前就被关闭，缓冲区中的数据会丢失',
        cancelAfterWait: '`{later}`（第 {laterLine} 行）先于 `{earlier}`（第 {earlierLine} 行）执行：Wait 在等待只有 context 被取消才会退出的 goroutine（死锁）',
        relockWhileHeld: '`{later}`（第 {laterLine} 行）先于 `{earlier}`（第 {earlierLine} 行）执行：它在本函数仍持有互斥锁 `{mutex}` 时再次加锁（死锁）',
        runsSecond: '先注册，因此在第 {laterLine} 行之后才执行',
        fixSwap: '交换这两条 defer 语句',
      },
      exampleComments: {
        before: 'f.Close() 先执行，随后 w.Flush() 失败',
      },
      explanation: [
        '延迟调用按**后进先出**的顺序执行：写在后面的 `defer` 先执行。对于相互依赖的清理操作，按“应该发生的顺序”来写 defer，得到的恰恰是相反的顺序：',
        '',
        '- 带缓冲或压缩的 Writer 必须在底层文件关闭**之前**刷新/关闭；如果 Writer 的 defer 写在前面，它会最后执行，往已关闭的文件里写数据；',
        '- 当 goroutine 依靠 `ctx.Done()` 退出时，`cancel()` 必须在 `wg.Wait()` **之前**执行，否则 `Wait` 永远不会返回；',
        '- 如果一个延迟函数要对互斥锁加锁，它就不能在本函数仍通过先注册的 `defer mu.Unlock()` 持有该锁时执行。',
        '',
        '修复方法：需要先执行的那个 defer 要**最后**注册。',
        '',
        '**有意为之的情况。** 延迟执行的函数字面量先解锁、做完工作再重新加锁，锁是平衡的，不会被报告。如果别的顺序是有意安排的，可以在该行或上一行写 `//goinsight:ignore defer/order-hazard 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    const locals = new LocalNamesCache();
    const byFunction = new Map<number, DeferSite[]>();
    for (const site of deferSites(context.tree.rootNode)) {
      if (enclosingLoop(site.statement)) continue;
      const list = byFunction.get(site.fn.id) ?? [];
      list.push(site);
      byFunction.set(site.fn.id, list);
    }
    for (const sites of byFunction.values()) {
      const names = locals.for(sites[0].statement);
      if (!names) continue;
      for (const earlier of sites) {
        const list = earlier.statement.parent;
        for (const later of sites) {
          if (!list || later.statement.startIndex < earlier.statement.endIndex || later.statement.endIndex > list.endIndex) continue;
          let key: HazardKey | undefined;
          let mutex = '';
          if (writerAfterFile(earlier, later, names)) key = 'writerAfterFile';
          else if (cancelAfterWait(earlier, later, names)) key = 'cancelAfterWait';
          else {
            mutex = relockWhileHeld(earlier, later) ?? '';
            if (mutex) key = 'relockWhileHeld';
          }
          if (!key) continue;
          const values = {
            earlier: deferredCallText(earlier.statement),
            later: deferredCallText(later.statement),
            earlierLine: context.lineNumber(earlier.statement),
            laterLine: context.lineNumber(later.statement),
            mutex,
          };
          const fix = swapFix(context, earlier, later, names);
          context.report({
            at: later.statement,
            messageKey: key,
            values,
            related: [{ range: context.rangeOf(earlier.statement), message: context.message('runsSecond', values) }],
            fixes: fix ? [fix] : [],
          });
        }
      }
    }
  },
};
