// How a leak run gets the goroutineleak profile, decided from the go
// command's version: the decision on the strings `go version` and
// `go env GOVERSION` print, the decision for the go on PATH against the real
// binary, and a run the decision sends to the fallback (the goroutine dump),
// whose findings say they are less certain. Only go1.26.8 and go1.27.3 are
// installed here, so an older Go is simulated through the decision (its
// version string), never by faking the go command.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { goLeakProfileSupport, leakProfileSupport, type LeakProfileSupport } from '../../server/src/leaks/leakProfileSupport';
import { LeakFindingBuilder } from '../../server/src/leaks/leakFindings';
import { runLeakTests } from '../../server/src/leaks/runLeakTests';
import { createGoParser } from '../../server/src/parse/goParser';
import { readGoFile } from '../../server/src/engine/readGoFile';
import { fixturesRoot } from '../support/analysisTest';

test('leakProfileSupport: the experiment on 1.26, built in from 1.27, the fallback before 1.26 and on what it cannot read', () => {
  const cases: [string, LeakProfileSupport][] = [
    // `go version` and `go env GOVERSION` of releases (the go1.26.8 and go1.27.3 lines as those binaries print them).
    ['go version go1.26.8 linux/amd64\n', 'experiment'],
    ['go1.26.8\n', 'experiment'],
    ['go version go1.27.3 linux/amd64\n', 'builtin'],
    ['go1.27.3\n', 'builtin'],
    ['go version go1.25.5 linux/amd64\n', 'none'],
    ['go1.25.0\n', 'none'],
    ['go version go1.22.12 darwin/arm64\n', 'none'],
    ['go1.26rc1', 'experiment'],
    ['go version go1.26.0 X:nodwarf5 linux/amd64', 'experiment'],
    // Development builds: cmd/dist's format since go1.25 (`go1.N-devel_` + `git log --format='%h %cd'`), and the
    // older one its buildtool.go quotes ("devel go1.24-ffb3e574 Thu Aug 29 20:16:26 2024 +0000").
    ['go1.27-devel_5b1c3a8f2e Tue Nov 3 18:02:11 2026 +0000\n', 'builtin'],
    ['go version go1.26-devel_0c4a7d21e9 Mon Sep 8 09:15:42 2025 -0700 linux/amd64', 'experiment'],
    ['devel go1.24-ffb3e574 Thu Aug 29 20:16:26 2024 +0000\n', 'none'],
    ['go version devel go1.24-ffb3e574 Thu Aug 29 20:16:26 2024 +0000 linux/amd64', 'none'],
    // Not a Go version: the fallback, which cannot break the run.
    ['', 'none'],
    ['go: unknown GOEXPERIMENT goroutineleakprofile', 'none'],
  ];
  assert.deepEqual(
    cases.map(([version]) => [version, leakProfileSupport(version)]),
    cases,
  );
});

test('goLeakProfileSupport: the go on PATH decides as its own `go version` line says', async () => {
  const printed = execFileSync('go', ['version'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
  const decided = await goLeakProfileSupport('go');
  assert.equal(decided, leakProfileSupport(printed));
  // The toolchains this project supports all have the profile.
  assert.notEqual(decided, 'none', printed);
});

test('a run the decision sends to the fallback dumps the goroutines and reports them with lower confidence', async () => {
  const moduleDir = path.join(fixturesRoot, 'leaks');
  const parser = await createGoParser();
  const run = async (leakProfile: LeakProfileSupport) => {
    const result = await runLeakTests({ goPath: 'go', moduleDir, patterns: ['./leaking'], run: '^TestFirst$', hangAfterMs: 60_000, leakProfile });
    const builder = new LeakFindingBuilder({ locale: 'en', parser, readSource: (file) => { const read = readGoFile(file); return 'text' in read ? read.text : undefined; } });
    try {
      const findings = builder.findings(result).flatMap((file) => file.findings.map((finding) => ({ file: path.basename(file.file), line: finding.range.start.line + 1, severity: finding.severity, message: finding.message })));
      return { mode: result.packages[0].profile?.mode, findings };
    } finally {
      builder.dispose();
    }
  };

  const older = await run(leakProfileSupport('go version go1.25.5 linux/amd64'));
  assert.equal(older.mode, 'stackdump');
  assert.deepEqual(older.findings, [
    { file: 'work.go', line: 11, severity: 'info', message: 'goroutine still blocked at the end of the tests in TestFirst: sending on `results` (2 goroutines) (no leak profile in this Go: it may yet be woken)' },
  ]);

  // The same package with the installed go's own decision: the runtime's proof, at the usual severity.
  const current = await run(await goLeakProfileSupport('go'));
  assert.equal(current.mode, 'leakprofile');
  assert.deepEqual(current.findings, [{ file: 'work.go', line: 11, severity: 'warning', message: 'goroutine leaked in TestFirst: blocked forever sending on `results` (2 goroutines)' }]);
});
