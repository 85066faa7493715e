// Per-function blocking summaries over the package, on top of the syntactic
// operations of operationFacts and the lock summaries: which channel, which
// WaitGroup an operation is on (its identity across functions), where the
// other side of a channel or WaitGroup is in the package (the goroutines
// started with `go`, literals included), whether a channel is surely
// unbuffered, whether all its uses are in sight, and what a function can
// block on directly or through the package's own calls (bounded, recursion
// adds nothing). Unknown stays unknown: a channel passed out of the
// function's sight, an exported field, a parameter, an unresolved call.
import type { CallEvent, FunctionEvent, FunctionFacts, LocalOrigin } from './functionFacts';
import type { GoPackage, PackageFunction } from './goPackage';
import { LockSummaries, type LockSite } from './lockSummaries';
import { lockClass } from './lockOrder';
import type { BlockingOperation, ChannelOperation, GoroutineStart, SyncOperation } from './operationFacts';
import { standardTypeName } from './typeResolver';
import { pathKey, type ValuePath } from './valuePaths';

/** What names one channel, WaitGroup or mutex across the package's functions. */
export interface Identity {
  /** `T.field`, `var name`, or a local of one declaration (`file@start#name`). */
  key: string;
  /** For a field: the path of the value it belongs to, in the function's terms (`s` for `s.mu`), to tell two fields of one value. */
  owner?: string;
  /** Code outside the package can name it (an exported field or package variable). */
  exported: boolean;
}

export interface OperationSite {
  fn: PackageFunction;
  op: ChannelOperation | SyncOperation;
}

/** Every use of one channel or WaitGroup in the package. */
export interface ObjectUses {
  sites: OperationSite[];
  /** Buffer of every value stored into it (undefined for what is not a `make`): unbuffered only when all are false. */
  buffered: (boolean | undefined)[];
  /** For a Cond: the identity keys of the lockers of every value stored into it (undefined when unknown). */
  lockers: (string | undefined)[];
  /** Passed, returned or stored somewhere, or used in a literal that runs at an unknown time: other sides may be out of sight. */
  escapes: boolean;
  /** A `wg.Go(f)` call: goroutines the text of Done calls does not show. */
  startedWithGo: boolean;
  /** For a mutex: unlocked by a goroutine that does not hold it (handed over between goroutines). */
  unlockedElsewhere: boolean;
}

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

interface LiteralOrigin {
  /** The declaration the literal is in. */
  declaration: PackageFunction;
  /** Names the literal declares itself (its own locals shadow the enclosing ones). */
  ownNames: ReadonlySet<string>;
}

function isExportedName(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

/** A goroutine literal's facts seen from inside: the enclosing function's receiver, parameters and locals are in scope. */
function literalScopeFacts(outer: FunctionFacts, literal: FunctionFacts): FunctionFacts {
  const locals: Record<string, LocalOrigin> = {};
  for (const parameter of outer.parameters) locals[parameter.name] = { kind: 'type', type: parameter.type };
  Object.assign(locals, outer.locals, literal.locals);
  const shadowed = new Set([...literal.parameters.map((parameter) => parameter.name), ...Object.keys(literal.locals)]);
  const receiver = outer.receiver?.name && !shadowed.has(outer.receiver.name) ? outer.receiver : undefined;
  return { ...literal, receiver, locals, unstable: [...new Set([...outer.unstable, ...literal.unstable])] };
}

const summariesByPackage = new WeakMap<GoPackage, { generation: number; summaries: BlockingSummaries }>();

/** The package's blocking summaries, shared by every file checked in one version of the package. */
export function blockingSummariesOf(pkg: GoPackage): BlockingSummaries {
  const known = summariesByPackage.get(pkg);
  if (known?.generation === pkg.generation) return known.summaries;
  const summaries = new BlockingSummaries(pkg, new LockSummaries(pkg));
  summariesByPackage.set(pkg, { generation: pkg.generation, summaries });
  return summaries;
}

export class BlockingSummaries {
  private readonly literals = new Map<GoroutineStart, PackageFunction>();
  private readonly literalOrigins = new Map<PackageFunction, LiteralOrigin>();
  private readonly reached = new Map<PackageFunction, ReachedOperation[]>();
  private readonly blocking = new Map<PackageFunction, CanBlock>();
  private readonly inProgress = new Set<PackageFunction>();
  private readonly blockingInProgress = new Set<PackageFunction>();
  private uses: Map<string, ObjectUses> | undefined;
  private everyFunction: PackageFunction[] | undefined;

  constructor(
    readonly pkg: GoPackage,
    readonly locks: LockSummaries,
  ) {}

  /** The function a `go func(){…}()` runs, as a package function whose scope includes what it captures. */
  goroutineLiteral(fn: PackageFunction, start: GoroutineStart): PackageFunction | undefined {
    if (start.body.kind !== 'literal') return undefined;
    let literal = this.literals.get(start);
    if (!literal) {
      const facts = literalScopeFacts(fn.facts, start.body.facts);
      const line = fn.file.lines.rangeOf(fn.start + start.at[0], fn.start + start.at[0]).start.line + 1;
      literal = { file: fn.file, start: fn.start, facts, qualifiedName: `${fn.qualifiedName} (goroutine, line ${line})`, receiverType: fn.receiverType };
      this.literals.set(start, literal);
      const declaration = this.literalOrigins.get(fn)?.declaration ?? fn;
      this.literalOrigins.set(literal, { declaration, ownNames: new Set([...start.body.facts.parameters.map((parameter) => parameter.name), ...Object.keys(start.body.facts.locals)]) });
    }
    return literal;
  }

  /** The package's functions and the goroutine literals in them (at any depth). */
  functions(): PackageFunction[] {
    this.everyFunction ??= this.withGoroutineLiterals(this.pkg.functions());
    return this.everyFunction;
  }

  /** The given declarations and the goroutine literals they start, nested ones included. */
  withGoroutineLiterals(declarations: readonly PackageFunction[]): PackageFunction[] {
    const all: PackageFunction[] = [];
    const visit = (fn: PackageFunction, depth: number) => {
      all.push(fn);
      if (depth > 8) return;
      for (const op of fn.facts.operations) {
        const literal = op.kind === 'go' ? this.goroutineLiteral(fn, op) : undefined;
        if (literal) visit(literal, depth + 1);
      }
    };
    for (const fn of declarations) visit(fn, 0);
    return all;
  }

  /** The declaration a function's text is in (itself, or the one around a goroutine literal). */
  declarationOf(fn: PackageFunction): PackageFunction {
    return this.literalOrigins.get(fn)?.declaration ?? fn;
  }

  /** Which object a path names, across functions; undefined when it cannot be told (a parameter, an unknown type). */
  identityOf(fn: PackageFunction, path: ValuePath): Identity | undefined {
    const typed = this.locks.scope(fn).typeOf(path);
    if (!typed) return undefined;
    const normalized = typed.path;
    if (normalized.fields.length > 0) {
      const lockClassName = lockClass(this.locks, fn, normalized);
      if (!lockClassName) return undefined;
      const field = normalized.fields[normalized.fields.length - 1];
      return { key: lockClassName, owner: pathKey({ root: normalized.root, fields: normalized.fields.slice(0, -1) }), exported: isExportedName(field) };
    }
    if (typed.root === 'package') return { key: `var ${normalized.root}`, exported: isExportedName(normalized.root) };
    if (typed.root !== 'local') return undefined;
    const origin = this.literalOrigins.get(fn);
    // A literal's own local is its own; a name it captures is the enclosing declaration's.
    const owner = origin && origin.ownNames.has(normalized.root) ? fn : this.declarationOf(fn);
    const literalPart = owner === fn && origin ? `:${fn.qualifiedName}` : '';
    return { key: `${owner.file.file}@${owner.start}${literalPart}#${normalized.root}`, exported: false };
  }

  /** `chan`, `sync.WaitGroup` or `sync.Cond` for a path whose type says so. */
  objectKind(fn: PackageFunction, path: ValuePath): 'chan' | 'sync.WaitGroup' | 'sync.Cond' | undefined {
    const type = this.locks.scope(fn).typeOf(path)?.type;
    if (!type) return undefined;
    if (type.kind === 'chan') return 'chan';
    const standard = standardTypeName(type);
    return standard === 'sync.WaitGroup' || standard === 'sync.Cond' ? standard : undefined;
  }

  /** Every use of the package's channels and WaitGroups, by identity (built once per version of the package, on demand). */
  usesOf(identity: Identity): ObjectUses | undefined {
    this.uses ??= this.collectUses();
    return this.uses.get(identity.key);
  }

  private collectUses(): Map<string, ObjectUses> {
    const uses = new Map<string, ObjectUses>();
    const entry = (key: string) => {
      let found = uses.get(key);
      if (!found) {
        found = { sites: [], buffered: [], lockers: [], escapes: false, startedWithGo: false, unlockedElsewhere: false };
        uses.set(key, found);
      }
      return found;
    };
    for (const fn of this.functions()) {
      for (const op of fn.facts.operations) {
        const path = op.kind === 'channel' ? op.channel : op.kind === 'sync' ? op.receiver : undefined;
        const identity = path && this.identityOf(fn, path);
        if (identity && op.kind !== 'go') entry(identity.key).sites.push({ fn, op });
      }
      const { makes, escaping, inOtherLiterals } = fn.facts.channels;
      for (const made of makes) {
        let key: string | undefined;
        if (made.into.kind === 'path') key = this.identityOf(fn, made.into.path)?.key;
        else {
          const type = this.locks.resolver.resolve(made.into.type, fn.file);
          const base = type.kind === 'pointer' ? type.element : type;
          key = base.kind === 'package' ? `${base.name}.${made.into.field}` : undefined;
        }
        if (!key) continue;
        const uses = entry(key);
        uses.buffered.push(made.value.kind === 'make' ? made.value.buffered : undefined);
        const locker = made.value.kind === 'cond' && fn.file.imports.get(made.value.qualifier) === 'sync' && made.value.locker ? this.locks.mutexOf(fn, made.value.locker) : undefined;
        uses.lockers.push(locker && this.identityOf(fn, locker)?.key);
      }
      for (const path of [...escaping, ...inOtherLiterals]) {
        const key = this.identityOf(fn, path)?.key;
        if (key) entry(key).escapes = true;
      }
      for (const event of fn.facts.events) {
        if (event.kind === 'lock' && (event.method === 'Unlock' || event.method === 'RUnlock')) {
          // Only goroutine literals: a function called with the lock held unlocks its caller's lock (the `…Locked` helpers).
          if (!this.literalOrigins.has(fn) || event.held.some((lock) => pathKey(lock.path) === pathKey(event.receiver))) continue;
          const mutex = this.locks.mutexOf(fn, event.receiver);
          const key = mutex && this.identityOf(fn, mutex)?.key;
          if (key) entry(key).unlockedElsewhere = true;
          continue;
        }
        if (event.kind !== 'call' || event.target.kind !== 'selector' || event.target.name !== 'Go') continue;
        const key = this.identityOf(fn, event.target.receiver)?.key;
        if (key) entry(key).startedWithGo = true;
      }
    }
    return uses;
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
    const known = this.reached.get(fn);
    if (known) return known;
    if (this.inProgress.has(fn) || this.inProgress.size >= maxCallDepth) return [];
    this.inProgress.add(fn);
    const found: ReachedOperation[] = [];
    try {
      for (const op of fn.facts.operations) {
        if (op.dependsOnParameter || !this.blocksByItself(fn, op) || op.kind === 'channel' && op.select) continue;
        const object = op.kind === 'channel' ? op.channel : op.receiver;
        if (object && this.nameableByCallers(fn, object)) found.push({ site: { fn, op }, object, released: op.releasedBefore, through: [] });
      }
      for (const event of fn.facts.events) {
        if (event.dependsOnParameter || event.kind !== 'call') continue;
        for (const reached of this.reachedAt(fn, event)) if (this.nameableByCallers(fn, reached.object)) found.push(reached);
      }
    } finally {
      this.inProgress.delete(fn);
    }
    this.reached.set(fn, found);
    return found;
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
    if (this.literalOrigins.has(fn)) return false;
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
