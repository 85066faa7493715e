// The goroutine dump parser on a profile recorded from go1.26.8 (a test whose
// two workers leak on an unbuffered send, run with GODEBUG=tracebackancestors).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseGoroutineDump } from '../../server/src/leaks/goroutineDump';
import { runPatternWithFinalTest } from '../../server/src/leaks/leakHarness';
import { fixturesRoot } from '../support/analysisTest';

test('parseGoroutineDump: headers, frames, created-by and ancestor stacks of a real leak profile', () => {
  const records = parseGoroutineDump(fs.readFileSync(path.join(fixturesRoot, 'leaks-dumps', 'go1.26.8-leakprofile.txt'), 'utf8'));
  assert.deepEqual(records.map((record) => [record.id, record.waitReason, record.leaked]), [
    [1, 'running', false],
    [20, 'chan send', true],
    [21, 'chan send', true],
  ]);
  const [, worker] = records;
  assert.deepEqual(worker.frames, [{ function: 'example.com/lk1.Work.func1', file: '/tmp/lk1/lk.go', line: 7 }]);
  assert.deepEqual(worker.createdBy, { function: 'example.com/lk1.Work', file: '/tmp/lk1/lk.go', line: 6, goroutine: 19 });
  // Nearest ancestor first: the test goroutine (Work called from TestWork), then the runner that started it.
  assert.deepEqual(worker.ancestors.map((frames) => frames.map((frame) => frame.function)), [
    ['example.com/lk1.Work', 'example.com/lk1.TestWork', 'testing.tRunner'],
    ['testing.(*T).Run', 'testing.runTests.func1', 'testing.tRunner', 'testing.runTests', 'testing.(*M).Run', 'example.com/lk1.TestMain', 'internal/abi.(*Type).IsDirectIface'],
  ]);
  assert.match(worker.text, /^goroutine 20 \[chan send \(leaked\)\]:\n/);
});

test('parseGoroutineDump: wait durations, the scan mark and text that is not a dump', () => {
  const records = parseGoroutineDump('goroutine 5 [sync.Mutex.Lock (leaked), 3 minutes]:\nmain.f()\n\t/src/main.go:9 +0x1d\n\nnot a goroutine\n\ngoroutine 6 [select (scan)]:\n');
  assert.deepEqual(records.map((record) => [record.id, record.waitReason, record.leaked, record.frames.length]), [
    [5, 'sync.Mutex.Lock', true, 1],
    [6, 'select', false, 0],
  ]);
  assert.deepEqual(parseGoroutineDump(''), []);
});

test('runPatternWithFinalTest: keeps the selection and lets the final test through at the top level only', () => {
  assert.equal(runPatternWithFinalTest('TestA|TestB'), '(?:TestA|TestB)|^TestZzzGoinsightLeakProfile$');
  assert.equal(runPatternWithFinalTest('TestA/case_1'), '(?:TestA)|^TestZzzGoinsightLeakProfile$/case_1');
});
