// Unsaved editor buffers reach the compiler through `go build -overlay=FILE`:
// each buffer is written to a temp copy inside the run's private directory and
// FILE maps the real path to it. The compiler then reports positions under the
// real path (confirmed on go1.26), and nothing is written into the user's tree.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Real absolute path → the buffer's text. */
export type Overlay = ReadonlyMap<string, string>;

/** Writes the temp copies and the overlay JSON under `dir`; returns the JSON's path. */
export async function writeOverlay(dir: string, overlay: Overlay): Promise<string> {
  const copies = path.join(dir, 'overlay');
  await fs.mkdir(copies, { recursive: true });
  const replace: Record<string, string> = {};
  let index = 0;
  for (const [file, text] of overlay) {
    if (!path.isAbsolute(file)) throw new Error(`overlay paths must be absolute: ${file}`);
    // The index keeps a.go from two directories apart; the base name keeps the .go suffix the go command looks at.
    const copy = path.join(copies, `${index++}-${path.basename(file)}`);
    await fs.writeFile(copy, text, 'utf8');
    replace[file] = copy;
  }
  const overlayFile = path.join(dir, 'overlay.json');
  await fs.writeFile(overlayFile, JSON.stringify({ Replace: replace }), 'utf8');
  return overlayFile;
}
