// sync/lock-without-unlock: a function locks a mutex and unlocks it later in
// the same statement list, but a `return` in between leaves without
// unlocking. The next Lock anywhere blocks forever. Only a return on whose
// path (the statements before it, back to the lock) no unlock or unlocking
// helper appears is reported. The quick fix replaces the explicit unlocks by
// `defer X.Unlock()` right after the lock, where that does not move other
// work under the lock.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { indentationAt } from '../../syntax/executionOrder';
import { ownDescendants } from '../../syntax/functions';
import { isLocking, mayReleaseBetween, mutexCallOf, releaseOf, type MutexCall } from '../../syntax/mutexCalls';
import { deleteStatementEdit } from '../../syntax/statementEdits';
import { followingStatements, isTerminating, statementsOf } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { functionMutexes } from './functionMutexes';

/**
 * True when running the statement and falling through past it may release
 * the mutex. `if cond { …; return }` without else releases only on the path
 * that leaves, so its body does not count for the code after it.
 */
function mayReleaseOnFallThrough(statement: Node, key: string, fn: Node): boolean {
  const consequence = statement.childForFieldName('consequence');
  if (statement.type === 'if_statement' && !statement.childForFieldName('alternative') && consequence && isTerminating(consequence)) {
    return mayReleaseBetween(fn, key, statement.startIndex, consequence.startIndex);
  }
  return mayReleaseBetween(fn, key, statement.startIndex, statement.endIndex);
}

/** True when some statement before `node` on its path back to the lock's statement list may release the mutex. */
function releasedOnPath(node: Node, lock: MutexCall, fn: Node): boolean {
  const lockList = lock.statement.parent;
  if (mayReleaseBetween(fn, lock.key, node.startIndex, node.endIndex)) return true;
  for (let current: Node = node; current.id !== lock.statement.id; ) {
    const parent = current.parent;
    if (!parent || parent.id === fn.id) return true; // not below the lock's list: unsure
    if (parent.type === 'statement_list') {
      const from = parent.id === lockList?.id ? lock.statement.endIndex : parent.startIndex;
      const earlier = statementsOf(parent).filter((statement) => statement.startIndex >= from && statement.endIndex <= current.startIndex);
      if (earlier.some((statement) => mayReleaseOnFallThrough(statement, lock.key, fn))) return true;
      if (parent.id === lockList?.id) return false;
    }
    current = parent;
  }
  return true;
}

/**
 * `defer X.Unlock()` after the lock, explicit unlocks removed. Offered only
 * when the lock is the function's only lock of X at the top of its body, and
 * after the final unlock at most a call-free return remains: then deferring
 * keeps the same code under the lock.
 */
function deferFix(context: RuleContext, fn: Node, lock: MutexCall, calls: MutexCall[], finalUnlock: Node): Fix | null {
  const body = fn.childForFieldName('body');
  if (!body || lock.statement.parent?.parent?.id !== body.id) return null;
  const sameMutex = calls.filter((call) => call.key === lock.key && call.fn.id === fn.id);
  if (sameMutex.filter((call) => isLocking(call.method)).length !== 1) return null;
  const releases = sameMutex.filter((call) => !isLocking(call.method));
  if (releases.some((call) => call.deferred || call.method !== releaseOf[lock.method as 'Lock' | 'RLock'] || call.statement.startIndex < lock.statement.endIndex)) return null;
  const rest = followingStatements(finalUnlock);
  if (rest.length > 1 || (rest.length === 1 && (rest[0].type !== 'return_statement' || rest[0].descendantsOfType('call_expression').length > 0))) return null;
  if (statementsOf(body).at(-1)?.id !== (rest[0] ?? finalUnlock).id) return null;
  const release = releaseOf[lock.method as 'Lock' | 'RLock'];
  const at = context.lines.positionAt(lock.statement.endIndex);
  const indent = indentationAt(context.text, lock.statement.startIndex);
  return {
    title: context.message('fixDefer', { receiver: lock.receiver.text, unlock: release }),
    isPreferred: true,
    edits: [
      { range: { start: at, end: at }, newText: `\n${indent}defer ${lock.receiver.text}.${release}()` },
      ...releases.map((call) => deleteStatementEdit(context.text, context.lines, call.statement)),
    ],
  };
}

function checkLock(context: RuleContext, fn: Node, lock: MutexCall, calls: MutexCall[]): void {
  if (!isLocking(lock.method) || lock.deferred || lock.statement.parent?.type !== 'statement_list') return;
  const release = releaseOf[lock.method];
  if (calls.some((call) => call.key === lock.key && call.deferred && call.method === release)) return;
  const finalUnlock = followingStatements(lock.statement).find((statement) => {
    const parsed = mutexCallOf(statement);
    return parsed !== undefined && !parsed.deferred && parsed.key === lock.key && parsed.method === release;
  });
  if (!finalUnlock) return;
  const leaks = ownDescendants(fn, 'return_statement').filter(
    (node) => node.startIndex >= lock.statement.endIndex && node.endIndex <= finalUnlock.startIndex && !releasedOnPath(node, lock, fn),
  );
  if (leaks.length === 0) return;
  const values = { receiver: lock.receiver.text, lock: lock.method, unlock: release, line: context.lineNumber(lock.statement) };
  const fix = deferFix(context, fn, lock, calls, finalUnlock);
  context.report({
    at: leaks[0],
    // Read locks are shared: what hangs is the next writer, and the readers queued behind it.
    messageKey: lock.method === 'RLock' ? 'returnsReadLocked' : 'returnsLocked',
    values,
    related: [
      { range: context.rangeOf(lock.statement), message: context.message('lockHere', values) },
      ...leaks.slice(1).map((node) => ({ range: context.rangeOf(node), message: context.message('alsoReturnsLocked', values) })),
      { range: context.rangeOf(finalUnlock), message: context.message('unlockHere', values) },
    ],
    fixes: fix ? [fix] : [],
  });
}

export const lockWithoutUnlock: Rule = {
  id: 'sync/lock-without-unlock',
  category: 'sync',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#Mutex',
  text: {
    en: {
      title: 'Return with the mutex still locked',
      messages: {
        returnsLocked: 'this return leaves {receiver} locked (`{receiver}.{lock}()` on line {line}, no `{receiver}.{unlock}()` on this path): the next {lock} blocks forever',
        returnsReadLocked: 'this return leaves a read lock on {receiver} (`{receiver}.{lock}()` on line {line}, no `{receiver}.{unlock}()` on this path): the next `{receiver}.Lock()` blocks forever, and every `{lock}` after it',
        lockHere: 'locked here',
        alsoReturnsLocked: 'also returns with {receiver} locked',
        unlockHere: 'only this path unlocks {receiver}',
        fixDefer: 'Unlock with defer {receiver}.{unlock}() right after the lock',
      },
      explanation: [
        'An explicit `Unlock` at the end of a function runs only on the path that reaches it. An early `return` (usually an error check) between `Lock` and `Unlock` leaves the mutex **locked**: the next goroutine that calls `Lock` blocks forever, and so does everything that waits for it. The program does not crash; it hangs, often much later and far away. A read lock (`RLock`) left held does not stop other readers at first: the next `Lock` blocks forever, and every `RLock` that comes after that waiting writer blocks too.',
        '',
        'Fix: unlock with `defer` right after locking, so every return path releases the mutex (a `defer` costs almost nothing since Go 1.14). Where the lock must be released before slow work, unlock explicitly on every path.',
        '',
        '```go',
        '// before',
        'c.mu.Lock()',
        'v, ok := c.items[k]',
        'if !ok {',
        '\treturn 0, errMissing // c.mu stays locked',
        '}',
        'c.mu.Unlock()',
        'return v, nil',
        '',
        '// after',
        'c.mu.Lock()',
        'defer c.mu.Unlock()',
        'v, ok := c.items[k]',
        'if !ok {',
        '\treturn 0, errMissing',
        '}',
        'return v, nil',
        '```',
      ].join('\n'),
    },
    'zh-cn': {
      title: '返回时互斥锁仍未解锁',
      messages: {
        returnsLocked: '这个 return 使 {receiver} 一直处于加锁状态（第 {line} 行 `{receiver}.{lock}()`，此路径上没有 `{receiver}.{unlock}()`）：下一次 {lock} 会永久阻塞',
        returnsReadLocked: '这个 return 之后 {receiver} 的读锁一直没有释放（第 {line} 行 `{receiver}.{lock}()`，此路径上没有 `{receiver}.{unlock}()`）：之后的 `{receiver}.Lock()` 会永久阻塞，排在它后面的 `{lock}` 也都会被堵住',
        lockHere: '在此加锁',
        alsoReturnsLocked: '这里返回时 {receiver} 也仍处于加锁状态',
        unlockHere: '只有这条路径会解锁 {receiver}',
        fixDefer: '在加锁后立即用 defer {receiver}.{unlock}() 解锁',
      },
      explanation: [
        '函数末尾显式的 `Unlock` 只在执行到它的那条路径上运行。`Lock` 与 `Unlock` 之间的提前 `return`（通常是错误检查）会让互斥锁**一直处于加锁状态**：下一个调用 `Lock` 的 goroutine 会永久阻塞，等待它的一切也随之阻塞。程序不会崩溃，而是挂起，而且往往发生在很久之后、离出错代码很远的地方。没有释放的读锁（`RLock`）一开始并不妨碍其他读者；但下一次 `Lock` 会永久阻塞，而排在这个写者之后的每个 `RLock` 也都会被堵住。',
        '',
        '修复方法：加锁后立即用 `defer` 解锁，这样每条返回路径都会释放互斥锁（自 Go 1.14 起 `defer` 的开销几乎可以忽略）。如果必须在耗时操作之前释放锁，就在每条路径上显式解锁。',
        '',
        '```go',
        '// 修改前',
        'c.mu.Lock()',
        'v, ok := c.items[k]',
        'if !ok {',
        '\treturn 0, errMissing // c.mu 一直处于加锁状态',
        '}',
        'c.mu.Unlock()',
        'return v, nil',
        '',
        '// 修改后',
        'c.mu.Lock()',
        'defer c.mu.Unlock()',
        'v, ok := c.items[k]',
        'if !ok {',
        '\treturn 0, errMissing',
        '}',
        'return v, nil',
        '```',
      ].join('\n'),
    },
  },
  check(context) {
    for (const { fn, calls } of functionMutexes(context)) {
      if (ownDescendants(fn, 'goto_statement').length > 0) continue;
      for (const lock of calls) checkLock(context, fn, lock, calls);
    }
  },
};
