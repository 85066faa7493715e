// `goinsight check` on worker threads: the output (stdout, stderr, exit
// status) must be the same, byte for byte and in the same order, whatever
// --jobs is; --jobs takes a number of threads; a worker that dies ends the
// run with a clear message instead of hanging it; a rule that throws inside
// a worker is reported as on the main thread.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { FileCheck, FileOutcome } from '../../server/src/cli/checkFile';
import { checkFiles } from '../../server/src/cli/checkFiles';
import { allRules } from '../../server/src/rules/allRules';
import type { Rule } from '../../server/src/rules/rule';
import { repositoryRoot } from '../support/lspClient';
import { throwingRule, throwingRuleId, throwingRuleMessage } from './throwingRule';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');
const fixtures = path.join(repositoryRoot, 'test', 'fixtures');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI; the only thing allowed to differ between runs, the elapsed time, is blanked. */
function goinsight(args: string[], cwd = repositoryRoot, nodeFlags: string[] = [], timeout = 300_000): Run {
  const result = spawnSync(process.execPath, [...nodeFlags, cli, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C' },
    timeout,
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    status: result.status,
    stdout: result.stdout.replace(/"ms": \d+/g, '"ms": 0'),
    stderr: result.stderr.replace(/\(\d+ ms\)/g, '(0 ms)'),
  };
}

/** Checks `paths` with --jobs 1 and with each of `jobs`, and asserts every run printed the same; returns the --jobs 1 runs. */
function assertSameAcrossJobs(paths: string[], jobs: string[][], cwd = repositoryRoot): Record<string, Run> {
  const single: Record<string, Run> = {};
  for (const format of ['text', 'json', 'sarif']) {
    const args = ['check', ...paths, '--no-compiler', '--format', format, '--fail-on', 'warning'];
    const reference = goinsight([...args, '--jobs', '1'], cwd);
    assert.notEqual(reference.status, null, `${paths.join(' ')} ${format}: timed out`);
    for (const extra of jobs) {
      const parallel = goinsight([...args, ...extra], cwd);
      const label = `${paths.join(' ')} --format ${format} ${extra.join(' ') || '(default jobs)'}`;
      assert.equal(parallel.status, reference.status, `${label}: exit status`);
      assert.equal(parallel.stderr, reference.stderr, `${label}: stderr`);
      assert.equal(parallel.stdout, reference.stdout, `${label}: stdout`);
    }
    single[format] = reference;
  }
  return single;
}

function findingCount(run: Run): number {
  return (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length;
}

test('the fixture trees: the same text, JSON, SARIF and exit status with --jobs 1, the default and --jobs 3', () => {
  const trees = fs.readdirSync(fixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const statuses = new Set<number | null>();
  let findings = 0;
  for (const tree of trees) {
    const runs = assertSameAcrossJobs([`test/fixtures/${tree}/...`], [[], ['--jobs', '3']]);
    statuses.add(runs.json.status);
    if (runs.json.status !== 2) findings += findingCount(runs.json);
  }
  // The comparison means something only if the runs found things and took every exit path.
  assert.ok(findings > 100, `only ${findings} findings`);
  assert.deepEqual([...statuses].sort(), [0, 1, 2]);
  // The whole tree stops at the broken project file (exit 2) the same way too.
  assertSameAcrossJobs(['test/fixtures/...'], [['--jobs', '2']]);
});

test('GOROOT packages: the same output with --jobs 1, the default and --jobs 4', (context) => {
  const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim();
  if (!goroot || !['net/http', 'sync'].every((name) => fs.existsSync(path.join(goroot, 'src', name)))) {
    context.skip('no GOROOT with net/http and sync');
    return;
  }
  const runs = assertSameAcrossJobs(['net/http', 'sync/...'], [[], ['--jobs', '4']], path.join(goroot, 'src'));
  assert.ok(findingCount(runs.json) > 0);
});

test('messages about skipped files come out in file order, whichever thread read them', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-jobs-'));
  try {
    const fine = (name: string) => `package p\n\nfunc ${name}() {\n\tdefer println()\n}\n`;
    const files: Record<string, string | Buffer> = {
      'a.go': fine('a'),
      'b.go': Buffer.from([0x70, 0x00, 0x61]),
      'c.go': `package p\n\nfunc c() {\n${'{'.repeat(150)}\n${'}'.repeat(150)}\n}\n`,
      'd.go': fine('d'),
      'e.go': Buffer.alloc(11 * 1024 * 1024, 0x20),
      'f.go': fine('f'),
      'g.go': Buffer.from([0x00]),
      'h.go': fine('h'),
    };
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(scratch, name), content);
    assertSameAcrossJobs(['.'], [['--jobs', '3'], ['--jobs', '8']], scratch);
    const run = goinsight(['check', '.', '--no-compiler', '--jobs', '3'], scratch);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stderr.split('\n'), [
      'goinsight: skipped b.go: binary file (contains NUL bytes)',
      'goinsight: rules skipped c.go: brackets nest more than 100 deep',
      'goinsight: skipped e.go: larger than 10 MiB',
      'goinsight: skipped g.go: binary file (contains NUL bytes)',
      'goinsight: 4 findings in 8 files (0 ms)',
      '',
    ]);
    assert.deepEqual(
      run.stdout.split('\n').map((line) => line.split(':')[0]),
      ['a.go', 'd.go', 'f.go', 'h.go', ''],
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('--jobs takes a whole number of threads, 1 or more; anything else is a one-line usage error', () => {
  for (const value of [['--jobs', '0'], ['--jobs', 'x'], ['--jobs=-1'], ['--jobs', '1.5'], ['--jobs', '']]) {
    const run = goinsight(['check', 'test/fixtures/cli/tree', ...value]);
    assert.equal(run.status, 2, value.join(' '));
    assert.match(run.stderr, /^goinsight: --jobs: ".*" is not a number of threads \(1 or more\)\n$/, value.join(' '));
    assert.equal(run.stdout, '');
  }
  const missing = goinsight(['check', 'test/fixtures/cli/tree', '--jobs']);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'goinsight: --jobs needs a number of threads (1 or more)\n');
  assert.match(goinsight(['--help']).stdout, /--jobs N/);
});

test('a worker thread that dies ends the run with exit status 2 and names the file, instead of hanging', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-jobs-crash-'));
  const preload = path.join(__dirname, 'dyingWorkerPreload.js');
  try {
    for (const name of ['a.go', 'b.go', 'c.go', 'd.go', 'e.go', 'f.go']) fs.writeFileSync(path.join(scratch, name), `package p\n\nfunc ${name[0]}() {}\n`);
    fs.writeFileSync(path.join(scratch, 'crash.go'), 'package p\n');
    // A hang shows as a null status when the time limit kills the CLI.
    const crashed = goinsight(['check', '.', '--no-compiler', '--jobs', '2'], scratch, ['--require', preload], 60_000);
    assert.equal(crashed.status, 2, crashed.stderr);
    assert.equal(crashed.stderr, `goinsight: internal error: a worker thread stopped while checking ${path.join(fs.realpathSync(scratch), 'crash.go')} (exit code 7)\n`);
    assert.equal(crashed.stdout, '');

    fs.renameSync(path.join(scratch, 'crash.go'), path.join(scratch, 'throw.go'));
    const threw = goinsight(['check', '.', '--no-compiler', '--format', 'json', '--jobs', '3'], scratch, ['--require', preload], 60_000);
    assert.equal(threw.status, 2, threw.stderr);
    assert.match(threw.stderr, /^goinsight: internal error: a worker thread stopped while checking .*throw\.go: the worker blew up\n$/);

    // The preload only acts inside worker threads: on one thread the same files are checked normally.
    const single = goinsight(['check', '.', '--no-compiler', '--jobs', '1'], scratch, ['--require', preload]);
    assert.equal(single.status, 0, single.stderr);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('a rule that throws inside a worker is reported as on the main thread, and the other rules still report', async () => {
  const directory = path.join(fixtures, 'cli', 'tree');
  const requests: FileCheck[] = [path.join(directory, 'file.go'), path.join(directory, 'sub', 'file.go')].map((file) => ({ file, facts: [] }));
  const settings = { locale: 'en' as const, includeGenerated: false };
  const collect = async (outcomes: AsyncIterable<FileOutcome>) => {
    const all: FileOutcome[] = [];
    for await (const outcome of outcomes) all.push(outcome);
    return all;
  };

  const inWorkers = await collect(checkFiles(requests, settings, { count: 2, script: path.join(__dirname, 'throwingRuleWorker.js') }));
  const rules = allRules as Rule[];
  rules.push(throwingRule);
  let onThisThread: FileOutcome[];
  try {
    onThisThread = await collect(checkFiles(requests, settings, { count: 1 }));
  } finally {
    rules.splice(rules.indexOf(throwingRule), 1);
  }
  assert.deepEqual(inWorkers, onThisThread);
  for (const outcome of inWorkers) {
    assert.equal(outcome.kind, 'analyzed');
    if (outcome.kind !== 'analyzed') continue;
    assert.ok(outcome.failures.length > 0);
    assert.ok(outcome.failures.every((failure) => failure.rule === throwingRuleId && failure.message === throwingRuleMessage));
    assert.deepEqual(outcome.findings.map((finding) => finding.rule), ['defer/order']);
  }
});
