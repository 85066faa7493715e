// defer/lock-unlock-mismatch: `mu.Lock(); defer mu.Lock()` (deadlock at
// return), `mu.RLock(); defer mu.Unlock()` and `mu.Lock(); defer mu.RUnlock()`
// (fatal "unlock of unlocked mutex"). Only the statement right before the
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
  text: {
    en: {
      title: 'Deferred unlock does not match the lock',
      messages: {
        relock: '`{receiver}.{lock}()` is followed by `defer {receiver}.{deferred}()`: the function locks again at return instead of unlocking (deadlock)',
        mismatch: '`{receiver}.{lock}()` is released with `defer {receiver}.{deferred}()`: it must be `{receiver}.{expected}()` (fatal error: unlock of unlocked mutex)',
        lockHere: 'locked here',
        fixUse: 'Use defer {receiver}.{expected}()',
      },
      explanation: [
        'Each way of locking has exactly one matching release: `Lock` ↔ `Unlock`, `RLock` ↔ `RUnlock`. Deferring the wrong one is not caught by the compiler:',
        '',
        '- `mu.Lock(); defer mu.Lock()` locks a second time when the function returns; the goroutine blocks forever and everything waiting on `mu` with it.',
        '- `mu.RLock(); defer mu.Unlock()` or `mu.Lock(); defer mu.RUnlock()` release a lock that is not held in that mode; the runtime stops the program with `fatal error: sync: Unlock of unlocked RWMutex` (or `RUnlock of unlocked RWMutex`), which `recover` cannot catch.',
        '',
        '```go',
        '// Before',
        'c.mu.RLock()',
        'defer c.mu.Unlock()',
        '',
        '// After',
        'c.mu.RLock()',
        'defer c.mu.RUnlock()',
        '```',
      ].join('\n'),
    },
    'zh-cn': {
      title: '延迟解锁与加锁不匹配',
      messages: {
        relock: '`{receiver}.{lock}()` 之后是 `defer {receiver}.{deferred}()`：函数返回时会再次加锁而不是解锁（死锁）',
        mismatch: '`{receiver}.{lock}()` 用 `defer {receiver}.{deferred}()` 释放：应当是 `{receiver}.{expected}()`（fatal error: unlock of unlocked mutex）',
        lockHere: '在此加锁',
        fixUse: '改为 defer {receiver}.{expected}()',
      },
      explanation: [
        '每种加锁方式都只有一个对应的释放方式：`Lock` ↔ `Unlock`，`RLock` ↔ `RUnlock`。defer 了错误的那个，编译器并不会报错：',
        '',
        '- `mu.Lock(); defer mu.Lock()` 会在函数返回时再加一次锁；当前 goroutine 永远阻塞，所有等待 `mu` 的 goroutine 也随之卡住。',
        '- `mu.RLock(); defer mu.Unlock()` 或 `mu.Lock(); defer mu.RUnlock()` 释放的是未以该模式持有的锁；运行时会以 `fatal error: sync: Unlock of unlocked RWMutex`（或 `RUnlock of unlocked RWMutex`）终止程序，`recover` 无法捕获。',
        '',
        '```go',
        '// 修改前',
        'c.mu.RLock()',
        'defer c.mu.Unlock()',
        '',
        '// 修改后',
        'c.mu.RLock()',
        'defer c.mu.RUnlock()',
        '```',
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
        messageKey: deferred.method in releaseFor ? 'relock' : 'mismatch',
        values,
        related: [{ range: context.rangeOf(previous), message: context.message('lockHere') }],
        fixes: field
          ? [{ title: context.message('fixUse', values), edits: [{ range: context.rangeOf(field), newText: expected }], isPreferred: true }]
          : [],
      });
    }
  },
};
