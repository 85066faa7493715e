// bodyNodes: the one walk of a function's body gives the same nodes as the
// questions it replaces, asked one by one: the declaring nodes at any depth,
// the function's own fact nodes (by enclosingFunction), its own literals and
// the fact nodes inside each. Over every function and literal of the rule
// fixtures, of hand-written corners (a literal as a slice element has its
// element's range), and of code that does not parse.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Node, Parser } from 'web-tree-sitter';
import { createGoParser } from '../../server/src/parse/goParser';
import { bodyNodesOf } from '../../server/src/packageModel/bodyNodes';
import { enclosingFunction, functionNodeTypes } from '../../server/src/syntax/functions';
import { fixturesRoot } from '../support/analysisTest';

const declaringTypes: ReadonlySet<string> = new Set(['short_var_declaration', 'var_spec', 'parameter_declaration', 'assignment_statement']);
const factTypes: ReadonlySet<string> = new Set(['call_expression', 'argument_list', 'send_statement', 'unary_expression', 'literal_element', 'expression_statement', 'short_var_declaration']);

const corners = `package p

var handlers = []func(){ func() { ch <- 1 }, func() {} }

func outer(ch chan int) {
	fs := []func(){ func() { ch <- 1 }, func() { close(ch) } }
	func() { ch <- 2 }()
	go func() {
		inner := func() { <-ch }
		inner()
	}()
	(func() { ch <- 3 })()
	m := map[string]func(){"a": func() { f(func() { g() }) }}
	_ = m
	for _, f := range fs {
		f()
	}
}
`;

const broken = `package p

func broken(ch chan int) {
	x := func() { ch <- 1
	go func() { close(ch) }()
	if y := <-ch; y > 0 {
}

func (s *T) half() {
	s.mu.Lock(
	defer func() { s.mu.Unlock() }()
}
`;

function ids(nodes: readonly Node[]): string[] {
  return nodes.map((node) => `${node.type}@${node.startIndex}-${node.endIndex}`);
}

function present(nodes: (Node | null)[]): Node[] {
  return nodes.filter((node): node is Node => node !== null);
}

/** Checks every function node of `source` with a body against the questions asked one by one; returns how many. */
function checkSource(parser: Parser, source: string, label: string): number {
  const tree = parser.parse(source);
  assert.ok(tree, label);
  let checked = 0;
  for (const fn of present(tree.rootNode.descendantsOfType([...functionNodeTypes]))) {
    const body = fn.childForFieldName('body');
    if (!body) continue;
    const found = bodyNodesOf(fn, body, declaringTypes, factTypes);
    const where = `${label}: ${fn.type} at ${fn.startIndex}`;
    assert.deepEqual(ids(found.declaring.map((typed) => typed.node)), ids(present(body.descendantsOfType([...declaringTypes]))), where);
    const own = present(body.descendantsOfType([...factTypes])).filter((node) => enclosingFunction(node)?.id === fn.id);
    assert.deepEqual(ids(found.own.map((typed) => typed.node)), ids(own), where);
    for (const typed of [...found.declaring, ...found.own]) assert.equal(typed.type, typed.node.type, where);
    const literals = present(body.descendantsOfType('func_literal')).filter((literal) => enclosingFunction(literal)?.id === fn.id);
    assert.deepEqual(ids(found.literals.map((entry) => entry.literal)), ids(literals), where);
    found.literals.forEach((entry, index) => {
      assert.deepEqual(ids(entry.inside.map((typed) => typed.node)), ids(present(literals[index].descendantsOfType([...factTypes]))), `${where}, literal ${index}`);
    });
    checked++;
  }
  tree.delete();
  return checked;
}

function goFilesUnder(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? goFilesUnder(full) : entry.name.endsWith('.go') ? [full] : [];
  });
}

test('bodyNodes: the corners of literal ranges give the nodes asked one by one', async () => {
  const parser = await createGoParser();
  // outer, and its eight literals (four of them in slice or map elements of the same range); the two package-level literals.
  assert.equal(checkSource(parser, corners, 'corners'), 11);
});

test('bodyNodes: code that does not parse gives the nodes asked one by one', async () => {
  const parser = await createGoParser();
  const tree = parser.parse(broken);
  assert.ok(tree?.rootNode.hasError, 'the broken source has parse errors');
  tree?.delete();
  assert.ok(checkSource(parser, broken, 'broken') > 0);
});

test('bodyNodes: every function and literal of the rule fixtures gives the nodes asked one by one', async () => {
  const parser = await createGoParser();
  let checked = 0;
  for (const file of goFilesUnder(path.join(fixturesRoot, 'rules'))) checked += checkSource(parser, fs.readFileSync(file, 'utf8'), path.relative(fixturesRoot, file));
  assert.ok(checked > 500, `${checked} functions checked`);
});
