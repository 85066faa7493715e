// "Nothing is written into your workspace", through real runs of the go
// command: a main package (go build links a binary), a package with tests
// open (go test -c links a test binary), a go.mod the go command would
// rewrite under GOFLAGS=-mod=mod. Each workspace is a copy whose every file
// is compared byte for byte (and by mtime) before and after. Also the
// environment every run gets: GOTOOLCHAIN=local whatever the user's is.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runEscapeAnalysis } from '../../server/src/compiler/escapeAnalysis';
import { fixture, goPath, scratchDir } from './compilerTestSupport';

/** Every entry under `dir`: its path, kind, mode, mtime and, for files, a hash of the bytes. */
function snapshot(dir: string): string[] {
  const entries: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const stat = fs.lstatSync(full);
    const content = entry.isFile() ? createHash('sha256').update(fs.readFileSync(full)).digest('hex') : entry.isDirectory() ? 'dir' : 'other';
    entries.push(`${path.relative(dir, full)} ${stat.mode.toString(8)} ${stat.mtimeMs} ${content}`);
  }
  return entries.sort();
}

/** A private copy of a fixture module, so that a failing run cannot dirty the repository. */
function workspaceCopy(t: { after(fn: () => void): void }, ...fixturePath: string[]): string {
  const root = scratchDir('workspace');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(fixture(...fixturePath), root, { recursive: true });
  return root;
}

/** A one-file main module in a scratch directory, removed after the test. */
function scratchModule(t: { after(fn: () => void): void }, goMod: string, mainGo: string): string {
  const root = scratchDir('module');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, 'go.mod'), goMod);
  fs.writeFileSync(path.join(root, 'main.go'), mainGo);
  return root;
}

const compileTimeout = 120_000;

test('a main package and a package with tests: the workspace is byte-identical afterwards', { timeout: compileTimeout }, async (t) => {
  const root = workspaceCopy(t, 'multi');
  const before = snapshot(root);
  // cmd/two is a main package: go build would link a binary named two.
  const main = await runEscapeAnalysis({ packageDir: path.join(root, 'cmd', 'two'), goPath, mode: 'build', timeoutMs: compileTimeout });
  assert.equal(main.buildFailed, undefined);
  assert.ok(main.files.size > 0, 'the main package compiled and gave facts');
  // cmd/one has a _test.go: go test -c would write one.test; with an unsaved test file in the overlay too.
  const testDir = path.join(root, 'cmd', 'one');
  const testFile = path.join(testDir, 'main_test.go');
  const overlay = new Map([[testFile, `${fs.readFileSync(testFile, 'utf8')}\nfunc helperAddedInTheEditor() *int { v := 1; return &v }\n`]]);
  const tests = await runEscapeAnalysis({ packageDir: testDir, goPath, mode: 'auto', overlay, timeoutMs: compileTimeout });
  assert.equal(tests.buildFailed, undefined);
  assert.deepEqual(tests.command.args.slice(0, 2), ['test', '-c'], 'the test binary was linked');
  assert.ok(tests.files.get(testFile)?.some((fact) => fact.message === 'moved to heap: v'), 'the unsaved test file was compiled');
  assert.deepEqual(snapshot(root), before);
});

test('GOFLAGS=-mod=mod in the environment: go.mod is not rewritten', { timeout: compileTimeout }, async (t) => {
  // Without a go directive, go build -mod=mod adds one to go.mod; -mod=readonly builds and leaves it.
  const root = scratchModule(t, 'module example.com/nogodirective\n', 'package main\n\nfunc main() { p := new(int); println(p) }\n');
  const before = snapshot(root);
  const result = await runEscapeAnalysis({ packageDir: root, goPath, env: { ...process.env, GOFLAGS: '-mod=mod' }, timeoutMs: compileTimeout });
  assert.equal(result.buildFailed, undefined);
  assert.deepEqual(snapshot(root), before);
});

test('the user\'s GOTOOLCHAIN does not start a toolchain download: a go.mod asking for a newer Go fails at once', { timeout: compileTimeout }, async (t) => {
  const root = scratchModule(t, 'module example.com/newer\n\ngo 1.99\n', 'package main\n\nfunc main() {}\n');
  const result = await runEscapeAnalysis({ packageDir: root, goPath, env: { ...process.env, GOTOOLCHAIN: 'auto' }, timeoutMs: compileTimeout });
  assert.equal(result.buildFailed?.kind, 'toolchain');
  assert.match(result.buildFailed?.output ?? '', /go\.mod requires go >= 1\.99 \(running go [\d.]+; GOTOOLCHAIN=local\)/);
  assert.doesNotMatch(result.buildFailed?.output ?? '', /downloading/);
});
