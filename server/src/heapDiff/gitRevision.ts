// The tree of a git revision, as a private copy for the compiler to build:
// resolves the revision the user named, and writes that commit's files into a
// fresh directory under the system temp dir, never touching the user's working
// tree, index, branches or .git admin files.
//
// Why not `git worktree add`: it registers the copy in .git/worktrees. Why not
// `git archive`: it honours `export-ignore` and `export-subst` attributes, so
// the copy could lack files or hold rewritten ones and build differently. A
// private index file (GIT_INDEX_FILE inside the temp dir) filled by
// `git read-tree` and written out by `git checkout-index --prefix` gives the
// commit's files byte for byte as a checkout would (same line-ending settings),
// and git writes only into that temp dir. Every git run gets an argument array.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { runProcess, withPrivateTempDir } from '../compiler/runCompiler';

export class RevisionError extends Error {}

export interface ResolvedRevision {
  /** The repository's top directory (symlinks resolved). */
  root: string;
  /** Full commit hash. */
  commit: string;
  /** What the user typed, for messages. */
  name: string;
}

const gitTimeoutMs = 120_000;

async function git(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv, signal?: AbortSignal) {
  try {
    return await runProcess({ command: 'git', args, cwd, env: env ?? process.env, signal, timeoutMs: gitTimeoutMs });
  } catch (error) {
    throw new RevisionError(`git could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
}

/** `A...B` (or `A...`, B defaulting to HEAD): the merge base of A and B, as `git diff A...B` reads it. */
const mergeBaseForm = /^(.+?)\.\.\.(.*)$/;

/**
 * The commit `name` names in the repository holding `cwd`. A name starting
 * with `-` is refused: git would read it as an option.
 */
export async function resolveRevision(cwd: string, name: string): Promise<ResolvedRevision> {
  if (name === '' || name.startsWith('-')) throw new RevisionError(`"${name}" is not a git revision`);
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.exitCode !== 0) throw new RevisionError(`${cwd} is not in a git repository (${firstLine(top.stderr)})`);
  const root = realpathSync.native(firstLine(top.stdout));
  const range = mergeBaseForm.exec(name);
  const resolved = range
    ? await git(['merge-base', '--end-of-options', range[1], range[2] || 'HEAD'], root)
    : await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`], root);
  const commit = firstLine(resolved.stdout);
  if (resolved.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) {
    throw new RevisionError(`no commit "${name}" in ${root}${resolved.stderr.trim() ? ` (${firstLine(resolved.stderr)})` : ''}`);
  }
  return { root, commit, name };
}

export interface RevisionTreeOptions {
  signal?: AbortSignal;
  /** Where the copy is made; default os.tmpdir(). */
  tempRoot?: string;
}

/**
 * Writes the commit's files into a new private directory (0700) and hands
 * its path to `use`; the directory is removed afterwards whatever happens,
 * and by the start-up sweep if the process was killed.
 */
export async function withRevisionTree<T>(revision: ResolvedRevision, use: (tree: string) => Promise<T>, options: RevisionTreeOptions = {}): Promise<T> {
  return withPrivateTempDir(
    async (dir) => {
      const tree = path.join(dir, 'tree');
      const env = { ...process.env, GIT_INDEX_FILE: path.join(dir, 'index') };
      const read = await git(['read-tree', revision.commit], revision.root, env, options.signal);
      if (read.exitCode !== 0) throw new RevisionError(`git read-tree ${revision.commit.slice(0, 12)} failed: ${firstLine(read.stderr)}`);
      const written = await git(['checkout-index', '--all', `--prefix=${tree}${path.sep}`], revision.root, env, options.signal);
      if (written.exitCode !== 0) throw new RevisionError(`git checkout-index failed: ${firstLine(written.stderr)}`);
      return use(tree);
    },
    options.tempRoot,
    'revisionCopy',
  );
}
