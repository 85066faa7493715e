// A light resolver for the types of the paths a function mentions, without a
// type checker: receivers, parameters, locals whose declaration shows their
// type, package variables, fields (through pointers and embedded fields) and
// the results of the package's own functions. The standard concurrency types
// are known by qualified name through the file's imports (`sync.Mutex` under
// any import name). Whatever cannot be followed is `unknown`, and callers
// stay quiet about it.
import type { FileFacts } from './declarationFacts';
import type { CallTarget, FunctionFacts, LocalOrigin } from './functionFacts';
import type { GoPackage, PackageFunction } from './goPackage';
import { namedTypeOf, type FieldFact, type TypeExpression } from './typeExpressions';
import type { ValuePath } from './valuePaths';

export type ResolvedType =
  /** A named (non-alias) type declared in the package. */
  | { kind: 'package'; name: string }
  /** A named type of another package, by import path: `{ path: 'sync', name: 'Mutex' }`. */
  | { kind: 'imported'; path: string; name: string }
  | { kind: 'pointer'; element: ResolvedType }
  | { kind: 'chan'; element: ResolvedType }
  /** An anonymous struct; its field types are read in `file` (for its imports). */
  | { kind: 'struct'; fields: FieldFact[]; file: FileFacts }
  | { kind: 'unknown' };

const unknown: ResolvedType = { kind: 'unknown' };
const maxDepth = 8;

export type MutexKind = 'Mutex' | 'RWMutex';

export function mutexKindOf(type: ResolvedType): MutexKind | undefined {
  const base = type.kind === 'pointer' ? type.element : type;
  return base.kind === 'imported' && base.path === 'sync' && (base.name === 'Mutex' || base.name === 'RWMutex') ? base.name : undefined;
}

/** The standard type's qualified name (`sync.WaitGroup`, `context.CancelFunc`), through one pointer; undefined for others. */
export function standardTypeName(type: ResolvedType): string | undefined {
  const base = type.kind === 'pointer' ? type.element : type;
  return base.kind === 'imported' ? `${base.path}.${base.name}` : undefined;
}

/** What a call resolves to. `receiver` is the normalized path the callee's receiver is bound to. */
export type ResolvedCall =
  | { kind: 'function'; fn: PackageFunction; receiver?: ValuePath }
  | { kind: 'mutex'; method: string; mutex: ValuePath; mutexKind: MutexKind }
  | { kind: 'imported'; path: string; name: string };

const lockMethods: ReadonlySet<string> = new Set(['Lock', 'Unlock', 'RLock', 'RUnlock', 'TryLock', 'TryRLock']);

export class TypeResolver {
  constructor(readonly pkg: GoPackage) {}

  resolve(expression: TypeExpression, file: FileFacts, depth = 0): ResolvedType {
    if (depth > maxDepth) return unknown;
    switch (expression.kind) {
      case 'named': {
        if (expression.qualifier) {
          const path = file.imports.get(expression.qualifier);
          return path && !this.pkg.declares(expression.qualifier) ? { kind: 'imported', path, name: expression.name } : unknown;
        }
        const declared = this.pkg.type(expression.name);
        if (!declared) return unknown;
        return declared.value.alias ? this.resolve(declared.value.type, declared.file, depth + 1) : { kind: 'package', name: expression.name };
      }
      case 'pointer':
        return { kind: 'pointer', element: this.resolve(expression.element, file, depth + 1) };
      case 'chan':
        return { kind: 'chan', element: this.resolve(expression.element, file, depth + 1) };
      case 'struct':
        return { kind: 'struct', fields: expression.fields, file };
      default:
        return unknown;
    }
  }

  /** The fields of a struct type (through one pointer), with the file their types are read in. */
  private structOf(type: ResolvedType): { fields: FieldFact[]; file: FileFacts } | undefined {
    const base = type.kind === 'pointer' ? type.element : type;
    if (base.kind === 'struct') return base;
    if (base.kind !== 'package') return undefined;
    const declared = this.pkg.type(base.name);
    if (!declared || declared.value.type.kind !== 'struct') return undefined;
    return { fields: declared.value.type.fields, file: declared.file };
  }

  /**
   * The embedded fields to pass through and what is found at the shallowest
   * depth where `find` answers: Go's promotion rule. Two answers at one depth
   * are ambiguous (undefined).
   */
  private promoted<T>(type: ResolvedType, find: (type: ResolvedType) => T | undefined): { via: string[]; found: T } | undefined {
    let level: { type: ResolvedType; via: string[] }[] = [{ type, via: [] }];
    for (let depth = 0; depth < 4 && level.length > 0; depth++) {
      const hits: { via: string[]; found: T }[] = [];
      const next: { type: ResolvedType; via: string[] }[] = [];
      for (const candidate of level) {
        const found = find(candidate.type);
        if (found !== undefined) {
          hits.push({ via: candidate.via, found });
          continue;
        }
        const struct = this.structOf(candidate.type);
        for (const field of struct?.fields ?? []) {
          if (field.embedded) next.push({ type: this.resolve(field.type, struct!.file), via: [...candidate.via, field.name] });
        }
      }
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) return undefined;
      level = next;
    }
    return undefined;
  }

  /** `x.name` for `x` of `type`: the field's type and the embedded fields passed through. */
  field(type: ResolvedType, name: string): { type: ResolvedType; via: string[] } | undefined {
    const hit = this.promoted(type, (candidate) => {
      const struct = this.structOf(candidate);
      const field = struct?.fields.find((each) => each.name === name);
      return field && struct ? this.resolve(field.type, struct.file) : undefined;
    });
    return hit ? { type: hit.found, via: hit.via } : undefined;
  }

  /**
   * Whether `name` is one of several fields of the struct `type` (through one
   * pointer) with the same type, like `in, out halfConn`: then a class of
   * mutex named by that type cannot tell the two apart.
   */
  hasSiblingOfSameType(type: ResolvedType, name: string): boolean {
    const fields = this.structOf(type)?.fields;
    const field = fields?.find((each) => each.name === name);
    if (!fields || !field) return false;
    const spelled = JSON.stringify(namedTypeOf(field.type) ?? field.type);
    return fields.some((other) => other !== field && JSON.stringify(namedTypeOf(other.type) ?? other.type) === spelled);
  }

  /** `x.name(…)` for `x` of `type`: a method of the package, or a mutex method (also promoted from an embedded mutex). */
  method(type: ResolvedType, name: string): { via: string[]; found: { fn: PackageFunction } | { mutexKind: MutexKind } } | undefined {
    return this.promoted<{ fn: PackageFunction } | { mutexKind: MutexKind }>(type, (candidate) => {
      const mutexKind = mutexKindOf(candidate);
      if (mutexKind) return lockMethods.has(name) ? { mutexKind } : undefined;
      const base = candidate.kind === 'pointer' ? candidate.element : candidate;
      if (base.kind !== 'package') return undefined;
      const fn = this.pkg.method(base.name, name);
      return fn ? { fn } : undefined;
    });
  }

  /** The types of the names a function mentions. */
  scopeOf(fn: PackageFunction): FunctionScope {
    return new FunctionScope(this, fn.facts, fn.file);
  }
}

export interface TypedPath {
  type: ResolvedType;
  /** The path with the embedded fields it passes through spelled out (`s.Mutex` for `s` embedding sync.Mutex). */
  path: ValuePath;
  /** What the root names: the receiver, a parameter (by index), a local, or a package variable. */
  root: 'receiver' | 'parameter' | 'local' | 'package';
}

export class FunctionScope {
  private readonly ownNames: ReadonlySet<string>;
  private readonly unstable: ReadonlySet<string>;

  constructor(
    readonly resolver: TypeResolver,
    readonly facts: FunctionFacts,
    readonly file: FileFacts,
  ) {
    this.unstable = new Set(facts.unstable);
    this.ownNames = new Set([...(facts.receiver?.name ? [facts.receiver.name] : []), ...facts.parameters.map((parameter) => parameter.name), ...Object.keys(facts.locals), ...facts.unstable]);
  }

  /** Whether `name` is declared in the function (so it is not a package-level name or an import there). */
  declaresLocally(name: string): boolean {
    return this.ownNames.has(name);
  }

  private rootOf(name: string, depth: number): { type: ResolvedType; root: TypedPath['root'] } | undefined {
    if (this.unstable.has(name)) return undefined;
    const { facts, file, resolver } = this;
    if (facts.receiver?.name === name) return { type: resolver.resolve(facts.receiver.type, file), root: 'receiver' };
    const parameter = facts.parameters.find((each) => each.name === name);
    if (parameter) return { type: resolver.resolve(parameter.type, file), root: 'parameter' };
    // Own properties only: a name like `toString` must not find Object.prototype's.
    const local = Object.hasOwn(facts.locals, name) ? facts.locals[name] : undefined;
    if (local) return { type: this.originType(local, file, depth + 1), root: 'local' };
    const variable = resolver.pkg.variable(name);
    if (variable?.value.origin) return { type: this.originType(variable.value.origin, variable.file, depth + 1, true), root: 'package' };
    return undefined;
  }

  private originType(origin: LocalOrigin, file: FileFacts, depth: number, packageLevel = false): ResolvedType {
    if (depth > maxDepth) return unknown;
    switch (origin.kind) {
      case 'type':
        return this.resolver.resolve(origin.type, file);
      case 'call': {
        // A package variable's value is read in the package scope, not in this function's.
        const resolved = packageLevel ? this.packageLevelCall(origin.target) : this.call(origin.target, depth + 1);
        if (resolved?.kind !== 'function') return unknown;
        const result = resolved.fn.facts.results[origin.index];
        return result ? this.resolver.resolve(result, resolved.fn.file) : unknown;
      }
      case 'path':
        return packageLevel ? unknown : (this.typeOf(origin.path, depth + 1)?.type ?? unknown);
    }
  }

  private packageLevelCall(target: CallTarget): ResolvedCall | undefined {
    if (target.kind !== 'function') return undefined;
    const fn = this.resolver.pkg.function(target.name);
    return fn ? { kind: 'function', fn } : undefined;
  }

  /** The type of a path and its normalized spelling; undefined when any step is unknown. */
  typeOf(path: ValuePath, depth = 0): TypedPath | undefined {
    if (depth > maxDepth) return undefined;
    const root = this.rootOf(path.root, depth);
    if (!root || root.type.kind === 'unknown') return undefined;
    let type = root.type;
    const fields: string[] = [];
    for (const name of path.fields) {
      const step = this.resolver.field(type, name);
      if (!step || step.type.kind === 'unknown') return undefined;
      fields.push(...step.via, name);
      type = step.type;
    }
    return { type, path: { root: path.root, fields }, root: root.root };
  }

  /** What a call in this function calls, when the package model can tell. */
  call(target: CallTarget, depth = 0): ResolvedCall | undefined {
    const pkg = this.resolver.pkg;
    if (target.kind === 'function') {
      if (this.declaresLocally(target.name)) return undefined;
      const fn = pkg.function(target.name);
      return fn ? { kind: 'function', fn } : undefined;
    }
    const { receiver, name } = target;
    if (receiver.fields.length === 0 && !this.declaresLocally(receiver.root) && !pkg.declares(receiver.root)) {
      const imported = this.file.imports.get(receiver.root);
      return imported ? { kind: 'imported', path: imported, name } : undefined;
    }
    const typed = this.typeOf(receiver, depth);
    if (!typed) return undefined;
    const method = this.resolver.method(typed.type, name);
    if (!method) return undefined;
    const bound: ValuePath = { root: typed.path.root, fields: [...typed.path.fields, ...method.via] };
    if ('mutexKind' in method.found) return { kind: 'mutex', method: name, mutex: bound, mutexKind: method.found.mutexKind };
    return { kind: 'function', fn: method.found.fn, receiver: bound };
  }
}
