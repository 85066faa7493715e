// sync/relock-through-call: while a function holds a mutex, it calls a
// function of the package that locks the same mutex again, directly or
// through further calls (including the String()/Error() method fmt and log
// call for a printed value). Go's mutexes are not reentrant: Lock→Lock and
// Lock↔RLock block forever at once; RLock→RLock blocks as soon as a writer
// queues in between (a warning). The mutexes are matched through the package
// model: the callee's receiver and parameters bound to the caller's paths.
import { pathKey } from '../../packageModel/valuePaths';
import type { CallEvent, FunctionEvent } from '../../packageModel/functionFacts';
import type { PackageFunction } from '../../packageModel/goPackage';
import type { Acquisition, HeldMutex, LockSummaries } from '../../packageModel/lockSummaries';
import type { PackageRule } from '../packageRule';
import type { PackageRuleContext } from '../packageRuleContext';

function callText(event: FunctionEvent): string {
  if (event.kind === 'lock') return `${pathKey(event.receiver)}.${event.method}()`;
  const parenthesized = event.arguments.length > 0 ? '(…)' : '()';
  return event.target.kind === 'function' ? `${event.target.name}${parenthesized}` : `${pathKey(event.target.receiver)}.${event.target.name}${parenthesized}`;
}

function isPrintCall(event: FunctionEvent, context: PackageRuleContext, imports: ReadonlyMap<string, string>): event is CallEvent {
  if (event.kind !== 'call' || event.target.kind !== 'selector' || event.target.receiver.fields.length > 0) return false;
  const importPath = imports.get(event.target.receiver.root);
  return (importPath === 'fmt' || importPath === 'log') && !context.pkg.declares(event.target.receiver.root);
}

export const relockThroughCall: PackageRule = {
  id: 'sync/relock-through-call',
  category: 'sync',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  // The mutex is locked by name in the package, at least where it is held.
  requiresText: ['.Lock()', '.RLock()'],
  documentation: 'https://pkg.go.dev/sync#Mutex',
  example: {
    before: [
      'func (c *Cache) Refresh() {',
      '\tc.mu.Lock()',
      '\tdefer c.mu.Unlock()',
      '\tc.items = nil',
      '\tc.Len() // {lenLocksCMu}',
      '}',
      '',
      'func (c *Cache) Len() int {',
      '\tc.mu.Lock()',
      '\tdefer c.mu.Unlock()',
      '\treturn c.lenLocked()',
      '}',
    ].join('\n'),
    after: [
      'func (c *Cache) Refresh() {',
      '\tc.mu.Lock()',
      '\tdefer c.mu.Unlock()',
      '\tc.items = nil',
      '\tc.lenLocked()',
      '}',
      '',
      'func (c *Cache) lenLocked() int { return len(c.items) } // {theCallerHoldsC}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Mutex locked again through a call',
      messages: {
        relock: '`{call}` locks `{mutex}` again (in `{callee}`, {place}) while it is held since line {line}: Go mutexes are not reentrant, this blocks forever',
        relockRead: '`{call}` read-locks `{mutex}` again (in `{callee}`, {place}) while it is read-locked since line {line}: if a writer calls Lock in between, both wait forever',
        relockPrint: '`{call}` formats a value with `{callee}`, which locks `{mutex}` ({place}) while it is held since line {line}: this blocks forever',
        place: 'line {line}',
        placeInFile: '{file}:{line}',
        heldHere: '`{mutex}` locked here',
        lockedAgain: 'locked again here, in `{callee}`',
        through: 'called on the way: `{callee}`',
      },
      exampleComments: {
        lenLocksCMu: 'Len locks c.mu again: blocks forever',
        theCallerHoldsC: 'the caller holds c.mu',
      },
      explanation: [
        "A `sync.Mutex` is **not reentrant**. When a function holds `s.mu` and calls another function that locks `s.mu` too, the second `Lock` waits for the first to be released — by the very goroutine that is now waiting. It never returns, and every other goroutine that needs `s.mu` blocks behind it. Go does not detect this; the program just stops making progress.",
        '',
        "The second lock is often hidden: a public method that locks is called from another method that already holds the lock, or `fmt.Sprintf(\"%v\", s)` calls `s.String()`, which locks. A `sync.RWMutex` is no different: `RLock` while holding `Lock` (or the reverse) blocks at once, and two `RLock`s block as soon as a writer calls `Lock` between them, because a waiting writer stops new readers.",
        '',
        'Fix: keep locking in the exported entry points only, and let them call unexported helpers (by convention named `…Locked`) that expect the lock to be held; or release the lock before the call.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '通过函数调用再次加锁',
      messages: {
        relock: '`{call}` 会再次锁住 `{mutex}`（在 `{callee}` 中，{place}），而它自第 {line} 行起已被持有：Go 的互斥锁不可重入，这里会永久阻塞',
        relockRead: '`{call}` 会再次对 `{mutex}` 加读锁（在 `{callee}` 中，{place}），而它自第 {line} 行起已持有读锁：一旦有写者在两次之间调用 Lock，双方都会永远等待',
        relockPrint: '`{call}` 格式化参数时会调用 `{callee}`，它会锁住 `{mutex}`（{place}），而该锁自第 {line} 行起已被持有：这里会永久阻塞',
        place: '第 {line} 行',
        placeInFile: '{file} 第 {line} 行',
        heldHere: '在此锁住 `{mutex}`',
        lockedAgain: '在 `{callee}` 中再次加锁',
        through: '途经的调用：`{callee}`',
      },
      exampleComments: {
        lenLocksCMu: 'Len 会再次锁 c.mu：永久阻塞',
        theCallerHoldsC: '调用方已持有 c.mu',
      },
      explanation: [
        '`sync.Mutex` **不可重入**。函数持有 `s.mu` 时调用了另一个同样会锁 `s.mu` 的函数，第二次 `Lock` 要等第一次释放，而负责释放的正是此刻在等待的这个 goroutine。它永远不会返回，其他需要 `s.mu` 的 goroutine 也会跟着卡住。Go 不会检测这种情况，程序只是不再推进。',
        '',
        '第二次加锁往往藏得很深：一个会加锁的公开方法被另一个已持锁的方法调用；或者 `fmt.Sprintf("%v", s)` 调用了会加锁的 `s.String()`。`sync.RWMutex` 也一样：持有 `Lock` 时再 `RLock`（或反过来）会立即阻塞；两次 `RLock` 之间只要有写者调用了 `Lock`，也会阻塞，因为正在等待的写者会挡住新的读者。',
        '',
        '修复方法：只在导出的入口方法里加锁，由它们调用要求调用方已持锁的未导出辅助函数（按惯例命名为 `…Locked`）；或者在调用之前先释放锁。',
      ].join('\n'),
    },
  },
  checkPackage(context: PackageRuleContext) {
    for (const fn of context.functionsToCheck()) {
      // What the function relocks is kept with its lock summary: after an edit elsewhere it is not worked out again.
      for (const { event, holding, acquisition } of context.locks.derivedFor(relockThroughCall.id, fn, () => relocks(context.locks, fn))) {
        const readOnly = holding.lock.method === 'RLock' && acquisition.method === 'RLock';
        const printing = isPrintCall(event, context, fn.file.imports);
        // For a print call, the String/Error method fmt calls; otherwise the function that takes the lock.
        const callee = (printing ? (acquisition.through[1] ?? acquisition.site) : acquisition.site).fn.qualifiedName;
        const sameFile = acquisition.site.fn.file === fn.file;
        const lockLine = context.lineOf(acquisition.site);
        const place = sameFile
          ? context.message('place', { line: lockLine })
          : context.message('placeInFile', { file: acquisition.site.fn.file.file.split(/[\\/]/).pop() ?? '', line: lockLine });
        const mutex = pathKey(holding.lock.path);
        context.report({
          at: { fn, at: event.at },
          messageKey: printing ? 'relockPrint' : readOnly ? 'relockRead' : 'relock',
          values: { call: callText(event), mutex, callee, place, line: context.lineOf({ fn, at: holding.lock.at }) },
          severity: readOnly ? 'warning' : undefined,
          related: [
            { at: { fn, at: holding.lock.at }, messageKey: 'heldHere', values: { mutex } },
            ...acquisition.through.slice(1).map((site) => ({ at: site, messageKey: 'through', values: { callee: site.fn.qualifiedName } })),
            { at: acquisition.site, messageKey: 'lockedAgain', values: { callee: acquisition.site.fn.qualifiedName } },
          ],
        });
      }
    }
  },
};

interface Relock {
  event: FunctionEvent;
  holding: HeldMutex;
  acquisition: Acquisition;
}

/** Each event of the function that locks again a mutex it holds: the first such acquisition per event. */
function relocks(locks: LockSummaries, fn: PackageFunction): Relock[] {
  const found: Relock[] = [];
  if (!fn.facts.mentionsLock) return found;
  for (const event of fn.facts.events) {
    if (event.held.length === 0) continue;
    const held = locks.held(fn, event);
    if (held.length === 0) continue;
    for (const acquisition of locks.acquisitionsAt(fn, event, true)) {
      const holding = held.find((each) => pathKey(each.mutex) === pathKey(acquisition.mutex));
      if (!holding) continue;
      found.push({ event, holding, acquisition });
      break;
    }
  }
  return found;
}
