import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { ordinal } from '../../server/src/rules/defer/deferOrder';
import { analyzeFixture, checkFixture } from '../support/analysisTest';

test('defer order: straight line, literals, loops, branches, methods, generics, switch/select', async () => {
  await checkFixture('rules/defer/order/order.go', ['defer/order']);
});

test('defer order: a syntax error silences only the broken function', async () => {
  await checkFixture('rules/defer/syntaxerror/broken.go', ['defer/order']);
});

test('defer order: inlay labels count from the last registered defer and mark loops and branches', async () => {
  const { findings, lines } = await analyzeFixture('rules/defer/order/order.go', { onlyRules: new Set(['defer/order']) });
  const labelsOf = (functionLine: string) =>
    findings
      .filter((finding) => lines.lineText(finding.range.start.line).includes(functionLine))
      .map((finding) => finding.inlay?.label);
  assert.deepEqual(labelsOf('defer f.Close()'), ['⟲2']);
  assert.deepEqual(labelsOf('defer w.Flush()'), ['⟲1']);
  assert.deepEqual(labelsOf('"per iteration"'), ['⟲3 ↻']);
  assert.deepEqual(labelsOf('"only when verbose"'), ['⟲2 ?']);
  // The hint sits at the start of the statement; the finding covers the `defer` keyword.
  const flush = findings.find((finding) => lines.lineText(finding.range.start.line).includes('w.Flush()'));
  assert.ok(flush?.inlay);
  assert.equal(flush.range.end.character - flush.range.start.character, 'defer'.length);
  assert.deepEqual(flush.inlay.position, flush.range.start);
});

test('defer order: hover details list the sequence in run order and mark the current defer', async () => {
  const { findings, lines } = await analyzeFixture('rules/defer/order/order.go', { onlyRules: new Set(['defer/order']) });
  const first = findings.find((finding) => lines.lineText(finding.range.start.line).includes('"first registered"'));
  assert.equal(
    first?.details,
    [
      'Deferred calls of `loopsAndBranches`, in the order they run on return:',
      '1. `fmt.Println("only when quiet")` (line 50) · only if this branch ran',
      '2. `fmt.Println("only when verbose")` (line 48) · only if this branch ran',
      '3. `fmt.Println("per iteration", p)` (line 45) · registered once per loop iteration, all run at return',
      '4. `fmt.Println("first registered")` (line 43) ← this one',
    ].join('\n'),
  );
  const literal = findings.find((finding) => lines.lineText(finding.range.start.line).includes('defer func() {'));
  assert.match(literal?.details ?? '', /1\. `func\(\) \{ … \}\(\)` \(line \d+\) ← this one/);
});

test('defer order: a function literal is named by its line, in Chinese without a space before Chinese words', async () => {
  const { findings } = await analyzeFixture('rules/defer/order/order.go', { onlyRules: new Set(['defer/order']), locale: 'zh-cn' });
  const messages = findings.filter((finding) => finding.range.start.line === 37).map((finding) => finding.message);
  assert.deepEqual(messages, ['第 37 行的函数字面量中唯一的延迟调用：在函数返回时执行']);
  const brace = findings.find((finding) => finding.presentation === 'hover' && finding.range.start.line === 38);
  assert.equal(brace?.message, '第 37 行的函数字面量在此返回：它的 1 个延迟调用此时执行，后注册的先执行');
  assert.match(brace?.details ?? '', /^第 37 行的函数字面量的延迟调用，/);
  // A Go name keeps its space: Chinese and Latin script are set apart.
  assert.ok(findings.some((finding) => finding.message === 'literalsOwnTheirDefers 中唯一的延迟调用：在函数返回时执行'));
});

test('ordinals in English and Chinese', () => {
  assert.equal(ordinal(3, 'zh-cn'), '第 3 个');
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map((position) => ordinal(position)), [
    '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th',
  ]);
});

test('defer order: hovering a function\'s closing brace shows its whole defer sequence', async () => {
  const { findings, lines } = await analyzeFixture('rules/defer/order/order.go', { onlyRules: new Set(['defer/order']) });
  const braces = findings.filter((finding) => finding.presentation === 'hover');
  // One per function with defers: straightLine, single, literalsOwnTheirDefers, two literals, loopsAndBranches, Close, Map, switchAndSelect.
  assert.equal(braces.length, 9);
  const loops = braces.find((finding) => finding.message.startsWith('loopsAndBranches'));
  assert.ok(loops);
  assert.equal(lines.lineText(loops.range.start.line), '}');
  assert.equal(loops.range.end.character - loops.range.start.character, 1);
  assert.equal(loops.message, 'loopsAndBranches returns here: its 4 deferred call(s) run now, last registered first');
  assert.match(loops.details ?? '', /^Deferred calls of `loopsAndBranches`, in the order they run on return:\n1\. `fmt\.Println\("only when quiet"\)`/);
  assert.doesNotMatch(loops.details ?? '', /this one/);
  assert.equal(loops.inlay, undefined);
});
