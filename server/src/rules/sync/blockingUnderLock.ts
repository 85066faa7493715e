// sync/blocking-under-lock: while a mutex is held, an operation waits for
// another goroutine (a channel send or receive, a select without default,
// `wg.Wait()`, `cond.Wait()` of another lock, or a call of the package that
// does one of these), and that
// goroutine locks the same mutex before it can answer: each waits for the
// other. An error when every goroutine that could answer needs the mutex
// (for `Wait`, when one of those waited for does); a warning when only some
// of them do. Quiet whenever the other side is not fully in sight: a channel
// or WaitGroup passed out of view or exported, a buffered channel, a
// parameter, an unknown type or callee.
import type { Severity } from '../../engine/finding';
import { blockingSummariesOf, type BlockingSummaries, type Identity, type OperationSite } from '../../packageModel/blockingSummaries';
import type { HeldLock } from '../../packageModel/functionFacts';
import type { PackageFunction } from '../../packageModel/goPackage';
import type { ChannelOperation, SyncOperation } from '../../packageModel/operationFacts';
import { pathKey, type ValuePath } from '../../packageModel/valuePaths';
import type { PackageRule, PackageSite } from '../packageRule';
import type { PackageRuleContext } from '../packageRuleContext';

interface HeldMutex {
  lock: HeldLock;
  mutex: ValuePath;
}

/** The other side of the operation that needs the mutex: where it waits, and where it takes the mutex. */
interface Answer {
  severity: Severity;
  counterpart: OperationSite;
  locksAt: PackageSite;
}

function methodsConflict(held: 'Lock' | 'RLock', wanted: string): boolean {
  return wanted === 'Lock' || (held === 'Lock' && wanted === 'RLock');
}

/** The held mutex as the blocking side names it. */
interface HeldIdentity {
  mutex: Identity;
  /** The owner of the object's field in the blocking function (undefined for a local or package variable). */
  objectOwner: string | undefined;
  /** The declaration the blocking operation is in. */
  declaration: PackageFunction;
}

/**
 * Whether a mutex path in `fn` names the held mutex: the same identity and,
 * for a field, of the same value: next to the object as on the blocking side,
 * or (for a local or package object) the same variable of one declaration.
 */
function sameMutex(summaries: BlockingSummaries, fn: PackageFunction, path: ValuePath, held: HeldIdentity, objectOwner: string | undefined): boolean {
  const identity = summaries.identityOf(fn, path);
  if (!identity || identity.key !== held.mutex.key) return false;
  if (held.mutex.owner === undefined) return true;
  if (held.objectOwner !== undefined) return identity.owner === objectOwner;
  return summaries.declarationOf(fn) === held.declaration && identity.owner === held.mutex.owner;
}

/** Where the goroutine of `site` takes the mutex on its way to the operation (before it, or in the loop around it), if it does. */
function lockOnTheWay(summaries: BlockingSummaries, site: OperationSite, mutex: HeldIdentity, heldMethod: 'Lock' | 'RLock'): PackageSite | undefined {
  const { fn, op } = site;
  const object = op.kind === 'channel' ? op.channel : op.receiver;
  const objectOwner = object ? summaries.identityOf(fn, object)?.owner : undefined;
  const locks = summaries.locks;
  for (const lock of op.held) {
    const path = locks.mutexOf(fn, lock.path);
    if (path && methodsConflict(heldMethod, lock.method) && sameMutex(summaries, fn, path, mutex, objectOwner)) return { fn, at: lock.at };
  }
  const loop = op.loop;
  // A goroutine that adds itself to the WaitGroup (`wg.Add(1)` under the lock, then `defer wg.Done()`) is counted only once past what came before.
  const objectKey = object ? summaries.identityOf(fn, object)?.key : undefined;
  const addedAt = Math.max(
    -1,
    ...fn.facts.events.flatMap((event) =>
      op.kind === 'sync' && event.kind === 'call' && event.target.kind === 'selector' && event.target.name === 'Add' && summaries.identityOf(fn, event.target.receiver)?.key === objectKey ? [event.at[1]] : [],
    ),
  );
  for (const event of fn.facts.events) {
    if (event.dependsOnParameter || event.at[0] < addedAt) continue;
    const before = event.at[0] < op.at[0] || (loop !== undefined && event.at[0] >= loop[0] && event.at[1] <= loop[1]) || (op.kind === 'sync' && op.deferred);
    if (!before) continue;
    if (event.kind === 'lock') {
      const path = locks.mutexOf(fn, event.receiver);
      if (path && methodsConflict(heldMethod, event.method) && sameMutex(summaries, fn, path, mutex, objectOwner)) return { fn, at: event.at };
      continue;
    }
    for (const acquisition of locks.acquisitionsAt(fn, event)) {
      if (methodsConflict(heldMethod, acquisition.method) && sameMutex(summaries, fn, acquisition.mutex, mutex, objectOwner)) return { fn, at: event.at };
    }
  }
  return undefined;
}

/**
 * Whether the goroutines that can answer an operation on `object` (done in
 * `fn`, which holds `held`) need the held mutex first.
 */
function answerOf(summaries: BlockingSummaries, fn: PackageFunction, op: ChannelOperation | SyncOperation, object: ValuePath, held: HeldMutex): Answer | undefined {
  const objectIdentity = summaries.identityOf(fn, object);
  const mutexIdentity = summaries.identityOf(fn, held.mutex);
  if (!objectIdentity || objectIdentity.exported || !mutexIdentity) return undefined;
  if (mutexIdentity.owner !== undefined && objectIdentity.owner !== undefined && mutexIdentity.owner !== objectIdentity.owner) return undefined;
  const uses = summaries.usesOf(objectIdentity);
  if (!uses || uses.escapes) return undefined;
  const kind = summaries.objectKind(fn, object);
  let counterparts: OperationSite[];
  // A mutex another goroutine unlocks (a hand-off) is not held the way the text shows.
  if (summaries.usesOf(mutexIdentity)?.unlockedElsewhere) return undefined;
  if (kind === 'chan' && op.kind === 'channel') {
    // A buffered channel can take a value with no receiver there, or hold one sent before the sender needed the lock.
    if (uses.buffered.length === 0 || uses.buffered.some((buffered) => buffered !== false)) return undefined;
    if (op.operation === 'send') {
      counterparts = uses.sites.filter((site) => site.op.kind === 'channel' && (site.op.operation === 'receive' || site.op.operation === 'range'));
    } else {
      counterparts = uses.sites.filter((site) => site.op.kind === 'channel' && (site.op.operation === 'send' || site.op.operation === 'close'));
    }
  } else if (kind === 'sync.WaitGroup' && op.kind === 'sync' && op.method === 'Wait') {
    if (uses.startedWithGo) return undefined;
    counterparts = uses.sites.filter((site) => site.op.kind === 'sync' && site.op.method === 'Done');
  } else if (kind === 'sync.Cond' && op.kind === 'sync' && op.method === 'Wait') {
    // Wait releases the Cond's own lock; another one stays held. Every NewCond stored into it must name the same, known locker.
    const [locker] = uses.lockers;
    if (!locker || uses.lockers.some((each) => each !== locker) || locker === mutexIdentity.key) return undefined;
    counterparts = uses.sites.filter((site) => site.op.kind === 'sync' && (site.op.method === 'Signal' || site.op.method === 'Broadcast'));
  } else {
    return undefined;
  }
  if (counterparts.length === 0) return undefined;
  const declaration = summaries.declarationOf(fn);
  const heldIdentity: HeldIdentity = { mutex: mutexIdentity, objectOwner: objectIdentity.owner, declaration };
  const needing: Answer[] = [];
  for (const counterpart of counterparts) {
    // The same goroutine on the other side is another bug (or a select that serves itself): not this rule's.
    const locksAt = counterpart.fn === fn || counterpart.fn === declaration ? undefined : lockOnTheWay(summaries, counterpart, heldIdentity, held.lock.method);
    if (locksAt) needing.push({ severity: 'error', counterpart, locksAt });
  }
  if (needing.length === 0) return undefined;
  // wg.Wait returns only when every goroutine waited for is done: one that needs the mutex is enough.
  const everyOne = kind === 'sync.WaitGroup' || needing.length === counterparts.length;
  return { ...needing[0], severity: everyOne ? 'error' : 'warning' };
}

function fileName(fn: PackageFunction): string {
  return fn.file.file.split(/[\\/]/).pop() ?? '';
}

export const blockingUnderLock: PackageRule = {
  id: 'sync/blocking-under-lock',
  category: 'sync',
  defaultSeverity: 'error',
  requiresText: ['.Lock()', '.RLock()'],
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Channel_types',
  example: {
    shared: [
      'func (q *Queue) work() {',
      '\tfor job := range q.jobs {',
      '\t\tq.mu.Lock()',
      '\t\tq.pending--',
      '\t\tq.mu.Unlock()',
      '\t\tq.run(job)',
      '\t}',
      '}',
    ].join('\n'),
    before: [
      'func (q *Queue) Push(job int) {',
      '\tq.mu.Lock()',
      '\tdefer q.mu.Unlock()',
      '\tq.pending++',
      '\tq.jobs <- job // {theWorkerLocksQ}',
      '}',
    ].join('\n'),
    after: [
      'func (q *Queue) Push(job int) {',
      '\tq.mu.Lock()',
      '\tq.pending++',
      '\tq.mu.Unlock()',
      '\tq.jobs <- job // {sentWithoutTheLock}',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Blocking while holding a lock the other side needs',
      messages: {
        send: 'the send on `{object}` waits for a receiver while `{mutex}` is held (since line {line}), but the receiver, `{other}`, locks `{mutex}` before it receives ({place}): both wait forever',
        receive: 'the receive from `{object}` waits for a sender while `{mutex}` is held (since line {line}), but the sender, `{other}`, locks `{mutex}` before it sends ({place}): both wait forever',
        wait: '`{object}.Wait()` waits for the goroutines while `{mutex}` is held (since line {line}), but `{other}` locks `{mutex}` before it calls Done ({place}): both wait forever',
        condWait: '`{object}.Wait()` releases only its own lock; `{mutex}` stays held (since line {line}), and `{other}` locks `{mutex}` before it signals ({place}): both wait forever',
        call: '`{call}` can block on `{object}` (in `{callee}`) while `{mutex}` is held (since line {line}), and `{other}` locks `{mutex}` before it can answer ({place}): both wait forever',
        some: '{message} — when `{other}` is the goroutine that answers',
        place: 'line {line}',
        placeInFile: '{file}:{line}',
        heldHere: '`{mutex}` locked here',
        blocksHere: 'blocks here, in `{callee}`',
        through: 'called on the way: `{callee}`',
        otherSide: 'the other side, in `{other}`',
        otherLocks: '`{other}` locks `{mutex}` here',
      },
      exampleComments: {
        theWorkerLocksQ: 'the worker locks q.mu before it receives again: both wait',
        sentWithoutTheLock: 'sent without the lock',
      },
      explanation: [
        'While a goroutine holds a mutex and waits — to send or receive on a channel, in a `select` without `default`, in `wg.Wait()`, in `cond.Wait()` of a Cond built on another lock (Wait releases only the lock the Cond was built on), or in a call that does one of these — the mutex stays locked. If the goroutine that would answer (the receiver, the sender, the worker that calls `Done`, the one that calls `Signal`) has to lock the same mutex first, each waits for the other: a deadlock. Go reports it only when *every* goroutine is stuck; in a server, the two just hang, and everything else that needs the mutex piles up behind them.',
        '',
        "The rule reports only when it sees both sides in the package: the channel, WaitGroup or Cond is not exported nor passed out of sight, the channel is unbuffered, the Cond's own lock is known, and the other side's function locks the same mutex before it answers (or in the loop around its answer). It is an error when every goroutine that could answer needs the mutex, a warning when only some of them do.",
        '',
        'Fix: release the mutex before the blocking operation (copy what you need while holding it), or hand the work to the other goroutine without waiting.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '持锁阻塞，而另一方也要这把锁',
      messages: {
        send: '向 `{object}` 发送时要等接收方，此时仍持有 `{mutex}`（自第 {line} 行起），而接收方 `{other}` 在接收之前要先锁 `{mutex}`（{place}）：双方会永远互相等待',
        receive: '从 `{object}` 接收时要等发送方，此时仍持有 `{mutex}`（自第 {line} 行起），而发送方 `{other}` 在发送之前要先锁 `{mutex}`（{place}）：双方会永远互相等待',
        wait: '`{object}.Wait()` 等待各个 goroutine 结束时仍持有 `{mutex}`（自第 {line} 行起），而 `{other}` 在调用 Done 之前要先锁 `{mutex}`（{place}）：双方会永远互相等待',
        condWait: '`{object}.Wait()` 只会释放它自己的锁，`{mutex}` 仍被持有（自第 {line} 行起），而 `{other}` 在发出通知之前要先锁 `{mutex}`（{place}）：双方会永远互相等待',
        call: '`{call}` 可能阻塞在 `{object}` 上（在 `{callee}` 中），此时仍持有 `{mutex}`（自第 {line} 行起），而 `{other}` 要先锁 `{mutex}` 才能响应（{place}）：双方会永远互相等待',
        some: '{message}（当负责响应的恰好是 `{other}` 时）',
        place: '第 {line} 行',
        placeInFile: '{file} 第 {line} 行',
        heldHere: '在此锁住 `{mutex}`',
        blocksHere: '在 `{callee}` 中于此阻塞',
        through: '途经的调用：`{callee}`',
        otherSide: '另一方，在 `{other}` 中',
        otherLocks: '`{other}` 在此锁住 `{mutex}`',
      },
      exampleComments: {
        theWorkerLocksQ: '工作 goroutine 再次接收前要先锁 q.mu：双方互相等待',
        sentWithoutTheLock: '不再持锁发送',
      },
      explanation: [
        'goroutine 持有互斥锁时若进入等待——在通道上发送或接收、执行不带 `default` 的 `select`、调用 `wg.Wait()`、在基于另一把锁的 Cond 上调用 `cond.Wait()`（Wait 只释放 Cond 自己的锁），或调用会做这些事的函数——这把锁会一直锁着。如果负责响应的 goroutine（接收方、发送方、最后调用 `Done` 的工作 goroutine、负责调用 `Signal` 的 goroutine）必须先拿到同一把锁，双方就会互相等待，形成死锁。只有当**所有** goroutine 都卡住时 Go 才会报错；在服务程序里，这两个 goroutine 只会静静挂起，其他需要这把锁的代码也会跟着排队。',
        '',
        '只有在包内能看清双方时，本规则才会报告：通道、WaitGroup 或 Cond 没有导出，也没有被传到看不见的地方；通道没有缓冲；Cond 自己的锁是已知的；另一方所在的函数在响应之前（或在包住响应的循环里）会锁同一把锁。所有可能响应的 goroutine 都需要这把锁时报告为错误；只有其中一部分需要时报告为警告。',
        '',
        '修复方法：在阻塞操作之前释放锁（持锁时先把需要的数据复制出来），或者把工作交给对方，而不是原地等待。',
      ].join('\n'),
    },
  },
  checkPackage(context: PackageRuleContext) {
    const summaries = blockingSummariesOf(context.pkg);
    // A mutex is held at an operation only where the function's own text locks it (a goroutine literal's text is
    // inside its declaration's): the file's other functions, and the rest of the package until an operation under a
    // lock asks for its other side, are never read.
    const functions = summaries.withGoroutineLiterals(context.pkg.functionsIn(context.file).filter((fn) => fn.facts.mentionsLock));
    const place = (site: PackageSite) =>
      site.fn.file.file === context.file
        ? context.message('place', { line: context.lineOf(site) })
        : context.message('placeInFile', { file: fileName(site.fn), line: context.lineOf(site) });
    const report = (fn: PackageFunction, at: PackageSite['at'], held: HeldMutex, answer: Answer, messageKey: string, values: Record<string, string>, through: PackageSite[] = [], blocksAt?: PackageSite) => {
      const mutex = pathKey(held.lock.path);
      const other = answer.counterpart.fn.qualifiedName;
      const common = { mutex, other, line: String(context.lineOf({ fn, at: held.lock.at })), place: place(answer.locksAt), ...values };
      const main = context.message(messageKey, common);
      context.report({
        at: { fn, at },
        messageKey: answer.severity === 'error' ? messageKey : 'some',
        values: answer.severity === 'error' ? common : { message: main, other },
        severity: answer.severity,
        related: [
          { at: { fn, at: held.lock.at }, messageKey: 'heldHere', values: { mutex } },
          ...through.map((site) => ({ at: site, messageKey: 'through', values: { callee: site.fn.qualifiedName } })),
          ...(blocksAt ? [{ at: blocksAt, messageKey: 'blocksHere', values: { callee: blocksAt.fn.qualifiedName } }] : []),
          { at: { fn: answer.counterpart.fn, at: answer.counterpart.op.at }, messageKey: 'otherSide', values: { other } },
          { at: answer.locksAt, messageKey: 'otherLocks', values: { other, mutex } },
        ],
      });
    };
    for (const fn of functions) {
      // A select without default waits for whichever case is ready first: it deadlocks only if each of them does.
      const selects = new Map<number, { severity: Severity; answer: Answer; held: HeldMutex; op: ChannelOperation } | null>();
      for (const op of fn.facts.operations) {
        if (op.held.length === 0 || op.kind === 'go' || (op.kind === 'channel' && (op.operation === 'close' || op.select?.hasDefault))) continue;
        if (op.kind === 'sync' && (op.method !== 'Wait' || op.deferred)) continue;
        const object = op.kind === 'channel' ? op.channel : op.receiver;
        let found: { answer: Answer; held: HeldMutex } | undefined;
        for (const held of summaries.locks.heldMutexes(fn, op.held)) {
          const answer = object ? answerOf(summaries, fn, op, object, held) : undefined;
          if (answer) {
            found = { answer, held };
            break;
          }
        }
        if (op.kind === 'channel' && op.select) {
          const key = op.select.at[0];
          const known = selects.get(key);
          if (known === null) continue;
          if (!found) selects.set(key, null);
          else if (!known) selects.set(key, { severity: found.answer.severity, ...found, op });
          else if (found.answer.severity === 'warning') known.severity = 'warning';
          continue;
        }
        if (!found || !object) continue;
        const messageKey = op.kind === 'channel' ? (op.operation === 'send' ? 'send' : 'receive') : summaries.objectKind(fn, op.receiver) === 'sync.Cond' ? 'condWait' : 'wait';
        report(fn, op.at, found.held, found.answer, messageKey, { object: pathKey(object) });
      }
      for (const chosen of selects.values()) {
        if (!chosen?.op.select || !chosen.op.channel) continue;
        const at: [number, number] = [chosen.op.select.at[0], chosen.op.select.at[0] + 'select'.length];
        report(fn, at, chosen.held, { ...chosen.answer, severity: chosen.severity }, chosen.op.operation === 'send' ? 'send' : 'receive', { object: pathKey(chosen.op.channel) });
      }
      for (const event of fn.facts.events) {
        if (event.kind !== 'call' || event.held.length === 0) continue;
        const held = summaries.locks.heldMutexes(fn, event.held);
        if (held.length === 0) continue;
        search: for (const reached of summaries.reachedAtCall(fn, event)) {
          for (const mutex of held) {
            if (reached.released.includes(pathKey(mutex.mutex)) || reached.released.includes(pathKey(mutex.lock.path))) continue;
            const { op } = reached.site;
            const answer = answerOf(summaries, fn, op, reached.object, mutex);
            if (!answer) continue;
            const callee = event.target.kind === 'function' ? event.target.name : `${pathKey(event.target.receiver)}.${event.target.name}`;
            report(fn, event.at, mutex, answer, 'call', { call: `${callee}(${event.arguments.length > 0 ? '…' : ''})`, object: pathKey(reached.object), callee: reached.site.fn.qualifiedName }, reached.through.slice(1), { fn: reached.site.fn, at: op.at });
            break search;
          }
        }
      }
    }
  },
};
