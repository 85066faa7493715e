// sync/lock-order-inversion: two places of the package take the same two
// mutexes in opposite orders (A then B here, B then A there, directly or
// through the package's own calls). When two goroutines run them at the same
// time, each holds the mutex the other waits for: both block forever.
// Reported once per pair of places, at the one that comes first (by file and
// position), with the other as related information. Two read locks do not
// block each other, so a pair whose waits would both meet read locks is left out.
import { functionLockOrderEdges, lockOrderEdges, type LockOrderEdge } from '../../packageModel/lockOrder';
import { pathKey } from '../../packageModel/valuePaths';
import type { PackageRule } from '../packageRule';
import type { PackageRuleContext } from '../packageRuleContext';

/** Whether the goroutine wanting `wanted` blocks while the other holds it as `held`. */
function blocks(wanted: 'Lock' | 'RLock', held: 'Lock' | 'RLock'): boolean {
  return wanted === 'Lock' || held === 'Lock';
}

function position(edge: LockOrderEdge): [string, number] {
  return [edge.fn.file.file, edge.fn.start + edge.at[0]];
}

function comesFirst(a: LockOrderEdge, b: LockOrderEdge): boolean {
  const [fileA, offsetA] = position(a);
  const [fileB, offsetB] = position(b);
  return fileA < fileB || (fileA === fileB && offsetA < offsetB);
}

export const lockOrderInversion: PackageRule = {
  id: 'sync/lock-order-inversion',
  category: 'sync',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  // Both mutexes are locked by name in the package (a `Lock` or `RLock` call).
  requiresText: ['.Lock()', '.RLock()'],
  documentation: 'https://go.dev/doc/articles/race_detector',
  example: {
    before: [
      'func (s *Server) Register(c *Conn) {',
      '\ts.mu.Lock() // {serverMuThenConn}',
      '\tdefer s.mu.Unlock()',
      '\tc.mu.Lock()',
      '\tc.server = s',
      '\tc.mu.Unlock()',
      '}',
      '',
      'func (c *Conn) Close() {',
      '\tc.mu.Lock() // {connMuThenServer}',
      '\tdefer c.mu.Unlock()',
      '\tc.server.forget(c) // {forgetLocksSMu}',
      '}',
    ].join('\n'),
    after: [
      'func (c *Conn) Close() {',
      '\tc.mu.Lock()',
      '\tserver := c.server',
      '\tc.mu.Unlock()',
      '\tserver.forget(c)',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Two mutexes taken in opposite orders',
      messages: {
        inversion: '`{second}` is locked here while `{first}` is held, but `{other}` ({place}) locks `{first}` while holding `{second}`: two goroutines running both can each wait for the other forever ({firstClass} → {secondClass} → {firstClass})',
        place: 'line {line}',
        placeInFile: '{file}:{line}',
        firstHere: '`{first}` locked here',
        secondThere: '`{other}` locks them in the other order here',
        lockedIn: '`{mutex}` is locked here, in `{callee}`',
      },
      exampleComments: {
        after: 'read what is needed under Conn.mu, release it, then take Server.mu',
        serverMuThenConn: 'Server.mu, then Conn.mu',
        connMuThenServer: 'Conn.mu, then Server.mu: the other order',
        forgetLocksSMu: 'forget locks s.mu',
      },
      explanation: [
        'A **lock-order inversion** is the classic deadlock of two mutexes. One goroutine locks `A` and then, still holding it, `B`; another locks `B` and then `A`. If they run at the same time, the first holds `A` and waits for `B`, the second holds `B` and waits for `A`, and neither ever continues. It may not show in tests: both must reach the middle at the same moment.',
        '',
        'The two orders are often far apart: in two methods, in two files, or one of the locks is taken inside a function called while the other is held.',
        '',
        'Fix: decide one order for the two mutexes and keep to it everywhere (document it next to the fields), or release the first before taking the second, or merge what the two mutexes guard under one.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '两个互斥锁的加锁顺序相反',
      messages: {
        inversion: '这里在持有 `{first}` 时锁住 `{second}`，而 `{other}`（{place}）在持有 `{second}` 时锁住 `{first}`：两个 goroutine 同时执行这两处时，可能互相等待、永远阻塞（{firstClass} → {secondClass} → {firstClass}）',
        place: '第 {line} 行',
        placeInFile: '{file} 第 {line} 行',
        firstHere: '在此锁住 `{first}`',
        secondThere: '`{other}` 在此以相反的顺序加锁',
        lockedIn: '`{mutex}` 在 `{callee}` 中于此处加锁',
      },
      exampleComments: {
        after: '在 Conn.mu 下取出所需的值，释放后再去拿 Server.mu',
        serverMuThenConn: '先 Server.mu，后 Conn.mu',
        connMuThenServer: '先 Conn.mu，后 Server.mu：顺序相反',
        forgetLocksSMu: 'forget 会锁 s.mu',
      },
      explanation: [
        '**加锁顺序颠倒**是两个互斥锁之间最典型的死锁。一个 goroutine 先锁 `A`，在持有它的同时再锁 `B`；另一个先锁 `B` 再锁 `A`。两者同时执行时，第一个持有 `A` 等 `B`，第二个持有 `B` 等 `A`，谁也无法继续。测试里未必能复现：只有两者恰好同时走到中间才会发生。',
        '',
        '这两种顺序往往相隔很远：在两个方法里、两个文件里，或者其中一把锁是在持有另一把锁时调用的函数内部加上的。',
        '',
        '修复方法：为这两个锁规定一个固定顺序并处处遵守（在字段旁写明）；或者先释放第一把锁再去拿第二把；或者把两把锁保护的数据合并到一把锁之下。',
      ].join('\n'),
    },
  },
  checkPackage(context: PackageRuleContext) {
    const own = context.functionsToCheck().flatMap((fn) => functionLockOrderEdges(fn, context.locks));
    if (own.length === 0) return;
    const edges = lockOrderEdges(context.pkg, context.locks);
    const reported = new Set<string>();
    for (const edge of own) {
      const reverse = edges.find(
        (other) =>
          other.first.lockClass === edge.second.lockClass &&
          other.second.lockClass === edge.first.lockClass &&
          blocks(edge.second.method, other.first.method) &&
          blocks(other.second.method, edge.first.method),
      );
      if (!reverse || !comesFirst(edge, reverse)) continue;
      const key = `${edge.fn.start + edge.at[0]}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const otherLine = context.lineOf({ fn: reverse.fn, at: reverse.at });
      const place = reverse.fn.file === edge.fn.file ? context.message('place', { line: otherLine }) : context.message('placeInFile', { file: reverse.fn.file.file.split(/[\\/]/).pop() ?? '', line: otherLine });
      const first = pathKey(edge.first.spelled);
      const second = pathKey(edge.second.spelled);
      const lockedElsewhere = edge.lockedAt.fn !== edge.fn || edge.lockedAt.at[0] !== edge.at[0];
      context.report({
        at: { fn: edge.fn, at: edge.at },
        messageKey: 'inversion',
        values: { first, second, other: reverse.fn.qualifiedName, place, firstClass: edge.first.lockClass, secondClass: edge.second.lockClass },
        related: [
          { at: { fn: edge.fn, at: edge.first.at }, messageKey: 'firstHere', values: { first } },
          ...(lockedElsewhere ? [{ at: edge.lockedAt, messageKey: 'lockedIn', values: { mutex: second, callee: edge.lockedAt.fn.qualifiedName } }] : []),
          { at: { fn: reverse.fn, at: reverse.at }, messageKey: 'secondThere', values: { other: reverse.fn.qualifiedName } },
        ],
      });
    }
  },
};
