// The content-keyed cache and the analyzer in front of it (real compiles).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { EscapeAnalyzer } from '../../server/src/compiler/escapeAnalyzer';
import { PackageCache, packageContentKey, toolchainIdentity } from '../../server/src/compiler/packageCache';
import { fixture, goPath, scratchDir } from './compilerTestSupport';

function copyModule(t: { after: (fn: () => void) => void }): string {
  const dir = scratchDir('cache');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/cache\n\ngo 1.22\n');
  fs.writeFileSync(path.join(dir, 'a.go'), 'package cache\n\nfunc A() *int {\n\tv := 1\n\treturn &v\n}\n');
  return dir;
}

test('the key follows file contents, unsaved buffers, go.mod, the toolchain and flags', async (t) => {
  const dir = copyModule(t);
  const base = { packageDir: dir, toolchain: toolchainIdentity(goPath), flags: ['-m=2'] };
  const key = packageContentKey(base);
  assert.equal(packageContentKey(base), key, 'stable');
  assert.notEqual(packageContentKey({ ...base, toolchain: 'another go' }), key);
  assert.notEqual(packageContentKey({ ...base, flags: ['-m'] }), key);
  assert.notEqual(packageContentKey({ ...base, overlay: new Map([[path.join(dir, 'a.go'), 'package cache\n']]) }), key);
  assert.notEqual(packageContentKey({ ...base, overlay: new Map([[path.join(dir, 'new.go'), 'package cache\n']]) }), key);
  // A buffer identical to the saved file is the same content.
  const saved = fs.readFileSync(path.join(dir, 'a.go'), 'utf8');
  assert.equal(packageContentKey({ ...base, overlay: new Map([[path.join(dir, 'a.go'), saved]]) }), key);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'irrelevant');
  assert.equal(packageContentKey(base), key, 'non-Go files do not matter');
  fs.appendFileSync(path.join(dir, 'go.mod'), '\nrequire example.com/x v1.0.0\n');
  assert.notEqual(packageContentKey(base), key);
});

test('the toolchain is named by the go binary itself: a Go replaced in place is another toolchain', async (t) => {
  const dir = scratchDir('toolchain');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const go = path.join(dir, 'go');
  fs.writeFileSync(go, 'go1.25');
  const before = toolchainIdentity(go);
  assert.equal(toolchainIdentity(go), before, 'stable');
  fs.writeFileSync(go, 'go1.26.8');
  assert.notEqual(toolchainIdentity(go), before);
  assert.notEqual(toolchainIdentity(path.join(dir, 'elsewhere', 'go')), before);
  fs.rmSync(go);
  assert.match(toolchainIdentity(go), /missing$/, 'a missing binary is left for the compile to report');
});

test('the cache is bounded and least-recently-used', () => {
  const cache = new PackageCache<string>(2);
  cache.set('/a', 'k1', 'A');
  cache.set('/b', 'k1', 'B');
  assert.equal(cache.get('/a', 'k1'), 'A');
  cache.set('/c', 'k1', 'C');
  assert.equal(cache.get('/b', 'k1'), undefined, 'b was the least recently used');
  assert.equal(cache.get('/a', 'k1'), 'A');
  assert.equal(cache.get('/a', 'k2'), undefined, 'another content is a miss');
  cache.set('/a', 'k2', 'A2');
  assert.equal(cache.get('/a', 'k1'), undefined, 'one entry per package');
  assert.equal(cache.size, 2);
});

test('the analyzer answers from the cache, joins identical runs and cancels stale ones', async (t) => {
  const dir = copyModule(t);
  const analyzer = new EscapeAnalyzer({ goPath });
  t.after(() => analyzer.dispose());
  const file = path.join(dir, 'a.go');

  // Nothing cached yet: the first request compiles at once, and a second one for the same content joins it.
  const [first, joined] = await Promise.all([analyzer.analyze(dir), analyzer.analyze(dir)]);
  assert.equal(first.fromCache, false);
  assert.equal(joined.result, first.result);
  assert.deepEqual(first.result.files.get(file)?.filter((fact) => fact.kind === 'moved-to-heap').map((fact) => fact.message), ['moved to heap: v']);
  const again = await analyzer.analyze(dir);
  assert.equal(again.fromCache, true);
  assert.equal(again.result, first.result);

  // Two requests for the same new content share one compile.
  const edited = new Map([[file, 'package cache\n\nfunc A() []int {\n\treturn make([]int, 100000)\n}\n']]);
  const [one, two] = await Promise.all([analyzer.analyze(dir, { overlay: edited }), analyzer.analyze(dir, { overlay: edited })]);
  assert.equal(one.result, two.result);
  assert.deepEqual(one.result.files.get(file)?.filter((fact) => fact.kind === 'escapes-to-heap').map((fact) => fact.message), ['make([]int, 100000) escapes to heap']);

  // Typing: a newer buffer kills the older compile of the same package.
  // The older buffer is slow to compile (a long function), so the newer one surely arrives while it runs.
  const slow = `package cache\n\nfunc Slow(n int) int {\n${'\tn = n*31 + 7\n'.repeat(40_000)}\treturn n\n}\n`;
  const older = analyzer.analyze(dir, { overlay: new Map([[file, slow]]) });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const newer = analyzer.analyze(dir, { overlay: new Map([[file, 'package cache\n\nvar Y = 2\n']]) });
  await assert.rejects(older, { name: 'AbortError' });
  assert.equal((await newer).fromCache, false);

  // A caller that gives up does not get a result.
  await assert.rejects(analyzer.analyze(dir, { overlay: new Map([[file, 'package cache\n']]), signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('a build failure is a result (and cached), not an exception', async (t) => {
  const analyzer = new EscapeAnalyzer({ goPath });
  t.after(() => analyzer.dispose());
  const broken = await analyzer.analyze(fixture('broken', 'typeerr'));
  assert.equal(broken.result.buildFailed?.message, 'undefined: missing');
  assert.equal((await analyzer.analyze(fixture('broken', 'typeerr'))).fromCache, true);
});
