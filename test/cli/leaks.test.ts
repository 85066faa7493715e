// `goinsight leaks` against the real toolchain (go1.26+, with the
// goroutineleakprofile experiment) on the fixture module test/fixtures/leaks:
// every `// want` line gets exactly the findings it names and no other line
// gets one; the package with its own TestMain, the external test package, the
// deadlocking test, the leak that shows only with --count, the fallback without
// the leak profile, and nothing written into the fixture tree.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fixturesRoot, parseWants } from '../support/analysisTest';
import { repositoryRoot } from '../support/lspClient';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');
const fixtureModule = path.join(fixturesRoot, 'leaks');

interface JsonFinding {
  file: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  rule: string;
  severity: string;
  message: string;
  source: string;
  related: { file: string; line: number; column: number; message: string }[];
}

function leaksWithEnvironment(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, 'leaks', '--format', 'json', '--timeout', '4s', ...args], { cwd: fixtureModule, encoding: 'utf8', timeout: 600_000, env });
  const findings = result.status === 2 ? [] : (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
  return { status: result.status, stderr: result.stderr, findings };
}

const leaks = (...args: string[]) => leaksWithEnvironment(process.env, ...args);

/** Each want of the package's files matched by one finding on its line, and no finding elsewhere. */
function assertWants(findings: readonly JsonFinding[], packages: readonly string[]): void {
  const remaining = [...findings];
  for (const packageName of packages) {
    for (const name of fs.readdirSync(path.join(fixtureModule, packageName)).filter((file) => file.endsWith('.go'))) {
      const relative = `${packageName}/${name}`;
      for (const want of parseWants(fs.readFileSync(path.join(fixtureModule, relative), 'utf8'))) {
        const index = remaining.findIndex((finding) => finding.file === relative && finding.range.start.line === want.line + 1 && want.pattern.test(finding.message));
        assert.ok(index >= 0, `no finding matching ${want.pattern} at ${relative}:${want.line + 1}; got ${JSON.stringify(findings.map((finding) => `${finding.file}:${finding.range.start.line} ${finding.message}`))}`);
        remaining.splice(index, 1);
      }
    }
  }
  assert.deepEqual(remaining.map((finding) => `${finding.file}:${finding.range.start.line}: ${finding.message}`), [], 'findings without a want');
}

/** Every file under the fixture fixtureModule with its size and modification time. */
function treeState(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(full);
    return `${path.relative(dir, full)} ${stat.size} ${stat.mtimeMs}`;
  }).sort();
}

const deterministic = ['leaking', 'deadlock', 'deadlockmain', 'ownmain', 'external', 'clean'];

test('leaks: each blocked-forever goroutine at its operation, with its creation site and test; the correct package gets nothing', () => {
  const before = treeState(fixtureModule);
  const { status, stderr, findings } = leaks(...deterministic.map((name) => `./${name}`));
  assert.equal(status, 1, stderr);
  assertWants(findings, deterministic);
  assert.deepEqual(treeState(fixtureModule), before, 'the run wrote into the fixture tree');

  for (const finding of findings) assert.equal(finding.source, 'runtime');
  const send = findings.find((finding) => finding.file === 'leaking/work.go' && finding.range.start.line === 11);
  assert.ok(send);
  assert.equal(send.rule, 'goroutine/leaked');
  assert.equal(send.message, 'goroutine leaked in TestFirst: blocked forever sending on `results` (2 goroutines)');
  // `results <- value * 2` starts at byte column 4 (three tabs).
  assert.deepEqual(send.range, { start: { line: 11, column: 4 }, end: { line: 11, column: 24 } });
  assert.deepEqual(send.related.map((related) => [related.file, related.line, related.message]), [
    ['leaking/work.go', 10, 'goroutine started here'],
    ['leaking/work_test.go', 5, 'while running TestFirst'],
  ]);

  const hung = findings.find((finding) => finding.file === 'deadlock/queue.go');
  // TestNotify finished before TestDrain hung: its goroutine is a leak, not part of the deadlock.
  assert.deepEqual(findings.filter((finding) => finding.file === 'deadlock/events.go').map((finding) => [finding.rule, finding.severity]), [['goroutine/leaked', 'warning']]);
  assert.ok(hung);
  assert.equal(hung.rule, 'goroutine/deadlocked');
  assert.equal(hung.severity, 'error');
  assert.match(stderr, /example\.com\/leaks\/deadlock: tests hung in TestDrain/);
  // The testing package's goroutine waiting in t.Run is context, not a finding: in the test files only the hung
  // tests' own findings, at their func lines, and where the package has its own TestMain, not its m.Run() line
  // either (assertWants above).
  assert.deepEqual(findings.filter((finding) => finding.file.endsWith('_test.go')).map((finding) => [finding.file, finding.rule, finding.severity, finding.range.start.line, finding.range.start.column]), [
    ['deadlock/queue_test.go', 'goroutine/test-failed', 'error', 5, 1],
    ['deadlockmain/counter_test.go', 'goroutine/test-failed', 'error', 12, 1],
  ]);
  assert.match(stderr, /example\.com\/leaks\/deadlockmain: tests hung in TestAdd/);

  // Its own TestMain still ran (the test checks it), and the test failed nothing.
  assert.doesNotMatch(stderr, /TestRefresh failed/);
  assert.ok(findings.some((finding) => finding.file === 'ownmain/cache.go' && finding.related.some((related) => related.file === 'ownmain/main_test.go')));
});

test('leaks: a correct package alone exits 0 with no finding; a run directory left by a killed run is swept', (t) => {
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-leaks-tmp-'));
  t.after(() => fs.rmSync(tempRoot, { recursive: true, force: true }));
  const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
  for (const name of ['goinsight-gc-Killed', 'goinsight-gc-Active']) fs.mkdirSync(path.join(tempRoot, name));
  fs.utimesSync(path.join(tempRoot, 'goinsight-gc-Killed'), twoDaysAgo, twoDaysAgo);
  const { status, stderr, findings } = leaksWithEnvironment({ ...process.env, TMPDIR: tempRoot }, './clean');
  assert.equal(status, 0, stderr);
  assert.deepEqual(findings, []);
  assert.deepEqual(fs.readdirSync(tempRoot), ['goinsight-gc-Active']);
});

test('leaks: a failed test is a finding at its func line with its first failure line; a passing test gets none', () => {
  const { status, stderr, findings } = leaks('./failing');
  assert.equal(status, 1, stderr);
  assertWants(findings, ['failing']);
  const tabbed = findings.find((finding) => finding.message.startsWith('TestWordsTabbed'));
  assert.ok(tabbed);
  assert.deepEqual([tabbed.rule, tabbed.severity, tabbed.source], ['goroutine/test-failed', 'error', 'runtime']);
  // `func TestWordsTabbed` on line 11; the t.Fatalf call it reported from on line 13.
  assert.deepEqual(tabbed.range, { start: { line: 11, column: 1 }, end: { line: 11, column: 21 } });
  assert.deepEqual(tabbed.related.map((related) => [related.file, related.line, related.column, related.message]), [['failing/words_test.go', 13, 3, 'reported here']]);
  const text = spawnSync(process.execPath, [cli, 'leaks', '--lang', 'zh-cn', './failing'], { cwd: fixtureModule, encoding: 'utf8' });
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stdout, /^failing\/words_test\.go:11:1: error: TestWordsTabbed 失败：words_test\.go:13: Words\("a\\tb"\) = 1, want 2 \[goroutine\/test-failed\]$/m);
  assert.match(text.stderr, /goinsight: 0 leak findings in 1 package/);
});

test('leaks: a hung test is an error at its func line in text and SARIF too, with the time limit that stopped it', () => {
  const text = spawnSync(process.execPath, [cli, 'leaks', '--timeout', '3s', '--run', 'TestDrain', './deadlock'], { cwd: fixtureModule, encoding: 'utf8' });
  assert.equal(text.status, 1, text.stderr);
  assert.deepEqual(text.stdout.split('\n').filter((line) => line.includes('[goroutine/')).sort(), [
    'deadlock/queue.go:7:6: error: TestDrain never finished: this goroutine is blocked forever receiving from “values” [goroutine/deadlocked]',
    'deadlock/queue_test.go:5:1: error: TestDrain did not finish within 3 s: the run was stopped [goroutine/test-failed]',
  ]);
  const zh = spawnSync(process.execPath, [cli, 'leaks', '--lang', 'zh-cn', '--timeout', '3s', '--run', 'TestDrain', './deadlock'], { cwd: fixtureModule, encoding: 'utf8' });
  assert.match(zh.stdout, /^deadlock\/queue_test\.go:5:1: error: TestDrain 在 3 秒内没有结束，运行已被终止 \[goroutine\/test-failed\]$/m);
  const sarif = spawnSync(process.execPath, [cli, 'leaks', '--format', 'sarif', '--timeout', '3s', '--run', 'TestDrain', './deadlock'], { cwd: fixtureModule, encoding: 'utf8' });
  const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
  assert.deepEqual(
    log.runs[0].results.map((result) => [result.ruleId, result.level, result.locations[0].physicalLocation.artifactLocation.uri, result.locations[0].physicalLocation.region.startLine]).sort(),
    [
      ['goroutine/deadlocked', 'error', 'deadlock/queue.go', 7],
      ['goroutine/test-failed', 'error', 'deadlock/queue_test.go', 5],
    ],
  );
  assert.ok(log.runs[0].results.some((result) => result.message.text === 'TestDrain did not finish within 3 s: the run was stopped'));
});

test('leaks --run: only the selected tests run, also in a package with its own TestMain', () => {
  const selected = leaks('--run', '^TestTotal$', './leaking');
  assert.equal(selected.status, 1, selected.stderr);
  assert.deepEqual(selected.findings.map((finding) => [finding.range.start.line, finding.message]), [
    [27, 'goroutine leaked in TestTotal: blocked forever waiting on `group`, whose counter never reaches zero'],
  ]);
  const ownMain = leaks('--run', 'TestRefresh', './ownmain');
  assert.equal(ownMain.status, 1, ownMain.stderr);
  assertWants(ownMain.findings, ['ownmain']);
});

test('leaks --count: a leak that happens one call in twenty is caught with many iterations', () => {
  const { status, stderr, findings } = leaks('--count', '200', './flaky');
  assert.equal(status, 1, stderr);
  // The same stack from different iterations is one finding.
  assert.equal(findings.length, 1);
  assertWants(findings, ['flaky']);
});

test('leaks --repeat merges the runs (the same goroutine once), and --race runs under the race detector', () => {
  const repeated = leaks('--repeat', '2', './leaking');
  assert.equal(repeated.status, 1, repeated.stderr);
  assertWants(repeated.findings, ['leaking']);
  const race = leaks('--race', './external');
  assert.equal(race.status, 1, race.stderr);
  assertWants(race.findings, ['external']);
});

test('leaks --no-leak-profile: the goroutine dump fallback reports still-blocked goroutines with lower confidence', () => {
  const { status, stderr, findings } = leaks('--no-leak-profile', './leaking', './clean');
  assert.equal(status, 1, stderr);
  assert.match(stderr, /no goroutine leak profile/);
  assert.deepEqual(findings.map((finding) => [finding.file, finding.range.start.line, finding.severity]), [
    ['leaking/work.go', 11, 'info'],
    ['leaking/work.go', 27, 'info'],
  ]);
  assert.match(findings[0].message, /^goroutine still blocked at the end of the tests in TestFirst: sending on `results` \(2 goroutines\)/);
});

test('leaks: text and sarif renderings, and usage errors exit 2', () => {
  const text = spawnSync(process.execPath, [cli, 'leaks', '--lang', 'zh-cn', './external'], { cwd: fixtureModule, encoding: 'utf8' });
  assert.equal(text.status, 1, text.stderr);
  assert.equal(text.stdout.split('\n')[0], 'external/pool.go:8:10: warning: goroutine 泄漏（在 TestSpawn 中）：永久阻塞，从“jobs”接收 [goroutine/leaked]');
  const sarif = spawnSync(process.execPath, [cli, 'leaks', '--format', 'sarif', './external'], { cwd: fixtureModule, encoding: 'utf8' });
  const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string; properties?: { source?: string } }[]; tool: { driver: { rules: { id: string }[] } } }[] };
  assert.deepEqual(log.runs[0].results.map((result) => [result.ruleId, result.level, result.properties?.source]), [['goroutine/leaked', 'warning', 'runtime']]);
  assert.ok(log.runs[0].tool.driver.rules.some((rule) => rule.id === 'goroutine/leaked'));

  for (const args of [['--count', '0'], ['--timeout', 'soon'], ['/nonexistent-dir']]) {
    const usage = spawnSync(process.execPath, [cli, 'leaks', ...args], { cwd: fixtureModule, encoding: 'utf8' });
    assert.equal(usage.status, 2, `${args.join(' ')}: ${usage.stderr}`);
    assert.match(usage.stderr, /^goinsight: /);
  }
});

test('leaks: Ctrl-C stops a hanging run at once (go test is in its own process group) and exits 2', async () => {
  const child = spawn(process.execPath, [cli, 'leaks', '--timeout', '120s', './deadlock'], { cwd: fixtureModule, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const started = Date.now();
  setTimeout(() => child.kill('SIGINT'), 4000);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 2, stderr);
  assert.match(stderr, /interrupted; the tests were stopped/);
  assert.ok(Date.now() - started < 60_000, 'the run went on after Ctrl-C');
});
