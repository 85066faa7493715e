// The per-declaration index behind declarationDescendants, ownDescendants and
// functionDescendants answers exactly what a direct descendantsOfType walk
// answers, on every function of the rule fixtures, with and without parse
// errors (where it steps aside).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { createGoParser } from '../../server/src/parse/goParser';
import { declarationDescendants, enclosingFunction, functionDescendants, ownDescendants } from '../../server/src/syntax/functions';
import { fixturesRoot } from '../support/analysisTest';

const questions: (string | string[])[] = [
  'defer_statement',
  'call_expression',
  'return_statement',
  'func_literal',
  ['return_statement', 'goto_statement', 'break_statement', 'call_expression'],
  ['parameter_declaration', 'variadic_parameter_declaration', 'var_spec', 'const_spec', 'type_switch_statement', 'short_var_declaration', 'range_clause', 'receive_statement'],
  ['function_declaration', 'method_declaration', 'func_literal'],
  // Not indexed: answered by a walk.
  'identifier',
  ['identifier', 'call_expression'],
];

function goFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return goFiles(full);
    return entry.name.endsWith('.go') ? [full] : [];
  });
}

const spans = (nodes: readonly (Node | null)[]) => nodes.map((node) => (node ? `${node.type}@${node.startIndex}-${node.endIndex}` : 'null'));

function direct(node: Node, types: string | string[]): Node[] {
  return node.descendantsOfType(types).filter((found): found is Node => found !== null);
}

test('indexed answers equal direct walks for every function of the rule fixtures, intact and cut short', async () => {
  const parser = await createGoParser();
  const files = goFiles(path.join(fixturesRoot, 'rules'));
  assert.ok(files.length > 30, `${files.length} fixture files`);
  let functions = 0;
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    // The whole file, and the file cut short at three places (parse errors, MISSING nodes: the answers must not change).
    for (const text of [source, ...[0.3, 0.6, 0.85].map((share) => source.slice(0, Math.floor(source.length * share)))]) {
      const tree = parser.parse(text);
      assert.ok(tree);
      const label = `${path.relative(fixturesRoot, file)} (${text.length} of ${source.length} characters)`;
      for (const declaration of tree.rootNode.namedChildren) {
        if (!declaration) continue;
        for (const types of questions) {
          assert.deepEqual(spans(declarationDescendants(declaration, types)), spans(direct(declaration, types)), `${label}: declaration, ${types}`);
        }
      }
      for (const fn of direct(tree.rootNode, ['function_declaration', 'method_declaration', 'func_literal'])) {
        functions++;
        const body = fn.childForFieldName('body');
        for (const types of questions) {
          assert.deepEqual(spans(functionDescendants(fn, types)), spans(direct(fn, types)), `${label}: function at ${fn.startIndex}, ${types}`);
          const own = body ? direct(body, types).filter((node) => enclosingFunction(node)?.id === fn.id) : [];
          assert.deepEqual(spans(ownDescendants(fn, types)), spans(own), `${label}: own of function at ${fn.startIndex}, ${types}`);
        }
      }
      tree.delete();
    }
  }
  assert.ok(functions > 500, `${functions} functions checked`);
});
