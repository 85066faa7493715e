// The module situations around a package: go.work workspaces, build tags, a
// go.mod that requires a newer Go than the go command.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runEscapeAnalysis, toolchainNeed } from '../../server/src/compiler/escapeAnalysis';
import { goPath, scratchDir } from './compilerTestSupport';

test('a go.work workspace: a package importing another workspace module', async (t) => {
  const root = scratchDir('work');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('go.work', 'go 1.22\n\nuse (\n\t./app\n\t./lib\n)\n');
  write('lib/go.mod', 'module example.com/lib\n\ngo 1.22\n');
  write('lib/lib.go', 'package lib\n\nfunc Keep(p *int) *int { return p }\n');
  write('app/go.mod', 'module example.com/app\n\ngo 1.22\n');
  write('app/app.go', 'package app\n\nimport "example.com/lib"\n\nvar Sink *int\n\nfunc Run() {\n\tx := 1\n\tSink = lib.Keep(&x)\n}\n');
  const result = await runEscapeAnalysis({ packageDir: path.join(root, 'app'), goPath, env: { ...process.env, GOWORK: '', GOFLAGS: '' } });
  assert.equal(result.buildFailed, undefined, result.buildFailed?.output);
  assert.deepEqual(
    result.files.get(path.join(root, 'app', 'app.go'))?.filter((fact) => fact.kind === 'moved-to-heap').map((fact) => `${fact.line} ${fact.message}`),
    ['8 moved to heap: x'],
  );
});

test('build tags select the files that are compiled', async (t) => {
  const dir = scratchDir('tags');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/tags\n\ngo 1.22\n');
  fs.writeFileSync(path.join(dir, 'base.go'), 'package tags\n');
  fs.writeFileSync(path.join(dir, 'special.go'), '//go:build special\n\npackage tags\n\nfunc Special() *int {\n\tv := 1\n\treturn &v\n}\n');
  const plain = await runEscapeAnalysis({ packageDir: dir, goPath });
  assert.equal(plain.files.get(path.join(dir, 'special.go')), undefined);
  const tagged = await runEscapeAnalysis({ packageDir: dir, goPath, buildFlags: ['-tags=special'] });
  assert.deepEqual(tagged.files.get(path.join(dir, 'special.go'))?.filter((fact) => fact.kind === 'moved-to-heap').map((fact) => fact.line), [6]);
});

/** A module whose go.mod requires `goVersion`, with one heap allocation. */
function moduleRequiring(name: string, goVersion: string): string {
  const dir = scratchDir(name);
  fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/${name}\n\ngo ${goVersion}\n`);
  fs.writeFileSync(path.join(dir, 'box.go'), 'package box\n\nfunc Box() *int {\n\tv := 1\n\treturn &v\n}\n');
  return dir;
}

/** The go on PATH's own release (whatever GOTOOLCHAIN this test process has). */
const runningGo = spawnSync(goPath, ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).stdout.trim();

test('go.mod requiring a newer Go than the go command may switch to: a toolchain failure that names both versions', async (t) => {
  const dir = moduleRequiring('newer', '1.99.0');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // GOTOOLCHAIN=local (the engine's default when the environment sets none) forbids the switch.
  const environment = { ...process.env };
  delete environment.GOTOOLCHAIN;
  const result = await runEscapeAnalysis({ packageDir: dir, goPath, env: environment });
  assert.equal(result.buildFailed?.kind, 'toolchain', result.buildFailed?.output);
  assert.deepEqual(result.buildFailed?.toolchain, { required: '1.99.0', running: runningGo.replace(/^go/, ''), setting: 'local' });
  assert.equal(toolchainNeed('go: go.mod requires go >= 1.27.3 (running go 1.26.8; GOTOOLCHAIN=local)')?.required, '1.27.3');
  assert.equal(toolchainNeed('go: updates to go.mod needed'), undefined);
});
