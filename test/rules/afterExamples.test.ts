// Every rule's "after" example (one for both languages, see RuleExample) is
// the code we tell the user to write: the engine must find nothing in it. An
// example that does not parse would hide findings, so it must parse too.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Parser, Tree } from 'web-tree-sitter';
import type { Finding } from '../../server/src/engine/finding';
import { analyzeTree } from '../../server/src/engine/analyzeFile';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import { GoPackage } from '../../server/src/packageModel/goPackage';
import { factsOfTree } from '../../server/src/packageModel/packageWorkspace';
import { createGoParser } from '../../server/src/parse/goParser';
import { allRuleDescriptions } from '../../server/src/rules/allRules';

/** Rules that describe what the code does, not a mistake: there is nothing to rewrite. */
const withoutRewrite = new Set(['defer/order', 'inline/inlined-call']);

/** One go.mod below the loop-variable and timer changes, one current. */
const goVersions = ['1.21', '1.26'];

const topLevelKinds = new Set(['package_clause', 'comment', 'import_declaration', 'function_declaration', 'method_declaration', 'type_declaration', 'var_declaration', 'const_declaration']);

/**
 * The example as a Go file: as it is if it is made of declarations, else as a
 * function body (tree-sitter accepts statements at the top level, where no
 * rule would look at them).
 */
function asGoFile(parser: Parser, example: string): string | undefined {
  for (const text of [`package example\n\n${example}\n`, `package example\n\nfunc example() {\n${example}\n}\n`]) {
    const tree = parser.parse(text);
    const parses = tree !== null && !tree.rootNode.hasError && tree.rootNode.namedChildren.every((child) => child !== null && topLevelKinds.has(child.type));
    tree?.delete();
    if (parses) return text;
  }
  return undefined;
}

/** The package rules' diagnostics on the example as a package of one file. */
function packageDiagnostics(tree: Tree, file: string): Finding[] {
  const path = '/example/example.go';
  const pkg = new GoPackage('/example', 'example');
  pkg.setFile(factsOfTree(path, tree, file));
  const { findings, failures } = packageFindings(pkg, path, { locale: 'en' });
  assert.deepEqual(failures, [], 'package rules threw on an after example');
  return findings;
}

test("every rule's after example parses and gets no finding from any rule", async () => {
  const parser = await createGoParser();
  const problems: string[] = [];
  for (const rule of allRuleDescriptions()) {
    if (!('after' in rule.example)) {
      if (!withoutRewrite.has(rule.id)) problems.push(`${rule.id}: no after example`);
      continue;
    }
    const example = rule.example.after;
    const file = asGoFile(parser, example);
    if (!file) {
      problems.push(`${rule.id}: the after example does not parse:\n${example}`);
      continue;
    }
    const tree = parser.parse(file);
    assert.ok(tree);
    for (const goVersion of goVersions) {
      const { findings, failures } = analyzeTree(tree, file, { locale: 'en', goVersion, filePath: undefined });
      assert.deepEqual(failures, [], `${rule.id}: rules threw on its after example`);
      // Annotations (the defer order) and hover notes describe correct code too.
      for (const finding of findings.filter((candidate) => candidate.presentation === 'diagnostic')) {
        problems.push(`${rule.id} (go ${goVersion}): ${finding.rule} ${finding.message}\n${file}`);
      }
    }
    for (const finding of packageDiagnostics(tree, file)) problems.push(`${rule.id}: package rule ${finding.rule} ${finding.message}\n${file}`);
    tree.delete();
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});
