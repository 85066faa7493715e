// The incremental analysis must give exactly what a whole-file run gives.
// Checks: every rule not listed as file-wide is local to a declaration
// (per-declaration runs add up to the whole-file run) on the fixtures and on
// real GOROOT files; the file-wide rules keep their contract (each finding
// comes from its own declaration's analysis, and another declaration matters
// only when its name is mentioned); and after random edits of real files and
// of the file-wide rules' fixtures the incremental result equals a fresh full
// analysis, positions included.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Node, Tree } from 'web-tree-sitter';
import { analyzeTree, type AnalysisOptions } from '../../server/src/engine/analyzeFile';
import type { Finding } from '../../server/src/engine/finding';
import { fileWideRules, forgetFile } from '../../server/src/engine/incrementalRules';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { scopedTree } from '../../server/src/engine/scopedTree';
import { DocumentTree, type TextChange } from '../../server/src/parse/documentTree';
import { createGoParser } from '../../server/src/parse/goParser';
import { allRules } from '../../server/src/rules/allRules';
import { RuleContext } from '../../server/src/rules/ruleContext';
import { fixturesRoot } from '../support/analysisTest';
import { seededRandom } from '../support/seededRandom';

const cacheable = new Set(['function_declaration', 'method_declaration', 'var_declaration', 'const_declaration', 'type_declaration']);

function goFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.go'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function goRootSources(names: string[]): string[] {
  // Without go these inputs would silently drop out: the suite needs go (the compiler tests do too).
  const goRoot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  return names.map((name) => path.join(goRoot, 'src', name)).filter((file) => fs.existsSync(file));
}

// Real code with defers, locks, channels and goroutines, of moderate size.
const realFiles = goRootSources(['sync/once.go', 'io/pipe.go', 'context/context.go', 'os/exec/exec.go', 'net/http/transport.go', 'database/sql/sql.go', 'testing/testing.go']);

/** The top-level nodes analyzed on every run, and the declarations the incremental analysis caches. */
function topLevel(tree: Tree): { always: Node[]; declarations: Node[] } {
  const top = tree.rootNode.namedChildren.filter((node): node is Node => node !== null && node.type !== 'comment');
  return { always: top.filter((node) => !cacheable.has(node.type)), declarations: top.filter((node) => cacheable.has(node.type)) };
}

/** The scope of a run on one declaration: it and the nodes analyzed on every run, in source order. */
function withAlways(always: readonly Node[], unit: Node): Node[] {
  return [...always, unit].sort((a, b) => a.startIndex - b.startIndex);
}

function runAll(tree: Tree, text: string, lines: LineIndex, filePath: string, wide = false, wholeTree = tree): Finding[] {
  const context = new RuleContext(tree, text, lines, 'en', '1.22', filePath, wholeTree);
  for (const rule of allRules) if (fileWideRules.has(rule.id) === wide) context.run(rule);
  return context.findings;
}

function inside(finding: Finding, node: Node, lines: LineIndex): boolean {
  const start = lines.positionAt(node.startIndex);
  const end = lines.positionAt(node.endIndex);
  const at = finding.range.start;
  return (at.line > start.line || (at.line === start.line && at.character >= start.character)) && (at.line < end.line || (at.line === end.line && at.character <= end.character));
}

function sortedJson(findings: readonly Finding[]): string[] {
  return findings.map((finding) => JSON.stringify(finding)).sort();
}

test('rules not listed as file-wide find per declaration what they find in the whole file', async () => {
  const parser = await createGoParser();
  const files = [...goFilesUnder(path.join(fixturesRoot, 'rules')), ...realFiles];
  assert.ok(files.length > 20);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    assert.ok(tree);
    const lines = new LineIndex(text);
    const { always, declarations } = topLevel(tree);
    const parts = runAll(scopedTree(tree, always), text, lines, file).filter((finding) => always.some((node) => inside(finding, node, lines)));
    for (const unit of declarations) {
      parts.push(...runAll(scopedTree(tree, withAlways(always, unit)), text, lines, file).filter((finding) => inside(finding, unit, lines)));
    }
    const whole = sortedJson(runAll(tree, text, lines, file));
    const per = sortedJson(parts);
    const differing = new Set([...whole.filter((item) => !per.includes(item)), ...per.filter((item) => !whole.includes(item))].map((item) => (JSON.parse(item) as Finding).rule));
    // A rule that reads other declarations is fine, but must say what it reads so the engine re-runs it where that changed.
    assert.deepEqual([...differing], [], `${file}: these rules read other declarations: give them crossDeclarationReads (server/src/rules/rule.ts)`);
    assert.deepEqual(per, whole, file);
    tree.delete();
  }
});

/** The top-level declarations the incremental analysis caches, and what each declares (functions and methods by name). */
function declarationsOf(tree: Tree): { node: Node; name: string | undefined }[] {
  return tree.rootNode.namedChildren
    .filter((node): node is Node => node !== null && cacheable.has(node.type))
    .map((node) => ({ node, name: node.childForFieldName('name')?.text }));
}

const wideFixtures = ['defer/recover-misuse', 'defer/value-receiver', 'defer/call-chain', 'goroutine/range-never-closed', 'goroutine/unbuffered-send-leak', 'goroutine/wait-before-close'].flatMap((dir) =>
  goFilesUnder(path.join(fixturesRoot, 'rules', dir)),
);

test('file-wide rules: each finding comes from the analysis of the declaration it lies in', async () => {
  const parser = await createGoParser();
  for (const file of wideFixtures) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    assert.ok(tree);
    const lines = new LineIndex(text);
    const { always, declarations } = topLevel(tree);
    const parts: Finding[] = [];
    for (const unit of declarations) {
      const found = runAll(scopedTree(tree, withAlways(always, unit)), text, lines, file, true, tree);
      assert.deepEqual(found.filter((finding) => !inside(finding, unit, lines)), [], `${file}: a finding outside the declaration analyzed`);
      parts.push(...found);
    }
    assert.deepEqual(sortedJson(parts), sortedJson(runAll(tree, text, lines, file, true)), file);
    tree.delete();
  }
});

test('file-wide rules: removing a declaration changes only the findings of declarations that mention its name', async () => {
  const parser = await createGoParser();
  let compared = 0;
  for (const file of wideFixtures) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    assert.ok(tree);
    const lines = new LineIndex(text);
    const declarations = declarationsOf(tree);
    const findingsIn = (findings: Finding[], node: Node) => sortedJson(findings.filter((finding) => inside(finding, node, lines)));
    const before = runAll(tree, text, lines, file, true);
    for (const removed of declarations) {
      // Blank out the declaration, keeping every line break so nothing else moves.
      const blanked = text.slice(0, removed.node.startIndex) + text.slice(removed.node.startIndex, removed.node.endIndex).replace(/[^\n]/g, ' ') + text.slice(removed.node.endIndex);
      const changedTree = parser.parse(blanked);
      assert.ok(changedTree);
      const after = runAll(changedTree, blanked, new LineIndex(blanked), file, true);
      for (const other of declarations) {
        if (other === removed || (removed.name && new RegExp(`\\b${removed.name}\\b`).test(other.node.text))) continue;
        assert.deepEqual(findingsIn(after, other.node), findingsIn(before, other.node), `${file}: removing ${removed.name ?? removed.node.type} changed the findings of ${other.name ?? other.node.type}`);
        compared++;
      }
      changedTree.delete();
    }
    tree.delete();
  }
  assert.ok(compared > 100, `only ${compared} comparisons`);
});

/** Analyzes the document incrementally, asserts the result equals a full run, and returns the number of findings. */
function againstFullRun(document: DocumentTree, file: string): (what: string) => number {
  const options: AnalysisOptions = { locale: 'en', goVersion: '1.22', filePath: file };
  return (what) => {
    const incremental = analyzeTree(document.tree, document.text, options);
    assert.deepEqual(incremental.findings, analyzeTree(document.tree, document.text, { ...options, incremental: false }).findings, `${file}: ${what}`);
    return incremental.findings.length;
  };
}

test('file-wide rules: removing a declaration and putting it back re-checks the declarations that use it', async () => {
  const parser = await createGoParser();
  let edits = 0;
  for (const file of wideFixtures) {
    const original = fs.readFileSync(file, 'utf8');
    const document = DocumentTree.create(parser, original);
    const lines = new LineIndex(original);
    forgetFile(file);
    const check = againstFullRun(document, file);
    check('first run');
    // Read before editing: every edit replaces the tree these nodes belong to.
    const declarations = declarationsOf(document.tree).map(({ node, name }) => ({
      label: name ?? node.type,
      range: lines.rangeOf(node.startIndex, node.endIndex),
      text: original.slice(node.startIndex, node.endIndex),
    }));
    for (const { label, range, text } of declarations) {
      document.applyChanges([{ range, text: text.replace(/[^\n]/g, ' ') }]);
      check(`without ${label}`);
      document.applyChanges([{ range, text }]);
      check(`with ${label} back`);
      edits++;
    }
    document.dispose();
    forgetFile(file);
  }
  assert.ok(edits > 50, `only ${edits} declarations`);
});

const snippets = ['x', '\n', '}', '{', ' ', 'defer f()\n', 'defer mu.Unlock()', 'go func() { ch <- 1 }()\n', 'close(ch)\n', '\n\n', '//goinsight:ignore defer/*\n', '"', 'é', '*', 'func helper() { recover() }\n', 'worker'];

/** A random edit: mostly typing inside the text, sometimes deleting a line or duplicating one (moving what follows). */
function randomChange(text: string, random: () => number): TextChange {
  const lines = new LineIndex(text);
  const roll = random();
  if (roll < 0.1) {
    const line = Math.floor(random() * lines.lineCount);
    return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
  }
  if (roll < 0.2) {
    const line = Math.floor(random() * lines.lineCount);
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `${lines.lineText(line)}\n` };
  }
  const start = Math.floor(random() * (text.length + 1));
  const end = Math.min(text.length, start + (random() < 0.7 ? 0 : Math.floor(random() * 8)));
  return { range: { start: lines.positionAt(start), end: lines.positionAt(end) }, text: snippets[Math.floor(random() * snippets.length)] };
}

test('after random edits of real files the incremental analysis equals a full one', async () => {
  const parser = await createGoParser();
  const files = [path.join(fixturesRoot, 'rules/defer/order/order.go'), ...realFiles.slice(0, 4), ...wideFixtures];
  const random = seededRandom(8_2026);
  for (const file of files) {
    const document = DocumentTree.create(parser, fs.readFileSync(file, 'utf8'));
    const options: AnalysisOptions = { locale: 'en', goVersion: '1.22', filePath: file, includeGenerated: true };
    forgetFile(file);
    for (let round = 0; round < 40; round++) {
      const incremental = analyzeTree(document.tree, document.text, options);
      const full = analyzeTree(document.tree, document.text, { ...options, incremental: false });
      assert.deepEqual(incremental.findings, full.findings, `${file}, round ${round}`);
      assert.deepEqual(incremental.failures.map((failure) => failure.rule), full.failures.map((failure) => failure.rule));
      document.applyChanges([randomChange(document.text, random)]);
    }
    document.dispose();
    forgetFile(file);
  }
});

/** Edits that change only what a file-wide rule reads of a declaration: a receiver's pointer, a returned function. */
function signatureEdits(text: string): { label: string; from: string; to: string }[] {
  const edits: { label: string; from: string; to: string }[] = [];
  for (const match of text.matchAll(/^func \((\w+) (\*?)(\w+)\) (\w+)\(.*$/gm)) {
    const [header, receiver, star, type, name] = match;
    edits.push({ label: `receiver of ${name} to ${star ? 'value' : 'pointer'}`, from: header, to: header.replace(`(${receiver} ${star}${type})`, `(${receiver} ${star ? '' : '*'}${type})`) });
  }
  for (const match of text.matchAll(/^func .*\) func\(\) \{$/gm)) {
    edits.push({ label: `${match[0]} returning no function`, from: match[0], to: match[0].replace(/ func\(\) \{$/, ' F {') });
  }
  return edits;
}

test('file-wide rules: a change of only what they read of another declaration re-checks the declarations that use it', async () => {
  const parser = await createGoParser();
  let edits = 0;
  for (const file of wideFixtures) {
    const original = fs.readFileSync(file, 'utf8');
    const document = DocumentTree.create(parser, original);
    forgetFile(file);
    const check = againstFullRun(document, file);
    const before = check('first run');
    for (const { label, from, to } of signatureEdits(original)) {
      const lines = new LineIndex(document.text);
      const start = document.text.indexOf(from);
      const range = lines.rangeOf(start, start + from.length);
      document.applyChanges([{ range, text: to }]);
      check(label);
      document.applyChanges([{ range: new LineIndex(document.text).rangeOf(start, start + to.length), text: from }]);
      assert.equal(check(`${label}, and back`), before);
      edits++;
    }
    document.dispose();
    forgetFile(file);
  }
  assert.ok(edits >= 5, `only ${edits} signature edits`);
});
