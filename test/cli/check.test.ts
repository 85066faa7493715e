// Runs the bundled CLI (dist/cli.js) as a user or CI would, and checks its
// JSON, its text output and its exit statuses.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/lspClient';

const cli = path.join(repositoryRoot, 'dist', 'cli.js');

/** Runs the CLI; `check` gets --no-compiler (these tests are about the syntactic engine and the contract). */
function goinsight(args: string[], cwd = repositoryRoot) {
  const withFlags = args[0] === 'check' ? [...args, '--no-compiler'] : args;
  const result = spawnSync(process.execPath, [cli, ...withFlags], { cwd, encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonFinding {
  file: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  rule: string;
  category: string;
  severity: string;
  message: string;
  source: string;
  related: unknown[];
  fixes: unknown[];
}

test('check --format json prints the DESIGN.md object with 1-based lines and UTF-8 byte columns', () => {
  const result = goinsight(['check', 'test/fixtures/cli/nonascii/...', '--format', 'json']);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout) as { version: number; findings: JsonFinding[]; stats: { files: number; lines: number; ms: number } };
  assert.equal(output.version, 1);
  assert.deepEqual(output.findings, [
    {
      file: path.join('test', 'fixtures', 'cli', 'nonascii', 'nonascii.go'),
      // "\t/* héllo, 世界 */ " is 1 + 21 bytes in UTF-8 (é is 2 bytes, 世 and 界 3 each): defer starts at byte column 23.
      range: { start: { line: 6, column: 23 }, end: { line: 6, column: 28 } },
      rule: 'defer/order',
      category: 'defer',
      severity: 'hint',
      message: 'the only deferred call of greet: runs when it returns',
      source: 'goinsight',
      related: [],
      fixes: [],
    },
  ]);
  assert.equal(output.stats.files, 1);
  assert.equal(output.stats.lines, 8);
  assert.equal(typeof output.stats.ms, 'number');
});

test('PATH forms: DIR/... skips testdata, vendor and hidden directories; DIR is one package; FILE is one file', () => {
  const files = (args: string[], cwd?: string) => {
    const result = goinsight(['check', ...args, '--format', 'json'], cwd);
    assert.equal(result.status, 0, result.stderr);
    return (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings.map((finding) => finding.file);
  };
  assert.deepEqual(files(['test/fixtures/cli/tree/...']), [
    path.join('test', 'fixtures', 'cli', 'tree', 'file.go'),
    path.join('test', 'fixtures', 'cli', 'tree', 'sub', 'file.go'),
  ]);
  assert.deepEqual(files(['test/fixtures/cli/tree']), [path.join('test', 'fixtures', 'cli', 'tree', 'file.go')]);
  assert.deepEqual(files(['sub/file.go'], path.join(repositoryRoot, 'test/fixtures/cli/tree')), [path.join('sub', 'file.go')]);
  // The default PATH is ./... in the current directory.
  assert.deepEqual(files([], path.join(repositoryRoot, 'test/fixtures/cli/tree')), ['file.go', path.join('sub', 'file.go')]);
});

test('text format: one go-vet-style line per finding and a summary on stderr', () => {
  const result = goinsight(['check', 'test/fixtures/cli/nonascii']);
  assert.equal(result.status, 0);
  assert.equal(
    result.stdout,
    `${path.join('test', 'fixtures', 'cli', 'nonascii', 'nonascii.go')}:6:23: hint: the only deferred call of greet: runs when it returns [defer/order]\n`,
  );
  assert.match(result.stderr, /^goinsight: 1 finding in 1 file \(\d+ ms\)\n$/);
  const chinese = goinsight(['check', '--lang', 'zh-cn', 'test/fixtures/cli/nonascii']);
  assert.match(chinese.stdout, /greet 中唯一的延迟调用/);
  assert.match(chinese.stderr, /^goinsight: 1 个文件中共有 1 条检查结果（\d+ 毫秒）\n$/);
});

test('usage and setup errors exit 2 with one line on stderr and no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [['check', 'no/such/dir'], /^goinsight: no\/such\/dir: no such file or directory\n$/],
    [['check', 'package.json'], /^goinsight: package\.json: not a Go file/],
    [['check', '--format', 'xml'], /^goinsight: --format: "xml" is not one of text, json, sarif\n$/],
    [['check', '--frobnicate'], /^goinsight: unknown flag --frobnicate\n$/],
    [['check', '--rules', 'no/such-rule', 'test/fixtures/cli/tree'], /^goinsight: --rules: unknown rule no\/such-rule\n$/],
    [['check', '--go', '-x'], /^goinsight: --go needs the path of a go binary\n$/],
    [['frobnicate'], /^goinsight: unknown command "frobnicate"/],
  ];
  for (const [args, expected] of cases) {
    const result = goinsight(args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, expected);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
});

test('an empty directory and a binary .go file get clear messages', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-cli-'));
  try {
    const empty = path.join(scratch, 'empty');
    fs.mkdirSync(empty);
    const emptyResult = goinsight(['check', `${empty}/...`, '--format', 'json']);
    assert.equal(emptyResult.status, 0);
    assert.match(emptyResult.stderr, /warning: .*empty\/\.\.\.: no Go files/);
    assert.deepEqual((JSON.parse(emptyResult.stdout) as { findings: unknown[] }).findings, []);

    const binary = path.join(scratch, 'blob.go');
    fs.writeFileSync(binary, Buffer.from([0x70, 0x61, 0x00, 0xff, 0x00]));
    const binaryResult = goinsight(['check', binary]);
    assert.equal(binaryResult.status, 0);
    assert.match(binaryResult.stderr, /skipped .*blob\.go: binary file/);

  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('an unreadable file gets a clear message', { skip: process.getuid?.() === 0 ? 'running as root: every file is readable' : false }, (t) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-cli-locked-'));
  t.after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const locked = path.join(scratch, 'locked.go');
  fs.writeFileSync(locked, 'package p\n');
  fs.chmodSync(locked, 0o000);
  const lockedResult = goinsight(['check', locked]);
  assert.match(lockedResult.stderr, /skipped .*locked\.go: cannot read \(EACCES\)/);
});

test('help and version', () => {
  const help = goinsight(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /goinsight check \[PATH\.\.\.\]/);
  const version = goinsight(['--version']);
  assert.equal(version.stdout.trim(), `goinsight ${(JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as { version: string }).version}`);
});

test('.goinsight.json at the module root: severities and excluded paths apply; a broken one exits 2', () => {
  const result = goinsight(['check', 'test/fixtures/projectconfig/...', '--format', 'json']);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout) as { findings: JsonFinding[]; stats: { files: number } };
  assert.deepEqual(
    output.findings.map((finding) => [finding.file, finding.severity]),
    [[path.join('test', 'fixtures', 'projectconfig', 'app', 'app.go'), 'info']],
  );
  assert.equal(output.stats.files, 1);
  // info findings now count for --fail-on info.
  assert.equal(goinsight(['check', 'test/fixtures/projectconfig/...', '--fail-on', 'info']).status, 1);

  const broken = goinsight(['check', 'test/fixtures/projectconfig-broken/...']);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /^goinsight: .*projectconfig-broken\/\.goinsight\.json: rule “defer\/order”: expected one of “off”, “error”, “warning”, “info”, “hint”\n$/);
});

test('generated files are skipped unless --include-generated is given', () => {
  const count = (args: string[]) =>
    (JSON.parse(goinsight(['check', 'test/fixtures/cli/generated', '--format', 'json', ...args]).stdout) as { findings: unknown[] }).findings.length;
  assert.equal(count([]), 0);
  assert.equal(count(['--include-generated']), 1);
});

test('a progress line appears on a terminal only', (context) => {
  // `script` (util-linux) gives the CLI a pseudo-terminal; without it the case cannot be set up here.
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    context.skip('script(1) is not installed');
    return;
  }
  const command = `${process.execPath} ${cli} check test/fixtures/cli/tree/... --no-compiler`;
  const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: repositoryRoot, encoding: 'utf8' });
  assert.equal(onTerminal.status, 0, onTerminal.stdout);
  assert.match(onTerminal.stdout, /\rgoinsight: 1\/2 test\/fixtures\/cli\/tree\/file\.go/);
  assert.match(onTerminal.stdout, /\rgoinsight: 2\/2 test\/fixtures\/cli\/tree\/sub\/file\.go/);
  const piped = goinsight(['check', 'test/fixtures/cli/tree/...']);
  assert.doesNotMatch(piped.stderr, /\r/);
});

test('a file nested too deeply for the rules is named on stderr, and the rest is still checked', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-cli-deep-'));
  try {
    fs.writeFileSync(path.join(scratch, 'deep.go'), `package deep\n\nfunc f() {\n${'{'.repeat(300)}\ndefer g()\n${'}'.repeat(300)}\n}\n`);
    fs.writeFileSync(path.join(scratch, 'fine.go'), 'package deep\n\nfunc g() {\n\tdefer println()\n}\n');
    const result = goinsight(['check', scratch, '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /rules skipped .*deep\.go: brackets nest more than 100 deep/);
    const findings = (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual(findings.map((finding) => path.basename(finding.file)), ['fine.go']);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
