// The order in which the package's functions take two different mutexes:
// an edge A → B wherever B is taken (directly, or by a package function
// called) while A is surely held. Mutexes are named by class — the struct
// type and field (`Conn.mu`, `Server.Mutex` for an embedded one) or the
// package variable — since two functions name the same mutex through
// different receivers; a mutex of no class (a local, an anonymous struct) is
// left out. A function's edges are kept with its lock summary (they depend on
// it and on its callees' summaries) and recomputed only when one of those
// changes.
import type { GoPackage, PackageFunction } from './goPackage';
import type { Span } from './functionFacts';
import type { LockSummaries } from './lockSummaries';
import type { ValuePath } from './valuePaths';

export interface LockOrderEdge {
  /** The class of the mutex held, and how the function holding it spells it. */
  first: { lockClass: string; spelled: ValuePath; method: 'Lock' | 'RLock'; at: Span };
  second: { lockClass: string; spelled: ValuePath; method: 'Lock' | 'RLock' };
  /** The function holding the first and the statement or call that takes the second. */
  fn: PackageFunction;
  at: Span;
  /** Where the second is locked (in `fn` itself, or in a function it calls). */
  lockedAt: { fn: PackageFunction; at: Span };
}

/**
 * `T.field` for a mutex reached through a value of package type T, `var name`
 * for a package variable; undefined when the class would stand for several
 * mutexes of one value (`c.in.mu` and `c.out.mu` with `in, out halfConn`).
 */
export function lockClass(locks: LockSummaries, fn: PackageFunction, mutex: ValuePath): string | undefined {
  const scope = locks.scope(fn);
  if (mutex.fields.length === 0) {
    return scope.typeOf(mutex)?.root === 'package' ? `var ${mutex.root}` : undefined;
  }
  for (let depth = 1; depth < mutex.fields.length; depth++) {
    const parent = scope.typeOf({ root: mutex.root, fields: mutex.fields.slice(0, depth - 1) });
    if (!parent || locks.resolver.hasSiblingOfSameType(parent.type, mutex.fields[depth - 1])) return undefined;
  }
  const owner = scope.typeOf({ root: mutex.root, fields: mutex.fields.slice(0, -1) });
  const base = owner?.type.kind === 'pointer' ? owner.type.element : owner?.type;
  return base?.kind === 'package' ? `${base.name}.${mutex.fields[mutex.fields.length - 1]}` : undefined;
}

/**
 * The package's edges as last listed, with the answers they were listed from
 * (the functions' non-empty ones, in order): the list is made again only when
 * those answers are not the same objects any more. Most edits are in functions
 * that take no second lock, and change none of them.
 */
const edgesByPackage = new WeakMap<GoPackage, { generation: number; edges: LockOrderEdge[]; answers: LockOrderEdge[][] }>();

/** The lock-order edges of one function. */
export function functionLockOrderEdges(fn: PackageFunction, locks: LockSummaries): LockOrderEdge[] {
  return locks.derivedFor('lockOrderEdges', fn, () => computeLockOrderEdges(fn, locks));
}

function computeLockOrderEdges(fn: PackageFunction, locks: LockSummaries): LockOrderEdge[] {
  const edges: LockOrderEdge[] = [];
  // Holds no lock at any event: nothing to read.
  if (!fn.facts.mentionsLock) return edges;
  for (const event of fn.facts.events) {
    if (event.held.length === 0) continue;
    const held = locks.held(fn, event);
    if (held.length === 0) continue;
    const taken: { mutex: ValuePath; method: 'Lock' | 'RLock'; lockedAt: { fn: PackageFunction; at: Span } }[] = [];
    if (event.kind === 'lock' && (event.method === 'Lock' || event.method === 'RLock')) {
      const mutex = locks.mutexOf(fn, event.receiver);
      if (mutex) taken.push({ mutex, method: event.method, lockedAt: { fn, at: event.at } });
    }
    if (taken.length === 0) for (const acquisition of locks.acquisitionsAt(fn, event)) taken.push({ mutex: acquisition.mutex, method: acquisition.method, lockedAt: acquisition.site });
    for (const second of taken) {
      const secondClass = lockClass(locks, fn, second.mutex);
      if (!secondClass) continue;
      for (const first of held) {
        const firstClass = lockClass(locks, fn, first.mutex);
        if (!firstClass || firstClass === secondClass) continue;
        edges.push({
          first: { lockClass: firstClass, spelled: first.lock.path, method: first.lock.method, at: first.lock.at },
          second: { lockClass: secondClass, spelled: second.mutex, method: second.method },
          fn,
          at: event.at,
          lockedAt: second.lockedAt,
        });
      }
    }
  }
  return edges;
}

/**
 * Every lock-order edge of the package, in the order of its functions (each
 * function's edges are kept across versions while it and what it calls are
 * unchanged). Asked only when a file has edges of its own.
 */
export function lockOrderEdges(pkg: GoPackage, locks: LockSummaries): LockOrderEdge[] {
  const known = edgesByPackage.get(pkg);
  if (known?.generation === pkg.generation) return known.edges;
  const answers: LockOrderEdge[][] = [];
  for (const fn of pkg.functions()) {
    const edges = functionLockOrderEdges(fn, locks);
    if (edges.length > 0) answers.push(edges);
  }
  const same = known !== undefined && known.answers.length === answers.length && answers.every((edges, index) => edges === known.answers[index]);
  const edges = same ? known.edges : answers.flat();
  edgesByPackage.set(pkg, { generation: pkg.generation, edges, answers });
  return edges;
}
