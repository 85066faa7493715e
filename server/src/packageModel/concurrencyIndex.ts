// One index of a package's concurrency objects (channels, WaitGroups, Conds,
// context cancel functions, and mutexes as far as they are handed between
// goroutines), serving every rule that follows such an object across the
// package's functions. It is made of one part per declaration, computed from
// that declaration's facts only and kept until the declaration changes (as
// the lock summaries are; GoPackage.replacedSince), so an edit inside one
// function body recomputes that function's part and folds the parts again.
//
// A part has two sides, read by different rules and computed on first read:
// - operations: every channel operation, Wait/Done/Signal/Broadcast, with the
//   locks held there and the function or goroutine literal it is in, keyed by
//   the object's identity (`T.field`, `var name`, or a local of one
//   declaration), with the buffers and Cond lockers stored into it and the
//   paths that leave the function's sight (blocking-under-lock);
// - uses: every use of a field or package variable of one of these types
//   (send, receive, close, Add/Done/Wait, Signal/Broadcast, cancel calls,
//   stores), and whether some use is not understood (escapes), by the
//   object's name (no-counterpart, stored cancels, started-goroutine Add).
// Unknown stays unknown: rules stay quiet on what the index cannot name.
import type { FileFacts, PlacedDeclaration } from './declarationFacts';
import { emptyBodyFacts, type FunctionFacts, type LocalOrigin, type Span } from './functionFacts';
import type { GoPackage, PackageFunction } from './goPackage';
import { lockClass } from './lockOrder';
import { LockSummaries } from './lockSummaries';
import type { ChannelOperation, GoroutineStart, SyncOperation } from './operationFacts';
import { FunctionScope, standardTypeName, type ResolvedType } from './typeResolver';
import type { DeclarationUses, ValueUse, WrittenValue } from './valueUses';
import { pathKey, type ValuePath } from './valuePaths';

/** What names one channel, WaitGroup or mutex across the package's functions. */
export interface Identity {
  /** `T.field`, `var name`, or a local of one declaration or goroutine literal (`local N#name`, N standing for it). */
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

/** Every operation on one channel, WaitGroup, Cond or mutex in the package, by identity. */
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

export type ObjectKind = 'channel' | 'cond' | 'waitgroup' | 'cancel';

export type ObjectOperation = 'send' | 'receive' | 'close' | 'wait' | 'signal' | 'add' | 'done' | 'call' | 'store';

export interface ObjectUse {
  operation: ObjectOperation;
  /** Where it happens; undefined in a package-level `var` initializer. */
  fn?: PackageFunction;
  at: Span;
  select?: ValueUse['select'];
  inLiteral?: boolean;
  /** For a store: what is stored (writes, composite literals, `var` initializers). */
  written?: WrittenValue;
}

export interface ConcurrencyObject {
  /** `T.field` for a field of the package's type T, the variable's name for a package variable. */
  name: string;
  kind: ObjectKind;
  uses: ObjectUse[];
  /** Some use is not understood: the object may be reached from code the package model cannot see. */
  escapes: boolean;
}

/** A package function started with `go` by a function of the package. */
export interface GoStartSite {
  /** The function whose `go` statement it is. */
  fn: PackageFunction;
  at: Span;
  started: PackageFunction;
}

export interface PackageConcurrency {
  objects: ReadonlyMap<string, ConcurrencyObject>;
  goStarts: readonly GoStartSite[];
}

/** One declaration's contribution to the operations side, per identity key, in the order of its functions (itself, then its goroutine literals). */
type OperationRecords = Map<string, ObjectUses>;

/**
 * One declaration's contribution to the uses side: objects touched in order, with a use or an escape; names
 * it could not type. Not its `go` starts: which function `go s.serve()` starts is another declaration,
 * replaced when that one is edited, so they are resolved per version.
 */
interface UseRecords {
  touched: { name: string; kind: ObjectKind; use?: ObjectUse; escapes?: true }[];
  unknownNames: string[];
}

interface DeclarationPart {
  operations?: OperationRecords;
  uses?: UseRecords;
}

interface LiteralOrigin {
  /** The declaration the literal is in. */
  declaration: PackageFunction;
  /** Names the literal declares itself (its own locals shadow the enclosing ones). */
  ownNames: ReadonlySet<string>;
}

const cancelTypes: ReadonlySet<string> = new Set(['context.CancelFunc', 'context.CancelCauseFunc']);
/** The methods that are operations of an object; any other method of these types (WaitGroup.Go) is not followed. */
const methodOperations: Partial<Record<ObjectKind, Record<string, ObjectOperation>>> = {
  cond: { Wait: 'wait', Signal: 'signal', Broadcast: 'signal' },
  waitgroup: { Add: 'add', Done: 'done', Wait: 'wait' },
};

const noFacts: FunctionFacts = { name: '', parameters: [], results: [], mentionsLock: false, ...emptyBodyFacts() };

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

/** A name for a function object that stays the same while it lives (its offset moves with edits above it). */
const serials = new WeakMap<PackageFunction, number>();
let nextSerial = 0;
function serialOf(fn: PackageFunction): number {
  let serial = serials.get(fn);
  if (serial === undefined) {
    serial = nextSerial++;
    serials.set(fn, serial);
  }
  return serial;
}

function newObjectUses(): ObjectUses {
  return { sites: [], buffered: [], lockers: [], escapes: false, startedWithGo: false, unlockedElsewhere: false };
}

/** The key of a field's or package variable's entry in `packageConcurrency(pkg).objects`; undefined for a local. */
export function packageObjectKey(identity: Identity): string | undefined {
  if (identity.key.startsWith('local ')) return undefined;
  return identity.key.startsWith('var ') ? identity.key.slice(4) : identity.key;
}

/** The name an identity key is about, as the code spells it: the field, the variable, the local. */
function nameInKey(key: string): string {
  if (key.startsWith('var ')) return key.slice(4);
  if (key.startsWith('local ')) return key.slice(key.indexOf('#') + 1);
  return key.slice(key.lastIndexOf('.') + 1);
}

const spelled = new WeakMap<DeclarationUses, ReadonlySet<string>>();

/** The names a declaration spells: its words, or those of every path and literal key its uses read (each identifier is one). */
function spelledNames(uses: DeclarationUses): ReadonlySet<string> {
  if (uses.kind === 'words') return uses.words;
  let names = spelled.get(uses);
  if (!names) {
    const found = new Set<string>();
    for (const use of uses.uses) {
      if (use.path) {
        found.add(use.path.root);
        for (const field of use.path.fields) found.add(field);
      } else if (use.field) found.add(use.field);
    }
    for (const element of uses.literals) if (element.key) found.add(element.key);
    names = found;
    spelled.set(uses, names);
  }
  return names;
}

const byPackage = new WeakMap<GoPackage, ConcurrencyIndex>();

export class ConcurrencyIndex {
  /** Per declaration, what it contributes; kept across versions until the declaration changes. */
  private parts = new Map<PackageFunction, DeclarationPart>();
  /**
   * Goroutine literals by their `go` statement and the function it is in: kept as long as both are.
   * The statement alone is not enough: facts carry over by text into a new package function when the
   * package's shape changes, and a literal of the old one would name the old one's locals.
   */
  private readonly literals = new WeakMap<GoroutineStart, { enclosing: PackageFunction; literal: PackageFunction }>();
  private readonly literalOrigins = new WeakMap<PackageFunction, LiteralOrigin>();
  private readonly packageScopes = new WeakMap<FileFacts, FunctionScope>();
  private generation: number;
  // What follows is of the current version only: the functions with their goroutine literals, and the folds of the parts.
  private everyFunction: PackageFunction[] | undefined;
  /** Per identity key asked for: every operation on it (null: none in the package). */
  private operationsByKey = new Map<string, ObjectUses | null>();
  /** Each indexed function's uses (undefined for an unindexed method's declaration), by the function. */
  private usesByFunction: Map<PackageFunction, DeclarationUses> | undefined;
  private concurrency: PackageConcurrency | undefined;
  /** How many declaration parts were computed (not taken from the cache): what tests observe. */
  computed = 0;

  private constructor(
    readonly pkg: GoPackage,
    readonly locks: LockSummaries,
  ) {
    this.generation = pkg.generation;
  }

  /** The package's index, kept across its versions and brought up to date with the current one. */
  static of(pkg: GoPackage): ConcurrencyIndex {
    // Brings the shared lock summaries (whose scopes type the paths here) up to date too.
    const locks = LockSummaries.of(pkg);
    let index = byPackage.get(pkg);
    if (!index) {
      index = new ConcurrencyIndex(pkg, locks);
      byPackage.set(pkg, index);
    }
    index.update();
    return index;
  }

  /** Drops the parts of the declarations changed since the version last seen (all of them when the package's shape changed). */
  private update(): void {
    if (this.generation === this.pkg.generation) return;
    const replaced = this.pkg.replacedSince(this.generation);
    this.generation = this.pkg.generation;
    this.everyFunction = undefined;
    this.operationsByKey = new Map();
    this.usesByFunction = undefined;
    this.concurrency = undefined;
    if (replaced) for (const fn of replaced) this.parts.delete(fn);
    else this.parts = new Map();
  }

  private partOf(declaration: PackageFunction): DeclarationPart {
    let part = this.parts.get(declaration);
    if (!part) {
      part = {};
      this.parts.set(declaration, part);
    }
    return part;
  }

  /** The function a `go func(){…}()` runs, as a package function whose scope includes what it captures. */
  goroutineLiteral(fn: PackageFunction, start: GoroutineStart): PackageFunction | undefined {
    if (start.body.kind !== 'literal') return undefined;
    const known = this.literals.get(start);
    let literal = known?.enclosing === fn ? known.literal : undefined;
    if (!literal) {
      const facts = literalScopeFacts(fn.facts, start.body.facts);
      // Its place follows the enclosing function's, which moves in place when lines are added above it.
      literal = {
        get file() {
          return fn.file;
        },
        get start() {
          return fn.start;
        },
        facts,
        get qualifiedName() {
          const line = fn.file.lines.rangeOf(fn.start + start.at[0], fn.start + start.at[0]).start.line + 1;
          return `${fn.qualifiedName} (goroutine, line ${line})`;
        },
        receiverType: fn.receiverType,
      };
      this.literals.set(start, { enclosing: fn, literal });
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

  /** Whether the function is a goroutine literal. */
  isGoroutineLiteral(fn: PackageFunction): boolean {
    return this.literalOrigins.has(fn);
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
    return { key: `local ${serialOf(owner)}#${normalized.root}`, exported: false };
  }

  /** `chan`, `sync.WaitGroup` or `sync.Cond` for a path whose type says so. */
  objectKind(fn: PackageFunction, path: ValuePath): 'chan' | 'sync.WaitGroup' | 'sync.Cond' | undefined {
    const type = this.locks.scope(fn).typeOf(path)?.type;
    if (!type) return undefined;
    if (type.kind === 'chan') return 'chan';
    const standard = standardTypeName(type);
    return standard === 'sync.WaitGroup' || standard === 'sync.Cond' ? standard : undefined;
  }

  /** Every operation on the object with this identity, across the package (folded from the parts once per version and key, on demand). */
  usesOf(identity: Identity): ObjectUses | undefined {
    let uses = this.operationsByKey.get(identity.key);
    if (uses === undefined) {
      uses = this.foldOperations(identity.key);
      this.operationsByKey.set(identity.key, uses);
    }
    return uses ?? undefined;
  }

  /** The package's channels, Conds, WaitGroups and cancel functions by name, and its `go` starts. */
  objects(): PackageConcurrency {
    this.concurrency ??= this.foldUses();
    return this.concurrency;
  }

  // The operations side.

  /**
   * The operations on one object, from the parts of the declarations that can
   * name it: an operation, a store, a path passed on spells the field,
   * variable or local it is about. A mutex is the exception: a goroutine
   * literal's `s.Unlock()` on an embedded one names `T.Mutex` without
   * spelling it, so a declaration that mentions Lock is always read.
   */
  private foldOperations(key: string): ObjectUses | null {
    const name = nameInKey(key);
    let folded: ObjectUses | null = null;
    for (const declaration of this.pkg.functions()) {
      const uses = this.declarationUsesOf(declaration);
      if (uses && !spelledNames(uses).has(name) && !(uses.kind === 'read' && declaration.facts.mentionsLock)) continue;
      const part = this.partOf(declaration);
      if (!part.operations) {
        this.computed++;
        part.operations = this.operationRecords(declaration);
      }
      const records = part.operations.get(key);
      if (!records) continue;
      if (!folded) folded = newObjectUses();
      folded.sites.push(...records.sites);
      folded.buffered.push(...records.buffered);
      folded.lockers.push(...records.lockers);
      folded.escapes ||= records.escapes;
      folded.startedWithGo ||= records.startedWithGo;
      folded.unlockedElsewhere ||= records.unlockedElsewhere;
    }
    return folded;
  }

  /** The uses read from a function's declaration (undefined for a declaration that has none). */
  private declarationUsesOf(fn: PackageFunction): DeclarationUses | undefined {
    if (!this.usesByFunction) {
      this.usesByFunction = new Map();
      for (const { fn: each, declaration } of this.declarations()) if (each && declaration.uses) this.usesByFunction.set(each, declaration.uses);
    }
    return this.usesByFunction.get(fn);
  }

  /**
   * Every declaration of the package with its file, in order, and the package
   * function it is (the package lists the functions of a file in the order of
   * their declarations, leaving out the methods it does not index).
   */
  declarations(): { file: FileFacts; declaration: PlacedDeclaration; fn?: PackageFunction }[] {
    const all: { file: FileFacts; declaration: PlacedDeclaration; fn?: PackageFunction }[] = [];
    for (const path of this.pkg.filePaths) {
      const file = this.pkg.fileFacts(path);
      if (!file) continue;
      const functions = this.pkg.functionsIn(path);
      let next = 0;
      for (const declaration of file.declarations) {
        const fn = declaration.facts.kind === 'function' && functions[next]?.facts === declaration.facts.function ? functions[next++] : undefined;
        all.push({ file, declaration, fn });
      }
    }
    return all;
  }

  /** What one declaration and its goroutine literals contribute, in the order the fold reads them. */
  private operationRecords(declaration: PackageFunction): OperationRecords {
    const records: OperationRecords = new Map();
    const entry = (key: string) => {
      let found = records.get(key);
      if (!found) {
        found = newObjectUses();
        records.set(key, found);
      }
      return found;
    };
    for (const fn of this.withGoroutineLiterals([declaration])) {
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
        const locker = made.value.kind === 'cond' && fn.file.imports.get(made.value.qualifier) === 'sync' && made.value.locker ? this.locks.mutexOf(fn, made.value.locker) : undefined;
        const uses = entry(key);
        uses.buffered.push(made.value.kind === 'make' ? made.value.buffered : undefined);
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
    return records;
  }

  // The uses side.

  private foldUses(): PackageConcurrency {
    const objects = new Map<string, ConcurrencyObject>();
    const unknownNames = new Set<string>();
    const unread: ReadonlySet<string>[] = [];
    const goStarts: GoStartSite[] = [];
    const fold = (records: UseRecords) => {
      for (const { name, kind, use, escapes } of records.touched) {
        let object = objects.get(name);
        if (!object) {
          object = { name, kind, uses: [], escapes: isExportedName(name.split('.').pop() ?? name) };
          objects.set(name, object);
        }
        if (use) object.uses.push(use);
        if (escapes) object.escapes = true;
      }
      for (const name of records.unknownNames) unknownNames.add(name);
    };
    for (const { file, declaration, fn } of this.declarations()) {
      const uses = declaration.uses;
      if (!uses) continue;
      if (uses.kind === 'words') {
        unread.push(uses.words);
        continue;
      }
      if (declaration.facts.kind === 'function' && !fn) {
        // A method the package does not index (its receiver type is not followed): every name it touches is unknown.
        unread.push(spelledNames(uses));
        continue;
      }
      if (!fn) {
        // A package-level `var` declaration: few, and cheap to read again.
        fold(this.useRecords(uses, file, this.packageScope(file), undefined));
        continue;
      }
      const part = this.partOf(fn);
      if (!part.uses) {
        this.computed++;
        part.uses = this.useRecords(uses, file, this.locks.scope(fn), fn);
      }
      fold(part.uses);
      for (const start of uses.goStarts) {
        const started = this.locks.scope(fn).call(start.target);
        if (started?.kind === 'function') goStarts.push({ fn, at: start.at, started: started.fn });
      }
    }
    // Every object whose name a use the resolver could not type may stand for is out of sight.
    for (const object of objects.values()) {
      if (object.escapes) continue;
      const name = object.name.split('.').pop() ?? object.name;
      if (unknownNames.has(name) || unread.some((words) => words.has(name))) object.escapes = true;
    }
    return { objects, goStarts };
  }

  /** Names as the package level sees them in a file (its imports): no locals. */
  private packageScope(file: FileFacts): FunctionScope {
    let scope = this.packageScopes.get(file);
    if (!scope) {
      scope = new FunctionScope(this.locks.resolver, noFacts, file);
      this.packageScopes.set(file, scope);
    }
    return scope;
  }

  private kindOf(type: ResolvedType): ObjectKind | undefined {
    if (type.kind === 'chan') return 'channel';
    if (type.kind === 'package') {
      const declared = this.pkg.type(type.name);
      return declared?.value.type.kind === 'chan' ? 'channel' : undefined;
    }
    const standard = standardTypeName(type);
    if (standard === 'sync.Cond') return 'cond';
    if (standard === 'sync.WaitGroup') return 'waitgroup';
    if (standard && cancelTypes.has(standard) && type.kind !== 'pointer') return 'cancel';
    return undefined;
  }

  /** What one declaration's uses (and its composite literals) say about the package's objects. */
  private useRecords(uses: DeclarationUses & { kind: 'read' }, file: FileFacts, scope: FunctionScope, fn: PackageFunction | undefined): UseRecords {
    const records: UseRecords = { touched: [], unknownNames: [] };
    for (const use of uses.uses) this.recordUse(records, use, scope, fn);
    for (const element of uses.literals) {
      const type = element.type ? this.locks.resolver.resolve(element.type, file) : undefined;
      const typeDeclaration = type?.kind === 'package' ? this.pkg.type(type.name) : undefined;
      const structType = typeDeclaration?.value.type.kind === 'struct' ? typeDeclaration.value.type : undefined;
      if (!type || !structType) {
        // A map literal's key, or a field of a literal whose type is elided or unknown.
        if (element.key) {
          this.recordUse(records, { kind: 'value', path: { root: element.key, fields: [] }, at: element.at }, scope, fn);
          records.unknownNames.push(element.key);
        }
        continue;
      }
      const field = element.key ? structType.fields.find((each) => each.name === element.key) : structType.fields[element.index];
      if (!field || type.kind !== 'package') continue;
      const kind = this.kindOf(this.locks.resolver.resolve(field.type, typeDeclaration!.file));
      if (kind) records.touched.push({ name: `${type.name}.${field.name}`, kind, use: { operation: 'store', fn, at: element.at, written: element.written } });
    }
    return records;
  }

  private unknown(records: UseRecords, path: ValuePath, rootIsOurs: boolean): void {
    if (rootIsOurs) records.unknownNames.push(path.root);
    records.unknownNames.push(...path.fields);
  }

  /**
   * The object a prefix of `path` names (with the fields that follow it), null
   * when the path surely names none, or undefined when the resolver cannot tell.
   */
  private objectAlong(path: ValuePath, local: boolean, scope: FunctionScope): { name: string; kind: ObjectKind; rest: string[] } | null | undefined {
    if (!local && !this.pkg.declares(path.root)) return scope.file.imports.has(path.root) ? null : undefined;
    // The function's own names are typed without scopes: a local it does not type (a parameter of a
    // function literal) is unknown. A package-level name is typed in the package's scope (a function
    // that assigns a package variable counts it among its unstable names).
    if (local && !scope.declaresLocally(path.root)) return undefined;
    if (!local) scope = this.packageScope(scope.file);
    for (let length = 0; length <= path.fields.length; length++) {
      const typed = scope.typeOf({ root: path.root, fields: path.fields.slice(0, length) });
      if (!typed) return undefined;
      const kind = this.kindOf(typed.type);
      if (!kind) {
        // Fields of another package's types are never this package's objects.
        if (standardTypeName(typed.type)) return null;
        continue;
      }
      const rest = path.fields.slice(length);
      if (typed.path.fields.length === 0) return typed.root === 'package' ? { name: path.root, kind, rest } : null;
      const owner = scope.typeOf({ root: typed.path.root, fields: typed.path.fields.slice(0, -1) });
      const ownerType = owner?.type.kind === 'pointer' ? owner.type.element : owner?.type;
      const field = typed.path.fields[typed.path.fields.length - 1];
      if (ownerType?.kind === 'package') return { name: `${ownerType.name}.${field}`, kind, rest };
      return typed.root === 'package' ? { name: pathKey(typed.path), kind, rest } : undefined;
    }
    return null;
  }

  private recordUse(records: UseRecords, use: ValueUse, scope: FunctionScope, fn: PackageFunction | undefined): void {
    if (!use.path) {
      if (use.field) records.unknownNames.push(use.field);
      return;
    }
    const local = use.local === true;
    const found = this.objectAlong(use.path, local, scope);
    if (found === null) return;
    if (found === undefined) {
      this.unknown(records, use.path, !local);
      return;
    }
    const { name, kind, rest } = found;
    const touch = (extra: { use?: ObjectUse; escapes?: true } = {}): void => {
      records.touched.push({ name, kind, ...extra });
    };
    const record = (operation: ObjectOperation): void => touch({ use: { operation, fn, at: use.at, ...(use.select ? { select: use.select } : {}), ...(use.inLiteral ? { inLiteral: true } : {}) } });
    if (rest.length > 0) {
      // `c.L.Lock()` uses the Cond's lock, not the Cond; `c.Wait()`, `wg.Add(1)` are operations.
      if (kind === 'cond' && rest[0] === 'L') return touch();
      const methods = methodOperations[kind];
      const operation = methods && rest.length === 1 && use.kind === 'call' && Object.hasOwn(methods, rest[0]) ? methods[rest[0]] : undefined;
      if (operation) record(operation);
      else touch({ escapes: true });
      return;
    }
    switch (use.kind) {
      case 'send':
      case 'receive':
      case 'close':
        return record(use.kind);
      case 'range':
        return record('receive');
      case 'inspect':
        return touch();
      case 'call':
        if (kind === 'cancel') record('call');
        else touch({ escapes: true });
        return;
      case 'write':
        return touch({ use: { operation: 'store', fn, at: use.at, written: use.written ?? { kind: 'other' } } });
      case 'value':
        return touch({ escapes: true });
    }
  }
}

/** What is stored in the object, at each store. */
export function storedValues(object: ConcurrencyObject): WrittenValue[] {
  return object.uses.flatMap((use) => (use.written ? [use.written] : []));
}

/** The package's channels, Conds, WaitGroups and cancel functions by name, and its `go` starts, for the package's current version. */
export function packageConcurrency(pkg: GoPackage): PackageConcurrency {
  return ConcurrencyIndex.of(pkg).objects();
}
