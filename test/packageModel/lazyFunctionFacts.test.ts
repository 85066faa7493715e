// Lazy function facts: the body part, computed from the declaration's text
// parsed again, is the same as when computed from the file's tree, and is
// computed only when read. And the CLI's shortcut: a directory none of whose
// files mentions what the package rules look for is not parsed at all.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Node, Parser } from 'web-tree-sitter';
import { textsPackageRulesRequire } from '../../server/src/engine/analyzePackage';
import { createGoParser } from '../../server/src/parse/goParser';
import { functionFactsOf } from '../../server/src/packageModel/functionFacts';
import { lazyFunctionFacts, TreeLease } from '../../server/src/packageModel/lazyFunctionFacts';
import { PackageWorkspace, type PackageSources } from '../../server/src/packageModel/packageWorkspace';
import { fixturesRoot } from '../support/analysisTest';

/** Every .go file under the package-rule fixtures: functions with locks, calls, literals, shadowing. */
function fixtureFiles(): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.go')) found.push(full);
    }
  };
  walk(path.join(fixturesRoot, 'rules', 'sync'));
  return found;
}

/** A parser that counts its parses. */
function counting(parser: Parser): { parser: Parser; parses: () => number } {
  let count = 0;
  const wrapped = Object.create(parser) as Parser;
  wrapped.parse = (...args: Parameters<Parser['parse']>) => {
    count++;
    return parser.parse(...args);
  };
  return { parser: wrapped, parses: () => count };
}

test('lazy function facts: the same facts as from the file tree, for every function of the sync fixtures', async () => {
  const parser = await createGoParser();
  let functions = 0;
  for (const file of fixtureFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text);
    assert.ok(tree);
    const declarations = tree.rootNode.namedChildren.filter((node): node is Node => node?.type === 'function_declaration' || node?.type === 'method_declaration');
    for (const declaration of declarations) {
      const eager = functionFactsOf(declaration);
      const lazy = lazyFunctionFacts(declaration, parser);
      assert.deepEqual(JSON.parse(JSON.stringify(lazy)), JSON.parse(JSON.stringify(eager)), `${path.basename(file)}: ${eager.name}`);
      functions++;
    }
    tree.delete();
  }
  assert.ok(functions > 50, `only ${functions} functions`);
});

test('lazy function facts: the body is parsed again only when first read, and once', async () => {
  const { parser, parses } = counting(await createGoParser());
  const text = 'package p\n\nimport "sync"\n\nvar mu sync.Mutex\n\nfunc f(n int) int {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\treturn g(n)\n}\n';
  const tree = parser.parse(text);
  assert.ok(tree);
  const declaration = tree.rootNode.namedChildren.find((node) => node?.type === 'function_declaration');
  assert.ok(declaration);
  const before = parses();
  const facts = lazyFunctionFacts(declaration, parser);
  tree.delete();
  assert.equal(facts.name, 'f');
  assert.equal(facts.mentionsLock, true);
  assert.deepEqual(facts.parameters.map((parameter) => parameter.name), ['n']);
  assert.equal(parses(), before, 'the signature needs no parse');
  assert.deepEqual(
    facts.events.map((event) => `${event.kind} ${text.slice(text.indexOf('func f') + event.at[0], text.indexOf('func f') + event.at[1])}`),
    ['lock mu.Lock()', 'call g(n)'],
    'read after the file tree was deleted: the spans still point into the declaration',
  );
  assert.equal(parses(), before + 1);
  void facts.locals;
  void facts.unstable;
  assert.equal(parses(), before + 1, 'computed once for all body fields');
});

test('package workspace: a directory whose files do not mention a text is known without parsing them', async () => {
  const files: Record<string, string> = {
    '/m/plain/a.go': 'package plain\n\nfunc A() int { return 1 }\n',
    '/m/plain/b.go': 'package plain\n\nfunc B() int { return A() }\n',
    '/m/locked/a.go': 'package locked\n\nimport "sync"\n\nvar mu sync.Mutex\n\nfunc A() { mu.Lock(); mu.Unlock() }\n',
    '/m/locked/b.go': 'package locked\n\nfunc B() {}\n',
  };
  const sources: PackageSources = {
    listGoFiles: (directory) => Object.keys(files).filter((file) => path.posix.dirname(file) === directory).sort(),
    readGoFile: (file) => files[file],
  };
  const { parser, parses } = counting(await createGoParser());
  const workspace = new PackageWorkspace(parser, sources);
  const required = textsPackageRulesRequire({ locale: 'en' });
  assert.ok(required, 'every package rule says what text it needs, so the gate can skip packages');
  assert.ok(required.includes('.Lock()') && required.includes('.RLock()'), 'the rules about held locks need a Lock or RLock call');
  assert.deepEqual(textsPackageRulesRequire({ locale: 'en', onlyRules: new Set(['sync/relock-through-call']) }), ['.Lock()', '.RLock()']);
  assert.equal(workspace.directoryMentions('/m/plain/a.go', required), false);
  assert.equal(workspace.directoryMentions('/m/locked/b.go', required), true, 'another file of the directory mentions it');
  assert.equal(parses(), 0);
});

test('lazy function facts: the locals alone are worked out when read first, and the whole body facts keep them', async () => {
  const { parser, parses } = counting(await createGoParser());
  const text = 'package p\n\nfunc f(n int) int {\n\tch := make(chan int)\n\tgo func() { ch <- n }()\n\treturn <-ch\n}\n';
  const tree = parser.parse(text);
  assert.ok(tree);
  const declaration = tree.rootNode.namedChildren.find((node) => node?.type === 'function_declaration');
  assert.ok(declaration);
  const eager = functionFactsOf(declaration);
  const before = parses();
  const facts = lazyFunctionFacts(declaration, parser);
  tree.delete();
  const locals = facts.locals;
  assert.deepEqual(Object.keys(locals), ['ch']);
  assert.equal(parses(), before + 1, 'the locals: one parse');
  assert.equal(facts.unstable, facts.unstable);
  assert.equal(parses(), before + 1, 'unstable comes with the locals');
  assert.deepEqual(JSON.parse(JSON.stringify(facts.operations)), JSON.parse(JSON.stringify(eager.operations)));
  assert.equal(parses(), before + 2, 'the rest of the body facts: one more parse');
  assert.equal(facts.locals, locals, 'the locals read first are kept');
  void facts.events;
  void facts.channels;
  assert.equal(parses(), before + 2);
});

test('lazy function facts: while the tree is lent the declaration is read from it, no parse; after the lease ends, the text is parsed again', async () => {
  const { parser, parses } = counting(await createGoParser());
  // Text before the functions that is not ASCII: the lease finds a declaration by its offset, which must agree with the tree's.
  const text = 'package p\n\nimport "sync"\n\n// 互斥锁，见 “sync”。\nvar mu sync.Mutex\n\nfunc f(n int) int {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\treturn g(n)\n}\n\nfunc h() { mu.Lock() }\n';
  const tree = parser.parse(text);
  assert.ok(tree);
  const [f, h] = tree.rootNode.namedChildren.filter((node): node is Node => node?.type === 'function_declaration');
  const lease = new TreeLease(tree);
  const before = parses();
  const whileLent = lazyFunctionFacts(f, parser, lease);
  const afterwards = lazyFunctionFacts(h, parser, lease);
  assert.deepEqual(JSON.parse(JSON.stringify(whileLent)), JSON.parse(JSON.stringify(functionFactsOf(f))), 'the same facts as from the file tree');
  assert.equal(parses(), before, 'read from the lent tree: nothing parsed');
  lease.end();
  const expected = JSON.parse(JSON.stringify(functionFactsOf(h)));
  tree.delete();
  assert.deepEqual(JSON.parse(JSON.stringify(afterwards)), expected, 'read after the lease ended: the same facts, from the text');
  // Serializing reads the locals first (one parse), then the rest of the body facts (another).
  assert.equal(parses(), before + 2, 'the ended lease makes it parse the text');
});
