// go env once per binary / directory, and the module situations around a package:
// go.work workspaces, build tags.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runEscapeAnalysis } from '../../server/src/compiler/escapeAnalysis';
import { forgetGoEnvironment, goModuleContext, goToolchain } from '../../server/src/compiler/goEnvironment';
import { fixture, goPath, scratchDir } from './compilerTestSupport';

test('the toolchain is read once per binary', async () => {
  forgetGoEnvironment();
  const first = goToolchain(goPath);
  assert.equal(goToolchain(goPath), first, 'the same pending answer');
  const toolchain = await first;
  assert.equal(toolchain.version, spawnSync(goPath, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim());
  assert.ok(fs.existsSync(toolchain.goroot));
  assert.ok(toolchain.goos && toolchain.goarch);
  await assert.rejects(goToolchain('/definitely/not/go'), /could not start/);
});

test('module context: go.mod, go.work, or none', async (t) => {
  const inModule = await goModuleContext(goPath, fixture('multi', 'cmd', 'one'));
  assert.equal(inModule.gomod, fixture('multi', 'go.mod'));
  const dir = scratchDir('nomod-env');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.deepEqual(await goModuleContext(goPath, dir), { gomod: undefined, gowork: undefined });
});

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
  const context = await goModuleContext(goPath, path.join(root, 'app'));
  assert.equal(context.gowork, path.join(root, 'go.work'));
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
