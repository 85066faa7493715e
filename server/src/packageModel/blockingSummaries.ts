// Per-function blocking summaries over the package, on top of the
// concurrency index (concurrencyIndex: which channel, WaitGroup or Cond an
// operation is on across functions, every other operation on it, the
// goroutine literals) and the lock summaries: what a function can block on
// directly or through the package's own calls, in its callers' terms, and
// whether it can block at all (bounded, recursion adds nothing). Unknown
// stays unknown: a channel passed out of the function's sight, an exported
// field, a parameter, an unresolved call. The identity and uses methods are
// the index's, kept here for the rules written against them. The summaries
// are made per version of the package, but what a function reaches is kept
// across versions where a fresh computation would answer the same
// (replayedAnswers), and the lock resolutions are the kept lock summaries'.
import { ConcurrencyIndex, type Identity, type ObjectUses, type OperationSite } from './concurrencyIndex';
import type { CallEvent, FunctionEvent } from './functionFacts';
import type { GoPackage, PackageFunction } from './goPackage';
import { LockSummaries, type LockSite } from './lockSummaries';
import type { BlockingOperation, ChannelOperation, GoroutineStart, SyncOperation } from './operationFacts';
import { ReplayedAnswers } from './replayedAnswers';
import { pathKey, type ValuePath } from './valuePaths';

export type { Identity, ObjectUses, OperationSite } from './concurrencyIndex';

/** A blocking operation a function reaches, with its object named in that function's terms. */
export interface ReachedOperation {
  site: OperationSite;
  /** The channel or WaitGroup, in the terms of the function the summary is for. */
  object: ValuePath;
  /** Mutexes released before it on the way down (the `…Locked` helpers that unlock the caller's lock), in the same terms. */
  released: string[];
  /** The calls from the function down to the operation, outermost first. */
  through: LockSite[];
}

export type CanBlock = 'yes' | 'no' | 'unknown';

const maxCallDepth = 32;

/** Standard functions that never block or only take a moment; any other call outside the package is unknown. */
const nonBlockingPackages: ReadonlySet<string> = new Set(['errors', 'strings', 'strconv', 'bytes', 'sort', 'slices', 'maps', 'math', 'unicode', 'unicode/utf8', 'sync/atomic']);
const blockingStandardCalls: ReadonlySet<string> = new Set(['time.Sleep']);
const nonBlockingSyncMethods: ReadonlySet<string> = new Set(['sync.WaitGroup.Add', 'sync.WaitGroup.Done', 'sync.Cond.Signal', 'sync.Cond.Broadcast']);

const summariesByPackage = new WeakMap<GoPackage, { generation: number; summaries: BlockingSummaries }>();

/** What each function reaches, kept across the package's versions (ReplayedAnswers: reused only where a fresh answer would be the same). */
const reachedByPackage = new WeakMap<GoPackage, { generation: number; answers: ReplayedAnswers<ReachedOperation[]> }>();

/** Cut recursion reaches nothing: unknown is not "blocks". */
const reachesNothing: ReachedOperation[] = [];

function reachedAnswersOf(pkg: GoPackage): ReplayedAnswers<ReachedOperation[]> {
  let known = reachedByPackage.get(pkg);
  if (!known) {
    known = { generation: pkg.generation, answers: new ReplayedAnswers(reachesNothing, maxCallDepth) };
    reachedByPackage.set(pkg, known);
  } else if (known.generation !== pkg.generation) {
    known.answers.newVersion(pkg.replacedSince(known.generation));
    known.generation = pkg.generation;
  }
  return known.answers;
}

/** The package's blocking summaries, shared by every file checked in one version of the package. */
export function blockingSummariesOf(pkg: GoPackage): BlockingSummaries {
  const known = summariesByPackage.get(pkg);
  if (known?.generation === pkg.generation) return known.summaries;
  const summaries = new BlockingSummaries(pkg, new LockSummaries(pkg, LockSummaries.of(pkg)), ConcurrencyIndex.of(pkg), reachedAnswersOf(pkg));
  summariesByPackage.set(pkg, { generation: pkg.generation, summaries });
  return summaries;
}

export class BlockingSummaries {
  private readonly blocking = new Map<PackageFunction, CanBlock>();
  private readonly blockingInProgress = new Set<PackageFunction>();

  constructor(
    readonly pkg: GoPackage,
    readonly locks: LockSummaries,
    /** The package's concurrency objects: identities, every operation on each, goroutine literals. */
    readonly index: ConcurrencyIndex,
    /** What functions reach, kept across versions; without it (a one-off model), answers for this version only. */
    private readonly reached = new ReplayedAnswers<ReachedOperation[]>(reachesNothing, maxCallDepth),
  ) {}

  /** How many answers of `reachedOperations` and `reachedAtCall` were computed, not reused: what tests observe. */
  get reachedComputed(): number {
    return this.reached.computed;
  }

  goroutineLiteral(fn: PackageFunction, start: GoroutineStart): PackageFunction | undefined {
    return this.index.goroutineLiteral(fn, start);
  }

  functions(): PackageFunction[] {
    return this.index.functions();
  }

  withGoroutineLiterals(declarations: readonly PackageFunction[]): PackageFunction[] {
    return this.index.withGoroutineLiterals(declarations);
  }

  declarationOf(fn: PackageFunction): PackageFunction {
    return this.index.declarationOf(fn);
  }

  identityOf(fn: PackageFunction, path: ValuePath): Identity | undefined {
    return this.index.identityOf(fn, path);
  }

  objectKind(fn: PackageFunction, path: ValuePath): 'chan' | 'sync.WaitGroup' | 'sync.Cond' | undefined {
    return this.index.objectKind(fn, path);
  }

  usesOf(identity: Identity): ObjectUses | undefined {
    return this.index.usesOf(identity);
  }

  /** Whether an operation can block by itself: a send, receive or range not in a select with default; a Wait on a WaitGroup or Cond. */
  private blocksByItself(fn: PackageFunction, op: BlockingOperation): op is ChannelOperation | SyncOperation {
    if (op.kind === 'channel') return op.operation !== 'close' && !op.select?.hasDefault;
    return op.kind === 'sync' && op.method === 'Wait' && !op.deferred && this.objectKind(fn, op.receiver) !== undefined;
  }

  /**
   * The blocking operations a function reaches on objects its callers can
   * name (through its receiver, parameters or package variables), directly or
   * through the package's calls; operations whose running depends on a
   * parameter are left to the caller.
   */
  reachedOperations(fn: PackageFunction): ReachedOperation[] {
    return this.reached.request(fn, this.computeReached);
  }

  private readonly computeReached = (fn: PackageFunction): ReachedOperation[] => {
    const found: ReachedOperation[] = [];
    for (const op of fn.facts.operations) {
      if (op.dependsOnParameter || !this.blocksByItself(fn, op) || op.kind === 'channel' && op.select) continue;
      const object = op.kind === 'channel' ? op.channel : op.receiver;
      if (object && this.nameableByCallers(fn, object)) found.push({ site: { fn, op }, object, released: op.releasedBefore, through: [] });
    }
    for (const event of fn.facts.events) {
      if (event.dependsOnParameter || event.kind !== 'call') continue;
      for (const reached of this.reachedAt(fn, event)) if (this.nameableByCallers(fn, reached.object)) found.push(reached);
    }
    return found;
  };

  /** `reachedAt` asked by a rule (nothing in progress): kept across versions with the call event. */
  reachedAtCall(fn: PackageFunction, event: CallEvent): ReachedOperation[] {
    return this.reached.topLevel('reachedAtCall', event, fn, () => this.reachedAt(fn, event), this.computeReached);
  }

  /** What the call at `event` reaches, in the caller's terms. */
  reachedAt(fn: PackageFunction, event: CallEvent): ReachedOperation[] {
    const found: ReachedOperation[] = [];
    for (const callee of this.locks.callees(fn, event)) {
      for (const reached of this.reachedOperations(callee.fn)) {
        const object = callee.bind(reached.object);
        if (!object) continue;
        const released = reached.released.flatMap((key) => {
          const [root, ...fields] = key.split('.');
          const bound = callee.bind({ root, fields });
          return bound ? [pathKey(bound)] : [];
        });
        found.push({ site: reached.site, object, released: [...event.releasedBefore, ...released], through: [{ fn, at: event.at }, ...reached.through] });
      }
    }
    return found;
  }

  private nameableByCallers(fn: PackageFunction, path: ValuePath): boolean {
    const facts = fn.facts;
    if (this.index.isGoroutineLiteral(fn)) return false;
    if (facts.receiver?.name === path.root || facts.parameters.some((parameter) => parameter.name === path.root)) return true;
    return !this.locks.scope(fn).declaresLocally(path.root) && this.pkg.variable(path.root) !== undefined;
  }

  /**
   * Whether a function can block: `yes` when it surely has an operation or a
   * call that blocks until another goroutine acts (or sleeps), `unknown`
   * when it calls what the package model cannot see, `no` otherwise.
   */
  canBlock(fn: PackageFunction): CanBlock {
    const known = this.blocking.get(fn);
    if (known) return known;
    // Recursion and chains deeper than the bound are not followed: unknown, never a guessed `no`.
    if (this.blockingInProgress.has(fn) || this.blockingInProgress.size >= maxCallDepth) return 'unknown';
    this.blockingInProgress.add(fn);
    let answer: CanBlock = 'no';
    try {
      // A select without default blocks too: every case is one of its operations.
      if (fn.facts.operations.some((op) => !op.dependsOnParameter && this.blocksByItself(fn, op))) answer = 'yes';
      for (const event of fn.facts.events) {
        if (answer === 'yes') break;
        const callAnswer = this.callCanBlock(fn, event);
        if (callAnswer === 'yes' || (callAnswer === 'unknown' && answer === 'no')) answer = callAnswer;
      }
    } finally {
      this.blockingInProgress.delete(fn);
    }
    this.blocking.set(fn, answer);
    return answer;
  }

  private callCanBlock(fn: PackageFunction, event: FunctionEvent): CanBlock {
    if (event.kind === 'lock') return 'no';
    const target = event.target;
    if (target.kind === 'function' && ['len', 'cap', 'append', 'make', 'new', 'delete', 'copy', 'panic', 'close', 'min', 'max', 'clear', 'print', 'println'].includes(target.name) && !this.pkg.declares(target.name)) return 'no';
    if (target.kind === 'selector') {
      const kind = this.objectKind(fn, target.receiver);
      if (kind) return target.name === 'Wait' ? 'yes' : nonBlockingSyncMethods.has(`${kind}.${target.name}`) ? 'no' : 'unknown';
    }
    const resolved = this.locks.scope(fn).call(target);
    if (resolved?.kind === 'function') return this.canBlock(resolved.fn);
    if (resolved?.kind === 'mutex') return 'no';
    if (resolved?.kind === 'imported') {
      if (blockingStandardCalls.has(`${resolved.path}.${resolved.name}`)) return 'yes';
      const quick = nonBlockingPackages.has(resolved.path) || (resolved.path === 'fmt' && /^(Sprint|Errorf|Append)/.test(resolved.name)) || (resolved.path === 'sync' && resolved.name === 'NewCond');
      return quick ? 'no' : 'unknown';
    }
    return 'unknown';
  }
}
