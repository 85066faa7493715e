// Facts about top-level declarations are computed once per declaration text and
// carried to the next analysis of the file only for declarations whose text is unchanged.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGoParser } from '../../server/src/parse/goParser';
import { FileDeclarations } from '../../server/src/syntax/fileDeclarations';

const before = 'package p\n\n// c\nfunc a() {}\n\nfunc (s *S) b() int { return 1 }\n\ntype S struct{}\n';
const after = 'package p\n\n// c\nfunc a() {}\n\nfunc (s *S) b() int { return 2 }\n\ntype S struct{}\n';

test('declarations: every top-level node but comments, with names for functions and methods', async () => {
  const parser = await createGoParser();
  const tree = parser.parse(before);
  assert.ok(tree);
  const declarations = new FileDeclarations(tree.rootNode, before);
  assert.deepEqual(declarations.all.map((declaration) => declaration.type), ['package_clause', 'function_declaration', 'method_declaration', 'type_declaration']);
  assert.deepEqual(declarations.functions().map(({ name }) => name), ['a']);
  assert.deepEqual(declarations.methods().map(({ name }) => name), ['b']);
  assert.equal(declarations.all[2].text, 'func (s *S) b() int { return 1 }');
  tree.delete();
});

test('declarations: a fact is computed once per text and carried over only for unchanged declarations', async () => {
  const parser = await createGoParser();
  const first = parser.parse(before);
  const second = parser.parse(after);
  assert.ok(first && second);
  const computed: string[] = [];
  const length = (declarations: FileDeclarations, index: number) =>
    declarations.fact(declarations.all[index], 'length', (node) => {
      computed.push(node.type);
      return node.endIndex - node.startIndex;
    });
  const old = new FileDeclarations(first.rootNode, before);
  assert.equal(length(old, 1), 11);
  assert.equal(length(old, 2), 32);
  assert.equal(length(old, 1), 11);
  assert.deepEqual(computed, ['function_declaration', 'method_declaration']);

  const next = new FileDeclarations(second.rootNode, after, old);
  assert.equal(length(next, 1), 11);
  assert.equal(length(next, 2), 32);
  // `a` kept its text: its fact came along; `b` changed and was computed again.
  assert.deepEqual(computed, ['function_declaration', 'method_declaration', 'method_declaration']);
  first.delete();
  second.delete();
});

test('declarations: the identifiers a declaration spells, outside comments and literals', async () => {
  const source = 'package p\n\nfunc a(x int) string { /* serve */ y := `raw b` + "c\\"d" // e\n\treturn string(\'f\') + x.g + é }\n';
  const parser = await createGoParser();
  const tree = parser.parse(source);
  assert.ok(tree);
  const declarations = new FileDeclarations(tree.rootNode, source);
  assert.deepEqual([...declarations.identifiers(declarations.all[1])].sort(), ['a', 'func', 'g', 'int', 'return', 'string', 'x', 'y', 'é']);
  tree.delete();
});
