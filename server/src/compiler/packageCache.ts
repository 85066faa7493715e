// Remembers the last compiler result per package directory, keyed by a hash
// of everything that decides it: the package's source files (unsaved buffers
// included), go.mod/go.sum/go.work, the go binary and the flags. Reopening a
// file or switching tabs then shows facts at once without compiling.
//
// Not covered by the key: other packages of the module whose changes alter
// this package's inlining (a callee in a sibling package got bigger). Callers
// should `clear()` when a Go file outside the package is saved.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Overlay } from './overlay';

export interface PackageKeyInput {
  packageDir: string;
  /** What names the toolchain, e.g. toolchainIdentity(goPath). */
  toolchain: string;
  flags: readonly string[];
  overlay?: Overlay;
}

// Everything the go command compiles or assembles from a package directory.
const buildInputs = /\.(?:go|c|h|s|S|cc|cpp|cxx|hh|hpp|hxx|m|f|F|for|f90|syso)$/;

async function readOrUndefined(file: string, overlay: Overlay | undefined): Promise<string | Buffer | undefined> {
  const unsaved = overlay?.get(file);
  if (unsaved !== undefined) return unsaved;
  try {
    return await fs.readFile(file);
  } catch {
    return undefined;
  }
}

/** Nearest ancestor directory (including `dir`) holding `name`. */
async function findUp(dir: string, name: string): Promise<string | undefined> {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      await fs.access(path.join(current, name));
      return path.join(current, name);
    } catch {
      // keep climbing
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * The go binary by path, size and modification time. Asking it (`go env
 * GOVERSION`) costs a process start before the first compile can begin; the
 * file's identity is a stat, and it also changes when Go is upgraded in place
 * while the server runs.
 */
export async function toolchainIdentity(goPath: string): Promise<string> {
  try {
    const stat = await fs.stat(goPath);
    return `${goPath}\u0000${stat.size}\u0000${stat.mtimeMs}`;
  } catch {
    // The compile that follows says what is wrong with the binary.
    return `${goPath}\u0000missing`;
  }
}

export async function packageContentKey(input: PackageKeyInput): Promise<string> {
  const hash = createHash('sha256');
  const add = (label: string, content: string | Buffer | undefined) => {
    hash.update(label);
    hash.update('\u0000');
    if (content === undefined) hash.update('<none>');
    else hash.update(createHash('sha256').update(content).digest());
    hash.update('\u0000');
  };
  add('go', input.toolchain);
  add('flags', JSON.stringify(input.flags));
  const packageDir = path.resolve(input.packageDir);
  const names = new Set<string>();
  try {
    for (const entry of await fs.readdir(packageDir, { withFileTypes: true })) if (entry.isFile() && buildInputs.test(entry.name)) names.add(entry.name);
  } catch {
    // Only in the overlay.
  }
  for (const file of input.overlay?.keys() ?? []) if (path.dirname(file) === packageDir && buildInputs.test(file)) names.add(path.basename(file));
  for (const name of [...names].sort()) add(`file:${name}`, await readOrUndefined(path.join(packageDir, name), input.overlay));
  const goMod = await findUp(packageDir, 'go.mod');
  if (goMod) {
    add('go.mod', await readOrUndefined(goMod, input.overlay));
    add('go.sum', await readOrUndefined(path.join(path.dirname(goMod), 'go.sum'), input.overlay));
  }
  const goWork = await findUp(packageDir, 'go.work');
  if (goWork) {
    add('go.work', await readOrUndefined(goWork, input.overlay));
    add('go.work.sum', await readOrUndefined(`${goWork}.sum`, input.overlay));
  }
  return hash.digest('hex');
}

/** Least-recently-used, at most `maxEntries` packages, one result each. */
export class PackageCache<T> {
  private readonly entries = new Map<string, { key: string; value: T }>();

  constructor(readonly maxEntries = 32) {}

  get(packageDir: string, key: string): T | undefined {
    const entry = this.entries.get(packageDir);
    if (!entry || entry.key !== key) return undefined;
    this.entries.delete(packageDir);
    this.entries.set(packageDir, entry);
    return entry.value;
  }

  /** Whether some result of the package is remembered, whatever its key. */
  has(packageDir: string): boolean {
    return this.entries.has(packageDir);
  }

  set(packageDir: string, key: string, value: T): void {
    this.entries.delete(packageDir);
    this.entries.set(packageDir, { key, value });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(packageDir: string): void {
    this.entries.delete(packageDir);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
