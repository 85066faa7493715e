// Where the package model's packages come from: every `.go` file of a
// directory, grouped by package clause (a `_test.go` file of package `foo`
// joins `foo`; one of package `foo_test` is a package of its own). Open
// buffers, as the caller hands them over, take precedence over disk; files
// read from disk are parsed once and kept until `diskChanged` says otherwise
// (the server forwards its file watcher's events; the CLI never changes
// files). Only the most recently used directories are kept, so a run over a
// whole repository holds a few packages' facts at a time, not all of them.
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { LineIndex } from '../engine/lineIndex';
import { FileDeclarations } from '../syntax/fileDeclarations';
import { fileFacts, type FileFacts } from './declarationFacts';
import { GoPackage } from './goPackage';

export interface PackageSources {
  /** The `.go` files of a directory (absolute paths). */
  listGoFiles(directory: string): string[];
  /** A file's text, or undefined when it cannot or should not be read (missing, binary, too large). */
  readGoFile(file: string): string | undefined;
}

interface Directory {
  files: string[];
  disk: Map<string, FileFacts | null>;
  packages: Map<string, GoPackage>;
}

/** Parses a text into the package model's facts of one file. */
export function factsOfText(parser: Parser, file: string, text: string): FileFacts | undefined {
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    return fileFacts(file, tree, text, new LineIndex(text), new FileDeclarations(tree.rootNode, text));
  } finally {
    tree.delete();
  }
}

export class PackageWorkspace {
  private readonly open = new Map<string, FileFacts>();
  private readonly directories = new Map<string, Directory>();

  constructor(
    private readonly parser: Parser,
    private readonly sources: PackageSources,
    /** How many directories' disk facts are kept. */
    private readonly keptDirectories = 8,
  ) {}

  /** An open buffer's facts (recomputed by the caller per version; unchanged declarations reuse theirs). */
  setOpenFile(facts: FileFacts): void {
    this.open.set(facts.file, facts);
  }

  /** The buffer is closed: the disk version counts again. */
  closeFile(file: string): void {
    this.open.delete(file);
  }

  /** A file was created, changed or deleted on disk. */
  diskChanged(file: string): void {
    const directory = this.directories.get(path.dirname(file));
    if (!directory) return;
    directory.disk.delete(file);
    // A created or deleted file changes the listing.
    this.directories.delete(path.dirname(file));
    this.directories.set(path.dirname(file), { ...directory, files: this.sources.listGoFiles(path.dirname(file)) });
  }

  /** Whether the file's directory is known here (it has been asked about). */
  knowsDirectory(directory: string): boolean {
    return this.directories.has(directory);
  }

  private directory(name: string): Directory {
    let directory = this.directories.get(name);
    if (directory) {
      // Most recently used last.
      this.directories.delete(name);
    } else {
      directory = { files: this.sources.listGoFiles(name), disk: new Map(), packages: new Map() };
      while (this.directories.size >= this.keptDirectories) {
        const oldest = this.directories.keys().next().value as string;
        this.directories.delete(oldest);
      }
    }
    this.directories.set(name, directory);
    return directory;
  }

  private factsOf(directory: Directory, file: string): FileFacts | undefined {
    const open = this.open.get(file);
    if (open) return open;
    let facts = directory.disk.get(file);
    if (facts === undefined) {
      const text = this.sources.readGoFile(file);
      facts = (text === undefined ? undefined : factsOfText(this.parser, file, text)) ?? null;
      directory.disk.set(file, facts);
    }
    return facts ?? undefined;
  }

  /** The package the file belongs to, with every sibling of the same package clause. */
  packageOf(file: string): GoPackage | undefined {
    const name = path.dirname(file);
    const directory = this.directory(name);
    const own = this.factsOf(directory, file);
    if (!own?.packageName) return undefined;
    const members = new Set(directory.files);
    // An open buffer not yet saved is a member too.
    for (const openFile of this.open.keys()) if (path.dirname(openFile) === name) members.add(openFile);
    members.add(file);
    let pkg = directory.packages.get(own.packageName);
    if (!pkg) {
      pkg = new GoPackage(name, own.packageName);
      directory.packages.set(own.packageName, pkg);
    }
    for (const known of pkg.filePaths) if (!members.has(known)) pkg.removeFile(known);
    for (const member of members) {
      const facts = this.factsOf(directory, member);
      if (facts?.packageName === own.packageName) pkg.setFile(facts);
      else pkg.removeFile(member);
    }
    return pkg;
  }
}
