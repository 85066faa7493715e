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
import type { FunctionFacts } from './functionFacts';
import type { FileFacts, TypeFact, VariableFact } from './declarationFacts';

export interface PackageFunction {
  file: FileFacts;
  /** Offset of the declaration in its file. */
  start: number;
  facts: FunctionFacts;
  /** `Type.name` for methods, `name` for functions. */
  qualifiedName: string;
  /** The receiver's base type name, for methods. */
  receiverType?: string;
}

interface Declared<T> {
  value: T;
  file: FileFacts;
}

/** A name → its single declaration, or null when declared more than once. */
type Index<T> = Map<string, Declared<T> | null>;

function add<T>(index: Index<T>, name: string, declared: Declared<T>): void {
  index.set(name, index.has(name) ? null : declared);
}

function receiverBase(fn: FunctionFacts): string | undefined {
  const type = fn.receiver?.type;
  const base = type?.kind === 'pointer' ? type.element : type;
  return base?.kind === 'named' && !base.qualifier ? base.name : undefined;
}

interface PackageIndex {
  types: Index<TypeFact>;
  variables: Index<VariableFact>;
  functions: Index<PackageFunction>;
  methods: Index<PackageFunction>;
  all: PackageFunction[];
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

export class GoPackage {
  private readonly files = new Map<string, FileFacts>();
  private index: PackageIndex | undefined;
  /** Bumped on every change; caches keyed on it (lockSummaries) know when they are stale. */
  private version = 0;

  constructor(
    /** The directory of the package's files. */
    readonly directory: string,
    /** The package clause's name (`foo`, or `foo_test` for an external test package). */
    readonly name: string,
  ) {}

  get generation(): number {
    return this.version;
  }

  /** Adds or replaces a file's facts; unchanged facts (the same object) change nothing. */
  setFile(facts: FileFacts): void {
    if (this.files.get(facts.file) === facts) return;
    this.files.set(facts.file, facts);
    this.changed();
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

  private changed(): void {
    this.index = undefined;
    this.version++;
  }

  private built(): PackageIndex {
    if (this.index) return this.index;
    const index: PackageIndex = { types: new Map(), variables: new Map(), functions: new Map(), methods: new Map(), all: [] };
    for (const file of this.files.values()) {
      for (const { facts } of file.declarations) {
        if (facts.kind === 'types') for (const type of facts.types) add(index.types, type.name, { value: type, file });
        else if (facts.kind === 'variables') for (const variable of facts.variables) add(index.variables, variable.name, { value: variable, file });
      }
    }
    // Methods second: a receiver spelled with an alias belongs to the aliased type.
    for (const file of this.files.values()) {
      for (const { start, facts } of file.declarations) {
        if (facts.kind !== 'function') continue;
        const spelled = receiverBase(facts.function);
        if (facts.function.receiver && !spelled) continue;
        const receiverType = spelled && unaliased(index.types, spelled);
        const qualifiedName = receiverType ? `${receiverType}.${facts.function.name}` : facts.function.name;
        const fn: PackageFunction = { file, start, facts: facts.function, qualifiedName, receiverType };
        index.all.push(fn);
        // `init` and `_` may be declared many times and are never called by name.
        if (facts.function.name !== 'init' && facts.function.name !== '_') add(receiverType ? index.methods : index.functions, qualifiedName, { value: fn, file });
      }
    }
    this.index = index;
    return index;
  }

  functions(): readonly PackageFunction[] {
    return this.built().all;
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
