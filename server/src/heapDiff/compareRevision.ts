// One package's heap facts as the editor has them (unsaved buffers included)
// against the same package at a git revision: the revision's copy is built
// with the same go and flags, and the facts are matched as `escapes --since`
// matches them. For the editor's "Compare Heap Allocations with…".
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { heapVerdictKinds, runEscapeAnalysis, type EscapeFact, type PackageEscapeResult } from '../compiler';
import { createGoParser } from '../parse/goParser';
import { resolveRevision, withRevisionTree, type ResolvedRevision } from './gitRevision';
import { diffFacts } from './matchFacts';
import { sideFacts, type SideFact } from './ownedFacts';

export interface RevisionComparison {
  revision: ResolvedRevision;
  added: SideFact[];
  removed: SideFact[];
  unchanged: number;
  /** Set when the package could not be built at the revision: nothing is compared then. */
  failure?: string;
}

export interface CompareOptions {
  /** The package as compiled now. */
  current: PackageEscapeResult;
  /** The text the current facts describe (open buffers over disk). */
  textOf: (file: string) => string | undefined;
  revisionName: string;
  goPath: string;
  buildFlags: readonly string[];
  timeoutMs?: number;
  /** Reads a file of the revision's copy. */
  readFile: (file: string) => string | undefined;
}

function heapFacts(result: PackageEscapeResult): Map<string, EscapeFact[]> {
  const byFile = new Map<string, EscapeFact[]>();
  for (const [file, facts] of result.files) {
    const heap = facts.filter((fact) => heapVerdictKinds.has(fact.kind));
    if (heap.length > 0) byFile.set(file, heap);
  }
  return byFile;
}

export async function compareWithRevision(options: CompareOptions): Promise<RevisionComparison> {
  const packageDir = options.current.packageDir;
  const revision = await resolveRevision(packageDir, options.revisionName);
  // The root git names has its symlinks resolved: so must the package's directory, or the copy's would be elsewhere.
  const inRepository = path.relative(revision.root, realpathSync.native(packageDir));
  return withRevisionTree(revision, async (copyRoot) => {
    const before = await runEscapeAnalysis({
      packageDir: path.join(copyRoot, inRepository),
      goPath: options.goPath,
      buildFlags: options.buildFlags,
      timeoutMs: options.timeoutMs,
    });
    // A package new since the revision has no facts there: all of its facts are new.
    const missing = before.buildFailed?.kind === 'setup' && /directory not found|no Go files/.test(before.buildFailed.message);
    if (before.buildFailed && !missing) return { revision, added: [], removed: [], unchanged: 0, failure: before.buildFailed.message };
    const parser = await createGoParser();
    try {
      const samePackage = () => inRepository.split(path.sep).join('/') || '.';
      const earlier = sideFacts(parser, missing ? new Map() : heapFacts(before), options.readFile, samePackage);
      const now = sideFacts(parser, heapFacts(options.current), options.textOf, samePackage);
      const diff = diffFacts(earlier, now);
      return { revision, added: diff.added, removed: diff.removed, unchanged: diff.unchanged.length };
    } finally {
      parser.delete();
    }
  });
}
