// sync/double-lock: the same mutex locked a second time on one path with no
// unlock in between. Go's mutexes are not reentrant, so the second Lock
// blocks forever. Two shapes: two locks in sequence, and an unconditional
// lock in a loop body that nothing in the body unlocks (a deferred unlock
// runs only when the function returns, not per iteration). Two RLocks are
// left alone: they deadlock only when a writer waits in between.
import type { Node } from 'web-tree-sitter';
import { enclosingLoop, reachesAfter, runsUnconditionallyIn } from '../../syntax/executionOrder';
import { isLocking, mayReleaseBetween, type MutexCall } from '../../syntax/mutexCalls';
import { readsTypesAndValues, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { functionMutexes } from './functionMutexes';

function isReadPair(first: MutexCall, second: MutexCall): boolean {
  return first.method === 'RLock' && second.method === 'RLock';
}

function declaredInside(node: Node, loop: Node): boolean {
  return node.startIndex >= loop.startIndex && node.endIndex <= loop.endIndex;
}

export const doubleLock: Rule = {
  id: 'sync/double-lock',
  crossDeclarationReads: readsTypesAndValues,
  category: 'sync',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#Mutex.Lock',
  example: {
    before: [
      'for _, k := range keys {',
      '\tc.mu.Lock()',
      '\tdefer c.mu.Unlock()',
      '\tdelete(c.items, k)',
      '}',
    ].join('\n'),
    after: [
      'for _, k := range keys {',
      '\tc.mu.Lock()',
      '\tdelete(c.items, k)',
      '\tc.mu.Unlock()',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Mutex locked twice',
      messages: {
        twice: '`{receiver}.{method}()` while {receiver} is still locked since line {line}: Go mutexes are not reentrant, this blocks forever',
        inLoop: '`{receiver}.{method}()` runs on every iteration of the loop on line {line}, but nothing in the loop unlocks it: the second iteration blocks forever',
        firstLock: 'first locked here',
        loopHere: 'the loop that locks again',
      },
      explanation: [
        'A `sync.Mutex` (or the write lock of a `sync.RWMutex`) is **not reentrant**: locking it again in the goroutine that holds it blocks that goroutine forever, and every other goroutine that needs the mutex blocks behind it. Go has no owner check that would make this an error; the program just hangs (`all goroutines are asleep - deadlock!` if nothing else runs).',
        '',
        'It happens when a function that already holds the lock calls code that locks again, when an `Unlock` was forgotten, or when the lock sits in a loop whose unlock is deferred (a deferred call runs only when the function returns).',
        '',
        'Fix: unlock before locking again, or split the code into a locked entry point and an unexported `…Locked` helper that expects the lock to be held.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '互斥锁被重复加锁',
      messages: {
        twice: '`{receiver}.{method}()` 执行时 {receiver} 自第 {line} 行起仍处于加锁状态：Go 的互斥锁不可重入，这里会永久阻塞',
        inLoop: '`{receiver}.{method}()` 在第 {line} 行循环的每次迭代中都会执行，但循环内没有解锁：第二次迭代会永久阻塞',
        firstLock: '第一次在此加锁',
        loopHere: '再次加锁的循环',
      },
      explanation: [
        '`sync.Mutex`（以及 `sync.RWMutex` 的写锁）**不可重入**：持有锁的 goroutine 再次加锁会永久阻塞，所有需要这个锁的其他 goroutine 也随之卡住。Go 不检查锁的持有者，不会报错，程序只是挂起（若没有其他 goroutine 在运行，则报 `all goroutines are asleep - deadlock!`）。',
        '',
        '常见原因：已持有锁的函数又调用了会加锁的代码；忘了 `Unlock`；或者在循环里加锁却用 defer 解锁（defer 的调用只在函数返回时执行）。',
        '',
        '修复方法：再次加锁之前先解锁；或者把代码拆成一个加锁的入口函数和一个要求调用方已持锁的未导出 `…Locked` 辅助函数。',
      ].join('\n'),
    },
  },
  check(context: RuleContext) {
    for (const { fn, calls } of functionMutexes(context)) {
      const locks = calls.filter((call) => isLocking(call.method) && !call.deferred);
      const reported = new Set<number>();
      for (const second of locks) {
        const first = locks.find(
          (candidate) =>
            candidate !== second &&
            candidate.key === second.key &&
            !isReadPair(candidate, second) &&
            reachesAfter(candidate.statement, second.statement) &&
            !mayReleaseBetween(fn, second.key, candidate.statement.endIndex, second.statement.startIndex),
        );
        if (!first) continue;
        reported.add(second.statement.id);
        context.report({
          at: second.statement,
          messageKey: 'twice',
          values: { receiver: second.receiver.text, method: second.method, line: context.lineNumber(first.statement) },
          related: [{ range: context.rangeOf(first.statement), message: context.message('firstLock') }],
        });
      }
      for (const lock of locks) {
        if (reported.has(lock.statement.id) || lock.method === 'RLock') continue;
        const loop = enclosingLoop(lock.statement);
        const body = loop?.childForFieldName('body');
        if (!loop || !body || !runsUnconditionallyIn(lock.statement, body)) continue;
        // A receiver rooted in a variable of the loop itself names a new mutex each time.
        if (lock.rootDeclaration && declaredInside(lock.rootDeclaration, loop)) continue;
        if (mayReleaseBetween(body, lock.key, body.startIndex, body.endIndex, true)) continue;
        context.report({
          at: lock.statement,
          messageKey: 'inLoop',
          values: { receiver: lock.receiver.text, method: lock.method, line: context.lineNumber(loop) },
          related: [{ range: context.rangeOf(loop), message: context.message('loopHere') }],
        });
      }
    }
  },
};
