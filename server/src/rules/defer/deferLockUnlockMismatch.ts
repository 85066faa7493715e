// defer/lock-unlock-mismatch: `mu.Lock(); defer mu.Lock()` (deadlock at
// return), `mu.RLock(); defer mu.RLock()` (a read lock never released),
// `mu.RLock(); defer mu.Unlock()` and `mu.Lock(); defer mu.RUnlock()` (the
// runtime's fatal "Unlock/RUnlock of unlocked RWMutex"). Only the statement right before the
// defer is looked at, with the same receiver text: the idiomatic pair.
import type { Node } from 'web-tree-sitter';
import { methodCall } from '../../syntax/calls';
import { deferSites } from '../../syntax/defers';
import { previousStatement } from '../../syntax/statements';
import type { Rule } from '../rule';

const releaseFor: Record<string, string> = { Lock: 'Unlock', RLock: 'RUnlock' };

function lockCall(statement: Node): { receiver: string; method: string } | undefined {
  if (statement.type !== 'expression_statement') return undefined;
  const call = statement.namedChild(0);
  if (!call || call.type !== 'call_expression' || (call.childForFieldName('arguments')?.namedChildCount ?? 1) !== 0) return undefined;
  const parsed = methodCall(call);
  if (!parsed || !(parsed.method in releaseFor)) return undefined;
  return { receiver: parsed.receiver.text.replace(/\s+/g, ''), method: parsed.method };
}

export const deferLockUnlockMismatch: Rule = {
  id: 'defer/lock-unlock-mismatch',
  category: 'defer',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#RWMutex',
  example: {
    before: [
      'c.mu.RLock()',
      'defer c.mu.Unlock()',
    ].join('\n'),
    after: [
      'c.mu.RLock()',
      'defer c.mu.RUnlock()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Deferred unlock does not match the lock',
      messages: {
        relock: '`{receiver}.{lock}()` is followed by `defer {receiver}.{deferred}()`: the function locks again at return instead of unlocking (deadlock)',
        relockRead: '`{receiver}.{lock}()` is followed by `defer {receiver}.{deferred}()`: the function takes a second read lock at return instead of releasing the first, so the read lock is never released: the next `{receiver}.Lock()` blocks forever, and every `{lock}` after it',
        mismatch: '`{receiver}.{lock}()` is released with `defer {receiver}.{deferred}()`: it must be `{receiver}.{expected}()` (fatal error: sync: Unlock of unlocked RWMutex)',
        mismatchRead: '`{receiver}.{lock}()` is released with `defer {receiver}.{deferred}()`: it must be `{receiver}.{expected}()` (usually fatal error: sync: RUnlock of unlocked RWMutex; when a reader is waiting, the lock is corrupted instead and the program hangs later)',
        lockHere: 'locked here',
        fixUse: 'Use defer {receiver}.{expected}()',
      },
      explanation: [
        'Each way of locking has exactly one matching release: `Lock` ↔ `Unlock`, `RLock` ↔ `RUnlock`. Deferring the wrong one is not caught by the compiler:',
        '',
        '- `mu.Lock(); defer mu.Lock()` locks a second time when the function returns; the goroutine blocks forever and everything waiting on `mu` with it.',
        '- `mu.RLock(); defer mu.RLock()` takes a second read lock instead of releasing the first. Other readers still get in, but the next `mu.Lock()` blocks forever, and so does every `RLock` after it.',
        '- `mu.RLock(); defer mu.Unlock()` releases a write lock that is not held: the runtime stops the program with `fatal error: sync: Unlock of unlocked RWMutex`, which `recover` cannot catch.',
        '- `mu.Lock(); defer mu.RUnlock()` usually stops the program the same way (`fatal error: sync: RUnlock of unlocked RWMutex`). But when a reader is already waiting in `RLock`, `RUnlock` returns without complaint and leaves the lock\'s counters corrupted: that reader never gets in, and the program hangs later, somewhere else.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '延迟解锁与加锁不匹配',
      messages: {
        relock: '`{receiver}.{lock}()` 之后是 `defer {receiver}.{deferred}()`：函数返回时会再次加锁而不是解锁（死锁）',
        relockRead: '`{receiver}.{lock}()` 之后是 `defer {receiver}.{deferred}()`：函数返回时又加了一次读锁，而不是释放第一次的读锁，读锁因此永远不会释放：之后的 `{receiver}.Lock()` 会永久阻塞，排在它后面的 `{lock}` 也都会被堵住',
        mismatch: '`{receiver}.{lock}()` 却用 `defer {receiver}.{deferred}()` 释放：应当是 `{receiver}.{expected}()`（运行时报 fatal error: sync: Unlock of unlocked RWMutex）',
        mismatchRead: '`{receiver}.{lock}()` 却用 `defer {receiver}.{deferred}()` 释放：应当是 `{receiver}.{expected}()`（通常会报 fatal error: sync: RUnlock of unlocked RWMutex；如果此时有读者在等待，锁的状态会被破坏，程序随后挂起）',
        lockHere: '在此加锁',
        fixUse: '改为 defer {receiver}.{expected}()',
      },
      explanation: [
        '每种加锁方式都只有一个对应的释放方式：`Lock` ↔ `Unlock`，`RLock` ↔ `RUnlock`。defer 了错误的那个，编译器并不会报错：',
        '',
        '- `mu.Lock(); defer mu.Lock()` 会在函数返回时再加一次锁；当前 goroutine 永远阻塞，所有等待 `mu` 的 goroutine 也随之卡住。',
        '- `mu.RLock(); defer mu.RLock()` 在返回时又加了一次读锁，第一次的读锁没有释放。其他读者照样能进入，但下一次 `mu.Lock()` 会永久阻塞，之后的每个 `RLock` 也会被堵住。',
        '- `mu.RLock(); defer mu.Unlock()` 释放的是并未持有的写锁：运行时以 `fatal error: sync: Unlock of unlocked RWMutex` 终止程序，`recover` 无法捕获。',
        '- `mu.Lock(); defer mu.RUnlock()` 通常也会这样终止程序（`fatal error: sync: RUnlock of unlocked RWMutex`）。但如果此时已有读者在 `RLock` 中等待，`RUnlock` 不会报错，而是悄悄把锁的计数弄乱：那个读者永远进不去，程序会在之后的某处挂起。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const site of deferSites(context.tree.rootNode)) {
      const deferred = methodCall(site.call);
      if (!deferred || !['Lock', 'RLock', 'Unlock', 'RUnlock'].includes(deferred.method)) continue;
      if ((site.call.childForFieldName('arguments')?.namedChildCount ?? 1) !== 0) continue;
      const previous = previousStatement(site.statement);
      const lock = previous ? lockCall(previous) : undefined;
      if (!previous || !lock || lock.receiver !== deferred.receiver.text.replace(/\s+/g, '')) continue;
      const expected = releaseFor[lock.method];
      if (deferred.method === expected) continue;
      const values = { receiver: lock.receiver, lock: lock.method, deferred: deferred.method, expected };
      const field = site.call.childForFieldName('function')?.childForFieldName('field');
      context.report({
        at: site.statement,
        messageKey: deferred.method in releaseFor ? (lock.method === 'RLock' && deferred.method === 'RLock' ? 'relockRead' : 'relock') : expected === 'Unlock' ? 'mismatchRead' : 'mismatch',
        values,
        related: [{ range: context.rangeOf(previous), message: context.message('lockHere') }],
        fixes: field
          ? [{ title: context.message('fixUse', values), edits: [{ range: context.rangeOf(field), newText: expected }], isPreferred: true }]
          : [],
      });
    }
  },
};
