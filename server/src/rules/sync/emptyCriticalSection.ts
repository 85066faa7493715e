// sync/empty-critical-section: `mu.Lock()` immediately followed by
// `mu.Unlock()` protects nothing. Usually the protected statements were moved
// or deleted; sometimes the pair is a deliberate barrier ("wait until the
// current holder is done"), which authors mark with a comment: a comment
// above, on or between the two calls keeps the rule quiet.
import type { Node } from 'web-tree-sitter';
import { isLocking, mutexCallOf, releaseOf } from '../../syntax/mutexCalls';
import { nextStatement } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { functionMutexes, lineNumber } from './functionMutexes';

/** True when a comment sits on the line above the lock or anywhere from the lock to the unlock. */
function isCommented(context: RuleContext, lock: Node, unlock: Node): boolean {
  const lineStart = context.text.lastIndexOf('\n', lock.startIndex - 1) + 1;
  const previousLineStart = lineStart > 0 ? context.text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  const span = context.text.slice(previousLineStart, unlock.startIndex);
  return span.includes('//') || span.includes('/*');
}

export const emptyCriticalSection: Rule = {
  id: 'sync/empty-critical-section',
  category: 'sync',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#Mutex',
  text: {
    en: {
      title: 'Empty critical section',
      messages: {
        empty: '`{receiver}.{unlock}()` right after `{receiver}.{lock}()` on line {line}: the critical section is empty and protects nothing',
        lockHere: 'locked here',
      },
      explanation: [
        'A mutex protects the statements **between** `Lock` and `Unlock`. With nothing in between, the pair only waits until no other goroutine holds the lock and then releases it at once: no shared data is read or written under the lock.',
        '',
        'Usually the protected statements were moved or deleted by mistake, or the unlock was meant to be deferred. If the pair is a deliberate barrier (wait for the current holder to finish), say so in a comment: Go Insight then stays quiet.',
        '',
        '```go',
        '// before: counter is updated without the lock',
        'c.mu.Lock()',
        'c.mu.Unlock()',
        'c.counter++',
        '',
        '// after',
        'c.mu.Lock()',
        'c.counter++',
        'c.mu.Unlock()',
        '```',
      ].join('\n'),
    },
    'zh-cn': {
      title: '空的临界区',
      messages: {
        empty: '`{receiver}.{unlock}()` 紧跟在第 {line} 行的 `{receiver}.{lock}()` 之后：临界区为空，什么也没有保护',
        lockHere: '在此加锁',
      },
      explanation: [
        '互斥锁保护的是 `Lock` 与 `Unlock` **之间**的语句。两者之间什么都没有时，这一对调用只是等到没有其他 goroutine 持有锁，然后立即释放：没有任何共享数据是在锁的保护下读写的。',
        '',
        '通常是需要保护的语句被误移走或删掉了，或者本意是用 defer 解锁。如果这对调用是有意的屏障（等待当前持锁者结束），请加一行注释说明：Go Insight 就不再提示。',
        '',
        '```go',
        '// 修改前：counter 的更新没有加锁',
        'c.mu.Lock()',
        'c.mu.Unlock()',
        'c.counter++',
        '',
        '// 修改后',
        'c.mu.Lock()',
        'c.counter++',
        'c.mu.Unlock()',
        '```',
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
        context.report({
          at: next,
          messageKey: 'empty',
          values: { receiver: lock.receiver.text, lock: lock.method, unlock: unlock.method, line: lineNumber(context, lock.statement) },
          related: [{ range: context.rangeOf(lock.statement), message: context.message('lockHere') }],
        });
      }
    }
  },
};
