// Unsaved editor buffers reach the compiler through `go build -overlay=FILE`:
// each buffer is written to a temp copy inside the run's private directory and
// FILE maps the real path to it. The compiler reports its facts under the real
// path (confirmed on go1.26), but the go command's type errors name the copy,
// shortened oddly ("./copy/0/a.go", even ".2/0/a.go"), so the output is
// rewritten to the real paths before anything reads it. Nothing is written
// into the user's tree.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Real absolute path → the buffer's text. */
export type Overlay = ReadonlyMap<string, string>;

export interface WrittenOverlay {
  /** The overlay JSON to pass as -overlay. */
  file: string;
  /** Replaces every printed form of a temp copy's path in the go command's output with the real path. */
  restorePaths(output: string): string;
}

/**
 * Writes the temp copies (overlay/<index>/<base name>) and the overlay JSON
 * under `dir`. Synchronously: a few small files in a private temp directory,
 * where each asynchronous write (open, write, close through the thread pool)
 * delayed the compile by a millisecond or more.
 */
export function writeOverlay(dir: string, overlay: Overlay): WrittenOverlay {
  const copies = path.join(dir, 'overlay');
  const replace: Record<string, string> = {};
  const realByIndex: string[] = [];
  for (const [file, text] of overlay) {
    if (!path.isAbsolute(file)) throw new Error(`overlay paths must be absolute: ${file}`);
    // One directory per buffer keeps a.go from two packages apart and keeps the base name the go command reports.
    const copyDir = path.join(copies, String(realByIndex.length));
    mkdirSync(copyDir, { recursive: true });
    const copy = path.join(copyDir, path.basename(file));
    writeFileSync(copy, text, 'utf8');
    replace[file] = copy;
    realByIndex.push(file);
  }
  const overlayFile = path.join(dir, 'overlay.json');
  writeFileSync(overlayFile, JSON.stringify({ Replace: replace }), 'utf8');
  // Any path-like run ending in overlay/<index>/<name>.go is one of our copies, however the go command shortened it.
  const printedCopy = /[^\s:'"()]*overlay[\\/](\d+)[\\/]([^\s:\\/'"()]+\.go)/g;
  const copyMention = /overlay[\\/]\d+[\\/]/;
  return {
    file: overlayFile,
    restorePaths: (output) => {
      // The full pattern tries every character as the start of a path: megabytes of -m=2 output that name no copy skip it.
      if (!copyMention.test(output)) return output;
      return output.replace(printedCopy, (whole, index: string, name: string) => {
        const real = realByIndex[Number(index)];
        return real !== undefined && path.basename(real) === name ? real : whole;
      });
    },
  };
}
