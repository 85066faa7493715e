// `goinsight escapes --since REF` on real git repositories built in a temp
// directory from test/fixtures/since/<scenario>/{before,after}: `before` is
// committed, `after` replaces it (committed or left in the working tree). A
// `// want "re"` line in `after` must be reported new, one in `before` gone,
// and nothing else may be either. Runs the bundled CLI with the real go.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { wantsIn } from '../compiler/compilerTestSupport';
import { fixturesRoot } from '../support/analysisTest';
import { repositoryRoot } from '../support/lspClient';
import { sarifValidator } from '../support/sarifSchema';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');
const scenarios = path.join(fixturesRoot, 'since');
const heapVerdict = /^(?:moved to heap: .+|.+ escapes to heap|leaking param(?: content)?: .+)$/;

interface SinceFinding {
  file: string;
  range: { start: { line: number; column: number } };
  rule: string;
  message: string;
  status: 'new' | 'gone';
  accepted?: boolean;
}

interface SinceDocument {
  findings: SinceFinding[];
  since: { revision: string; commit: string; new: number; gone: number; unchanged: number };
}

function git(dir: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function copyInto(from: string, to: string): void {
  for (const name of fs.readdirSync(from)) fs.copyFileSync(path.join(from, name), path.join(to, name));
}

/** A fresh directory under the system temp dir, removed when the test ends (passed or failed). */
function scratchDir(t: TestContext, label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `goinsight-since-${label}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A repository whose first commit is the scenario's `before`; `after` is committed on top, or left uncommitted. */
function repositoryFor(t: TestContext, scenario: string, after: 'commit' | 'working tree' | 'none'): string {
  const dir = scratchDir(t, 'test');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  copyInto(path.join(scenarios, scenario, 'before'), dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'before');
  if (after === 'none') return dir;
  for (const name of fs.readdirSync(dir)) if (name !== '.git') fs.rmSync(path.join(dir, name), { recursive: true });
  copyInto(path.join(scenarios, scenario, 'after'), dir);
  if (after === 'commit') {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'after');
  }
  return dir;
}

function goinsight(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, 'escapes', ...args], { cwd: dir, encoding: 'utf8', env });
}

function sinceJson(dir: string, args: string[]): SinceDocument {
  const result = goinsight(dir, [...args, '--format', 'json']);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as SinceDocument;
}

/** analysistest's rule per side: each want met by one finding of that status on its line, and no finding unclaimed. */
function checkAgainstWants(scenario: string, document: SinceDocument): void {
  const problems: string[] = [];
  for (const [side, status] of [['after', 'new'], ['before', 'gone']] as const) {
    const findings = document.findings.filter((finding) => finding.status === status);
    const claimed = new Set<SinceFinding>();
    for (const want of wantsIn(path.join(scenarios, scenario, side))) {
      const match = findings.find(
        (finding) => !claimed.has(finding) && finding.file === path.basename(want.file) && finding.range.start.line === want.line && want.pattern.test(finding.message),
      );
      if (match) claimed.add(match);
      else problems.push(`${side}/${path.basename(want.file)}:${want.line}: no ${status} fact matches ${want.pattern}`);
    }
    for (const finding of findings) if (!claimed.has(finding)) problems.push(`unexpected ${status}: ${finding.file}:${finding.range.start.line} ${finding.message}`);
  }
  assert.deepEqual(problems, []);
}

/** Heap verdicts `go build -gcflags=-m` prints for a directory: an independent count of what --since compares. */
function heapVerdictCount(dir: string, extra: string[] = []): number {
  const build = spawnSync('go', ['build', '-o', os.devNull, '-gcflags=-m', ...extra, '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  return build.stderr.split('\n').filter((line) => heapVerdict.test(/^.+?:\d+:\d+: (.*)$/.exec(line)?.[1] ?? '')).length;
}

test('a commit that adds escapes: exactly the new facts, with their function and reason; --fail-on-new exits 1', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'adds', 'commit');
  const document = sinceJson(dir, ['--since', 'HEAD~1']);
  checkAgainstWants('adds', document);
  assert.equal(document.since.commit, git(dir, 'rev-parse', 'HEAD~1').trim());
  assert.equal(document.since.unchanged, heapVerdictCount(path.join(scenarios, 'adds', 'before')));

  const text = goinsight(dir, ['--since', 'HEAD~1']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^\.: 4 new, 0 gone, 4 unchanged$/m);
  assert.match(text.stdout, /^ {2}new {2}alloc\.go:14:2: moved to heap: total {2}\(in Sum\) — it is stored in the heap \(`sink = &total`\) — line 18$/m);
  // The escaping literal is its function's fact; what it captures by reference is the literal's own.
  assert.match(text.stdout, /^ {2}new {2}alloc\.go:31:9: func literal escapes to heap {2}\(in Counter\)/m);
  assert.match(text.stdout, /^heap facts since HEAD~1 \([0-9a-f]{12}\): 4 new, 0 gone, 4 unchanged$/m);
  // New facts come first in the package's list: the order of the want lines.
  assert.deepEqual(
    [...text.stdout.matchAll(/^ {2}new {2}alloc\.go:(\d+):/gm)].map((match) => Number(match[1])),
    [14, 24, 30, 31],
  );

  assert.equal(goinsight(dir, ['--since', 'HEAD~1', '--fail-on-new']).status, 1);
  assert.equal(goinsight(dir, ['--since', 'HEAD', '--fail-on-new']).status, 0);
  const chinese = goinsight(dir, ['--since', 'HEAD~1', '--lang', 'zh-cn']);
  assert.match(chinese.stdout, /^ {2}新增 {2}alloc\.go:14:2: moved to heap: total（位于 Sum），原因：它被赋值给堆（`sink = &total`） —— 第 18 行$/m);
});

test('a commit that removes escapes: they are gone, nothing is new, --fail-on-new passes', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'removes', 'commit');
  checkAgainstWants('removes', sinceJson(dir, ['--since', 'HEAD~1']));
  const text = goinsight(dir, ['--since', 'HEAD~1', '--fail-on-new']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^ {2}gone {2}cache\.go:9:2: moved to heap: normalized {2}\(in \(\*Cache\)\.Lookup\)$/m);
});

test('code that only moved (lines above, reordered, another file of the package) is unchanged', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'moves', 'commit');
  const document = sinceJson(dir, ['--since', 'HEAD~1']);
  checkAgainstWants('moves', document);
  assert.deepEqual(document.findings, []);
  const count = heapVerdictCount(path.join(scenarios, 'moves', 'before'));
  assert.ok(count >= 8, `only ${count} heap verdicts in the fixture`);
  assert.equal(document.since.unchanged, count);
});

test('variables renamed inside unchanged functions are the same allocations', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'rename', 'commit');
  const document = sinceJson(dir, ['--since', 'HEAD~1']);
  assert.deepEqual(document.findings, []);
  assert.equal(document.since.unchanged, heapVerdictCount(path.join(scenarios, 'rename', 'before')));
});

test('a working tree with uncommitted changes is compared as it is, and the repository is left exactly as it was', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'adds', 'working tree');
  const tempRoot = scratchDir(t, 'tmp');
  const state = () => ({
    // Without optional locks: a plain `git status` refreshes the index and so writes into .git itself.
    status: git(dir, '--no-optional-locks', 'status', '--porcelain=v1', '-uall'),
    branches: git(dir, 'branch', '-a', '-v'),
    worktrees: git(dir, '--no-optional-locks', 'worktree', 'list', '--porcelain'),
    index: crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, '.git', 'index'))).digest('hex'),
    admin: fs.readdirSync(path.join(dir, '.git')).sort(),
    files: fs.readdirSync(dir).sort().map((name) => `${name} ${fs.statSync(path.join(dir, name)).mtimeMs}`),
  });
  // A copy left by a run killed two days ago is swept; one of a run going on now is not.
  const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
  for (const name of ['goinsight-since-Killed', 'goinsight-since-Active']) fs.mkdirSync(path.join(tempRoot, name, 'tree'), { recursive: true });
  fs.utimesSync(path.join(tempRoot, 'goinsight-since-Killed'), twoDaysAgo, twoDaysAgo);
  const before = state();
  const result = goinsight(dir, ['--since', 'HEAD', '--format', 'json'], { ...process.env, TMPDIR: tempRoot });
  assert.equal(result.status, 0, result.stderr);
  checkAgainstWants('adds', JSON.parse(result.stdout) as SinceDocument);
  assert.deepEqual(state(), before);
  assert.deepEqual(fs.readdirSync(tempRoot), ['goinsight-since-Active'], 'the private copy and the compiler runs are removed, and the stale copy swept');
});

test('a revision that does not exist, a revision that looks like a flag, no repository: a clear error, exit 2', { timeout: 60_000 }, (t) => {
  const dir = repositoryFor(t, 'adds', 'none');
  const missing = goinsight(dir, ['--since', 'no-such-branch']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^goinsight: --since: no commit "no-such-branch" in /);
  assert.equal(missing.stdout, '');
  const flag = goinsight(dir, ['--since=--output=x']);
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /^goinsight: --since: "--output=x" is not a git revision/);
  const outside = scratchDir(t, 'norepo');
  copyInto(path.join(scenarios, 'adds', 'before'), outside);
  const noRepository = goinsight(outside, ['--since', 'HEAD'], { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(outside) });
  assert.equal(noRepository.status, 2);
  assert.match(noRepository.stderr, /^goinsight: --since: .+ is not in a git repository/);
  assert.equal(goinsight(dir, ['--fail-on-new']).status, 2);
});

test('a package that does not build at REF is left out, said on stderr, and never counted as new', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'broken-before', 'commit');
  const result = goinsight(dir, ['--since', 'HEAD~1', '--fail-on-new', '--format', 'json']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /^goinsight: warning: \. is left out of the comparison: .*does not compile: .*parse\.go:7:9: cannot use &v .*\(at HEAD~1\)$/m);
  const document = JSON.parse(result.stdout) as SinceDocument;
  assert.deepEqual([document.findings, document.since.unchanged], [[], 0]);
});

test('build tags apply to both versions', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'tags', 'commit');
  // Without the tag the file is not built: its new escape is not there to see.
  assert.deepEqual(sinceJson(dir, ['--since', 'HEAD~1']).findings, []);
  const tagged = sinceJson(dir, ['--since', 'HEAD~1', '--tags', 'special']);
  checkAgainstWants('tags', tagged);
  assert.equal(tagged.since.unchanged, heapVerdictCount(path.join(scenarios, 'tags', 'before'), ['-tags=special']));
});

test('//goinsight:ignore escape/moved-to-heap accepts a new allocation for --fail-on-new', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'ignore', 'commit');
  const document = sinceJson(dir, ['--since', 'HEAD~1']);
  checkAgainstWants('ignore', document);
  assert.equal(document.findings[0].accepted, true);
  assert.equal(goinsight(dir, ['--since', 'HEAD~1', '--fail-on-new']).status, 0);
  const file = path.join(dir, 'pool.go');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^\s*\/\/goinsight:ignore.*\n/m, ''));
  const unaccepted = goinsight(dir, ['--since', 'HEAD~1', '--fail-on-new']);
  assert.equal(unaccepted.status, 1, unaccepted.stderr);
  assert.match(unaccepted.stdout, /^ {2}new {2}pool\.go:6:2: moved to heap: item/m);
});

test('--format sarif lists the new facts only, and validates', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'adds', 'commit');
  const result = goinsight(dir, ['--since', 'HEAD~1', '--format', 'sarif']);
  assert.equal(result.status, 0, result.stderr);
  const log = JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
  const validate = sarifValidator();
  assert.equal(validate(log), true, JSON.stringify(validate.errors?.slice(0, 3)));
  assert.deepEqual(
    log.runs[0].results.map((entry) => `${entry.ruleId} ${entry.locations[0].physicalLocation.artifactLocation.uri}:${entry.locations[0].physicalLocation.region.startLine}`),
    ['escape/moved-to-heap alloc.go:14', 'escape/escapes-to-heap alloc.go:24', 'escape/moved-to-heap alloc.go:30', 'escape/func-literal-escapes alloc.go:31'],
  );
});

test('A... compares with the merge base of A and HEAD, A with A itself', { timeout: 120_000 }, (t) => {
  const dir = repositoryFor(t, 'adds', 'none');
  git(dir, 'checkout', '-q', '-b', 'feature');
  copyInto(path.join(scenarios, 'adds', 'after'), dir);
  git(dir, 'commit', '-q', '-am', 'feature work');
  git(dir, 'checkout', '-q', 'main');
  fs.mkdirSync(path.join(dir, 'extra'));
  fs.writeFileSync(path.join(dir, 'extra', 'extra.go'), 'package extra\n\nfunc Box(n int) *int {\n\tb := n\n\treturn &b\n}\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'main moves on');
  git(dir, 'checkout', '-q', 'feature');
  checkAgainstWants('adds', sinceJson(dir, ['--since', 'main...']));
  const direct = sinceJson(dir, ['--since', 'main']);
  assert.deepEqual(
    direct.findings.filter((finding) => finding.status === 'gone').map((finding) => `${finding.file}:${finding.range.start.line} ${finding.message}`),
    ['extra/extra.go:4 moved to heap: b'],
  );
});

test('interrupted: the compiler is stopped and the private copy removed', { timeout: 60_000, skip: process.platform === 'win32' }, async (t) => {
  const dir = repositoryFor(t, 'adds', 'commit');
  const tempRoot = scratchDir(t, 'tmp');
  const goDir = scratchDir(t, 'go');
  const marker = path.join(goDir, 'started');
  const slowGo = path.join(goDir, 'go');
  // A go command that never finishes: it says it started, then waits.
  fs.writeFileSync(slowGo, `#!/bin/sh\necho $$ >> '${marker}'\nexec sleep 60\n`, { mode: 0o755 });
  const child = spawn(process.execPath, [cli, 'escapes', '--since', 'HEAD~1', '--go', slowGo], { cwd: dir, env: { ...process.env, TMPDIR: tempRoot }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  while (!fs.existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(fs.readdirSync(tempRoot).some((name) => name.startsWith('goinsight-since-')), 'the copy exists while the compiler runs');
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.deepEqual(fs.readdirSync(tempRoot), []);
  for (const pid of fs.readFileSync(marker, 'utf8').trim().split('\n').map(Number)) {
    assert.throws(() => process.kill(pid, 0), /ESRCH/, `the stand-in go (pid ${pid}) is still running`);
  }
});
