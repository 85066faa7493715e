// sync/lock-without-unlock: a function locks a mutex and unlocks it later in
// the same statement list, but a `return` in between leaves without
// unlocking. The next Lock anywhere blocks forever. Only a return on whose
// path (the statements before it, back to the lock) no unlock or unlocking
// helper appears is reported; a return under `if false` (or a constant of the
// file that is false) is no path. In a loop, a `break` that leaves it locked
// with no unlock after the loop, and a `continue` that skips the unlock
// before the next iteration locks again, are reported the same way. A named
// function that locks its receiver's (or a package) mutex and has no unlock
// at all is reported too, unless it says the caller unlocks: by its name
// (`lock…`, `acquire…`), a returned function, or its doc comment. The
// quick fix replaces the explicit unlocks by `defer X.Unlock()` right after
// the lock, where that does not move other work under the lock.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { falseConstants, isUnderFalseCondition } from '../../syntax/constantConditions';
import { enclosingLoop, indentationAt } from '../../syntax/executionOrder';
import { fileChannels } from '../../syntax/fileChannels';
import { ownDescendants } from '../../syntax/functions';
import type { LocalNames } from '../../syntax/localNames';
import { breakTarget, continueTarget } from '../../syntax/loopExits';
import { isLocking, lockedKeys, mayReleaseBetween, mutexCallOf, releaseOf, type MutexCall } from '../../syntax/mutexCalls';
import { deleteStatementEdit } from '../../syntax/statementEdits';
import { followingStatements, isTerminating, statementsOf } from '../../syntax/statements';
import { readsTypesAndValues, type Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { functionMutexes } from './functionMutexes';

/** What the analysis of one function knows besides its mutex calls. */
interface FunctionFacts {
  fn: Node;
  calls: MutexCall[];
  /** Receivers the function locks: an unlock of another one of them releases nothing here. */
  mutexes: ReadonlySet<string>;
  names: LocalNames;
  constants: ReadonlySet<string>;
}

/**
 * True when running the statement and falling through past it may release
 * the mutex. `if cond { …; return }` without else releases only on the path
 * that leaves, so its body does not count for the code after it.
 */
function mayReleaseOnFallThrough(statement: Node, key: string, facts: FunctionFacts): boolean {
  const consequence = statement.childForFieldName('consequence');
  if (statement.type === 'if_statement' && !statement.childForFieldName('alternative') && consequence && isTerminating(consequence)) {
    return mayReleaseBetween(facts.fn, key, statement.startIndex, consequence.startIndex, false, facts.mutexes);
  }
  return mayReleaseBetween(facts.fn, key, statement.startIndex, statement.endIndex, false, facts.mutexes);
}

/** True when some statement before `node` on its path back to the lock's statement list may release the mutex. */
function releasedOnPath(node: Node, lock: MutexCall, facts: FunctionFacts): boolean {
  const { fn } = facts;
  const lockList = lock.statement.parent;
  if (mayReleaseBetween(fn, lock.key, node.startIndex, node.endIndex, false, facts.mutexes)) return true;
  for (let current: Node = node; current.id !== lock.statement.id; ) {
    const parent = current.parent;
    if (!parent || parent.id === fn.id) return true; // not below the lock's list: unsure
    if (parent.type === 'statement_list') {
      const from = parent.id === lockList?.id ? lock.statement.endIndex : parent.startIndex;
      const earlier = statementsOf(parent).filter((statement) => statement.startIndex >= from && statement.endIndex <= current.startIndex);
      if (earlier.some((statement) => mayReleaseOnFallThrough(statement, lock.key, facts))) return true;
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

/**
 * A `break` that leaves a loop around the lock, when nothing after that loop
 * may release the mutex (and no outer loop comes back to code that could); a
 * `continue` of the loop whose body locks, which locks again before the
 * unlock it skipped (for a write lock: the read lock is left alone, as in
 * sync/double-lock).
 */
function isLoopExitLeavingLocked(statement: Node, lock: MutexCall, facts: FunctionFacts): boolean {
  if (statement.type === 'break_statement') {
    const loop = breakTarget(statement);
    if (loop?.type !== 'for_statement' || loop.startIndex > lock.statement.startIndex || enclosingLoop(loop)) return false;
    return !mayReleaseBetween(facts.fn, lock.key, loop.endIndex, facts.fn.endIndex, false, facts.mutexes);
  }
  const loop = continueTarget(statement);
  return lock.method === 'Lock' && loop !== null && loop.childForFieldName('body')?.namedChildren.some((list) => list?.id === lock.statement.parent?.id) === true;
}

function checkLock(context: RuleContext, facts: FunctionFacts, lock: MutexCall): void {
  const { fn, calls } = facts;
  if (!isLocking(lock.method) || lock.deferred || lock.statement.parent?.type !== 'statement_list') return;
  const release = releaseOf[lock.method];
  if (calls.some((call) => call.key === lock.key && call.deferred && call.method === release)) return;
  const finalUnlock = followingStatements(lock.statement).find((statement) => {
    const parsed = mutexCallOf(statement);
    return parsed !== undefined && !parsed.deferred && parsed.key === lock.key && parsed.method === release;
  });
  if (!finalUnlock) return;
  const isLeak = (node: Node) =>
    node.startIndex >= lock.statement.endIndex &&
    node.endIndex <= finalUnlock.startIndex &&
    !isUnderFalseCondition(node, fn, facts.constants, facts.names) &&
    !releasedOnPath(node, lock, facts);
  const values = { receiver: lock.receiver.text, lock: lock.method, unlock: release, line: context.lineNumber(lock.statement) };
  const loopExits = ownDescendants(fn, ['break_statement', 'continue_statement']).filter((node) => isLeak(node) && isLoopExitLeavingLocked(node, lock, facts));
  for (const exit of loopExits) {
    context.report({
      at: exit,
      messageKey: exit.type === 'break_statement' ? 'breakLeavesLocked' : 'continueSkipsUnlock',
      values,
      related: [
        { range: context.rangeOf(lock.statement), message: context.message('lockHere', values) },
        { range: context.rangeOf(finalUnlock), message: context.message('unlockHere', values) },
      ],
    });
  }
  const leaks = ownDescendants(fn, 'return_statement').filter(isLeak);
  if (leaks.length === 0) return;
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

/** Names of functions that return holding the lock on purpose (`lockFor`, `acquire`, `beginUpdate`). */
const holdsOnPurpose = /lock|acquire|hold|grab|enter|begin|take|claim|pause|stop|freeze|block|wait/i;

/** Comments that talk about the lock staying held. */
const documentsHolding = /\bcaller\b|\bheld\b|\bhold(s|ing)?\b|\b(un)?lock(s|ed)?\b/i;

/** The doc comment right above a declaration and the comments of its body up to the lock's line. */
function commentsUpTo(fn: Node, lock: Node): string {
  const doc: string[] = [];
  for (let previous = fn.previousNamedSibling; previous?.type === 'comment' && previous.endPosition.row >= fn.startPosition.row - doc.length - 1; previous = previous.previousNamedSibling) {
    doc.push(previous.text);
  }
  const body = ownDescendants(fn, 'comment').filter((comment) => comment.startPosition.row <= lock.endPosition.row);
  return [...doc, ...body.map((comment) => comment.text)].join('\n');
}

/**
 * A lock at the top of a named function's body that nothing in the function
 * releases: every path returns holding it. Quiet when the function says the
 * caller unlocks (name, returned func, a comment above it or before the
 * lock) and when the mutex is not the receiver's or a package variable (a
 * parameter or local is a helper's).
 */
function checkNeverUnlocked(context: RuleContext, facts: FunctionFacts, lock: MutexCall): void {
  const { fn, calls } = facts;
  if (fn.type !== 'function_declaration' && fn.type !== 'method_declaration') return;
  if (lock.deferred || lock.statement.parent?.parent?.id !== fn.childForFieldName('body')?.id) return;
  if (calls.some((call) => call.key === lock.key && !isLocking(call.method))) return;
  if (mayReleaseBetween(fn, lock.key, fn.startIndex, fn.endIndex, false, facts.mutexes)) return;
  if (holdsOnPurpose.test(fn.childForFieldName('name')?.text ?? '') || documentsHolding.test(commentsUpTo(fn, lock.statement))) return;
  if (fn.childForFieldName('result')?.descendantsOfType('function_type').length) return;
  const root = lock.rootDeclaration ? facts.names.resolve(lock.rootDeclaration) : undefined;
  if (lock.rootDeclaration && root?.kind !== 'receiver') return;
  const values = { receiver: lock.receiver.text, lock: lock.method, unlock: releaseOf[lock.method as 'Lock' | 'RLock'], function: context.functionName(fn), line: context.lineNumber(lock.statement) };
  const exit = ownDescendants(fn, 'return_statement').find((node) => node.startIndex > lock.statement.endIndex && !isUnderFalseCondition(node, fn, facts.constants, facts.names));
  context.report({ at: exit ?? lock.statement, messageKey: 'neverUnlocks', values, related: exit ? [{ range: context.rangeOf(lock.statement), message: context.message('lockHere', values) }] : [] });
}

export const lockWithoutUnlock: Rule = {
  id: 'sync/lock-without-unlock',
  crossDeclarationReads: readsTypesAndValues,
  category: 'sync',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/sync#Mutex',
  example: {
    before: [
      'c.mu.Lock()',
      'v, ok := c.items[k]',
      'if !ok {',
      '\treturn 0, errMissing // {cMuStaysLocked}',
      '}',
      'c.mu.Unlock()',
      'return v, nil',
    ].join('\n'),
    after: [
      'c.mu.Lock()',
      'defer c.mu.Unlock()',
      'v, ok := c.items[k]',
      'if !ok {',
      '\treturn 0, errMissing',
      '}',
      'return v, nil',
    ].join('\n'),
  },
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
        neverUnlocks: '{function} locks {receiver} (line {line}) and nothing in it unlocks it: it returns with {receiver} locked, and the next {lock} blocks forever (if the caller unlocks, say so in the doc comment)',
        breakLeavesLocked: 'this break leaves the loop with {receiver} locked (`{receiver}.{lock}()` on line {line}), and nothing after the loop unlocks it: the next {lock} blocks forever',
        continueSkipsUnlock: 'this continue skips `{receiver}.{unlock}()`: the next iteration calls `{receiver}.{lock}()` (line {line}) while {receiver} is still locked and blocks forever',
      },
      exampleComments: {
        cMuStaysLocked: 'c.mu stays locked',
      },
      explanation: [
        'An explicit `Unlock` at the end of a function runs only on the path that reaches it. An early `return` (usually an error check) between `Lock` and `Unlock` leaves the mutex **locked**: the next goroutine that calls `Lock` blocks forever, and so does everything that waits for it. The program does not crash; it hangs, often much later and far away. A read lock (`RLock`) left held does not stop other readers at first: the next `Lock` blocks forever, and every `RLock` that comes after that waiting writer blocks too.',
        '',
        'The same goes for a `break` that leaves a loop with the mutex locked, a `continue` that skips the unlock (the next iteration locks again and blocks), and a function that locks and never unlocks at all. When the caller is meant to unlock, say so in the function\'s doc comment (or name it `lock…`), and the rule stays quiet.',
        '',
        'Fix: unlock with `defer` right after locking, so every return path releases the mutex (a `defer` costs almost nothing since Go 1.14). Where the lock must be released before slow work, unlock explicitly on every path.',
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
        neverUnlocks: '{function} 对 {receiver} 加锁（第 {line} 行），但函数内没有任何解锁：返回时 {receiver} 仍被锁住，下一次 {lock} 会永久阻塞（如果由调用方解锁，请在文档注释里写明）',
        breakLeavesLocked: '这个 break 跳出循环时 {receiver} 仍处于加锁状态（第 {line} 行 `{receiver}.{lock}()`），循环之后也没有解锁：下一次 {lock} 会永久阻塞',
        continueSkipsUnlock: '这个 continue 跳过了 `{receiver}.{unlock}()`：下一轮迭代会在 {receiver} 仍被锁住时再次调用 `{receiver}.{lock}()`（第 {line} 行），从而永久阻塞',
      },
      exampleComments: {
        cMuStaysLocked: 'c.mu 一直处于加锁状态',
      },
      explanation: [
        '函数末尾显式的 `Unlock` 只在执行到它的那条路径上运行。`Lock` 与 `Unlock` 之间的提前 `return`（通常是错误检查）会让互斥锁**一直处于加锁状态**：下一个调用 `Lock` 的 goroutine 会永久阻塞，等待它的一切也随之阻塞。程序不会崩溃，而是挂起，而且往往发生在很久之后、离出错代码很远的地方。没有释放的读锁（`RLock`）一开始并不妨碍其他读者；但下一次 `Lock` 会永久阻塞，而排在这个写者之后的每个 `RLock` 也都会被堵住。',
        '',
        '同样的问题也出现在：带着锁跳出循环的 `break`；跳过解锁的 `continue`（下一轮迭代再次加锁时会阻塞）；以及加了锁却从不解锁的函数。如果本来就该由调用方解锁，请在函数的文档注释里写明（或把函数命名为 `lock…`），本规则就不会报告。',
        '',
        '修复方法：加锁后立即用 `defer` 解锁，这样每条返回路径都会释放互斥锁（自 Go 1.14 起 `defer` 的开销几乎可以忽略）。如果必须在耗时操作之前释放锁，就在每条路径上显式解锁。',
      ].join('\n'),
    },
  },
  check(context) {
    const constants = falseConstants(context.declarations);
    const channels = fileChannels(context);
    for (const { fn, calls } of functionMutexes(context)) {
      const names = channels.namesFor(fn);
      if (!names || ownDescendants(fn, 'goto_statement').length > 0) continue;
      const facts: FunctionFacts = { fn, calls, mutexes: lockedKeys(calls), names, constants };
      for (const lock of calls) {
        if (!isLocking(lock.method)) continue;
        checkLock(context, facts, lock);
        checkNeverUnlocked(context, facts, lock);
      }
    }
  },
};
