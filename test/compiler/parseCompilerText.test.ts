// The text parser on real recorded compiler output (test/fixtures/escape/recorded)
// and on the odd lines it must survive.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { classifyMessage, readableShapes } from '../../server/src/compiler/compilerMessages';
import { heapVerdictKinds } from '../../server/src/compiler/escapeFacts';
import { parseCompilerText, readCompilerText, resolveCompilerPath } from '../../server/src/compiler/parseCompilerText';
import { fixture } from './compilerTestSupport';

const recorded = fixture('recorded', 'go1.26.8');
const src = path.join(recorded, 'src');
const source = path.join(src, 'source.go');

function read(name: string): string {
  return fs.readFileSync(path.join(recorded, name), 'utf8');
}

test('-m: every line of the recorded output becomes the expected fact', () => {
  const parsed = parseCompilerText(read('m.txt'), { cwd: src });
  assert.deepEqual(parsed.packages, ['example.com/recorded']);
  assert.deepEqual(parsed.unrecognized, []);
  assert.deepEqual(
    parsed.facts.filter((fact) => heapVerdictKinds.has(fact.kind)).map((fact) => `${fact.line}:${fact.column} ${fact.kind} ${fact.subject}`),
    [
      '11:2 moved-to-heap p',
      '16:2 moved-to-heap v',
      '22:6 moved-to-heap v',
      '33:25 leaking-param-content args',
      '42:21 escapes-to-heap []point{...}',
      '46:20 escapes-to-heap "done"',
      '48:21 escapes-to-heap i',
      '53:2 moved-to-heap s',
      '56:41 moved-to-heap p',
    ],
  );
  assert.ok(parsed.facts.every((fact) => fact.file === source && fact.origin === 'text'));
  // 33 lines: 1 header + 32 facts, none lost, none duplicated.
  assert.equal(parsed.facts.length, read('m.txt').trim().split('\n').length - 1);
});

test('-m=2: flows attach to their verdicts; inlined code sits on the call line', () => {
  const parsed = parseCompilerText(read('m2-defer.txt'), { cwd: src });
  assert.deepEqual(parsed.unrecognized, []);
  const p = parsed.facts.find((fact) => fact.line === 11 && fact.kind === 'moved-to-heap');
  assert.ok(p);
  assert.deepEqual(p.explanations, [
    {
      headline: 'p escapes to heap',
      functionName: 'newPoint',
      origin: 'text',
      steps: [
        { kind: 'flow', text: 'flow: ~r0 ← &p:', at: { file: source, line: 12, column: 9 } },
        { kind: 'from', text: 'from &p (address-of)', at: { file: source, line: 12, column: 9 } },
        { kind: 'from', text: 'from return &p (return)', at: { file: source, line: 12, column: 2 } },
      ],
    },
  ]);
  // keep() inlined into Caller: the text form reports everything at the call, line 22.
  const inlined = parsed.facts.find((fact) => fact.line === 22 && fact.kind === 'moved-to-heap');
  assert.ok(inlined?.explanations[0]?.steps.every((step) => step.at.line === 22));
  const args = parsed.facts.find((fact) => fact.kind === 'leaking-param-content');
  assert.equal(args?.explanations[0]?.headline, 'parameter args leaks to {heap} with derefs=1');
  // -m=2 spells inlining decisions with their cost.
  const canInline = parsed.facts.find((fact) => fact.kind === 'inline-can' && fact.subject === 'newPoint');
  assert.equal(canInline?.inlineCost, 12);
  assert.deepEqual(
    parsed.facts.filter((fact) => fact.kind === 'defer').map((fact) => `${fact.line} ${fact.deferAllocation}`),
    ['46 stack', '48 heap'],
  );
});

test('-m and -m=2 agree on every heap verdict', () => {
  const key = (output: string) =>
    parseCompilerText(output, { cwd: src })
      .facts.filter((fact) => heapVerdictKinds.has(fact.kind) || fact.kind === 'does-not-escape')
      .map((fact) => `${fact.line}:${fact.column} ${fact.message}`);
  assert.deepEqual(key(read('m2-defer.txt')), key(read('m.txt')));
});

test('Windows paths and CRLF line ends give the same facts', () => {
  const unix = parseCompilerText(read('m2-defer.txt'), { cwd: src });
  const windowsDir = 'C:\\work\\recorded\\src';
  const windows = parseCompilerText(read('m2-defer.windows.txt'), { cwd: windowsDir });
  assert.deepEqual(windows.unrecognized, []);
  assert.equal(windows.facts.length, unix.facts.length);
  assert.ok(windows.facts.every((fact) => fact.file === 'C:\\work\\recorded\\src\\source.go'));
  const strip = (facts: typeof unix.facts) => facts.map((fact) => `${fact.line}:${fact.column} ${fact.message} ${fact.explanations.length}`);
  assert.deepEqual(strip(windows.facts), strip(unix.facts));
  const absolute = parseCompilerText('# x\r\nC:\\Users\\me\\go proj\\a.go:3:9: moved to heap: u\r\n', { cwd: windowsDir });
  assert.deepEqual(absolute.facts.map((fact) => [fact.file, fact.line, fact.column, fact.message]), [
    ['C:\\Users\\me\\go proj\\a.go', 3, 9, 'moved to heap: u'],
  ]);
});

test('line ends: CRLF, a stray CR and no final newline read as LF; a step with a line separator in it is not a step', () => {
  const output = read('m2-defer.txt');
  const lf = parseCompilerText(output, { cwd: src });
  const crlf = parseCompilerText(output.replace(/\n/g, '\r\n'), { cwd: src });
  assert.deepEqual(crlf, lf);
  const strayCr = parseCompilerText(output.replace(/\n/g, '\r\r\n').replace(/\r\r\n$/, '\r'), { cwd: src });
  assert.deepEqual(strayCr, lf);
  const withSeparator = parseCompilerText('./a.go:9:10: x escapes to heap in F:\n./a.go:9:10:     from x (spill) at ./a.go:9:10\n./a.go:9:10:     from x\u2028(spill) at ./a.go:9:10\n./a.go:9:10: moved to heap: x\n', { cwd: '/w' });
  assert.deepEqual(withSeparator.facts[0].explanations[0].steps.map((step) => step.text), ['from x (spill)']);
  assert.deepEqual(withSeparator.unrecognized.map((line) => line.raw), ['./a.go:9:10:     from x\u2028(spill) at ./a.go:9:10']);
});

test('readCompilerText leaves the flow steps unread until asked, then reads them as parseCompilerText does', () => {
  const output = read('m2-defer.txt');
  const whole = parseCompilerText(output, { cwd: src });
  const reading = readCompilerText(output, { cwd: src });
  assert.ok(reading.explanations.length > 0);
  assert.ok(reading.explanations.every((entry) => entry.explanation.steps.length === 0));
  assert.ok(reading.facts.every((fact) => fact.explanations.length === 0));
  reading.readSteps(reading.explanations.slice(0, 1));
  assert.deepEqual(reading.explanations[0], whole.explanations[0]);
  assert.ok(reading.explanations.slice(1).every((entry) => entry.explanation.steps.length === 0));
  reading.readSteps(reading.explanations);
  reading.readSteps(reading.explanations);
  assert.deepEqual(reading.explanations, whole.explanations, 'each block read once, in full');
});

test('paths relative to another directory, absolute GOROOT paths, generated code', () => {
  const multi = fixture('multi');
  const parsed = parseCompilerText(read('multi-m.txt'), { cwd: multi });
  const files = new Set(parsed.facts.map((fact) => fact.file));
  assert.ok(files.has(path.join(multi, 'cmd', 'one', 'main.go')));
  assert.ok(files.has(path.join(multi, 'internal', 'alpha', 'util.go')));
  assert.ok(files.has(path.join(multi, 'internal', 'beta', 'util.go')));
  assert.ok([...files].some((file) => /^\/.*sync\/atomic\/type\.go$/.test(file)), [...files].join('\n'));
  assert.deepEqual(parsed.packages.length, 5);

  const generated = parseCompilerText(
    '# example.com/a.test\n_testmain.go:44:42: testdeps.TestDeps{} escapes to heap\n<autogenerated>:1: &reflect.ValueError{...} escapes to heap\n',
    { cwd: '/x' },
  );
  assert.deepEqual(generated.facts, []);
  assert.deepEqual(generated.unrecognized, []);
});

test('a failing test package: the error is kept as unrecognized, next to the package facts', () => {
  const dir = fixture('broken', 'testfails');
  const parsed = parseCompilerText(read('testfails-m2.txt'), { cwd: dir });
  assert.deepEqual(parsed.facts.filter((fact) => fact.kind === 'moved-to-heap').map((fact) => fact.message), ['moved to heap: y']);
  assert.equal(parsed.unrecognized.length, 1);
  const [error] = parsed.unrecognized;
  assert.deepEqual(error.at, { file: path.join(dir, 'ok_test.go'), line: 6, column: 17 });
  assert.match(error.message, /^cannot use 42/);
  assert.equal(parsed.factsPerSection[error.section], 0);
});

test('unknown, malformed and hostile lines are skipped without throwing', () => {
  const text = [
    'garbage',
    '',
    '   ',
    './a.go:notanumber: moved to heap: x',
    './a.go:3:4: some message from a future Go release',
    './a.go:5:6:   flow: orphan step without header',
    './a.go:7:8: moved to heap: ok',
    './a.go:9:10: x escapes to heap in F:',
    './a.go:9:10:     from x (spill) at ./a.go:9:10',
    './a.go:9:10:   warning: truncated explanation due to assignment cycle; see golang.org/issue/35518',
    './a.go:9:10: moved to heap: x',
    './a.go:7:8: moved to heap: ok',
    'go: downloading example.com/dep v1.0.0',
    '\u0000\u0001binary',
  ].join('\n');
  const parsed = parseCompilerText(text, { cwd: '/w' });
  assert.deepEqual(parsed.facts.map((fact) => `${fact.line}:${fact.column} ${fact.message}`), ['7:8 moved to heap: ok', '9:10 moved to heap: x']);
  assert.deepEqual(parsed.facts[1].explanations[0].steps.map((step) => step.kind), ['from', 'note']);
  assert.deepEqual(parsed.unrecognized.map((line) => line.message), [
    'garbage',
    './a.go:notanumber: moved to heap: x',
    'some message from a future Go release',
    'flow: orphan step without header',
    'go: downloading example.com/dep v1.0.0',
    '\u0000\u0001binary',
  ]);
  assert.doesNotThrow(() => parseCompilerText('\r\n\r\n:::\n:1:\n./a.go:1:1: \n', { cwd: '/w' }));
});

test('the message vocabulary', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['moved to heap: buf', 'moved-to-heap', 'buf'],
    ['&T{...} escapes to heap', 'escapes-to-heap', '&T{...}'],
    ['func literal escapes to heap', 'func-literal-escapes', 'func literal'],
    ['... argument escapes to heap', 'escapes-to-heap', '... argument'],
    ['append escapes to heap', 'escapes-to-heap', 'append'],
    ['leaking param: p', 'leaking-param', 'p'],
    ['leaking param content: p', 'leaking-param-content', 'p'],
    ['leaking param: p to result ~r0 level=1', 'leaking-param-to-result', 'p'],
    ['p does not escape', 'does-not-escape', 'p'],
    ['p does not escape, mutate, or call', 'does-not-escape', 'p'],
    ['Counter capturing by ref: count (addr=false assign=true width=8)', 'captured-by-reference', 'count'],
    ['D capturing by value: .autotmp_0 (addr=false assign=false width=16)', 'captured-by-value', '.autotmp_0'],
    ['can inline F', 'inline-can', 'F'],
    ['can inline G[go.shape.int] with cost 3 as: func(*[2]uintptr, go.shape.int) *go.shape.int { return &v }', 'inline-can', 'G[go.shape.int]'],
    ['cannot inline D: unhandled op DEFER', 'inline-cannot', 'D'],
    ['inlining call to fmt.Println', 'inline-call', 'fmt.Println'],
    ['devirtualizing r.Read to *bytes.Reader', 'devirtualized', 'r.Read'],
    ['open-coded defer', 'defer', undefined],
    ['heap-allocated defer', 'defer', undefined],
    ['Found IsInBounds', 'bounds', undefined],
    // Explanation headers and chatter are not verdicts.
    ['u escapes to heap in NewUser:', undefined, undefined],
    ['parameter p leaks to {heap} for Store with derefs=0:', undefined, undefined],
    ['index bounds check elided', undefined, undefined],
  ];
  for (const [message, kind, subject] of cases) {
    const classified = classifyMessage(message);
    assert.equal(classified?.kind, kind, message);
    assert.equal(classified?.subject, subject, message);
  }
});

test('readable generic shapes', () => {
  assert.equal(readableShapes('can inline G[go.shape.int]'), 'can inline G[int]');
  assert.equal(readableShapes('make([]go.shape.*uint8, 0, 8) escapes to heap'), 'make([]*uint8, 0, 8) escapes to heap');
  assert.equal(
    readableShapes('atomic.(*Pointer[go.shape.struct { example.com/c.n int }]).Store'),
    'atomic.(*Pointer[struct { example.com/c.n int }]).Store',
  );
  assert.equal(readableShapes('Pick[go.shape.string_0]'), 'Pick[string]', 'go1.18-style suffixes');
  assert.equal(readableShapes('moved to heap: v'), 'moved to heap: v');
});

test('path resolution', () => {
  assert.equal(resolveCompilerPath('./a.go', '/w/p'), '/w/p/a.go');
  assert.equal(resolveCompilerPath('../../internal/abi/type.go', '/go/src/encoding/json'), '/go/src/internal/abi/type.go');
  assert.equal(resolveCompilerPath('/abs/x.go', '/w'), '/abs/x.go');
  assert.equal(resolveCompilerPath('.\\a.go', 'C:\\w\\p'), 'C:\\w\\p\\a.go');
  assert.equal(resolveCompilerPath('<autogenerated>', '/w'), undefined);
  assert.equal(resolveCompilerPath('_testmain.go', '/w'), undefined);
});
