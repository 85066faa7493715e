// Applies a quick fix's edits to a text (as an editor would) so tests can
// check the rewritten code: its exact text, and that it still parses.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Fix } from '../../server/src/engine/finding';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { createGoParser } from '../../server/src/parse/goParser';

export function applyFix(text: string, fix: Fix): string {
  const lines = new LineIndex(text);
  const edits = fix.edits
    .map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let index = 1; index < edits.length; index++) {
    if (edits[index].end > edits[index - 1].start) throw new Error(`fix "${fix.title}" has overlapping edits`);
  }
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Parse errors in the text, as "line:column type" strings (empty when it parses cleanly). */
export async function parseErrors(text: string): Promise<string[]> {
  const parser = await createGoParser();
  const tree = parser.parse(text);
  if (!tree) return ['no tree'];
  try {
    if (!tree.rootNode.hasError) return [];
    return tree.rootNode
      .descendantsOfType('ERROR')
      .filter((node) => node !== null)
      .map((node) => `${node.startPosition.row + 1}:${node.startPosition.column + 1} ERROR ${node.text.slice(0, 40)}`)
      .concat(tree.rootNode.hasError ? ['(tree has errors or missing nodes)'] : []);
  } finally {
    tree.delete();
  }
}

/**
 * Builds the package of `file` with `fixedText` in the file's place (through a
 * `go build -overlay` written into `scratch`): the fixed copy's path, and the
 * compiler's errors (undefined when it builds).
 */
export function buildWithFixedFile(file: string, fixedText: string, scratch: string): { fixedFile: string; buildErrors?: string } {
  const dir = fs.mkdtempSync(path.join(scratch, 'fix-'));
  const fixedFile = path.join(dir, path.basename(file));
  const overlay = path.join(dir, 'overlay.json');
  fs.writeFileSync(fixedFile, fixedText);
  fs.writeFileSync(overlay, JSON.stringify({ Replace: { [file]: fixedFile } }));
  try {
    execFileSync('go', ['build', '-o', os.devNull, '-overlay', overlay, '.'], { cwd: path.dirname(file), stdio: 'pipe' });
    return { fixedFile };
  } catch (error) {
    return { fixedFile, buildErrors: (error as { stderr?: Buffer }).stderr?.toString() ?? String(error) };
  }
}
