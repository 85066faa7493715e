// Where the package model's packages come from: every `.go` file of a
// directory, grouped by package clause (a `_test.go` file of package `foo`
// joins `foo`; one of package `foo_test` is a package of its own). Open
// buffers, as the caller hands them over, take precedence over disk; files
// read from disk are parsed once and kept until `diskChanged` says otherwise
// (the server forwards its file watcher's events; the CLI never changes
// files). Only the most recently used directories are kept, so a run over a
// whole repository holds a few dozen packages' facts at a time, not all of
// them (enough that a directory's files, visited before and after its
// subdirectories', are read once).
import * as path from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
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
  /** Texts (joined) → whether a file of the directory, as on disk, contains one of them. */
  mentions: Map<string, boolean>;
}

/** A whole file's facts from its tree (no facts carried over from an earlier version); with a parser, function bodies are summarized when first read. */
export function factsOfTree(file: string, tree: Tree, text: string, lines = new LineIndex(text), parser?: Parser): FileFacts {
  return fileFacts(file, tree, text, lines, new FileDeclarations(tree.rootNode, text), parser);
}

/** How much text (characters) the trees kept for `takeParsedTree` may stand for at once. */
const keptTreeText = 4_000_000;

export interface WorkspaceOptions {
  /** How many directories' disk facts are kept (default 32). */
  keptDirectories?: number;
  /**
   * Keep the trees of the files read from disk, the latest up to a bound,
   * for `takeParsedTree` (the CLI checks those files next: one parse serves
   * the package model and the file rules).
   */
  keepParsedTrees?: boolean;
}

export class PackageWorkspace {
  private readonly open = new Map<string, FileFacts>();
  private readonly directories = new Map<string, Directory>();
  private readonly parsedTrees = new Map<string, { text: string; tree: Tree }>();

  constructor(
    private readonly parser: Parser,
    private readonly sources: PackageSources,
    private readonly options: WorkspaceOptions = {},
  ) {}

  /** The tree of a file this workspace parsed from disk with exactly this text, handed over (the caller deletes it). */
  takeParsedTree(file: string, text: string): Tree | undefined {
    const parsed = this.parsedTrees.get(file);
    if (!parsed) return undefined;
    this.parsedTrees.delete(file);
    if (parsed.text === text) return parsed.tree;
    parsed.tree.delete();
    return undefined;
  }

  private parse(file: string, text: string): FileFacts | undefined {
    const tree = this.parser.parse(text);
    if (!tree) return undefined;
    const facts = factsOfTree(file, tree, text, undefined, this.parser);
    if (!this.options.keepParsedTrees) {
      tree.delete();
      return facts;
    }
    this.parsedTrees.get(file)?.tree.delete();
    this.parsedTrees.delete(file);
    // A tree takes tens of times its text in memory that is never given back: the trees kept
    // stand for a bounded amount of text, the oldest going first (a directory of large generated
    // files must not have all its trees alive at once).
    let keptText = [...this.parsedTrees.values()].reduce((sum, parsed) => sum + parsed.text.length, 0);
    for (const [kept, parsed] of this.parsedTrees) {
      if (keptText + text.length <= keptTreeText) break;
      parsed.tree.delete();
      this.parsedTrees.delete(kept);
      keptText -= parsed.text.length;
    }
    if (keptText + text.length > keptTreeText) tree.delete();
    else this.parsedTrees.set(file, { text, tree });
    return facts;
  }

  /** An open buffer's facts (recomputed by the caller per version; unchanged declarations reuse theirs). */
  setOpenFile(facts: FileFacts): void {
    this.open.set(facts.file, facts);
  }

  /** The buffer is closed: the disk version counts again. */
  closeFile(file: string): void {
    this.open.delete(file);
  }

  /**
   * Facts of a file as it is on disk, from a tree the caller has anyway (the
   * CLI), so the file is not parsed again here; asked only when not known yet
   * (known facts are kept: replacing them would make the package new again).
   */
  provideDiskFacts(file: string, compute: () => FileFacts): void {
    if (this.open.has(file)) return;
    const directory = this.directory(path.dirname(file));
    if (!directory.disk.has(file)) directory.disk.set(file, compute());
  }

  /** A file was created, changed or deleted on disk. */
  diskChanged(file: string): void {
    const directory = this.directories.get(path.dirname(file));
    if (!directory) return;
    directory.disk.delete(file);
    // A created or deleted file changes the listing.
    this.directories.delete(path.dirname(file));
    this.directories.set(path.dirname(file), { ...directory, files: this.sources.listGoFiles(path.dirname(file)), mentions: new Map() });
  }

  /**
   * Whether any `.go` file of the file's directory, as on disk, contains one
   * of the texts: reading the texts costs far less than parsing the files, and
   * a package none of whose files mentions what its rules look for need not
   * be parsed at all (the CLI; open buffers do not count here).
   */
  directoryMentions(file: string, texts: readonly string[]): boolean {
    const directory = this.directory(path.dirname(file));
    const key = texts.join('\u0000');
    let mentions = directory.mentions.get(key);
    if (mentions === undefined) {
      mentions = directory.files.some((sibling) => {
        const text = this.sources.readGoFile(sibling);
        return text !== undefined && texts.some((wanted) => text.includes(wanted));
      });
      directory.mentions.set(key, mentions);
    }
    return mentions;
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
      directory = { files: this.sources.listGoFiles(name), disk: new Map(), packages: new Map(), mentions: new Map() };
      while (this.directories.size >= (this.options.keptDirectories ?? 32)) {
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
      facts = (text === undefined ? undefined : this.parse(file, text)) ?? null;
      directory.disk.set(file, facts);
    }
    return facts ?? undefined;
  }

  /**
   * The `.go` files of the file's directory not read yet (neither open nor
   * in the disk cache): a caller that must not block (the server) reads them
   * with `readFromDisk` one at a time before asking `packageOf`.
   */
  unreadSiblings(file: string): string[] {
    const directory = this.directory(path.dirname(file));
    return directory.files.filter((sibling) => !this.open.has(sibling) && !directory.disk.has(sibling));
  }

  /** Reads and parses one file from disk into the cache (nothing when it is known already); a file that fails counts as unreadable. */
  readFromDisk(file: string): void {
    const directory = this.directory(path.dirname(file));
    try {
      this.factsOf(directory, file);
    } catch {
      // Unreadable as much as a binary file: the package is read without it.
      directory.disk.set(file, null);
    }
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
