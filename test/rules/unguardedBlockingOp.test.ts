import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import { applyFix, buildWithFixedFile } from '../support/applyFix';
import { analyzePackageFixture, checkPackageFixture, packageWorkspace } from '../support/packageTest';

const rule = 'goroutine/unguarded-blocking-op';

test('goroutine/unguarded-blocking-op: sends and receives on a channel only a stoppable loop serves, outside a select with its stop signal', async () => {
  const byFile = await checkPackageFixture('rules/goroutine/unguarded-blocking-op/positive', [rule]);
  const findings = [...byFile.values()].flat();
  const submit = findings.find((finding) => finding.message.includes('`w.jobs`') && finding.message.startsWith('only'));
  assert.deepEqual(
    submit?.related.map((related) => [related.range.start.line + 1, related.message]),
    [
      [20, 'the loop in `worker.loop` stops on `w.stop` here'],
      [22, 'the loop receives from `w.jobs` here'],
    ],
  );
  assert.deepEqual(submit?.fixes.map((fix) => [fix.title, fix.edits.map((edit) => edit.newText)]), [['Wrap the send in a select with <-w.stop', ['select {\n\tcase w.jobs <- job:\n\tcase <-w.stop:\n\t}']]]);
  const emit = findings.find((finding) => finding.message.includes('`events`'));
  assert.deepEqual(emit?.fixes.map((fix) => fix.edits.map((edit) => edit.newText)), [['select {\n\tcase events <- e:\n\tcase <-quit:\n\t}']]);
  // No fix where it is not safe: a context parameter cannot be named at the child's send, a receive is not rewritten,
  // and a stop channel that carries values (sent on, or read until it is closed) would lose them to a second receiver.
  for (const name of ['`out`', '`f.results`', '`r.acks`', '`s.samples`']) assert.deepEqual(findings.find((finding) => finding.message.includes(name))?.fixes, [], name);
});

test('goroutine/unguarded-blocking-op: guarded, served elsewhere, handed out, exported, buffered, closed, before the start, never stopping, same goroutine, unknown uses, drained are quiet', async () => {
  await checkPackageFixture('rules/goroutine/unguarded-blocking-op/negative', [rule]);
});

test('goroutine/unguarded-blocking-op: the loop in one file, the send in another', async () => {
  const byFile = await checkPackageFixture('rules/goroutine/unguarded-blocking-op/multifile', [rule]);
  const [finding] = [...byFile.values()].flat();
  assert.equal(finding?.related[0]?.file?.endsWith('loop.go'), true);
});

const hasGo = spawnSync('go', ['version']).status === 0;

test('goroutine/unguarded-blocking-op: each quick fix builds, is gofmt-clean, and leaves the rule quiet on the send it wrapped', { skip: hasGo ? false : 'no go toolchain on PATH' }, async () => {
  const directory = 'rules/goroutine/unguarded-blocking-op/positive';
  const byFile = await analyzePackageFixture(directory, [rule]);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-guard-fix-'));
  let checked = 0;
  try {
    for (const [file, findings] of byFile) {
      const text = fs.readFileSync(file, 'utf8');
      for (const finding of findings) {
        for (const fix of finding.fixes) {
          checked++;
          const { fixedFile, buildErrors } = buildWithFixedFile(file, applyFix(text, fix), scratch);
          assert.equal(buildErrors, undefined, `${fix.title}: ${buildErrors}`);
          assert.equal(spawnSync('gofmt', ['-l', fixedFile], { encoding: 'utf8' }).stdout, '', `${fix.title}: not gofmt-clean`);
          // The fixed file alone in its package directory: the wrapped send is no longer reported.
          const copy = fs.mkdtempSync(path.join(scratch, 'package-'));
          fs.copyFileSync(fixedFile, path.join(copy, path.basename(file)));
          const pkg = (await packageWorkspace()).packageOf(path.join(copy, path.basename(file)));
          assert.ok(pkg);
          const again = packageFindings(pkg, path.join(copy, path.basename(file)), { locale: 'en', onlyRules: new Set([rule]) }).findings;
          assert.equal(again.length, findings.length - 1, `${fix.title}: the fixed send is still reported`);
        }
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  assert.equal(checked, 3);
});
