// `goinsight escapes --since REF`: the compiler's heap facts of the working
// tree against those of a git revision, built from a private copy with the
// same go binary and flags. Prints what is new and what is gone per package
// and function (text), the `escapes` JSON with a status per fact, or SARIF
// with the new facts only. `--fail-on-new` exits 1 on a new heap allocation
// that no `//goinsight:ignore` comment accepts.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { heapVerdictKinds, removeStaleTempDirs, toFinding, type EscapeFact } from '../compiler';
import type { Finding } from '../engine/finding';
import { isSuppressed } from '../engine/suppression';
import { escapeFlowReason } from '../features/escapeFlow';
import { resolveRevision, RevisionError, withRevisionTree, type ResolvedRevision } from '../heapDiff/gitRevision';
import { allocatingKinds, diffFacts, type OwnedFact } from '../heapDiff/matchFacts';
import { sideFacts, type SideFact } from '../heapDiff/ownedFacts';
import { localize } from '../l10n/serverText';
import { createGoParser } from '../parse/goParser';
import { UsageError, type EscapesOptions } from './arguments';
import { collectGoFiles } from './collectFiles';
import { buildTagFlags, compilePackages, describeFailure, packageDirectories } from './compilePackages';
import { readGoFile } from '../engine/readGoFile';
import { factToJson, factToText } from './renderFacts';
import { renderSarif } from './renderSarif';

export interface SinceOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** One side of the comparison: a tree (the working tree or the copy at REF) and where the user stands in it. */
interface Side {
  /** The tree's top directory. */
  root: string;
  /** The user's working directory, within this tree. */
  cwd: string;
  files: string[];
}

/** A fact of one side with what the output needs: its side and its finding (message, flow, range). */
interface ShownFact extends SideFact {
  side: Side;
  finding: Finding;
}

/** The PATH arguments as they read in the copy at REF; a PATH missing there simply has no files. */
function filesAtRevision(paths: readonly string[], cwd: string, current: Side, copy: Omit<Side, 'files'>): string[] {
  const files: string[] = [];
  for (const argument of paths) {
    const recursive = argument === '...' || argument.endsWith('/...') || argument.endsWith(`${path.sep}...`);
    const base = recursive ? argument.slice(0, -3) || '.' : argument;
    let absolute = path.resolve(cwd, base);
    try {
      absolute = realpathSync.native(absolute);
    } catch {
      // Named but missing: collectGoFiles has already said so for the working tree.
    }
    const inRepository = path.relative(current.root, absolute);
    if (inRepository.startsWith('..') || path.isAbsolute(inRepository)) throw new UsageError(`${argument}: outside the git repository ${current.root}`);
    const mapped = path.join(copy.root, inRepository);
    try {
      files.push(...collectGoFiles([recursive ? path.join(mapped, '...') : mapped], copy.cwd).files);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  return [...new Set(files)];
}

/** A package directory relative to its side's root, `/`-separated: the same package has the same path on both sides. */
function packagePathOfDirectory(directory: string, side: Side): string {
  return path.relative(side.root, directory).split(path.sep).join('/') || '.';
}

function packagePathOf(file: string, side: Side): string {
  return packagePathOfDirectory(path.dirname(file), side);
}

/** Every heap fact of the side's files, with its owner and finding; files that cannot be read keep no facts. */
function ownedFacts(parser: Parser, side: Side, factsByFile: Map<string, EscapeFact[]>): ShownFact[] {
  const textOf = (file: string) => {
    const read = readGoFile(file);
    return 'text' in read ? read.text : undefined;
  };
  return sideFacts(parser, factsByFile, textOf, (file) => packagePathOf(file, side)).map((owned) => ({ ...owned, side, finding: toFinding(owned.fact, owned.lines) }));
}

function shortCommit(revision: ResolvedRevision): string {
  return revision.commit.slice(0, 12);
}

/** `version`: Go Insight's own, for the SARIF tool record. */
export async function runEscapesSince(options: EscapesOptions & { since: string }, cwd: string, output: SinceOutput, version: string): Promise<number> {
  const started = Date.now();
  let revision: ResolvedRevision;
  try {
    revision = await resolveRevision(cwd, options.since);
  } catch (error) {
    if (error instanceof RevisionError) throw new UsageError(`--since: ${error.message}`);
    throw error;
  }
  // A run killed outright (SIGKILL, a CI job cancelled) could not remove its copy: the next run does.
  await removeStaleTempDirs();
  const realCwd = realpathSync.native(cwd);
  const collected = collectGoFiles(options.paths, cwd);
  for (const argument of collected.empty) output.stderr(localize(options.locale, 'cliNoGoFiles', { path: argument }));
  const current: Side = { root: revision.root, cwd: realCwd, files: collected.files.map((file) => path.join(realpathSync.native(path.dirname(file)), path.basename(file))) };

  // Ctrl-C or a CI timeout: the compilers are stopped (whole process trees) and everything unwinds through the
  // `finally`s that remove the copy and the compilers' temp dirs; a second signal ends the process at once.
  const controller = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const interrupted = (signal: NodeJS.Signals) => {
    signalled = signal;
    controller.abort();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await withRevisionTree(
      revision,
      async (copyRoot) => {
        const copyPlace = { root: copyRoot, cwd: path.join(copyRoot, path.relative(revision.root, realCwd)) };
        const before: Side = { ...copyPlace, files: filesAtRevision(options.paths, cwd, current, copyPlace) };
        return compare({ options, revision, current, before, signal: controller.signal, output, started, version });
      },
      { signal: controller.signal },
    );
  } catch (error) {
    if (signalled) {
      output.stderr(`goinsight: stopped by ${signalled}`);
      return signalled === 'SIGINT' ? 130 : 143;
    }
    if (error instanceof RevisionError) throw new UsageError(`--since: ${error.message}`);
    throw error;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

interface Comparison {
  options: EscapesOptions;
  revision: ResolvedRevision;
  current: Side;
  before: Side;
  signal: AbortSignal;
  output: SinceOutput;
  started: number;
  version: string;
}

async function compare({ options, revision, current, before, signal, output, started, version }: Comparison): Promise<number> {
  const sides = [current, before];
  const directories = sides.flatMap((side) => packageDirectories(side.files));
  const compiled = await compilePackages(directories, options.goPath, { buildFlags: buildTagFlags(options.tags), signal, locale: options.locale });
  if (compiled.unavailable) throw new UsageError(compiled.unavailable);

  let exitCode = 0;
  // A package that does not build on either side has unknown facts: it is left out, and said.
  const incomparable = new Set<string>();
  const factsBySide = new Map<Side, Map<string, EscapeFact[]>>();
  for (const side of sides) {
    const requested = new Set(side.files);
    const ownDirectories = new Set(packageDirectories(side.files));
    const byFile = new Map<string, EscapeFact[]>();
    for (const result of compiled.results.values()) {
      if (!ownDirectories.has(result.packageDir)) continue;
      const failure = describeFailure(result, side.cwd, options.locale);
      if (failure) {
        const packagePath = packagePathOfDirectory(result.packageDir, side);
        incomparable.add(packagePath);
        const where = side === current ? failure : `${failure} (at ${options.since})`;
        output.stderr(localize(options.locale, 'sinceNotCompared', { package: packagePath, reason: where }));
        if (side === current) exitCode = 1;
        continue;
      }
      for (const [file, facts] of result.files) {
        const heap = facts.filter((fact) => heapVerdictKinds.has(fact.kind));
        if (requested.has(file) && heap.length > 0) byFile.set(file, heap);
      }
    }
    factsBySide.set(side, byFile);
  }

  const parser = await createGoParser();
  const comparable = (fact: ShownFact) => !incomparable.has(fact.packagePath);
  const after = ownedFacts(parser, current, factsBySide.get(current) ?? new Map()).filter(comparable);
  const earlier = ownedFacts(parser, before, factsBySide.get(before) ?? new Map()).filter(comparable);
  parser.delete();
  const diff = diffFacts(earlier, after);
  const added = diff.added.sort(byPosition);
  const removed = diff.removed.sort(byPosition);
  const accepted = new Set(added.filter((entry) => isSuppressed(entry.finding, entry.lines)));

  if (options.format === 'json') {
    const entry = (shown: ShownFact, status: 'new' | 'gone') => {
      const lineOf = (file: string, line: number) => (file === shown.fact.file ? shown.lines.lineText(line - 1) : undefined);
      return { ...factToJson(shown.fact, shown.side.cwd, lineOf), status, ...(accepted.has(shown) ? { accepted: true } : {}) };
    };
    const document = {
      version: 1,
      findings: [...added.map((shown) => entry(shown, 'new')), ...removed.map((shown) => entry(shown, 'gone'))],
      since: { revision: options.since, commit: revision.commit, new: added.length, gone: removed.length, unchanged: diff.unchanged.length },
      stats: { files: current.files.length, lines: 0, ms: Date.now() - started },
    };
    output.stdout(JSON.stringify(document, null, 2));
  } else if (options.format === 'sarif') {
    const byFile = new Map<string, ShownFact[]>();
    // Accepted ones stay out: code scanning would annotate them on the pull request all the same.
    for (const shown of added.filter((entry) => !accepted.has(entry))) byFile.set(shown.fact.file, [...(byFile.get(shown.fact.file) ?? []), shown]);
    const files = [...byFile].map(([file, facts]) => ({ file, lines: facts[0].lines, findings: facts.map((shown) => shown.finding) }));
    output.stdout(JSON.stringify(renderSarif(files, current.cwd, options.locale, version), null, 2));
  } else {
    renderText(options, revision, added, removed, diff.unchanged, accepted, output);
  }
  const failing = added.some((shown) => allocatingKinds.has(shown.fact.kind) && !accepted.has(shown));
  return options.failOnNew && failing ? Math.max(exitCode, 1) : exitCode;
}

function byPosition(a: ShownFact, b: ShownFact): number {
  return a.fact.file.localeCompare(b.fact.file) || a.fact.line - b.fact.line || a.fact.column - b.fact.column;
}

function renderText(
  options: EscapesOptions,
  revision: ResolvedRevision,
  added: readonly ShownFact[],
  removed: readonly ShownFact[],
  unchanged: ReadonlyArray<[OwnedFact, OwnedFact]>,
  accepted: ReadonlySet<ShownFact>,
  output: SinceOutput,
): void {
  const locale = options.locale;
  const packages = [...new Set([...added, ...removed].map((shown) => shown.packagePath))].sort();
  for (const packagePath of packages) {
    const count = (list: readonly OwnedFact[]) => list.filter((entry) => entry.packagePath === packagePath).length;
    output.stdout(
      localize(locale, 'sincePackage', { package: packagePath, added: count(added), removed: count(removed), unchanged: count(unchanged.map((pair) => pair[1])) }),
    );
    // New allocations first, each with the flow's step that sends it to the heap.
    for (const [shown, status] of [...added.map((entry) => [entry, 'new'] as const), ...removed.map((entry) => [entry, 'gone'] as const)]) {
      if (shown.packagePath !== packagePath) continue;
      const label = status === 'gone' ? localize(locale, 'sinceGone') : accepted.has(shown) ? localize(locale, 'sinceAccepted') : localize(locale, 'sinceNew');
      const entry = localize(locale, 'sinceEntry', { label, fact: factToText(shown.fact, shown.side.cwd), function: shown.owner.path });
      const reason = status === 'new' ? escapeFlowReason(shown.finding, locale) : undefined;
      output.stdout(`  ${reason ? localize(locale, 'sinceReason', { entry, reason }) : entry}`);
    }
  }
  output.stdout(
    localize(locale, 'sinceSummary', { revision: revision.name, commit: shortCommit(revision), added: added.length, removed: removed.length, unchanged: unchanged.length }),
  );
}
