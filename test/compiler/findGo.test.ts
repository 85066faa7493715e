// Locating go: setting, PATH, GOROOT, default locations, and what was tried.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { findGo } from '../../server/src/compiler/findGo';
import { goPath, scratchDir } from './compilerTestSupport';

const only = (...files: string[]) => (file: string) => files.includes(file);
const posix = { platform: 'linux' as const, homeDir: '/home/me', listDir: () => [] };

test('go on PATH is preferred to default locations, and the reason says so', () => {
  const found = findGo({ ...posix, env: { PATH: '/opt/a:/opt/b' }, isExecutable: only('/opt/b/go', '/usr/local/go/bin/go') });
  assert.equal(found.found && found.path, '/opt/b/go');
  assert.equal(found.found && found.source, 'PATH');
  assert.match(found.found ? found.reason : '', /PATH/);
});

test('then GOROOT/bin, then the usual install locations, newest ~/sdk first', () => {
  const goroot = findGo({ ...posix, env: { PATH: '/nowhere', GOROOT: '/g' }, isExecutable: only('/g/bin/go', '/usr/local/go/bin/go') });
  assert.equal(goroot.found && goroot.path, '/g/bin/go');
  const usual = findGo({ ...posix, env: { PATH: '' }, isExecutable: only('/usr/local/go/bin/go') });
  assert.equal(usual.found && usual.path, '/usr/local/go/bin/go');
  assert.equal(usual.found && usual.source, 'default location');
  const sdk = findGo({
    ...posix,
    env: {},
    listDir: () => ['go1.9.2', 'go1.22.10', 'go1.22.9', 'notgo'],
    isExecutable: only('/home/me/sdk/go1.22.9/bin/go', '/home/me/sdk/go1.22.10/bin/go'),
  });
  assert.equal(sdk.found && sdk.path, '/home/me/sdk/go1.22.10/bin/go');
});

test('the setting: a binary, a directory (GOROOT or its bin), a name on PATH', () => {
  assert.equal(findGo({ ...posix, setting: '/x/go', env: {}, isExecutable: only('/x/go') }).found, true);
  const dir = findGo({ ...posix, setting: '/goroot', env: { PATH: '/usr/bin' }, isExecutable: only('/goroot/bin/go', '/usr/bin/go') });
  assert.equal(dir.found && dir.path, '/goroot/bin/go');
  assert.equal(dir.found && dir.source, 'setting');
  const named = findGo({ ...posix, setting: 'go1.22.0', env: { PATH: '/home/me/go/bin' }, isExecutable: only('/home/me/go/bin/go1.22.0') });
  assert.equal(named.found && named.path, '/home/me/go/bin/go1.22.0');
  const home = findGo({ ...posix, setting: '~/sdk/go1.22/bin/go', env: {}, isExecutable: only('/home/me/sdk/go1.22/bin/go') });
  assert.equal(home.found && home.path, '/home/me/sdk/go1.22/bin/go');
  const relative = findGo({ ...posix, setting: 'tools/go', baseDir: '/ws', env: {}, isExecutable: only('/ws/tools/go') });
  assert.equal(relative.found && relative.path, '/ws/tools/go');
});

test('a bad setting is an error that names what was tried, never a silent fallback', () => {
  const dash = findGo({ ...posix, setting: '-toolexec=evil', env: { PATH: '/usr/bin' }, isExecutable: () => true });
  assert.equal(dash.found, false);
  assert.match(dash.found ? '' : dash.message, /starts with "-"/);
  const missing = findGo({ ...posix, setting: '/opt/go', env: { PATH: '/usr/bin' }, isExecutable: only('/usr/bin/go') });
  assert.equal(missing.found, false);
  assert.deepEqual(missing.tried.map((entry) => entry.path), ['/opt/go', '/opt/go/go', '/opt/go/bin/go']);
  assert.equal(findGo({ ...posix, setting: 'rel/go', env: {}, isExecutable: () => true }).found, false);
});

test('nothing found: one message with how to fix it, and the full list', () => {
  const none = findGo({ ...posix, env: { PATH: '/a:/b' }, isExecutable: () => false });
  assert.equal(none.found, false);
  assert.match(none.found ? '' : none.message, /Install Go .* goinsight\.goPath/);
  assert.ok(none.tried.some((entry) => entry.source === 'PATH'));
  assert.ok(none.tried.some((entry) => entry.path === '/usr/local/go/bin/go'));
});

test('Windows: PATHEXT, Program Files', () => {
  const onPath = findGo({
    platform: 'win32',
    homeDir: 'C:\\Users\\me',
    env: { Path: 'C:\\tools;C:\\Go\\bin', PATHEXT: '.COM;.EXE' },
    isExecutable: only('C:\\Go\\bin\\go.exe'),
    listDir: () => [],
  });
  assert.equal(onPath.found && onPath.path, 'C:\\Go\\bin\\go.exe');
  const programFiles = findGo({ platform: 'win32', homeDir: 'C:\\Users\\me', env: {}, isExecutable: only('C:\\Program Files\\Go\\bin\\go.exe'), listDir: () => [] });
  assert.equal(programFiles.found && programFiles.path, 'C:\\Program Files\\Go\\bin\\go.exe');
});

test('the real file system: an executable is found, a plain file is not', (t) => {
  const dir = scratchDir('findgo');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'go'), '#!/bin/sh\n', { mode: 0o644 });
  assert.equal(findGo({ setting: dir, env: {} }).found, false, 'not executable');
  fs.chmodSync(path.join(dir, 'go'), 0o755);
  assert.equal(findGo({ setting: dir, env: {} }).found, true);
  assert.equal(findGo({ env: process.env }).found, true, `the test machine has go (${goPath})`);
});
