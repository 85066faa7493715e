// Per-function lock summaries over the package call graph: which mutexes a
// function acquires, directly or through the package's own functions it
// calls (and the `String()`/`Error()` methods fmt and log call for it), in
// the terms of its receiver, parameters and package variables, so that a
// caller can bind them to its own paths. Computed on demand; a call back
// into a function still being summarized (recursion) and chains deeper than
// the bound add nothing: unknown is not "locks".
//
// `LockSummaries.of(pkg)` keeps one instance per package across its versions
// (a keystroke must not summarize the package again). The summaries, and the
// answers rules derive from them (relocks, lock-order edges), are kept as
// replayed answers: one is reused in a new version when its function is
// unchanged and asking its callees again, in this version's order, answers
// the same (so what a recursion cuts is what a fresh model would cut). A
// function's resolutions (scope, mutexes) are kept until it changes. A change
// of shape (a type, a signature, an import, a file) drops everything.
import type { CallEvent, FunctionEvent, HeldLock, LockEvent, Span } from './functionFacts';
import type { GoPackage, PackageFunction } from './goPackage';
import { printedOperands } from './printedMethods';
import { ReplayedAnswers } from './replayedAnswers';
import { TypeResolver, type FunctionScope, type ResolvedCall, type TypedPath } from './typeResolver';
import { pathKey, rebase, type ValuePath } from './valuePaths';

export interface LockSite {
  fn: PackageFunction;
  at: Span;
}

export interface Acquisition {
  /** The mutex, normalized, in the terms of the function it is reported for. */
  mutex: ValuePath;
  method: 'Lock' | 'RLock';
  /** The Lock/RLock statement. */
  site: LockSite;
  /** The calls from the function the acquisition is reported for down to the lock, outermost first. */
  through: LockSite[];
}

export interface HeldMutex {
  lock: HeldLock;
  mutex: ValuePath;
}

/**
 * What a function's names resolve to, kept until its declaration or the
 * package's shape changes: its scope, the mutex each locked path names (null:
 * not surely a mutex) by path key, and the mutexes of each list of held locks
 * (a list of the function's facts).
 */
interface Resolution {
  scope: FunctionScope;
  mutexes: Map<string, ValuePath | null>;
  held: WeakMap<readonly HeldLock[], HeldMutex[]>;
}

/** A package function a call event runs, with the paths its receiver and parameters are bound to. */
interface Callee {
  fn: PackageFunction;
  bind: (path: ValuePath) => ValuePath | undefined;
}

const maxCallDepth = 64;

/** A cut recursion acquires nothing: unknown is not "locks". */
const acquiresNothing: Acquisition[] = [];

const byPackage = new WeakMap<GoPackage, LockSummaries>();

export class LockSummaries {
  readonly resolver: TypeResolver;
  /** Weak: the concurrency index asks for the scopes of goroutine literals, which no replaced-function log names when they go. */
  private resolutions = new WeakMap<PackageFunction, Resolution>();
  /** What each function acquires, and the answers derived from it, kept across versions while a fresh computation would give the same. */
  private readonly answers = new ReplayedAnswers<Acquisition[]>(acquiresNothing, maxCallDepth);
  /** The package version these answers are of. */
  private generation: number;
  /** How many paths were resolved to a mutex (or to none) by the type resolver, not taken from the cache. */
  resolvedMutexes = 0;

  /**
   * `shared`: the package's kept summaries, whose resolutions (scopes,
   * mutexes) this instance reads instead of making its own. They depend only
   * on the function's text and the package's declarations, never on the
   * order in which summaries are asked (which decides what a recursion cuts),
   * so an instance made afresh per version can share them.
   */
  constructor(
    readonly pkg: GoPackage,
    private readonly shared?: LockSummaries,
  ) {
    this.resolver = shared?.resolver ?? new TypeResolver(pkg);
    this.generation = pkg.generation;
  }

  /** The package's summaries, kept across its versions and brought up to date with the current one. */
  static of(pkg: GoPackage): LockSummaries {
    let summaries = byPackage.get(pkg);
    if (!summaries) {
      summaries = new LockSummaries(pkg);
      byPackage.set(pkg, summaries);
    }
    summaries.update();
    return summaries;
  }

  /** How many answers (summaries, and answers derived from them) were computed, not reused: what tests observe. */
  get computed(): number {
    return this.answers.computed;
  }

  /** Drops what the package's changes since the last version seen make stale. */
  private update(): void {
    if (this.generation === this.pkg.generation) return;
    const replaced = this.pkg.replacedSince(this.generation);
    this.generation = this.pkg.generation;
    this.answers.newVersion(replaced);
    if (!replaced) this.resolutions = new WeakMap();
  }

  /**
   * An answer about one function computed from its summary and its callees'
   * (through `acquisitionsAt`), kept under `slot` while it and the summaries
   * it read answer the same.
   */
  derivedFor<T>(slot: string, fn: PackageFunction, compute: () => T): T {
    return this.answers.topLevel(slot, fn, fn, compute, this.computeAcquisitions);
  }

  private resolutionOf(fn: PackageFunction): Resolution {
    let resolution = this.resolutions.get(fn);
    if (!resolution) {
      resolution = { scope: this.resolver.scopeOf(fn), mutexes: new Map(), held: new WeakMap() };
      this.resolutions.set(fn, resolution);
    }
    return resolution;
  }

  scope(fn: PackageFunction): FunctionScope {
    return this.shared?.scope(fn) ?? this.resolutionOf(fn).scope;
  }

  /** The mutex a path names, normalized (`s.Mutex` for an embedded one), or undefined when it is not surely a mutex. */
  mutexOf(fn: PackageFunction, path: ValuePath): ValuePath | undefined {
    if (this.shared) return this.shared.mutexOf(fn, path);
    const { scope, mutexes } = this.resolutionOf(fn);
    const key = pathKey(path);
    let mutex = mutexes.get(key);
    if (mutex === undefined) {
      this.resolvedMutexes++;
      const resolved = scope.call({ kind: 'selector', receiver: path, name: 'Lock' });
      mutex = resolved?.kind === 'mutex' ? resolved.mutex : null;
      mutexes.set(key, mutex);
    }
    return mutex ?? undefined;
  }

  /** The locks surely held at an event that are surely mutexes. */
  held(fn: PackageFunction, event: FunctionEvent): readonly HeldMutex[] {
    return this.heldMutexes(fn, event.held);
  }

  /** Of the locks held at some point of the function (an event, an operation), those that are surely mutexes. */
  heldMutexes(fn: PackageFunction, locks: readonly HeldLock[]): readonly HeldMutex[] {
    if (this.shared) return this.shared.heldMutexes(fn, locks);
    const known = this.resolutionOf(fn).held;
    let held = known.get(locks);
    if (!held) {
      held = [];
      for (const lock of locks) {
        const mutex = this.mutexOf(fn, lock.path);
        if (mutex) held.push({ lock, mutex });
      }
      known.set(locks, held);
    }
    return held;
  }

  private released(fn: PackageFunction, event: FunctionEvent): Set<string> {
    const keys = new Set<string>();
    for (const key of event.releasedBefore) {
      const [root, ...fields] = key.split('.');
      const mutex = this.mutexOf(fn, { root, fields });
      if (mutex) keys.add(pathKey(mutex));
    }
    return keys;
  }

  /** The package functions an event calls (a method, a function, or the Error/String methods a print call formats with). */
  callees(fn: PackageFunction, event: FunctionEvent): Callee[] {
    const scope = this.scope(fn);
    const target = event.kind === 'lock' ? { kind: 'selector' as const, receiver: event.receiver, name: event.method } : event.target;
    const resolved = scope.call(target);
    if (resolved?.kind === 'function') return [this.bound(scope, resolved, event)];
    if (resolved?.kind === 'imported' && event.kind === 'call') return this.printCallees(scope, resolved, event);
    return [];
  }

  private bound(scope: FunctionScope, call: Extract<ResolvedCall, { kind: 'function' }>, event: FunctionEvent): Callee {
    const callee = call.fn.facts;
    const argumentPaths = event.kind === 'call' ? event.arguments.map((argument) => (argument.path ? scope.typeOf(argument.path)?.path : undefined)) : [];
    return {
      fn: call.fn,
      bind: (path) => {
        if (callee.receiver?.name === path.root) return call.receiver ? rebase(path, call.receiver) : undefined;
        const index = callee.parameters.findIndex((parameter) => parameter.name === path.root);
        if (index >= 0) {
          const argument = argumentPaths[index];
          return argument ? rebase(path, argument) : undefined;
        }
        // A package variable: the same in the caller, unless a local there hides the name.
        return scope.declaresLocally(path.root) ? undefined : path;
      },
    };
  }

  private printCallees(scope: FunctionScope, call: Extract<ResolvedCall, { kind: 'imported' }>, event: CallEvent): Callee[] {
    const callees: Callee[] = [];
    for (const index of printedOperands(call.path, call.name, event.arguments.length, (at) => event.arguments[at]?.literal)) {
      const path = event.arguments[index]?.path;
      const typed = path ? scope.typeOf(path) : undefined;
      if (!typed) continue;
      const method = this.formattingMethod(typed);
      if (method) callees.push(this.bound(scope, method, event));
    }
    return callees;
  }

  /** The method fmt calls to format a value of this type: Error() before String(), if in the value's method set. */
  private formattingMethod(typed: TypedPath): Extract<ResolvedCall, { kind: 'function' }> | undefined {
    for (const name of ['Error', 'String']) {
      const found = this.resolver.method(typed.type, name);
      if (!found || !('fn' in found.found)) continue;
      const fn = found.found.fn;
      const pointerReceiver = fn.facts.receiver?.type.kind === 'pointer';
      // A value does not carry its pointer methods into an interface: fmt never sees them.
      if (pointerReceiver && typed.type.kind !== 'pointer' && found.via.length === 0) return undefined;
      if (fn.facts.parameters.length > 0) return undefined;
      return { kind: 'function', fn, receiver: { root: typed.path.root, fields: [...typed.path.fields, ...found.via] } };
    }
    return undefined;
  }

  /**
   * What the call at `event` acquires, in the caller's terms (its locals
   * included). Mutexes the caller unlocked earlier are left out unless
   * `includeReleased` (they may have been locked again since).
   */
  acquisitionsAt(fn: PackageFunction, event: FunctionEvent, includeReleased = false): Acquisition[] {
    const released = includeReleased ? new Set<string>() : this.released(fn, event);
    const found: Acquisition[] = [];
    for (const callee of this.callees(fn, event)) {
      for (const acquisition of this.acquisitions(callee.fn)) {
        const mutex = callee.bind(acquisition.mutex);
        if (!mutex || released.has(pathKey(mutex))) continue;
        found.push({ ...acquisition, mutex, through: [{ fn, at: event.at }, ...acquisition.through] });
      }
    }
    return found;
  }

  /** What a function acquires, directly or through calls, in the terms of its receiver, parameters and package variables. */
  acquisitions(fn: PackageFunction): Acquisition[] {
    return this.answers.request(fn, this.computeAcquisitions);
  }

  private readonly computeAcquisitions = (fn: PackageFunction): Acquisition[] => {
    const found: Acquisition[] = [];
    for (const event of fn.facts.events) {
      if (event.dependsOnParameter) continue;
      const direct = event.kind === 'lock' ? this.directAcquisition(fn, event) : undefined;
      if (direct) found.push(direct);
      else for (const acquisition of this.acquisitionsAt(fn, event)) if (this.exported(fn, acquisition.mutex)) found.push(acquisition);
    }
    return dedupe(found);
  };

  private directAcquisition(fn: PackageFunction, event: LockEvent): Acquisition | undefined {
    if (event.method !== 'Lock' && event.method !== 'RLock') return undefined;
    // Unlocked earlier in the same function: the `…Locked` helpers that release and re-take the caller's lock.
    if (event.releasedBefore.includes(pathKey(event.receiver))) return undefined;
    const mutex = this.mutexOf(fn, event.receiver);
    if (!mutex || !this.exported(fn, mutex)) return undefined;
    return { mutex, method: event.method, site: { fn, at: event.at }, through: [] };
  }

  /** Whether a caller can name this mutex: rooted in the receiver, a parameter or a package variable. */
  private exported(fn: PackageFunction, mutex: ValuePath): boolean {
    const facts = fn.facts;
    if (facts.receiver?.name === mutex.root || facts.parameters.some((parameter) => parameter.name === mutex.root)) return true;
    return !this.scope(fn).declaresLocally(mutex.root) && this.pkg.variable(mutex.root) !== undefined;
  }
}

function dedupe(acquisitions: Acquisition[]): Acquisition[] {
  const seen = new Set<string>();
  return acquisitions.filter((acquisition) => {
    const key = `${pathKey(acquisition.mutex)}|${acquisition.method}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
