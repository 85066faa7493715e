// `goinsight escapes` against the real toolchain: for every fixture package,
// each heap verdict that `go build -gcflags=-m` prints (moved to heap,
// escapes to heap, leaking param) appears exactly once, at the same line and
// column, with the same text — and no other verdict of those kinds appears.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixturesRoot } from '../support/analysisTest';
import { repositoryRoot } from '../support/lspClient';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');

const packages = [
  'escape/kinds',
  'escape/multi/cmd/one',
  'escape/multi/cmd/two',
  'escape/multi/internal/alpha',
  'escape/multi/internal/beta',
  'escape/multi/internal/clash',
  'escape/multi/internal/shapes',
  'escape-protocol/shapes',
];

const heapVerdict = /^(?:moved to heap: .+|.+ escapes to heap|leaking param(?: content)?: .+)$/;

interface JsonFinding {
  file: string;
  range: { start: { line: number; column: number } };
  message: string;
  source: string;
}

/** The go command prints paths relative to the working directory, or to the module root when that is shorter. */
function resolvePrinted(packageDir: string, printed: string): string {
  for (let directory = packageDir; ; directory = path.dirname(directory)) {
    const candidate = path.resolve(directory, printed);
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(directory, 'go.mod')) || directory === path.dirname(directory)) return path.resolve(packageDir, printed);
  }
}

/** "abs/file.go:line:col: message" for each heap verdict the compiler prints for a package's non-test files. */
function compilerVerdicts(packageDir: string): string[] {
  const build = spawnSync('go', ['build', '-o', '/dev/null', '-gcflags=-m', '.'], { cwd: packageDir, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  return build.stderr
    .split('\n')
    .map((line) => /^(.+?):(\d+):(\d+): (.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && heapVerdict.test(match[4]))
    .map((match) => `${resolvePrinted(packageDir, match[1])}:${match[2]}:${match[3]}: ${match[4]}`)
    .filter((line) => !line.includes('_test.go:'))
    .sort();
}

function goinsightVerdicts(packageDir: string): string[] {
  const result = spawnSync(process.execPath, [cli, 'escapes', packageDir, '--format', 'json'], { cwd: repositoryRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
  assert.ok(findings.every((finding) => finding.source === 'compiler'));
  return findings
    .filter((finding) => heapVerdict.test(finding.message) && !finding.file.endsWith('_test.go'))
    .map((finding) => `${path.resolve(repositoryRoot, finding.file)}:${finding.range.start.line}:${finding.range.start.column}: ${finding.message}`)
    .sort();
}

test('escapes --format json reports exactly the heap verdicts go build -gcflags=-m prints', { timeout: 300_000 }, () => {
  let compared = 0;
  for (const relative of packages) {
    const packageDir = path.join(fixturesRoot, relative);
    const expected = compilerVerdicts(packageDir);
    assert.deepEqual(goinsightVerdicts(packageDir), expected, relative);
    compared += expected.length;
  }
  // A generic-only package prints nothing of its own; the fixtures as a whole must have plenty.
  assert.ok(compared >= 20, `only ${compared} verdicts compared`);
});

test('escapes --stdin reads go build -gcflags=-m output and prints the same JSON fields', () => {
  // The go build cache replays -m output with paths relative to the directory of the run that filled it;
  // "-c=1" (one backend worker: same output) gives this run a cache entry of its own.
  const packageDir = path.join(fixturesRoot, 'escape-protocol', 'shapes');
  const build = spawnSync('go', ['build', '-o', '/dev/null', '-gcflags=-m -c=1', '.'], { cwd: packageDir, encoding: 'utf8' });
  const result = spawnSync(process.execPath, [cli, 'escapes', '--stdin', '--format', 'json'], { cwd: packageDir, input: build.stderr, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const findings = (JSON.parse(result.stdout) as { findings: (JsonFinding & { rule: string; range: { end: { column: number } } })[] }).findings;
  assert.deepEqual(
    findings.map((finding) => [finding.file, finding.range.start.line, finding.range.start.column, finding.range.end.column, finding.rule, finding.message]),
    [
      ['shapes.go', 9, 2, 3, 'escape/moved-to-heap', 'moved to heap: p'],
      ['shapes.go', 15, 13, 13, 'escape/escapes-to-heap', 'make([]byte, size) escapes to heap'],
      ['shapes.go', 20, 19, 19, 'escape/does-not-escape', '... argument does not escape'],
      ['shapes.go', 20, 21, 21, 'escape/escapes-to-heap', 'p.X escapes to heap'],
    ],
  );
});

test('escapes text output is the compiler line form; a package that does not compile exits 1 with its first error', () => {
  const ok = spawnSync(process.execPath, [cli, 'escapes', 'shapes'], { cwd: path.join(fixturesRoot, 'escape-protocol'), encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^shapes\/shapes\.go:9:2: moved to heap: p\n/m);
  const broken = spawnSync(process.execPath, [cli, 'escapes', 'broken'], { cwd: path.join(fixturesRoot, 'escape-protocol'), encoding: 'utf8' });
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /^goinsight: broken: does not compile: broken\/broken\.go:4:9: cannot use "not an int"/);
});

test('escapes without a go binary exits 2 with what was tried', () => {
  const missing = spawnSync(process.execPath, [cli, 'escapes', 'shapes', '--go', '/nonexistent/go'], {
    cwd: path.join(fixturesRoot, 'escape-protocol'),
    encoding: 'utf8',
  });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^goinsight: goinsight\.goPath is set to "\/nonexistent\/go"/);
  assert.ok(fs.existsSync(path.join(fixturesRoot, 'escape-protocol', 'shapes', 'shapes.go')));
});

test('check includes the compiler facts unless --no-compiler, with ranges widened to the expression', () => {
  const run = (extra: string[]) => {
    const result = spawnSync(process.execPath, [cli, 'check', 'test/fixtures/escape-protocol/shapes', '--format', 'json', ...extra], { cwd: repositoryRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return (JSON.parse(result.stdout) as { findings: (JsonFinding & { rule: string; range: { end: { line: number; column: number } } })[] }).findings;
  };
  const compiler = run([]).filter((finding) => finding.source === 'compiler');
  assert.deepEqual(
    compiler.map((finding) => [finding.rule, finding.range.start.line, finding.range.start.column, finding.range.end.column, finding.message]),
    [
      ['escape/moved-to-heap', 9, 2, 3, 'moved to heap: p'],
      // The compiler points at "(" (column 13); check shows the whole call, as the editor does.
      ['escape/escapes-to-heap', 15, 9, 27, 'make([]byte, size) escapes to heap'],
      ['escape/escapes-to-heap', 20, 20, 23, 'p.X escapes to heap'],
    ],
  );
  assert.deepEqual(run(['--no-compiler']).filter((finding) => finding.source === 'compiler'), []);
});
