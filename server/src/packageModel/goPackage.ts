// One Go package as the package model sees it: the facts of each of its files
// (open buffers or disk, whichever the caller gives) and an index of its
// package-level names: named types, methods by receiver type, functions and
// variables. A name declared twice (files for different build targets, a
// file being typed) is ambiguous and reads as unknown.
//
// API for rules (see also typeResolver and lockSummaries): `functions()` lists
// every function and method with its facts; `scopeOf(fn)` types the paths it
// mentions; `lockSummaries` answers which locks a call acquires. A file-local
// rule that wants declared types (a WaitGroup field, a CancelFunc variable)
// can build a GoPackage from the one file's facts, or ask the caller's.
//
// Typing inside a function changes its body only: the file's new version has
// the same shape (sameShape) and is patched into the index instead of
// rebuilding it. Unchanged functions keep their PackageFunction, moved in
// place to where the declaration now is (caches keyed on it stay valid and
// never point at old lines); a changed one gets a new object, and
// `replacedSince` tells caches which ones went.
import type { FunctionFacts } from './functionFacts';
import type { DeclarationFacts, FileFacts, TypeFact, VariableFact } from './declarationFacts';

export interface PackageFunction {
  /** The current version of its file (updated in place when another declaration of the file changed). */
  file: FileFacts;
  /** Offset of the declaration in its file (updated in place like `file`). */
  start: number;
  facts: FunctionFacts;
  /** `Type.name` for methods, `name` for functions. */
  qualifiedName: string;
  /** The receiver's base type name, for methods. */
  receiverType?: string;
}

interface Declared<T> {
  value: T;
  /** The current version of the file (updated in place like PackageFunction.file). */
  file: FileFacts;
}

/** A name → its single declaration, or null when declared more than once. */
type Index<T> = Map<string, Declared<T> | null>;

function add<T>(index: Index<T>, name: string, fromFile: Declared<unknown>[], declared: Declared<T>): void {
  index.set(name, index.has(name) ? null : declared);
  fromFile.push(declared);
}

function receiverBase(fn: FunctionFacts): string | undefined {
  const type = fn.receiver?.type;
  const base = type?.kind === 'pointer' ? type.element : type;
  return base?.kind === 'named' && !base.qualifier ? base.name : undefined;
}

/** A method whose receiver is not spelled as a package type's name is left out of the package. */
function isIndexed(fn: FunctionFacts): boolean {
  return !fn.receiver || receiverBase(fn) !== undefined;
}

interface PackageIndex {
  types: Index<TypeFact>;
  variables: Index<VariableFact>;
  functions: Index<PackageFunction>;
  methods: Index<PackageFunction>;
  /** Per file: its functions in source order, and every Declared entry made from it. */
  byFile: Map<string, { functions: PackageFunction[]; declared: Declared<unknown>[] }>;
  /** Every function, in file order (made from `byFile` when first asked). */
  all: PackageFunction[] | undefined;
}

/** The package type an alias chain ends at (`type A = B; type B = T` → T); the name itself when not an alias. */
function unaliased(types: Index<TypeFact>, name: string): string {
  let current = name;
  for (let steps = 0; steps < 8; steps++) {
    const declared = types.get(current)?.value;
    if (!declared?.alias) return current;
    const target = declared.type.kind === 'pointer' ? undefined : declared.type;
    if (target?.kind !== 'named' || target.qualifier) return current;
    current = target.name;
  }
  return current;
}

/** Past this many replaced functions, callers of `replacedSince` start afresh (a long session keeps no endless log). */
const replacedLogLimit = 10_000;

export class GoPackage {
  private readonly files = new Map<string, FileFacts>();
  private index: PackageIndex | undefined;
  /** Bumped on every change; caches keyed on it (lockSummaries) know when they are stale. */
  private version = 0;
  /** The generation since which the functions are those of one index, patched in place. */
  private indexedSince = 0;
  /** The functions patches replaced (their bodies changed), with the generation that replaced them. */
  private replaced: { generation: number; fn: PackageFunction }[] = [];

  constructor(
    /** The directory of the package's files. */
    readonly directory: string,
    /** The package clause's name (`foo`, or `foo_test` for an external test package). */
    readonly name: string,
  ) {}

  get generation(): number {
    return this.version;
  }

  /**
   * Adds or replaces a file's facts; unchanged facts (the same object) change
   * nothing. A version with the same shape as the one it replaces is patched
   * into the index.
   */
  setFile(facts: FileFacts): void {
    const old = this.files.get(facts.file);
    if (old === facts) return;
    this.files.set(facts.file, facts);
    const entry = this.index?.byFile.get(facts.file);
    if (old && entry && sameShape(old, facts)) {
      this.version++;
      this.patch(entry, facts);
    } else {
      this.changed();
    }
  }

  removeFile(file: string): void {
    if (this.files.delete(file)) this.changed();
  }

  fileFacts(file: string): FileFacts | undefined {
    return this.files.get(file);
  }

  get filePaths(): string[] {
    return [...this.files.keys()];
  }

  /**
   * The functions replaced since `generation` (the old objects: their bodies
   * changed), or undefined when the package was indexed anew since (a shape
   * changed, a file came or went): then no function is the same object.
   */
  replacedSince(generation: number): PackageFunction[] | undefined {
    if (generation < this.indexedSince) return undefined;
    return this.replaced.filter((entry) => entry.generation > generation).map((entry) => entry.fn);
  }

  private changed(): void {
    this.index = undefined;
    this.version++;
    this.indexedSince = this.version;
    this.replaced = [];
  }

  /** Moves a file's entries to its new version (same shape); a function whose facts changed gets a new object. */
  private patch(entry: { functions: PackageFunction[]; declared: Declared<unknown>[] }, file: FileFacts): void {
    for (const declared of entry.declared) declared.file = file;
    let position = 0;
    for (const { start, facts } of file.declarations) {
      if (facts.kind !== 'function' || !isIndexed(facts.function)) continue;
      const fn = entry.functions[position++];
      if (fn.facts === facts.function) {
        fn.file = file;
        fn.start = start;
        continue;
      }
      const replacement: PackageFunction = { ...fn, file, start, facts: facts.function };
      entry.functions[position - 1] = replacement;
      const declared = entry.declared.find((each) => each.value === fn);
      if (declared) declared.value = replacement;
      this.replaced.push({ generation: this.version, fn });
      const all = this.index?.all;
      if (all) all[all.indexOf(fn)] = replacement;
    }
    if (this.replaced.length > replacedLogLimit) {
      this.indexedSince = this.version;
      this.replaced = [];
    }
  }

  private built(): PackageIndex {
    if (this.index) return this.index;
    const index: PackageIndex = { types: new Map(), variables: new Map(), functions: new Map(), methods: new Map(), byFile: new Map(), all: undefined };
    for (const file of this.files.values()) {
      const declared: Declared<unknown>[] = [];
      index.byFile.set(file.file, { functions: [], declared });
      for (const { facts } of file.declarations) {
        if (facts.kind === 'types') for (const type of facts.types) add(index.types, type.name, declared, { value: type, file });
        else if (facts.kind === 'variables') for (const variable of facts.variables) add(index.variables, variable.name, declared, { value: variable, file });
      }
    }
    // Methods second: a receiver spelled with an alias belongs to the aliased type.
    for (const file of this.files.values()) {
      const entry = index.byFile.get(file.file);
      if (!entry) continue;
      for (const { start, facts } of file.declarations) {
        if (facts.kind !== 'function' || !isIndexed(facts.function)) continue;
        const spelled = receiverBase(facts.function);
        const receiverType = spelled && unaliased(index.types, spelled);
        const qualifiedName = receiverType ? `${receiverType}.${facts.function.name}` : facts.function.name;
        const fn: PackageFunction = { file, start, facts: facts.function, qualifiedName, receiverType };
        entry.functions.push(fn);
        // `init` and `_` may be declared many times and are never called by name.
        if (facts.function.name !== 'init' && facts.function.name !== '_') add(receiverType ? index.methods : index.functions, qualifiedName, entry.declared, { value: fn, file });
      }
    }
    this.index = index;
    return index;
  }

  functions(): readonly PackageFunction[] {
    const index = this.built();
    index.all ??= [...index.byFile.values()].flatMap((entry) => entry.functions);
    return index.all;
  }

  /** The functions declared in one file, in source order. */
  functionsIn(file: string): readonly PackageFunction[] {
    return this.built().byFile.get(file)?.functions ?? [];
  }

  type(name: string): Declared<TypeFact> | undefined {
    return this.built().types.get(name) ?? undefined;
  }

  variable(name: string): Declared<VariableFact> | undefined {
    return this.built().variables.get(name) ?? undefined;
  }

  /** A package-level function by name (undefined when unknown or declared twice). */
  function(name: string): PackageFunction | undefined {
    return this.built().functions.get(name)?.value;
  }

  method(typeName: string, name: string): PackageFunction | undefined {
    return this.built().methods.get(`${typeName}.${name}`)?.value;
  }

  /** Whether a package-level name is declared at all (even ambiguously): such a name is never an import. */
  declares(name: string): boolean {
    const index = this.built();
    return index.types.has(name) || index.variables.has(name) || index.functions.has(name);
  }
}

const declarationShapes = new WeakMap<DeclarationFacts, string>();

/** A declaration as other declarations see it: a function's signature (not its body), a type, variables. Kept per facts object. */
function shapeOfDeclaration(facts: DeclarationFacts): string {
  let shape = declarationShapes.get(facts);
  if (shape === undefined) {
    shape = facts.kind === 'function' ? JSON.stringify([facts.function.name, facts.function.receiver, facts.function.parameters, facts.function.results]) : JSON.stringify(facts);
    declarationShapes.set(facts, shape);
  }
  return shape;
}

/**
 * Whether two versions of a file have the same shape: path, package clause,
 * imports, and its declarations in order (types, variables and function
 * signatures): everything but function bodies. Two versions with the same
 * shape resolve every name and type of the package the same way. A
 * declaration whose facts were carried over is the same object in both.
 */
function sameShape(before: FileFacts, after: FileFacts): boolean {
  if (before.file !== after.file || before.packageName !== after.packageName || before.declarations.length !== after.declarations.length) return false;
  if (JSON.stringify([...before.imports]) !== JSON.stringify([...after.imports])) return false;
  return before.declarations.every(({ facts }, index) => {
    const other = after.declarations[index].facts;
    return facts === other || shapeOfDeclaration(facts) === shapeOfDeclaration(other);
  });
}
