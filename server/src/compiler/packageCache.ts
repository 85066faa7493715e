// Remembers the last compiler result per package directory, keyed by a hash
// of everything that decides it: the package's source files (unsaved buffers
// included), go.mod/go.sum/go.work, the go binary and the flags. Reopening a
// file or switching tabs then shows facts at once without compiling.
//
// Not covered by the key: other packages of the module whose changes alter
// this package's inlining (a callee in a sibling package got bigger). Callers
// should `clear()` when a Go file outside the package is saved.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { digestOf, FileDigests } from './fileDigests';
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

const diskDigests = new FileDigests();

/** The unsaved buffer's digest when there is one, else the file on disk's (undefined when absent). */
function fileDigest(file: string, overlay: Overlay | undefined): Buffer | undefined {
  const unsaved = overlay?.get(file);
  return unsaved !== undefined ? digestOf(unsaved) : diskDigests.digest(file);
}

/** Nearest ancestor directory (including `dir`) holding `name`. */
function findUp(dir: string, name: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, name);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * The go binary by path, size and modification time. Asking it (`go env
 * GOVERSION`) costs a process start before the first compile can begin; the
 * file's identity is a stat, and it also changes when Go is upgraded in place
 * while the server runs.
 */
export function toolchainIdentity(goPath: string): string {
  try {
    const stat = statSync(goPath);
    return `${goPath}\u0000${stat.size}\u0000${stat.mtimeMs}`;
  } catch {
    // The compile that follows says what is wrong with the binary.
    return `${goPath}\u0000missing`;
  }
}

export function packageContentKey(input: PackageKeyInput): string {
  const hash = createHash('sha256');
  const add = (label: string, digest: Buffer | undefined) => {
    hash.update(label);
    hash.update('\u0000');
    hash.update(digest ?? '<none>');
    hash.update('\u0000');
  };
  add('go', digestOf(input.toolchain));
  add('flags', digestOf(JSON.stringify(input.flags)));
  const packageDir = path.resolve(input.packageDir);
  const names = new Set<string>();
  try {
    for (const entry of readdirSync(packageDir, { withFileTypes: true })) if (entry.isFile() && buildInputs.test(entry.name)) names.add(entry.name);
  } catch {
    // Only in the overlay.
  }
  for (const file of input.overlay?.keys() ?? []) if (path.dirname(file) === packageDir && buildInputs.test(file)) names.add(path.basename(file));
  for (const name of [...names].sort()) add(`file:${name}`, fileDigest(path.join(packageDir, name), input.overlay));
  const goMod = findUp(packageDir, 'go.mod');
  if (goMod) {
    add('go.mod', fileDigest(goMod, input.overlay));
    add('go.sum', fileDigest(path.join(path.dirname(goMod), 'go.sum'), input.overlay));
  }
  const goWork = findUp(packageDir, 'go.work');
  if (goWork) {
    add('go.work', fileDigest(goWork, input.overlay));
    add('go.work.sum', fileDigest(`${goWork}.sum`, input.overlay));
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
