// The engine against the real go toolchain on the fixture modules.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { allFacts, readOnlyGoFlags, respellUnder, runEscapeAnalysis, type PackageEscapeResult } from '../../server/src/compiler/escapeAnalysis';
import { heapVerdictKinds, type EscapeFact } from '../../server/src/compiler/escapeFacts';
import { toFinding } from '../../server/src/compiler/factToFinding';
import {
  checkWants,
  describeLine,
  fixture,
  goPath,
  referenceHeapLines,
  scratchDir,
  type ReferenceLine,
  wantsIn,
} from './compilerTestSupport';

const kindsDir = fixture('kinds');

let kindsRun: Promise<PackageEscapeResult> | undefined;
/** The kinds package is analyzed once and shared by the tests that only read it. */
function kinds(): Promise<PackageEscapeResult> {
  kindsRun ??= runEscapeAnalysis({ packageDir: kindsDir, goPath });
  return kindsRun;
}

/** 1-based line of the first line of a fixture file containing `snippet`, so tests survive fixture edits. */
function lineOf(name: string, snippet: string, dir = kindsDir): number {
  const index = fs.readFileSync(path.join(dir, name), 'utf8').split('\n').findIndex((line) => line.includes(snippet));
  assert.ok(index >= 0, `${snippet} not in ${name}`);
  return index + 1;
}

function factsOf(result: PackageEscapeResult, name: string): EscapeFact[] {
  return result.files.get(path.join(result.packageDir, name)) ?? [];
}

/** Heap verdicts of the package's files and of the files outside it the compiler reported (instantiated generic code). */
function heapFacts(result: PackageEscapeResult): ReferenceLine[] {
  return allFacts(result)
    .filter((fact) => heapVerdictKinds.has(fact.kind))
    .map((fact) => ({ file: fact.file, line: fact.line, column: fact.column, message: fact.message }));
}

/**
 * The acceptance test: every heap verdict line the compiler prints
 * appears exactly once among the facts, at the same line/column with the
 * same text, and no other heap verdict does. Non-test files are compared with
 * `go build -gcflags=-m`, test files with `go test -c -gcflags=-m`.
 */
function assertSameHeapVerdicts(dir: string, result: PackageEscapeResult): void {
  const hasTests = fs.readdirSync(dir).some((name) => name.endsWith('_test.go'));
  const hasNonTestFiles = fs.readdirSync(dir).some((name) => name.endsWith('.go') && !name.endsWith('_test.go'));
  const isTestFile = (line: ReferenceLine) => line.file.endsWith('_test.go');
  const reference = [
    ...(hasNonTestFiles ? referenceHeapLines(dir, 'build') : []),
    ...(hasTests ? referenceHeapLines(dir, 'test').filter(isTestFile) : []),
  ];
  const expected = reference.map((line) => describeLine(line, dir)).sort();
  const actual = heapFacts(result).map((line) => describeLine(line, dir)).sort();
  assert.ok(expected.length > 0, `no heap verdicts in ${dir}: the fixture is not exercising anything`);
  assert.deepEqual(actual, expected);
  assert.equal(new Set(actual).size, actual.length, 'a verdict appears twice');
}

test('acceptance: every heap verdict of -gcflags=-m appears exactly once, for every fixture package', async () => {
  const packages = [
    kindsDir,
    fixture('multi', 'cmd', 'one'),
    fixture('multi', 'cmd', 'two'),
    fixture('multi', 'internal', 'alpha'),
    fixture('multi', 'internal', 'beta'),
    fixture('multi', 'internal', 'clash'),
    fixture('multi', 'internal', 'testonly'),
    fixture('recorded', 'go1.26.8', 'src'),
  ];
  for (const dir of packages) {
    const result = dir === kindsDir ? await kinds() : await runEscapeAnalysis({ packageDir: dir, goPath });
    assert.equal(result.buildFailed, undefined, `${dir}: ${result.buildFailed?.message}`);
    assertSameHeapVerdicts(dir, result);
    // The recorded-output source carries no want comments (its outputs were recorded as they are).
    if (wantsIn(dir).length > 0) checkWants(dir, allFacts(result));
  }
});

test('kinds: every message kind is recognised, with the compiler text kept verbatim', async () => {
  const result = await kinds();
  const kindsSeen = new Set(allFacts(result).map((fact) => fact.kind));
  for (const kind of [
    'moved-to-heap', 'escapes-to-heap', 'func-literal-escapes', 'leaking-param', 'leaking-param-content',
    'leaking-param-to-result', 'does-not-escape', 'captured-by-reference', 'inline-can', 'inline-cannot',
    'inline-call', 'bounds', 'nil', 'defer',
  ] as const) {
    assert.ok(kindsSeen.has(kind), `no ${kind} fact`);
  }
  const identity = factsOf(result, 'kinds.go').find((fact) => fact.kind === 'leaking-param-to-result');
  assert.deepEqual(
    identity && { line: identity.line, column: identity.column, message: identity.message, subject: identity.subject, result: identity.result, level: identity.level },
    { line: lineOf('kinds.go', 'func Identity('), column: 15, message: 'leaking param: p to result ~r0 level=0', subject: 'p', result: '~r0', level: 0 },
  );
  const big = factsOf(result, 'kinds.go').find((fact) => fact.message === 'moved to heap: big');
  assert.ok(big);
  assert.ok(big.explanations.some((explanation) => explanation.steps.some((step) => step.text.includes('(too large for stack)'))));
  assert.equal(result.goVersion, spawnSync(goPath, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim());
  assert.deepEqual(result.warnings, []);
});

test('flows come from the JSON log, with positions inside inlined code', async () => {
  const result = await kinds();
  const u = factsOf(result, 'kinds.go').find((fact) => fact.message === 'moved to heap: u');
  assert.ok(u);
  assert.equal(u.explanations.length, 1);
  const [explanation] = u.explanations;
  assert.equal(explanation.origin, 'json');
  assert.equal(explanation.headline, 'u escapes to heap');
  const returnLine = lineOf('kinds.go', 'u := User{Name: name}') + 1;
  assert.deepEqual(
    explanation.steps.map((step) => `${step.kind} ${step.at.line}:${step.at.column} ${step.text}`),
    [`flow ${returnLine}:9 flow: ~r0 ← &u:`, `from ${returnLine}:9 from &u (address-of)`, `from ${returnLine}:2 from return &u (return)`],
  );
  // `b.add('x')` is inlined into UseBuffer: the verdict is on the call line, the flow knows the line inside add.
  const callLine = lineOf('kinds.go', "b.add('x')");
  const addLine = lineOf('kinds.go', 'func (b *buffer) add(');
  const append = factsOf(result, 'kinds.go').find((fact) => fact.line === callLine && fact.message === 'append escapes to heap');
  assert.ok(append);
  assert.deepEqual(append.inlinedFrom?.map((point) => point.line), [addLine]);
  // The hover says where the code came from, in the user's language.
  const kindsText = fs.readFileSync(path.join(kindsDir, 'kinds.go'), 'utf8');
  assert.match(toFinding(append, kindsText).details ?? '', new RegExp(`Inlined here from line ${addLine}\\.$`));
  assert.match(toFinding(append, kindsText, { locale: 'zh-cn' }).details ?? '', new RegExp(`这里的代码是从第 ${addLine} 行内联进来的。$`));
  const insideAdd = append.explanations.flatMap((e) => e.steps).filter((step) => step.inlined?.some((point) => point.line === addLine));
  assert.ok(insideAdd.length > 0, 'no flow step placed inside the inlined add');
});

test('defer facts: open-coded, stack- and heap-allocated', async () => {
  const defers = factsOf(await kinds(), 'defers.go').filter((fact) => fact.kind === 'defer');
  const open = lineOf('defers.go', 'defer mu.Unlock() // want "open-coded defer"');
  const heap = lineOf('defers.go', 'defer mu.Unlock() // want "heap-allocated defer"');
  const firstStack = lineOf('defers.go', 'defer mu.Unlock() // want "stack-allocated defer"');
  assert.deepEqual(
    defers.map((fact) => `${fact.line}:${fact.column} ${fact.deferAllocation}`),
    [`${open}:2 open-coded`, `${heap}:3 heap`, ...Array.from({ length: 9 }, (_, index) => `${firstStack + index}:2 stack`)],
  );
});

test('_test.go files are compiled too (go test -c), the test main is not reported', async () => {
  const result = await kinds();
  assert.equal(result.command.args[0], 'test');
  const testFacts = factsOf(result, 'kinds_test.go').filter((fact) => heapVerdictKinds.has(fact.kind));
  assert.deepEqual(testFacts.map((fact) => `${fact.line}:${fact.column} ${fact.message}`), [
    '7:18 leaking param: t',
    '8:14 moved to heap: u',
    '9:15 append escapes to heap',
    '11:23 u.Name escapes to heap',
  ]);
  // The test file's own facts come with flows from the JSON log like any other file.
  assert.ok(testFacts.every((fact) => fact.explanations[0]?.origin === 'json'));
  const files = [...result.files.keys(), ...result.outside.keys()];
  assert.ok(!files.some((file) => file.includes('_testmain') || file.includes('autogenerated')), files.join(', '));
});

test('a line with non-ASCII text before the expression maps to the right UTF-16 character', async () => {
  const file = path.join(kindsDir, 'unicode.go');
  const text = fs.readFileSync(file, 'utf8');
  const fact = factsOf(await kinds(), 'unicode.go').find((entry) => entry.message === 'name + "!" escapes to heap');
  assert.ok(fact);
  // A binary expression is positioned at its operator: the `+`, byte 54, UTF-16 character 49 (é, ö: 2 bytes, 😀: 4 bytes/2 units).
  assert.equal(fact.column, 54, 'the compiler counts bytes');
  const finding = toFinding(fact, text);
  const line = text.split('\n')[finding.range.start.line];
  assert.equal(finding.range.start.character, 49);
  assert.ok(line.slice(finding.range.start.character).startsWith('+ "!"'), line.slice(finding.range.start.character));
  assert.equal(finding.message, 'name + "!" escapes to heap');
});

test('generic code: go.shape names are kept in the message and made readable beside it', async () => {
  const facts = factsOf(await kinds(), 'generics.go');
  const box = facts.find((fact) => fact.line === lineOf('generics.go', 'return &Box[T]{Value: v}'));
  assert.equal(box?.message, '&Box[go.shape.int]{...} escapes to heap');
  assert.equal(box?.readableMessage, '&Box[int]{...} escapes to heap');
  const finding = box && toFinding(box, fs.readFileSync(path.join(kindsDir, 'generics.go'), 'utf8'));
  assert.match(finding?.details ?? '', /&Box\[int\]\{\.\.\.\} escapes to heap/);
});

test('running twice in a row still yields the facts (the build cache does not swallow the JSON log)', async () => {
  const dir = fixture('multi', 'internal', 'alpha');
  const first = await runEscapeAnalysis({ packageDir: dir, goPath });
  const second = await runEscapeAnalysis({ packageDir: dir, goPath });
  for (const result of [first, second]) {
    const [fact] = factsOf(result, 'util.go').filter((entry) => entry.kind === 'moved-to-heap');
    assert.equal(fact?.message, 'moved to heap: a');
    assert.equal(fact.explanations[0]?.origin, 'json', 'the second run must get the JSON log too');
  }
});

test('the compiler trap itself: JSON logs of same-named files overwrite each other; only the header tells', () => {
  const dir = scratchDir('collide');
  try {
    const run = spawnSync(goPath, ['build', '-o', os.devNull, `-gcflags=-json=0,${dir}`, './...'], { cwd: fixture('multi'), encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const headerOf = (...parts: string[]) =>
      (JSON.parse(fs.readFileSync(path.join(dir, ...parts), 'utf8').split('\n')[0]) as { file: string }).file;
    // Both commands are `package main` with a main.go, and every main package logs into main/: one main.json is left.
    assert.equal(fs.readdirSync(path.join(dir, 'main')).filter((name) => name === 'main.json').length, 1);
    assert.match(headerOf('main', 'main.json'), /cmd[\\/](one|two)[\\/]main\.go$/);
    // clash/util.go lost its log to the instantiated copy of shapes/util.go (written later: paths sort after it).
    assert.equal(headerOf('example.com%2Fmulti%2Finternal%2Fclash', 'util.json'), fixture('multi', 'internal', 'shapes', 'util.go'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('same base names: facts land in the right file; an overwritten JSON log falls back to the text flows', async () => {
  const alpha = await runEscapeAnalysis({ packageDir: fixture('multi', 'internal', 'alpha'), goPath });
  const beta = await runEscapeAnalysis({ packageDir: fixture('multi', 'internal', 'beta'), goPath });
  assert.deepEqual([...alpha.files.keys()], [fixture('multi', 'internal', 'alpha', 'util.go')]);
  assert.deepEqual([...beta.files.keys()], [fixture('multi', 'internal', 'beta', 'util.go')]);

  const clash = await runEscapeAnalysis({ packageDir: fixture('multi', 'internal', 'clash'), goPath });
  const made = factsOf(clash, 'util.go').find((fact) => fact.message === 'make([]go.shape.int, 0, 8) escapes to heap');
  assert.ok(made);
  assert.equal(made.explanations[0]?.origin, 'text');
  assert.ok(made.explanations[0].steps.length > 0);
  assert.ok(clash.warnings.some((warning) => warning.includes('util.go')), clash.warnings.join('\n'));
  // The instantiated copy's own facts are reported under shapes/util.go, outside the package.
  assert.ok(clash.outside.get(fixture('multi', 'internal', 'shapes', 'util.go'))?.some((fact) => fact.message === 'moved to heap: shapes.v'));
  // sync/atomic's instantiated code is reported too, but outside the package.
  assert.ok([...clash.outside.keys()].some((file) => /sync[\\/]atomic[\\/]type\.go$/.test(file)));
  assert.ok(![...clash.files.keys()].some((file) => !file.startsWith(fixture('multi', 'internal', 'clash'))));
});

test('package main and a test-only package', async () => {
  const one = await runEscapeAnalysis({ packageDir: fixture('multi', 'cmd', 'one'), goPath });
  assert.deepEqual(factsOf(one, 'main.go').filter((fact) => heapVerdictKinds.has(fact.kind)).map((fact) => fact.message), ['moved to heap: n']);
  assert.ok(factsOf(one, 'main_test.go').some((fact) => fact.message === 'new(int) does not escape'));
  const two = await runEscapeAnalysis({ packageDir: fixture('multi', 'cmd', 'two'), goPath });
  assert.equal(two.command.args[0], 'build');
  const testonly = await runEscapeAnalysis({ packageDir: fixture('multi', 'internal', 'testonly'), goPath });
  assert.deepEqual(factsOf(testonly, 'only_test.go').filter((fact) => fact.kind === 'moved-to-heap').map((fact) => fact.line), [9]);
});

test('a package that does not compile: the first compiler error, with its position', async () => {
  const typeErr = await runEscapeAnalysis({ packageDir: fixture('broken', 'typeerr'), goPath });
  assert.deepEqual(
    typeErr.buildFailed && { ...typeErr.buildFailed, output: undefined },
    { kind: 'compile', message: 'undefined: missing', file: fixture('broken', 'typeerr', 'bad.go'), line: 4, column: 13, output: undefined },
  );
  assert.equal(typeErr.files.size, 0);

  const syntax = await runEscapeAnalysis({ packageDir: fixture('broken', 'syntax'), goPath });
  assert.equal(syntax.buildFailed?.message, 'syntax error: unexpected {, expected )');
  assert.deepEqual([syntax.buildFailed?.line, syntax.buildFailed?.column], [3, 14]);

  // The package compiles, its external test package does not: keep the facts and report the test's error.
  const testFails = await runEscapeAnalysis({ packageDir: fixture('broken', 'testfails'), goPath });
  assert.equal(testFails.buildFailed?.file, fixture('broken', 'testfails', 'ok_test.go'));
  assert.match(testFails.buildFailed?.message ?? '', /^cannot use 42/);
  assert.deepEqual(factsOf(testFails, 'ok.go').filter((fact) => fact.kind === 'moved-to-heap').map((fact) => fact.message), ['moved to heap: y']);
});

test('a missing package directory is a setup failure, not "go not found"', async () => {
  const result = await runEscapeAnalysis({ packageDir: fixture('no', 'such', 'dir'), goPath });
  assert.deepEqual([result.buildFailed?.kind, result.buildFailed?.message], ['setup', `directory not found: ${fixture('no', 'such', 'dir')}`]);
});

test('a go binary that fails with unpositioned garbage is a setup failure, not a package that does not compile', async (t) => {
  const dir = scratchDir('garbage-go');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const brokenGo = path.join(dir, 'go');
  fs.writeFileSync(brokenGo, '#!/bin/sh\necho "garbage{{{" >&2\nexit 3\n', { mode: 0o755 });
  const result = await runEscapeAnalysis({ packageDir: kindsDir, goPath: brokenGo });
  assert.deepEqual([result.buildFailed?.kind, result.buildFailed?.message, result.buildFailed?.file], ['setup', 'garbage{{{', undefined]);
});

test('a directory outside any module says so', async (t) => {
  const dir = scratchDir('nomodule');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'x.go'), 'package x\n\nfunc F() *int { v := 1; return &v }\n');
  const result = await runEscapeAnalysis({ packageDir: dir, goPath, env: { ...process.env, GO111MODULE: '', GOFLAGS: '' } });
  assert.equal(result.buildFailed?.kind, 'no-module');
  assert.match(result.buildFailed?.message ?? '', /go\.mod file not found/);
});

test('unsaved buffers go through -overlay: new text, new files, nothing written into the tree', async (t) => {
  const dir = fixture('multi', 'internal', 'beta');
  const before = fs.readdirSync(dir);
  const file = path.join(dir, 'util.go');
  const added = path.join(dir, 'added.go');
  const overlay = new Map([
    [file, 'package beta\n\nfunc Beta() *string {\n\tb := "b"\n\treturn &b\n}\n\nfunc Other() *[]int {\n\ts := []int{1}\n\treturn &s\n}\n'],
    [added, 'package beta\n\nfunc Fresh() []byte { return make([]byte, 64) }\n'],
  ]);
  t.after(() => assert.deepEqual(fs.readdirSync(dir), before));
  const result = await runEscapeAnalysis({ packageDir: dir, goPath, overlay });
  assert.deepEqual(
    allFacts(result).filter((fact) => heapVerdictKinds.has(fact.kind)).map((fact) => `${path.basename(fact.file)}:${fact.line}:${fact.column} ${fact.message}`),
    ['added.go:3:34 make([]byte, 64) escapes to heap', 'util.go:4:2 moved to heap: b', 'util.go:9:2 moved to heap: s', 'util.go:9:12 []int{...} escapes to heap'],
  );
  assert.ok(result.command.args.some((arg) => arg.startsWith('-overlay=')));
});

test('cancellation kills the run and leaves no temp directory behind', async (t) => {
  const root = scratchDir('cancel');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const controller = new AbortController();
  const run = runEscapeAnalysis({ packageDir: kindsDir, goPath, signal: controller.signal, tempRoot: root });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(run, { name: 'AbortError' });
  assert.deepEqual(fs.readdirSync(root), []);
  await assert.rejects(runEscapeAnalysis({ packageDir: kindsDir, goPath, signal: AbortSignal.abort(), tempRoot: root }), { name: 'AbortError' });
});

test('a timeout kills the run', async (t) => {
  const root = scratchDir('timeout');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  // -a rebuilds the standard library too: far longer than 300 ms.
  await assert.rejects(
    runEscapeAnalysis({ packageDir: fixture('multi', 'cmd', 'two'), goPath, buildFlags: ['-a'], timeoutMs: 300, tempRoot: root }),
    { name: 'CompilerTimeoutError' },
  );
  assert.deepEqual(fs.readdirSync(root), []);
});

test('a temp directory with a space and a symlinked package directory', async (t) => {
  const root = scratchDir('paths');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const spaced = path.join(root, 'with space');
  fs.mkdirSync(spaced);
  // A module opened through a symlink (macOS's /tmp is one): facts use the caller's spelling of the path.
  const link = path.join(root, 'linked');
  fs.symlinkSync(fixture('multi'), link);
  const packageDir = path.join(link, 'internal', 'alpha');
  const result = await runEscapeAnalysis({ packageDir, goPath, tempRoot: spaced });
  const [fact] = factsOf(result, 'util.go').filter((entry) => entry.kind === 'moved-to-heap');
  assert.equal(fact?.file, path.join(packageDir, 'util.go'));
  assert.equal(fact.explanations[0]?.origin, 'json');
  assert.ok(fact.explanations[0].steps.every((step) => step.at.file === path.join(packageDir, 'util.go')));
  // Paths the go command reports under the real directory are re-spelled under the caller's.
  const respell = respellUnder(packageDir, fixture('multi', 'internal', 'alpha'));
  assert.equal(respell(fixture('multi', 'internal', 'alpha', 'util.go')), path.join(packageDir, 'util.go'));
  assert.equal(respell('/elsewhere/x.go'), '/elsewhere/x.go');
  assert.deepEqual(fs.readdirSync(spaced), []);
});

test('build flags are flags; the ones the engine sets itself are refused', async () => {
  const dir = fixture('multi', 'internal', 'alpha');
  await assert.rejects(runEscapeAnalysis({ packageDir: dir, goPath, buildFlags: ['./...'] }), /must be flags/);
  await assert.rejects(runEscapeAnalysis({ packageDir: dir, goPath, buildFlags: ['-gcflags=-N'] }), /set by Go Insight/);
  await assert.rejects(runEscapeAnalysis({ packageDir: dir, goPath, buildFlags: ['-o', 'x'] }), /set by Go Insight/);
});

test('GOFLAGS -mod=mod becomes -mod=readonly (go.mod and go.sum are never rewritten); other flags pass through', () => {
  assert.equal(readOnlyGoFlags(undefined), undefined);
  assert.equal(readOnlyGoFlags('-mod=mod -tags=x'), '-mod=readonly -tags=x');
  assert.equal(readOnlyGoFlags('-mod=vendor'), '-mod=vendor');
  assert.equal(readOnlyGoFlags('-trimpath'), '-trimpath');
});
