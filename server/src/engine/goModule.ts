// Reads the Go language version that applies to a file from the nearest
// go.mod (its `go` directive): loop-variable, timer and WaitGroup semantics
// changed between versions, and some rules depend on them.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GoModuleInfo {
  /** Absolute path of the go.mod file. */
  goModPath: string;
  modulePath?: string;
  /** The `go` directive, e.g. "1.22" or "1.21.3". */
  goVersion?: string;
}

/** Parses the parts of a go.mod we need; tolerant of anything else in it. */
export function parseGoMod(text: string): { modulePath?: string; goVersion?: string } {
  const modulePath = /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
  const goVersion = /^\s*go\s+(\d+\.\d+(?:\.\d+)?)\s*(?:\/\/.*)?$/m.exec(text)?.[1];
  return { modulePath, goVersion };
}

/** Finds and reads the nearest go.mod at or above `directory`; cached per directory. */
export class GoModuleLocator {
  private readonly byDirectory = new Map<string, GoModuleInfo | undefined>();

  find(directory: string): GoModuleInfo | undefined {
    const visited: string[] = [];
    let current = path.resolve(directory);
    let found: GoModuleInfo | undefined;
    for (;;) {
      if (this.byDirectory.has(current)) {
        found = this.byDirectory.get(current);
        break;
      }
      visited.push(current);
      const candidate = path.join(current, 'go.mod');
      const text = readSmallFile(candidate);
      if (text !== undefined) {
        found = { goModPath: candidate, ...parseGoMod(text) };
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const directoryVisited of visited) this.byDirectory.set(directoryVisited, found);
    return found;
  }

  /** Forget cached answers (e.g. after a go.mod changed on disk). */
  clear(): void {
    this.byDirectory.clear();
  }
}

function readSmallFile(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > 1_000_000) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
