// The engine's nesting guard: the bracket scan ignores brackets in comments and
// literals, and a file nested beyond the limit skips the syntactic rules (and
// says so) instead of running for minutes; one just below it is analyzed.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeTree, maxNestingDepth } from '../../server/src/engine/analyzeFile';
import { maxBracketDepth } from '../../server/src/engine/nestingDepth';
import { createGoParser } from '../../server/src/parse/goParser';

test('bracket depth counts code only: comments, strings, raw strings and runes are skipped', () => {
  assert.equal(maxBracketDepth('f(g(h[i{}]))'), 4);
  assert.equal(maxBracketDepth('x := "((((" + `[[[\n[[` + \'(\' // ((((\n/* {{{{ */ f()'), 1);
  assert.equal(maxBracketDepth('"unterminated ((((\nf(x)'), 1, 'an interpreted string ends at the line break');
  assert.equal(maxBracketDepth('}}}})))((('), 3, 'stray closers never go below zero');
  assert.equal(maxBracketDepth('/* unterminated {{{'), 0);
  assert.equal(maxBracketDepth('('.repeat(500), 10), 11, 'stops counting once above the limit');
});

test('a file nested beyond the limit skips the rules and says so; one at the limit is analyzed', async () => {
  const parser = await createGoParser();
  // The function body, depth - 2 blocks and the call's parentheses: `depth` in all.
  const nested = (depth: number) => `package p\n\nfunc f() {\n${'{'.repeat(depth - 2)}\ndefer g()\n${'}'.repeat(depth - 2)}\n}\n`;
  const deep = nested(5000);
  const deepTree = parser.parse(deep);
  assert.ok(deepTree);
  const skipped = analyzeTree(deepTree, deep, { locale: 'en', incremental: false });
  assert.deepEqual(skipped.tooDeeplyNested, { depth: maxNestingDepth + 1, limit: maxNestingDepth });
  assert.deepEqual(skipped.findings, []);
  deepTree.delete();

  const fine = nested(maxNestingDepth);
  const fineTree = parser.parse(fine);
  assert.ok(fineTree);
  const analyzed = analyzeTree(fineTree, fine, { locale: 'en', incremental: false });
  assert.equal(analyzed.tooDeeplyNested, undefined);
  assert.ok(analyzed.findings.some((finding) => finding.rule === 'defer/order'), 'the defer is still found at the limit');
  fineTree.delete();
});
