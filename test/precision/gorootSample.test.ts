// A guard against false warnings creeping back: every rule runs over a fixed
// sample of the standard library (go1.26.8) — the packages where false
// positives were found and fixed before (test/precision/*.md) and some of the
// most concurrent code there is (net/http, database/sql, sync, context) — and
// every warning or error must be one a person has read and judged below.
//
// The list is not a recording: each entry says why the finding is right, and
// a finding that appears fails the test until someone either narrows the rule
// (a false positive) or adds it here with a verdict (a true one). A listed
// finding that disappears fails too, so the list stays what the rules say.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/lspClient';

const reviewedRelease = 'go1.26.8';

/** Directories under GOROOT/src; `/...` includes subdirectories (as on the command line). */
const sample = [
  './sync/...', './context/...', './os/exec/...', './net/http/...', './database/sql/...', './net/rpc/...', './runtime/pprof/...',
  './log/slog/...', './testing/...', './bufio/...', './io/...', './time/...', './crypto/tls', './net', './os', './os/signal',
  './internal/profile', './cmd/cover', './archive/zip', './compress/flate',
];

interface ReviewedFinding {
  file: string;
  rule: string;
  /** The reported line's code, trimmed: what the finding is about, steadier than a line number. */
  code: string;
  verdict: 'real' | 'deliberate';
  why: string;
}

/** Every warning and error over the sample, each read in its source (verdicts also in test/precision/defer-goroot.md and file-rules-issue14.md). */
const reviewed: ReviewedFinding[] = [
  {
    file: 'testing/testing.go', rule: 'sync/lock-without-unlock', code: 'return "", err', verdict: 'real',
    why: 'makeTempDir returns on an os.Stat error other than not-exist with c.tempDirMu still locked; the next TempDir call blocks forever',
  },
  {
    file: 'net/http/transport.go', rule: 'defer/in-loop', code: 'defer timer.Stop() // prevent leaks', verdict: 'deliberate',
    why: 'the write-done case runs once per round trip, which the loop does not show; the warning states exactly what happens',
  },
  {
    file: 'net/dial.go', rule: 'defer/in-loop', code: 'defer fallbackCancel()', verdict: 'deliberate',
    why: 'the fallback timer fires once, so the case runs at most once; the loop does not show it',
  },
  {
    file: 'net/dial.go', rule: 'defer/in-loop', code: 'defer cancel()', verdict: 'real',
    why: "dialSerial keeps each address's timeout context until it returns (minor)",
  },
  {
    file: 'net/ipsock_posix.go', rule: 'defer/in-loop', code: 'defer poll.CloseFunc(s)', verdict: 'real',
    why: 'one socket per probe stays open until probe returns',
  },
  {
    file: 'net/interface_plan9.go', rule: 'defer/in-loop', code: 'defer statusf.close()', verdict: 'real',
    why: 'one open file per interface until interfaceAddrTable returns',
  },
  {
    file: 'time/zoneinfo_ios.go', rule: 'defer/in-loop', code: 'defer syscall.Close(fd)', verdict: 'real',
    why: 'one descriptor per candidate root stays open until the function returns',
  },
  {
    file: 'internal/profile/profile.go', rule: 'defer/ignored-close-error', code: 'defer zw.Close()', verdict: 'real',
    why: 'gzip writes its trailer in Close; its error is lost and Write reports success for a truncated profile',
  },
  {
    file: 'cmd/cover/func.go', rule: 'defer/ignored-close-error', code: 'defer fd.Close()', verdict: 'real',
    why: 'the output file is closed by a defer whose error is dropped while the function returns error',
  },
  {
    file: 'compress/flate/deflate_test.go', rule: 'sync/lock-without-unlock', code: 'b.mu.Lock()', verdict: 'deliberate',
    why: 'WriteMode locks and ReadMode unlocks: a two-method protocol; the statement that it returns locked is true',
  },
];

interface ReportedFinding {
  file: string;
  rule: string;
  severity: string;
  message: string;
  /** 1-based, as the CLI's JSON counts lines. */
  range: { start: { line: number } };
}

/** Findings' files are relative to the directory the CLI ran in, GOROOT/src, as the reviewed entries are. */
const describe = (finding: ReportedFinding) => `${finding.file}:${finding.range.start.line} ${finding.rule} (${finding.severity}) ${finding.message}`;

function goEnvironment(): { goroot: string; version: string } | undefined {
  const result = spawnSync('go', ['env', 'GOROOT', 'GOVERSION'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  const [goroot, version] = result.stdout.trim().split('\n');
  return { goroot, version };
}

test('every reviewed finding has a verdict and a reason', () => {
  for (const entry of reviewed) {
    assert.ok(entry.why.length > 20, `${entry.file} ${entry.rule}: say why the finding is right`);
    assert.ok(entry.code.length > 0, `${entry.file} ${entry.rule}: the reported line's code`);
  }
});

test(`the standard library sample gets only the reviewed warnings (${reviewedRelease})`, { timeout: 240_000 }, (t) => {
  const go = goEnvironment();
  if (!go) return t.skip('no go command: the sample is GOROOT/src');
  if (go.version !== reviewedRelease) return t.skip(`GOROOT is ${go.version}; the list was reviewed on ${reviewedRelease}`);
  const source = path.join(go.goroot, 'src');
  const cli = path.join(repositoryRoot, 'dist', 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'check', '--no-compiler', '--format', 'json', ...sample], { cwd: source, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.error, undefined);
  const report = JSON.parse(run.stdout) as { findings: ReportedFinding[]; stats: { files: number } };
  assert.ok(report.stats.files > 800, `only ${report.stats.files} files checked: ${run.stderr}`);

  const lineOf = (finding: ReportedFinding) => fs.readFileSync(path.join(source, finding.file), 'utf8').split('\n')[finding.range.start.line - 1]?.trim() ?? '';
  const matches = (finding: ReportedFinding, entry: ReviewedFinding) =>
    finding.file === entry.file && finding.rule === entry.rule && lineOf(finding) === entry.code;
  const warnings = report.findings.filter((finding) => finding.severity === 'warning' || finding.severity === 'error');
  const unreviewed = warnings.filter((finding) => !reviewed.some((entry) => matches(finding, entry)));
  const gone = reviewed.filter((entry) => !warnings.some((finding) => matches(finding, entry)));
  assert.deepEqual(
    unreviewed.map(describe),
    [],
    'new warnings over the standard library sample: if one is wrong, narrow its rule (with a negative fixture); if it is right, add it to `reviewed` with its verdict and why',
  );
  assert.deepEqual(
    gone.map((entry) => `${entry.file} ${entry.rule}: ${entry.code}`),
    [],
    'reviewed findings no longer reported: if the rule was narrowed on purpose, take them off the list',
  );
});
