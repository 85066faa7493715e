// Every recorded compiler output (test/fixtures/escape/recorded/goX/*.txt)
// belongs to the Go source it names: each verdict about a variable or a
// parameter points at that name in the source (or at the call or generic
// function it was inlined from), for every release; and the
// recordings of the installed release are recorded again here, live, and must
// have exactly the same lines (in any order: packages compile in parallel).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseCompilerText } from '../../server/src/compiler/parseCompilerText';
import { fixture, goPath } from './compilerTestSupport';

const recordedRoot = fixture('recorded');

/** The directory a recording's command ran in (its paths are relative to it). */
function sourceDirOf(version: string, recording: string): string {
  const dir = path.join(recordedRoot, version);
  if (recording === 'multi-m.txt') return fixture('multi');
  if (recording === 'testfails-m2.txt') return fixture('broken', 'testfails');
  return path.join(dir, recording.startsWith('kinds-') ? 'kinds' : 'src');
}

const recordings = fs
  .readdirSync(recordedRoot)
  .filter((name) => /^go\d+\.\d+\.\d+$/.test(name))
  .flatMap((version) =>
    fs
      .readdirSync(path.join(recordedRoot, version))
      .filter((name) => name.endsWith('.txt') && !name.endsWith('.windows.txt'))
      .map((name) => ({ version, name, file: path.join(recordedRoot, version, name), sourceDir: sourceDirOf(version, name) })),
  );

const namedKinds = new Set(['moved-to-heap', 'leaking-param', 'leaking-param-content', 'leaking-param-to-result']);

test('each recorded verdict about a variable or parameter points at that name in the recorded source', () => {
  const problems: string[] = [];
  for (const recording of recordings) {
    const parsed = parseCompilerText(fs.readFileSync(recording.file, 'utf8'), { cwd: recording.sourceDir });
    const named = parsed.facts.filter((fact) => namedKinds.has(fact.kind) && fact.file.startsWith(recording.sourceDir + path.sep));
    assert.ok(named.length > 0, `${recording.version}/${recording.name} has verdicts on names`);
    for (const fact of named) {
      const name = /^(?:moved to heap|leaking param(?: content)?): ([\w]+)$|^leaking param: (\w+) to result/.exec(fact.message);
      const subject = name?.[1] ?? name?.[2];
      if (!subject) continue; // a qualified name (shapes.v) of generic code
      const lineText = Buffer.from(fs.readFileSync(fact.file, 'utf8').split('\n')[fact.line - 1] ?? '');
      const atColumn = lineText.subarray(fact.column - 1).toString();
      // Code inlined or instantiated elsewhere is reported at the call, or at the generic function's name.
      if (/^(?:\(|\w+[[(])/.test(atColumn)) continue;
      if (/^\w+/.exec(atColumn)?.[0] !== subject) problems.push(`${recording.version}/${recording.name}: ${path.relative(recording.sourceDir, fact.file)}:${fact.line}:${fact.column} ${fact.message} — the source there reads ${JSON.stringify(atColumn.slice(0, 20))}`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the Windows-shaped recording is m2-defer.txt with backslashes and CRLF', () => {
  const dir = path.join(recordedRoot, 'go1.26.8');
  const unix = fs.readFileSync(path.join(dir, 'm2-defer.txt'), 'utf8');
  assert.equal(fs.readFileSync(path.join(dir, 'm2-defer.windows.txt'), 'utf8'), unix.replace(/\.\//g, '.\\').replace(/\n/g, '\r\n'));
});

/** The command each recording of a release was made with (its README's table), run per package. */
function liveCommand(name: string): string[] {
  switch (name) {
    case 'm.txt':
    case 'kinds-m.txt':
    case 'multi-m.txt':
      return ['build', '-o', os.devNull, '-gcflags=-m', '.'];
    case 'm2.txt':
      return ['build', '-o', os.devNull, '-gcflags=-m=2', '.'];
    case 'm2-defer.txt':
    case 'kinds-m2-defer.txt':
      return ['build', '-o', os.devNull, '-gcflags=-m=2 -d=defer', '.'];
    case 'testfails-m2.txt':
      return ['test', '-c', '-o', os.devNull, '-vet=off', '-gcflags=-m=2', '.'];
    default:
      throw new Error(`no command known for the recording ${name}: add it here`);
  }
}

/** Directories under a module with a non-test Go file (go build ./... skips the others). */
function packageDirs(root: string): string[] {
  const dirs = fs.readdirSync(root, { withFileTypes: true, recursive: true }).filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name));
  return [root, ...dirs].filter((dir) => fs.readdirSync(dir).some((name) => name.endsWith('.go') && !name.endsWith('_test.go')));
}

/** Output lines with each leading path made relative to `root` (absolute outside it); package headers dropped. */
function normalized(output: string, cwd: string, root: string): string[] {
  return output
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) =>
      line.replace(/^(\S+?\.go)(?=:)/, (file) => {
        const absolute = path.resolve(cwd, file);
        return absolute.startsWith(root + path.sep) ? path.relative(root, absolute) : absolute;
      }),
    )
    .sort();
}

const installedVersion = /go version (go\d+\.\d+\.\d+)/.exec(spawnSync(goPath, ['version'], { encoding: 'utf8' }).stdout)?.[1];

test('the recordings of the installed Go are what it prints today, line for line', { timeout: 240_000 }, (t) => {
  const ofInstalled = recordings.filter((recording) => recording.version === installedVersion);
  if (ofInstalled.length === 0) {
    t.skip(`nothing was recorded with ${installedVersion ?? 'this go'}; recordings: ${[...new Set(recordings.map((recording) => recording.version))].join(', ')}`);
    return;
  }
  for (const recording of ofInstalled) {
    const live: string[] = [];
    // One package at a time, from its own directory: the build cache replays -m output with the paths of the run that filled it.
    for (const dir of packageDirs(recording.sourceDir)) {
      const run = spawnSync(goPath, liveCommand(recording.name), {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PWD: dir, GOTOOLCHAIN: 'local', GOFLAGS: '' },
        timeout: 120_000,
      });
      assert.equal(run.error, undefined, `go ${liveCommand(recording.name).join(' ')} in ${dir}`);
      live.push(...normalized(run.stderr, dir, recording.sourceDir));
    }
    const recorded = normalized(fs.readFileSync(recording.file, 'utf8'), recording.sourceDir, recording.sourceDir);
    assert.deepEqual(live.sort(), recorded, `${recording.version}/${recording.name} differs from what go prints now in ${recording.sourceDir}`);
  }
});
