// sync/empty-critical-section: `mu.Lock()` immediately followed by
// `mu.Unlock()` protects nothing. In GOROOT every such pair is a deliberate
// barrier ("wait until the current holder is done", lock benchmarks), so the
// rule speaks only when the statement right before or after the pair uses
// the data the mutex guards (`c.mu.Lock(); c.mu.Unlock(); c.n++`): the
// protected statement is then most likely on the wrong side of the Unlock.
// A comment above, on or between the two calls also keeps it quiet.
import type { Node } from 'web-tree-sitter';
import { isLocking, mutexCallOf, releaseOf } from '../../syntax/mutexCalls';
import { nextStatement, previousStatement } from '../../syntax/statements';
import { readsTypesAndValues, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { functionMutexes } from './functionMutexes';

/** True when a comment sits on the line above the lock or anywhere from the lock to the unlock. */
function isCommented(context: RuleContext, lock: Node, unlock: Node): boolean {
  const lineStart = context.text.lastIndexOf('\n', lock.startIndex - 1) + 1;
  const previousLineStart = lineStart > 0 ? context.text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  const span = context.text.slice(previousLineStart, unlock.startIndex);
  return span.includes('//') || span.includes('/*');
}

const mutexMethodNames: ReadonlySet<string> = new Set(['Lock', 'Unlock', 'RLock', 'RUnlock', 'TryLock', 'TryRLock', 'RLocker']);

/**
 * The expression whose fields the mutex guards, and the mutex's own field:
 * `c` and `mu` for `c.mu`; `registry` and none for an embedded mutex.
 */
function guardedOwner(key: string): { owner: string; mutexField: string | undefined } {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? { owner: key, mutexField: undefined } : { owner: key.slice(0, dot), mutexField: key.slice(dot + 1) };
}

/** True when the statement reads or writes a field of the guarded owner other than the mutex itself. */
function usesGuardedData(statement: Node | null, key: string): boolean {
  if (!statement) return false;
  const { owner, mutexField } = guardedOwner(key);
  const escaped = owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A field followed by `(` is a method call (`tx.cancel()`), not a read or write of guarded data.
  const pattern = new RegExp(`(?<![\\w.])${escaped}\\s*\\.\\s*(\\w+)\\b(?!\\s*\\()`, 'g');
  for (const match of statement.text.matchAll(pattern)) {
    const field = match[1];
    if (field !== mutexField && !(mutexField === undefined && mutexMethodNames.has(field))) return true;
  }
  return false;
}

export const emptyCriticalSection: Rule = {
  id: 'sync/empty-critical-section',
  crossDeclarationReads: readsTypesAndValues,
  category: 'sync',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#Mutex',
  example: {
    before: [
      'c.mu.Lock()',
      'c.mu.Unlock()',
      'c.counter++',
    ].join('\n'),
    after: [
      'c.mu.Lock()',
      'c.counter++',
      'c.mu.Unlock()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Empty critical section',
      messages: {
        empty: '`{receiver}.{unlock}()` right after `{receiver}.{lock}()` on line {line}: the critical section is empty and protects nothing',
        lockHere: 'locked here',
      },
      exampleComments: {
        before: 'counter is updated without the lock',
      },
      explanation: [
        'A mutex protects the statements **between** `Lock` and `Unlock`. With nothing in between, the pair only waits until no other goroutine holds the lock and then releases it at once: no shared data is read or written under the lock.',
        '',
        'Go Insight reports the pair when the statement right before or after it uses the data the mutex guards: that statement most likely belongs between `Lock` and `Unlock` (or the unlock was meant to be deferred). A bare `mu.Lock(); mu.Unlock()` is often a deliberate barrier (wait for the current holder to finish) and is left alone, as is any pair with a comment.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '空的临界区',
      messages: {
        empty: '`{receiver}.{unlock}()` 紧跟在第 {line} 行的 `{receiver}.{lock}()` 之后：临界区为空，什么也没有保护',
        lockHere: '在此加锁',
      },
      exampleComments: {
        before: 'counter 的更新没有加锁',
      },
      explanation: [
        '互斥锁保护的是 `Lock` 与 `Unlock` **之间**的语句。两者之间什么都没有时，这一对调用只是等到没有其他 goroutine 持有锁，然后立即释放：没有任何共享数据是在锁的保护下读写的。',
        '',
        '只有当紧挨着这对调用的前一条或后一条语句访问了该锁所保护的数据时，Go Insight 才会提示：那条语句很可能本应放在 `Lock` 与 `Unlock` 之间（或者本意是用 defer 解锁）。单独的 `mu.Lock(); mu.Unlock()` 常常是有意的屏障（等待当前持锁者结束），不会提示；带注释的调用对也不会提示。',
      ].join('\n'),
    },
  },
  check(context) {
    for (const { calls } of functionMutexes(context)) {
      for (const lock of calls) {
        if (!isLocking(lock.method) || lock.deferred) continue;
        const next = nextStatement(lock.statement);
        const unlock = next ? mutexCallOf(next) : undefined;
        if (!next || !unlock || unlock.deferred || unlock.key !== lock.key || unlock.method !== releaseOf[lock.method]) continue;
        if (isCommented(context, lock.statement, next)) continue;
        if (!usesGuardedData(previousStatement(lock.statement), lock.key) && !usesGuardedData(nextStatement(next), lock.key)) continue;
        context.report({
          at: next,
          messageKey: 'empty',
          values: { receiver: lock.receiver.text, lock: lock.method, unlock: unlock.method, line: context.lineNumber(lock.statement) },
          related: [{ range: context.rangeOf(lock.statement), message: context.message('lockHere') }],
        });
      }
    }
  },
};
