// The package model for the language server: each open document's facts
// (recomputed per version, unchanged declarations reusing theirs) over its
// siblings read from disk, which are read once and again only when the file
// watcher reports them changed. Siblings are read in the background, one file
// per turn of the event loop (a large package takes seconds to parse, and
// keystrokes must not wait): until they are all read, the package rules stay
// quiet for that package, then `loaded` is called. Tells the caller when a
// document's facts changed, so it can re-analyze the other open files of
// that package.
import * as path from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import type { RuleFailure } from '../engine/analyzeFile';
import { anyPackageRuleEnabled, packageFindings, type PackageAnalysisOptions } from '../engine/analyzePackage';
import type { Finding } from '../engine/finding';
import { declarationsFor } from '../engine/incrementalRules';
import type { LineIndex } from '../engine/lineIndex';
import { fileFacts, type FileFacts } from '../packageModel/declarationFacts';
import { TreeLease } from '../packageModel/lazyFunctionFacts';
import { diskPackageSources } from '../packageModel/diskSources';
import { PackageWorkspace } from '../packageModel/packageWorkspace';

export interface OpenFile {
  filePath: string;
  version: number;
  tree: Tree;
  text: string;
  lines: LineIndex;
}

export class OpenPackages {
  private readonly workspace: PackageWorkspace;
  /** The facts handed to the workspace per open file, with the version they are of. */
  private readonly current = new Map<string, { version: number; facts: FileFacts }>();

  /** Directories whose siblings are being read. */
  private readonly loading = new Set<string>();

  constructor(
    private readonly parser: Parser,
    /** Called when a directory's files have all been read: its open files need a new analysis. */
    private readonly loaded: (directory: string) => void,
  ) {
    this.workspace = new PackageWorkspace(parser, diskPackageSources);
  }

  /** Whether every sibling is read; if not, starts reading them in the background. */
  private ready(filePath: string): boolean {
    const directory = path.dirname(filePath);
    if (this.loading.has(directory)) return false;
    if (this.workspace.unreadSiblings(filePath).length === 0) return true;
    this.loading.add(directory);
    const next = () => {
      const [sibling] = this.workspace.unreadSiblings(filePath);
      if (sibling === undefined) {
        this.loading.delete(directory);
        this.loaded(directory);
        return;
      }
      this.workspace.readFromDisk(sibling);
      setImmediate(next);
    };
    setImmediate(next);
    return false;
  }

  /**
   * The package rules' findings in an open file. `changed` is true when this
   * version's facts differ from the last ones the package had from it (the
   * other open files of the package may have new findings).
   */
  findingsFor(file: OpenFile, options: PackageAnalysisOptions): { findings: Finding[]; failures: RuleFailure[]; changed: boolean } {
    if (!anyPackageRuleEnabled(options)) return { findings: [], failures: [], changed: false };
    let changed = false;
    // The new declarations' body facts are read from this version's tree while this call lasts: the
    // document edits and deletes it only on a later change.
    const lease = new TreeLease(file.tree);
    try {
      const known = this.current.get(file.filePath);
      if (known?.version !== file.version) {
        // The declarations of the rules' last run of this file: their facts carry over by text.
        const facts = fileFacts(file.filePath, file.tree, file.text, file.lines, declarationsFor(file.tree, file.text, file.filePath, true), this.parser, lease);
        changed = !known || !sameDeclarations(known.facts, facts);
        this.current.set(file.filePath, { version: file.version, facts });
        this.workspace.setOpenFile(facts);
      }
      const pkg = this.ready(file.filePath) ? this.workspace.packageOf(file.filePath) : undefined;
      if (!pkg) return { findings: [], failures: [], changed };
      return { ...packageFindings(pkg, file.filePath, options), changed };
    } finally {
      lease.end();
    }
  }

  closed(filePath: string): void {
    this.current.delete(filePath);
    this.workspace.closeFile(filePath);
  }

  /** A `.go` file changed on disk; returns its directory (the package whose open files need a new analysis). */
  diskChanged(filePath: string): string {
    this.workspace.diskChanged(filePath);
    return path.dirname(filePath);
  }
}

/** Whether two versions of a file give the package the same facts (an edit in a comment, or typing that changed nothing yet). */
function sameDeclarations(before: FileFacts, after: FileFacts): boolean {
  return (
    before.packageName === after.packageName &&
    before.declarations.length === after.declarations.length &&
    before.declarations.every((declaration, index) => declaration.facts === after.declarations[index].facts && declaration.start === after.declarations[index].start)
  );
}
