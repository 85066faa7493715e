// Reads a Go file from disk the way every reader must agree on (the CLI, the
// package model's unopened siblings, leak results of closed files): too large,
// unreadable and binary files are skipped with a reason, and a BOM is dropped
// (the parser and the line index see the same text).
import * as fs from 'node:fs';

/** Files above this size are skipped with a note: generated blobs, not code to review. */
export const maxFileBytes = 10 * 1024 * 1024;

export function readGoFile(file: string): { text: string } | { skipped: string } {
  let buffer: Buffer;
  try {
    if (fs.statSync(file).size > maxFileBytes) return { skipped: `larger than ${maxFileBytes / 1024 / 1024} MiB` };
    buffer = fs.readFileSync(file);
  } catch (error) {
    return { skipped: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (buffer.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}
