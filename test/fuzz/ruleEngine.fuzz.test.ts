// Fuzzes the rule engine: every rule (analyzeTree) over mutated Go sources —
// the fixtures under test/fixtures and a seeded sample of GOROOT/src — with
// tokens deleted, duplicated and inserted, unbalanced braces, unterminated
// strings and comments, deep nesting, CRLF, a BOM and broken bytes.
// Properties: nothing throws and no rule fails, every case returns in bounded
// time, every finding, related location, inlay label and fix edit lies inside
// the document, and no finding sits inside an ERROR node.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Node, Parser } from 'web-tree-sitter';
import { analyzeTree } from '../../server/src/engine/analyzeFile';
import type { Finding, Position } from '../../server/src/engine/finding';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { createGoParser } from '../../server/src/parse/goParser';
import { findGo } from '../../server/src/compiler/findGo';
import { absurdMs, caseCount, filesUnder, fuzzFixtures, fuzzSeed, Fuzzer, saveFailingInput } from './fuzzSupport';

const fixturesRoot = path.resolve(__dirname, '../../../test/fixtures');

/** Files of GOROOT/src (the suite needs go, as CI has: without it these inputs would silently drop out). */
function gorootSources(fuzz: Fuzzer, count: number): string[] {
  const go = findGo();
  if (!go.found) throw new Error(`the fuzz tests read GOROOT/src and need go: ${go.message}`);
  const src = path.join(path.dirname(path.dirname(fs.realpathSync(go.path))), 'src');
  const candidates = filesUnder(src, ['.go']).filter((file) => {
    try {
      return fs.statSync(file).size < 16_000;
    } catch {
      return false;
    }
  });
  return Array.from({ length: Math.min(count, candidates.length) }, () => fuzz.pick(candidates));
}

const tokens = [
  '{', '}', '(', ')', '[', ']', '"', '`', "'", '/*', '*/', '//', '\n', ';', ',', ':=', '=', '<-', '...', '.',
  'defer ', 'go ', 'func', 'func() {', 'return', 'select {', 'case ', 'default:', 'for ', 'range ', 'if ', 'else ',
  'close(ch)', 'ch <- 1', '<-ch', 'make(chan int)', 'mu.Lock()', 'mu.Unlock()', 'defer mu.Unlock()', 'wg.Add(1)', 'wg.Wait()',
  'recover()', 'panic(x)', 'os.Exit(1)', 'time.After(d)', 'var ', 'type ', 'struct {', 'interface {', 'package p\n', 'import "C"\n',
  '//goinsight:ignore defer/order why\n', '//line other.go:10\n', '\u00e9', '\u{1F600}', '\u0000', '\ufeff', '\r', '\r\n',
];

function checkPosition(position: Position, lines: LineIndex, where: string): void {
  assert.ok(Number.isInteger(position.line) && position.line >= 0 && position.line < lines.lineCount, `${where}: line ${position.line} outside the document`);
  const length = lines.lineText(position.line).length;
  assert.ok(Number.isInteger(position.character) && position.character >= 0 && position.character <= length, `${where}: character ${position.character} outside line ${position.line} (length ${length})`);
}

function checkRange(range: { start: Position; end: Position }, lines: LineIndex, where: string): void {
  checkPosition(range.start, lines, where);
  checkPosition(range.end, lines, where);
  assert.ok(lines.offsetAt(range.start) <= lines.offsetAt(range.end), `${where}: range ends before it starts`);
}

function insideError(root: Node, start: number, end: number): boolean {
  for (let node: Node | null = root.descendantForIndex(start, Math.max(start, end - 1)); node; node = node.parent) {
    if (node.type === 'ERROR' || node.isMissing) return true;
  }
  return false;
}

function checkFinding(finding: Finding, lines: LineIndex, root: Node, where: string): void {
  const at = `${where}: ${finding.rule} at ${finding.range.start.line}:${finding.range.start.character}`;
  checkRange(finding.range, lines, at);
  for (const related of finding.related) if (!related.file) checkRange(related.range, lines, `${at} (related)`);
  if (finding.inlay) checkPosition(finding.inlay.position, lines, `${at} (inlay)`);
  for (const fix of finding.fixes) for (const edit of fix.edits) checkRange(edit.range, lines, `${at} (fix "${fix.title}")`);
  const start = lines.offsetAt(finding.range.start);
  assert.ok(!insideError(root, start, lines.offsetAt(finding.range.end)), `${at}: a finding inside an ERROR node`);
}

function runCase(parser: Parser, text: string, where: string, filePath: string | undefined): void {
  const started = performance.now();
  const tree = parser.parse(text);
  assert.ok(tree, `${where}: no tree`);
  try {
    let analysis: ReturnType<typeof analyzeTree>;
    try {
      analysis = analyzeTree(tree, text, { locale: 'en', filePath, includeGenerated: true, incremental: filePath !== undefined });
    } catch (error) {
      assert.fail(`${where} threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}; input saved to ${saveFailingInput('rules', text)}`);
    }
    const elapsed = performance.now() - started;
    // The message saves the input: build it only on failure, or every passing case leaves a file behind.
    if (elapsed >= absurdMs) assert.fail(`${where} took ${Math.round(elapsed)} ms; input saved to ${saveFailingInput('rules', text)}`);
    const failure = analysis.failures[0];
    if (failure) assert.fail(`${where}: rule ${failure.rule} threw ${failure.error.stack ?? failure.error.message}; input saved to ${saveFailingInput('rules', text)}`);
    try {
      for (const finding of analysis.findings) checkFinding(finding, analysis.lines, tree.rootNode, where);
    } catch (error) {
      saveFailingInput('rules', text);
      throw error;
    }
  } finally {
    tree.delete();
  }
}

test('rule engine: mutated fixtures and GOROOT files never throw, hang or report outside the document or inside errors', { timeout: 600_000 }, async () => {
  const parser = await createGoParser();
  const fuzz = new Fuzzer(fuzzSeed(0xdefe_4));
  const seeds = [...filesUnder(fixturesRoot, ['.go']), ...gorootSources(fuzz, 150)].map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  assert.ok(seeds.length > 50, 'the seed sources are there');
  const nest = (text: string) => {
    const depth = 1 + fuzz.int(fuzz.chance(0.1) ? 400 : 40);
    const [open, close] = fuzz.pick([['{', '}'], ['if x {\n', '}\n'], ['(', ')'], ['func() {\n', '}()\n'], ['for {\n', '}\n'], ['select {\ncase <-ch:\n', '}\n']]);
    const at = fuzz.int(text.length + 1);
    const body = fuzz.chance(0.5) ? 'defer mu.Unlock()\nclose(ch)\n' : '';
    return text.slice(0, at) + open.repeat(depth) + body + (fuzz.chance(0.8) ? close.repeat(depth) : '') + text.slice(at);
  };
  const mutators: ((text: string) => string)[] = [
    (text) => fuzz.deleteSpan(text),
    (text) => fuzz.duplicateSpan(text),
    (text) => fuzz.insertAt(text, fuzz.pick(tokens)),
    (text) => fuzz.insertAt(text, fuzz.pick(tokens)),
    (text) => fuzz.insertAt(text, fuzz.pick(['{', '}', '(', ')']).repeat(1 + fuzz.int(5))),
    (text) => fuzz.insertAt(text, fuzz.pick(['"', '`', '/*', "'"])),
    (text) => fuzz.shuffleLines(text),
    (text) => fuzz.truncate(text),
    (text) => text.replace(/\n/g, '\r\n'),
    (text) => `\ufeff${text}`,
    (text) => fuzz.flipBytes(text, 1 + fuzz.int(4)),
    nest,
  ];
  const cases = caseCount(4_000);
  for (let index = 0; index < cases; index++) {
    const seed = fuzz.pick(seeds);
    const text = fuzz.mutate(seed.text, mutators, 1 + fuzz.int(5));
    // Half the cases go through the incremental path, which keys its memory by file path.
    const filePath = fuzz.chance(0.5) ? `/fuzz/${index % 7}.go` : undefined;
    runCase(parser, text, `case ${index} (from ${path.relative(path.dirname(fixturesRoot), seed.file)})`, filePath);
  }
  for (const file of filesUnder(path.join(fuzzFixtures, 'regressions'), ['.go'])) runCase(parser, fs.readFileSync(file, 'utf8'), file, undefined);
});
