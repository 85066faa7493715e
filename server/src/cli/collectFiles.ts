// Expands the CLI's PATH arguments into Go files, the way the go command reads
// them: a file, a directory (its own files), or DIR/... (recursive, skipping
// vendor, testdata and directories whose names start with "." or "_").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './arguments';

function isSkippedDirectory(name: string): boolean {
  return name === 'vendor' || name === 'testdata' || name.startsWith('.') || name.startsWith('_');
}

function goFilesIn(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.go'))
    .map((entry) => path.join(directory, entry.name))
    .sort();
}

/** Walks iteratively (deep trees must not overflow the stack). */
function goFilesBelow(root: string): string[] {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      continue; // an unreadable subdirectory is skipped, like the go command does
    }
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory() && !isSkippedDirectory(entry.name)) pending.push(full);
      else if (entry.isFile() && entry.name.endsWith('.go')) files.push(full);
    }
  }
  return files.sort();
}

export interface CollectedFiles {
  files: string[];
  /** Arguments that matched no Go file (reported as warnings). */
  empty: string[];
}

export function collectGoFiles(arguments_: readonly string[], cwd: string): CollectedFiles {
  const files = new Set<string>();
  const empty: string[] = [];
  for (const argument of arguments_) {
    const recursive = argument === '...' || argument.endsWith('/...') || argument.endsWith(`${path.sep}...`);
    const target = path.resolve(cwd, recursive ? argument.slice(0, -3) || '.' : argument);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(`${argument}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code})`}`);
    }
    let found: string[];
    if (stat.isDirectory()) {
      try {
        found = recursive ? goFilesBelow(target) : goFilesIn(target);
      } catch (error) {
        throw new UsageError(`${argument}: cannot read directory (${(error as NodeJS.ErrnoException).code})`);
      }
    } else if (recursive) {
      throw new UsageError(`${argument}: not a directory`);
    } else if (!target.endsWith('.go')) {
      throw new UsageError(`${argument}: not a Go file (expected a .go file, a directory or DIR/...)`);
    } else {
      found = [target];
    }
    if (found.length === 0) empty.push(argument);
    for (const file of found) files.add(file);
  }
  return { files: [...files], empty };
}
