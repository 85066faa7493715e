// The zh-cn hover glosses the compiler's verbatim verdict in Chinese; the
// verdict itself, and every English text, stays as the compiler printed it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { toFinding } from '../../server/src/compiler/factToFinding';
import { parseCompilerText } from '../../server/src/compiler/parseCompilerText';
import { glossedVerdict } from '../../server/src/compiler/verdictGloss';
import { hoverMarkdown } from '../../server/src/features/hover';
import { fixturesRoot } from '../support/analysisTest';

const recorded = path.join(fixturesRoot, 'escape', 'recorded', 'go1.26.8');
const facts = fs.readdirSync(recorded).filter((name) => name.endsWith('.txt'))
  .flatMap((name) => parseCompilerText(fs.readFileSync(path.join(recorded, name), 'utf8'), { cwd: path.join(fixturesRoot, 'escape') }).facts);

test('every verdict of recorded go1.26.8 output gets a Chinese gloss after it, and none in English', () => {
  const kinds = new Set<string>();
  for (const fact of facts) {
    kinds.add(fact.kind);
    const glossed = glossedVerdict(fact.message, 'zh-cn');
    assert.ok(glossed.startsWith(`${fact.message}（`) && glossed.endsWith('）'), `${fact.kind}: ${glossed}`);
    assert.match(glossed.slice(fact.message.length), /\p{Script=Han}/u, glossed);
    assert.equal(glossedVerdict(fact.message, 'en'), fact.message);
  }
  // The recordings cover the heap verdicts, inlining and defers at least.
  for (const kind of ['moved-to-heap', 'escapes-to-heap', 'leaking-param-content', 'does-not-escape', 'inline-can', 'defer']) assert.ok(kinds.has(kind), kind);
});

test('the gloss names the subject: moved to heap: wg（变量 wg 逃逸到堆上）', () => {
  assert.equal(glossedVerdict('moved to heap: wg', 'zh-cn'), 'moved to heap: wg（变量 wg 逃逸到堆上）');
  assert.equal(glossedVerdict('leaking param: name', 'zh-cn'), 'leaking param: name（参数 name 指向的数据会被保留，因此必须在堆上）');
  assert.equal(glossedVerdict('heap-allocated defer', 'zh-cn'), 'heap-allocated defer（堆上分配的 defer）');
  assert.equal(glossedVerdict('something the engine does not model', 'zh-cn'), 'something the engine does not model');
});

test('only the zh-cn hover carries the gloss; the finding (Problems panel, CLI, JSON) keeps the verdict alone', () => {
  const fact = facts.find((candidate) => candidate.kind === 'moved-to-heap');
  assert.ok(fact);
  const finding = toFinding(fact, '', { locale: 'zh-cn' });
  assert.equal(finding.message, fact.message);
  assert.ok(hoverMarkdown(finding, 'zh-cn').includes(`\`${fact.message}\`（变量 ${fact.subject} 逃逸到堆上）`), hoverMarkdown(finding, 'zh-cn'));
  assert.ok(!hoverMarkdown(finding, 'en').includes('（'));
  // The hover shows the compiler's own words as code, the gloss outside the code span.
  assert.equal(glossedVerdict('moved to heap: wg', 'zh-cn', (verbatim) => `\`${verbatim}\``), '`moved to heap: wg`（变量 wg 逃逸到堆上）');
});
