// The engine on packages that use cgo (test/fixtures/escape/cgo), with the
// installed go and gcc: the compiler sees cgo's generated files
// (`_cgo_gotypes.go`, `cgo.cgo1.go` with //line back to `cgo.go`), and the
// facts must land on the package's own .go lines, never on generated files;
// with CGO_ENABLED=0 forced, the build failure is reported, not a crash.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allFacts, runEscapeAnalysis, type PackageEscapeResult } from '../../server/src/compiler/escapeAnalysis';
import { heapVerdictKinds } from '../../server/src/compiler/escapeFacts';
import { parseCompilerText } from '../../server/src/compiler/parseCompilerText';
import { checkWants, fixture, goPath, referenceHeapLines } from './compilerTestSupport';

const cgoDir = fixture('cgo');
const onlyDir = fixture('cgo', 'only');

function analyze(packageDir: string, cgoEnabled: '0' | '1'): Promise<PackageEscapeResult> {
  return runEscapeAnalysis({ packageDir, goPath, env: { ...process.env, CGO_ENABLED: cgoEnabled }, timeoutMs: 60_000 });
}

/** Every file a fact or one of its flow steps names exists in the package directory. */
function assertOnRealFiles(result: PackageEscapeResult, packageDir: string): void {
  assert.deepEqual([...result.outside.keys()], []);
  for (const fact of allFacts(result)) {
    assert.equal(path.dirname(fact.file), packageDir, fact.file);
    assert.ok(fs.existsSync(fact.file), `fact on a file that does not exist: ${fact.file}:${fact.line}: ${fact.message}`);
    assert.doesNotMatch(path.basename(fact.file), /^_cgo_|\.cgo\d\.go$/);
    for (const step of fact.explanations.flatMap((explanation) => explanation.steps)) {
      assert.ok(fs.existsSync(step.at.file), `flow step in a file that does not exist: ${step.at.file} (${step.text})`);
    }
  }
}

test('cgo package: facts on cgo.go and plain.go lines, none on the generated files', { timeout: 120_000 }, async () => {
  const result = await analyze(cgoDir, '1');
  assert.equal(result.buildFailed, undefined, result.buildFailed?.output);
  assert.deepEqual([...result.files.keys()].sort(), [path.join(cgoDir, 'cgo.go'), path.join(cgoDir, 'plain.go')]);
  assertOnRealFiles(result, cgoDir);
  checkWants(cgoDir, allFacts(result));
  assert.ok(!result.warnings.some((warning) => warning.includes('_cgo_')), result.warnings.join('\n'));

  // Every verdict -gcflags=-m prints for the package's own files, at the same line and column; the compiler
  // also prints verdicts on `_cgo_gotypes.go` (so dropping them is something this test can see).
  const reference = referenceHeapLines(cgoDir, 'build');
  const generated = reference.filter((line) => path.basename(line.file).startsWith('_cgo_'));
  assert.ok(generated.length > 0, 'the compiler printed no facts on _cgo_gotypes.go: the fixture no longer exercises cgo');
  const own = reference.filter((line) => !generated.includes(line)).map((line) => `${path.basename(line.file)}:${line.line}:${line.column}: ${line.message}`);
  const facts = allFacts(result).filter((fact) => heapVerdictKinds.has(fact.kind));
  assert.deepEqual(facts.map((fact) => `${path.basename(fact.file)}:${fact.line}:${fact.column}: ${fact.message}`).sort(), own.sort());
  assert.ok(own.some((line) => line.startsWith('cgo.go:')) && own.some((line) => line.startsWith('plain.go:')));
  // The flow of a fact in the cgo file points into cgo.go, as //line maps it.
  const kept = facts.find((fact) => fact.message === 'moved to heap: n');
  assert.ok(kept?.explanations[0]?.steps.some((step) => step.at.file === path.join(cgoDir, 'cgo.go') && step.at.line === 25));
});

test('a package of only a cgo file', { timeout: 120_000 }, async () => {
  const result = await analyze(onlyDir, '1');
  assert.equal(result.buildFailed, undefined, result.buildFailed?.output);
  assertOnRealFiles(result, onlyDir);
  checkWants(onlyDir, allFacts(result));
});

test('CGO_ENABLED=0 forced: the build failure is reported with the first error, no facts, no crash', { timeout: 120_000 }, async () => {
  // Mixed package: the go command drops cgo.go, so plain.go's call to Add no longer compiles.
  const mixed = await analyze(cgoDir, '0');
  assert.ok(mixed.buildFailed, 'a cgo package built with CGO_ENABLED=0 must not look like a clean run');
  assert.equal(mixed.buildFailed.kind, 'compile');
  assert.match(mixed.buildFailed.message, /^undefined: Add$/);
  assert.deepEqual([mixed.buildFailed.file, mixed.buildFailed.line, mixed.buildFailed.column], [path.join(cgoDir, 'plain.go'), 10, 15]);
  assert.deepEqual(allFacts(mixed).filter((fact) => heapVerdictKinds.has(fact.kind)), []);

  // Only cgo files: nothing is left to build, which is a setup problem, not a compile error.
  const only = await analyze(onlyDir, '0');
  assert.ok(only.buildFailed);
  assert.equal(only.buildFailed.kind, 'setup');
  assert.match(only.buildFailed.message, /build constraints exclude all Go files in .*only/);
  assert.deepEqual(allFacts(only), []);
});

test('text parser: lines on cgo\'s generated files are skipped, not facts and not errors', () => {
  const output = [
    '# example.com/cgo',
    '_cgo_gotypes.go:60:9: "string too large" escapes to heap in _Cfunc_CString:',
    '_cgo_gotypes.go:60:9:   flow: {heap} ← &{storage for "string too large"}:',
    '_cgo_gotypes.go:60:9:     from "string too large" (spill) at _cgo_gotypes.go:60:9',
    '_cgo_gotypes.go:60:9: "string too large" escapes to heap',
    '_cgo_gotypes.go:41:43: assuming ~p1 is unsafe uintptr',
    '/tmp/go-build1/b001/_cgo_gotypes.go:15:15: leaking param: ptr to result ~r0 level=0',
    './cgo.go:24:2: moved to heap: n',
  ].join('\n');
  const parsed = parseCompilerText(output, { cwd: cgoDir });
  assert.deepEqual(parsed.facts.map((fact) => `${fact.file}:${fact.line}:${fact.column}: ${fact.message}`), [`${path.join(cgoDir, 'cgo.go')}:24:2: moved to heap: n`]);
  assert.deepEqual(parsed.unrecognized, []);
  assert.deepEqual(parsed.explanations, []);
});
