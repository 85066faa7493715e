// Section 1b: the package rules after an edit in a large package, in
// process, as the server runs them: net/http/server.go is open, its siblings
// read from disk; each edit re-parses the file incrementally, runs the file
// rules (which keep the declarations the package model reuses) and then the
// package rules (the time measured here). Single-character edits in function
// bodies, as in section 1, plus ten that change a type declaration (each
// drops every summary of the package). Reports wall time per edit and
// the CPU time per edit (less sensitive to a loaded machine).
import * as fs from 'node:fs';
import { compiled, summarize } from './common.mjs';

const edits = 200;
const typeEdits = 10;

/** Offsets just after the last statement character of lines inside function bodies, bottom first, seeded. */
function editPoints(tree, text) {
  const { seededRandom } = compiled('test/support/seededRandom');
  const random = seededRandom(14);
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const candidates = [];
  for (const fn of tree.rootNode.descendantsOfType(['function_declaration', 'method_declaration'])) {
    const body = fn?.childForFieldName('body');
    if (!body) continue;
    for (let line = body.startPosition.row + 1; line < body.endPosition.row; line++) {
      const lineText = text.slice(lineStarts[line], lineStarts[line + 1] - 1);
      if (/[\w)\]"]\s*$/.test(lineText) && !/^\s*(case|default)\b/.test(lineText)) candidates.push(line);
    }
  }
  const chosen = new Set();
  while (chosen.size < Math.min(edits, candidates.length)) chosen.add(candidates[Math.floor(random() * candidates.length)]);
  return [...chosen].sort((a, b) => b - a).map((line) => lineStarts[line + 1] - 1);
}

function pointAt(text, offset) {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

export async function measurePackageRuleLatency({ file }) {
  const { createGoParser } = compiled('server/src/parse/goParser');
  const { analyzeTree } = compiled('server/src/engine/analyzeFile');
  const { LineIndex } = compiled('server/src/engine/lineIndex');
  const { OpenPackages } = compiled('server/src/workspace/openPackages');
  const parser = await createGoParser();
  let text = fs.readFileSync(file, 'utf8');
  let tree = parser.parse(text);
  let loaded;
  const siblingsRead = new Promise((resolve) => (loaded = resolve));
  const packages = new OpenPackages(parser, () => loaded());
  const options = { locale: 'en' };
  let version = 1;
  const analyze = () => {
    const lines = new LineIndex(text);
    analyzeTree(tree, text, { ...options, filePath: file, lines });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = packages.findingsFor({ filePath: file, version, tree, text, lines }, options);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, findings: result.findings.length };
  };
  analyze();
  const readStarted = performance.now();
  await siblingsRead;
  const readMs = performance.now() - readStarted;
  const first = analyze();
  const wall = [];
  let cpuMs = 0;
  /** Inserts text at an offset, re-parsing incrementally as the server does. */
  const insert = (offset, inserted) => {
    const position = pointAt(text, offset);
    text = text.slice(0, offset) + inserted + text.slice(offset);
    tree.edit({ startIndex: offset, oldEndIndex: offset, newEndIndex: offset + inserted.length, startPosition: position, oldEndPosition: position, newEndPosition: pointAt(text, offset + inserted.length) });
    const next = parser.parse(text, tree);
    tree.delete();
    tree = next;
    version++;
  };
  for (const offset of editPoints(tree, text)) {
    insert(offset, '\n_ = a');
    const measured = analyze();
    wall.push(measured.ms);
    cpuMs += measured.cpuMs;
  }
  // A type declaration changes (a field typed in): the package's shape is new, every summary is computed again.
  const typeWall = [];
  let typeCpuMs = 0;
  for (let field = 0; field < typeEdits && text.includes('type conn struct {'); field++) {
    insert(text.indexOf('{', text.indexOf('type conn struct {')) + 1, `\n\textraField${field} int`);
    const measured = analyze();
    typeWall.push(measured.ms);
    typeCpuMs += measured.cpuMs;
  }
  tree.delete();
  parser.delete();
  return { file, edits: wall.length, siblingsReadMs: readMs, firstRun: first, bodyEdit: summarize(wall), bodyEditCpuMs: cpuMs / Math.max(1, wall.length), typeEdit: summarize(typeWall), typeEditCpuMs: typeCpuMs / Math.max(1, typeWall.length) };
}
