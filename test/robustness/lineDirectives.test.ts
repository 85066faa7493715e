// `//line` directives make the compiler print positions of other lines (or
// files): a file that has them gets no compiler facts rather than facts on the
// wrong lines; the package's other files keep theirs. Runs the real go.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { lineDirectiveTargets, runEscapeAnalysis } from '../../server/src/compiler/escapeAnalysis';
import { findGo } from '../../server/src/compiler/findGo';

const remapped = 'package l\n\nfunc A() *int {\n\tx := 1\n\treturn &x\n}\n\n//line other.go:100\nfunc B() *int {\n\ty := 2\n\treturn &y\n}\n\n//line a.go:900\nfunc C() *int {\n\tz := 3\n\treturn &z\n}\n';
const plain = 'package l\n\nfunc D() *int {\n\tw := 4\n\treturn &w\n}\n';

test('//line directives: the remapped file gets no facts (not facts on wrong lines), its neighbours keep theirs', { timeout: 120_000 }, async () => {
  const go = findGo();
  assert.ok(go.found, 'this test needs go');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-test-linedirective-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/l\n\ngo 1.22\n');
    fs.writeFileSync(path.join(dir, 'a.go'), remapped);
    fs.writeFileSync(path.join(dir, 'd.go'), plain);
    const result = await runEscapeAnalysis({ packageDir: dir, goPath: go.path });
    assert.equal(result.buildFailed, undefined);
    const moved = (file: string) => (result.files.get(path.join(dir, file)) ?? []).filter((fact) => fact.kind === 'moved-to-heap').map((fact) => `${fact.line} ${fact.subject}`);
    assert.deepEqual(moved('a.go'), []);
    assert.deepEqual(moved('d.go'), ['4 w']);
    assert.ok(result.warnings.some((warning) => /a\.go has \/\/line directives/.test(warning)));
    // The same through an unsaved buffer: the overlay's text is what counts.
    const overlaid = await runEscapeAnalysis({ packageDir: dir, goPath: go.path, overlay: new Map([[path.join(dir, 'd.go'), `${plain}\n//line d.go:1\nvar _ = 0\n`]]) });
    assert.deepEqual((overlaid.files.get(path.join(dir, 'd.go')) ?? []).filter((fact) => fact.kind === 'moved-to-heap'), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a //line directive pointing into another file of the package silences that file too', { timeout: 120_000 }, async () => {
  const go = findGo();
  assert.ok(go.found, 'this test needs go');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-test-linetarget-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/l\n\ngo 1.22\n');
    // gen.go claims its code is on line 3 of d.go: the compiler reports gen.go's escape there.
    fs.writeFileSync(path.join(dir, 'gen.go'), 'package l\n\n//line d.go:3\nfunc G() *int {\n\tg := 5\n\treturn &g\n}\n');
    fs.writeFileSync(path.join(dir, 'd.go'), plain);
    fs.writeFileSync(path.join(dir, 'e.go'), 'package l\n\nfunc E() *int {\n\te := 6\n\treturn &e\n}\n');
    const result = await runEscapeAnalysis({ packageDir: dir, goPath: go.path });
    const moved = (file: string) => (result.files.get(path.join(dir, file)) ?? []).filter((fact) => fact.kind === 'moved-to-heap').map((fact) => `${fact.line} ${fact.subject}`);
    assert.deepEqual(moved('d.go'), [], 'd.go would otherwise show gen.go\'s "moved to heap: g" on its own lines');
    assert.deepEqual(moved('gen.go'), []);
    assert.deepEqual(moved('e.go'), ['4 e']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the names //line directives point to', () => {
  assert.deepEqual(lineDirectiveTargets('//line a.go:10\nx\n/*line b/c.go:3:4*/ y\n//line :5\n//linenot x.go:1\n'), ['a.go', 'b/c.go']);
});

test('output the parser does not know is skipped, the facts it knows are kept, and a warning says so', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-test-unknown-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/u\n\ngo 1.22\n');
    fs.writeFileSync(path.join(dir, 'u.go'), plain);
    // A go that prints a known verdict among lines from some future compiler.
    const go = path.join(dir, 'fake-go');
    fs.writeFileSync(go, "#!/bin/sh\necho '# example.com/u' >&2\necho './u.go:4:2: moved to heap: w' >&2\necho 'a brand new kind of output' >&2\necho './u.go:5:2: something the parser never saw' >&2\nexit 0\n", { mode: 0o755 });
    const result = await runEscapeAnalysis({ packageDir: dir, goPath: go });
    assert.deepEqual((result.files.get(path.join(dir, 'u.go')) ?? []).map((fact) => fact.message), ['moved to heap: w']);
    assert.ok(result.warnings.some((warning) => /printed 2 line\(s\) Go Insight does not understand; they were skipped \(first: "a brand new kind of output"\)/.test(warning)), result.warnings.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
