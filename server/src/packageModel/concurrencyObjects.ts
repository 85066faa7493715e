// The channels, sync.Conds, WaitGroups and context cancel functions of a package that
// live in a struct field (`T.ch`, the same object through any value of T) or
// a package variable, with every use the package's code makes of them (see
// valueUses). An object the rules can reason about is one whose every use is
// understood: it is unexported, it never leaves the package's sight (passed,
// returned, stored, address taken, assigned from elsewhere), and no use that
// the resolver cannot type could be it. Anything else is marked `escapes`,
// and the rules stay quiet about it. Built once per version of the package.
import type { FileFacts } from './declarationFacts';
import { emptyBodyFacts, type FunctionFacts, type Span } from './functionFacts';
import type { GoPackage, PackageFunction } from './goPackage';
import { FunctionScope, TypeResolver, standardTypeName, type ResolvedType } from './typeResolver';
import type { DeclarationUses, ValueUse, WrittenValue } from './valueUses';
import { pathKey, type ValuePath } from './valuePaths';

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

const cancelTypes: ReadonlySet<string> = new Set(['context.CancelFunc', 'context.CancelCauseFunc']);
/** The methods that are operations of an object; any other method of these types (WaitGroup.Go) is not followed. */
const methodOperations: Partial<Record<ObjectKind, Record<string, ObjectOperation>>> = {
  cond: { Wait: 'wait', Signal: 'signal', Broadcast: 'signal' },
  waitgroup: { Add: 'add', Done: 'done', Wait: 'wait' },
};

const noFacts: FunctionFacts = { name: '', parameters: [], results: [], mentionsLock: false, ...emptyBodyFacts() };

function isExported(name: string): boolean {
  return /^\p{Lu}/u.test(name);
}

class ObjectIndex {
  readonly objects = new Map<string, ConcurrencyObject>();
  /** Names (fields, variables) that a use the resolver could not type may stand for. */
  private readonly unknownNames = new Set<string>();
  readonly resolver: TypeResolver;

  constructor(private readonly pkg: GoPackage) {
    this.resolver = new TypeResolver(pkg);
  }

  kindOf(type: ResolvedType): ObjectKind | undefined {
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

  private readonly packageScopes = new Map<FileFacts, FunctionScope>();

  /** Names as the package level sees them in a file (its imports): no locals. */
  packageScope(file: FileFacts): FunctionScope {
    let scope = this.packageScopes.get(file);
    if (!scope) {
      scope = new FunctionScope(this.resolver, noFacts, file);
      this.packageScopes.set(file, scope);
    }
    return scope;
  }

  private object(name: string, kind: ObjectKind): ConcurrencyObject {
    let object = this.objects.get(name);
    if (!object) {
      object = { name, kind, uses: [], escapes: isExported(name.split('.').pop() ?? name) };
      this.objects.set(name, object);
    }
    return object;
  }

  private unknown(path: ValuePath, rootIsOurs: boolean): void {
    if (rootIsOurs) this.unknownNames.add(path.root);
    for (const field of path.fields) this.unknownNames.add(field);
  }

  /**
   * The object a prefix of `path` names (with the fields that follow it), null
   * when the path surely names none, or undefined when the resolver cannot tell.
   */
  private objectAlong(path: ValuePath, local: boolean, scope: FunctionScope): { object: ConcurrencyObject; rest: string[] } | null | undefined {
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
      if (typed.path.fields.length === 0) return typed.root === 'package' ? { object: this.object(path.root, kind), rest } : null;
      const owner = scope.typeOf({ root: typed.path.root, fields: typed.path.fields.slice(0, -1) });
      const ownerType = owner?.type.kind === 'pointer' ? owner.type.element : owner?.type;
      const field = typed.path.fields[typed.path.fields.length - 1];
      if (ownerType?.kind === 'package') return { object: this.object(`${ownerType.name}.${field}`, kind), rest };
      return typed.root === 'package' ? { object: this.object(pathKey(typed.path), kind), rest } : undefined;
    }
    return null;
  }

  addUse(use: ValueUse, scope: FunctionScope, fn: PackageFunction | undefined): void {
    if (!use.path) {
      if (use.field) this.unknownNames.add(use.field);
      return;
    }
    const local = use.local === true;
    const found = this.objectAlong(use.path, local, scope);
    if (found === null) return;
    if (found === undefined) {
      this.unknown(use.path, !local);
      return;
    }
    const { object, rest } = found;
    const record = (operation: ObjectOperation) => object.uses.push({ operation, fn, at: use.at, ...(use.select ? { select: use.select } : {}), ...(use.inLiteral ? { inLiteral: true } : {}) });
    if (rest.length > 0) {
      // `c.L.Lock()` uses the Cond's lock, not the Cond; `c.Wait()`, `wg.Add(1)` are operations.
      if (object.kind === 'cond' && rest[0] === 'L') return;
      const methods = methodOperations[object.kind];
      const operation = methods && rest.length === 1 && use.kind === 'call' && Object.hasOwn(methods, rest[0]) ? methods[rest[0]] : undefined;
      if (operation) record(operation);
      else object.escapes = true;
      return;
    }
    switch (use.kind) {
      case 'send':
      case 'receive':
      case 'close':
        record(use.kind);
        return;
      case 'range':
        record('receive');
        return;
      case 'inspect':
        return;
      case 'call':
        if (object.kind === 'cancel') record('call');
        else object.escapes = true;
        return;
      case 'write':
        object.uses.push({ operation: 'store', fn, at: use.at, written: use.written ?? { kind: 'other' } });
        return;
      case 'value':
        object.escapes = true;
        return;
    }
  }

  addLiterals(uses: DeclarationUses & { kind: 'read' }, file: FileFacts, scope: FunctionScope, fn: PackageFunction | undefined): void {
    for (const element of uses.literals) {
      const type = element.type ? this.resolver.resolve(element.type, file) : undefined;
      const typeDeclaration = type?.kind === 'package' ? this.pkg.type(type.name) : undefined;
      const structType = typeDeclaration?.value.type.kind === 'struct' ? typeDeclaration.value.type : undefined;
      if (!type || !structType) {
        // A map literal's key, or a field of a literal whose type is elided or unknown.
        if (element.key) {
          this.addUse({ kind: 'value', path: { root: element.key, fields: [] }, at: element.at }, scope, fn);
          this.unknownNames.add(element.key);
        }
        continue;
      }
      const field = element.key ? structType.fields.find((each) => each.name === element.key) : structType.fields[element.index];
      if (!field || type.kind !== 'package') continue;
      const kind = this.kindOf(this.resolver.resolve(field.type, typeDeclaration!.file));
      if (!kind) continue;
      const object = this.object(`${type.name}.${field.name}`, kind);
      object.uses.push({ operation: 'store', fn, at: element.at, written: element.written });
    }
  }

  /** Marks as escaping every object whose name a use the resolver could not type may stand for. */
  finish(wordsOfUnreadDeclarations: ReadonlySet<string>[]): void {
    for (const object of this.objects.values()) {
      const name = object.name.split('.').pop() ?? object.name;
      if (this.unknownNames.has(name) || wordsOfUnreadDeclarations.some((words) => words.has(name))) object.escapes = true;
    }
  }
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

function buildObjects(pkg: GoPackage): PackageConcurrency {
  const index = new ObjectIndex(pkg);
  const functionsByPlace = new Map<string, PackageFunction>();
  for (const fn of pkg.functions()) functionsByPlace.set(`${fn.start}:${fn.file.file}`, fn);
  const unread: ReadonlySet<string>[] = [];
  const goStarts: GoStartSite[] = [];
  for (const path of pkg.filePaths) {
    const file = pkg.fileFacts(path);
    for (const declaration of file?.declarations ?? []) {
      const uses = declaration.uses;
      if (!file || !uses) continue;
      const fn = declaration.facts.kind === 'function' ? functionsByPlace.get(`${declaration.start}:${file.file}`) : undefined;
      if (uses.kind === 'words') {
        unread.push(uses.words);
        continue;
      }
      if (declaration.facts.kind === 'function' && !fn) {
        // A method the package does not index (its receiver type is not followed): every name it touches is unknown.
        unread.push(new Set([...uses.uses.flatMap((use) => (use.path ? [use.path.root, ...use.path.fields] : use.field ? [use.field] : [])), ...uses.literals.flatMap((element) => (element.key ? [element.key] : []))]));
        continue;
      }
      const scope = fn ? index.resolver.scopeOf(fn) : index.packageScope(file);
      for (const use of uses.uses) index.addUse(use, scope, fn);
      index.addLiterals(uses, file, scope, fn);
      if (!fn) continue;
      for (const start of uses.goStarts) {
        const started = scope.call(start.target);
        if (started?.kind === 'function') goStarts.push({ fn, at: start.at, started: started.fn });
      }
    }
  }
  index.finish(unread);
  return { objects: index.objects, goStarts };
}

/** What is stored in the object, at each store. */
export function storedValues(object: ConcurrencyObject): WrittenValue[] {
  return object.uses.flatMap((use) => (use.written ? [use.written] : []));
}

const built = new WeakMap<GoPackage, { generation: number; concurrency: PackageConcurrency }>();

/** The package's channels, Conds, WaitGroups and cancel functions by name, and its `go` starts, for the package's current version. */
export function packageConcurrency(pkg: GoPackage): PackageConcurrency {
  const known = built.get(pkg);
  if (known?.generation === pkg.generation) return known.concurrency;
  const concurrency = buildObjects(pkg);
  built.set(pkg, { generation: pkg.generation, concurrency });
  return concurrency;
}
