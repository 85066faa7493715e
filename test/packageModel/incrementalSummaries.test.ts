// The package model across edits: typing inside a function keeps every other
// function's object and summary (moved to where its declaration now is),
// recomputes the changed function and what read its summary (callers in
// other files included), and a change of shape (a type, a signature) starts
// afresh. Findings after such edits are those of a fresh analysis.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import type { GoPackage } from '../../server/src/packageModel/goPackage';
import { LockSummaries } from '../../server/src/packageModel/lockSummaries';
import { pathKey } from '../../server/src/packageModel/valuePaths';
import { editablePackages, functionNamed } from '../support/packageTest';

const store = `package store

import "sync"

type Store struct {
	mu    sync.Mutex
	items map[string]int
}

func (s *Store) Put(key string, value int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[key] = value
}

func (s *Store) size() int {
	return len(s.items)
}
`;

const report = `package store

func (s *Store) Report() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size()
}

func (s *Store) Other() int {
	return 1
}
`;

const files: Record<string, string> = { '/m/store/store.go': store, '/m/store/report.go': report };

const setUp = () => editablePackages(files);

function acquired(locks: LockSummaries, pkg: GoPackage, name: string): string[] {
  return locks.acquisitions(functionNamed(pkg, name)).map((acquisition) => `${pathKey(acquisition.mutex)} ${acquisition.method}`);
}

function relockLines(pkg: GoPackage, file: string): number[] {
  const { findings } = packageFindings(pkg, file, { locale: 'en', onlyRules: new Set(['sync/relock-through-call']) });
  return findings.map((finding) => finding.range.start.line + 1);
}

test('incremental summaries: an edit of one body keeps the other functions and their summaries', async () => {
  const { open } = await setUp();
  let pkg = open('/m/store/store.go', store);
  const locks = LockSummaries.of(pkg);
  const report = functionNamed(pkg, 'Store.Report');
  const put = functionNamed(pkg, 'Store.Put');
  const reportSummary = locks.acquisitions(report);
  const putSummary = locks.acquisitions(put);
  assert.deepEqual(acquired(locks, pkg, 'Store.Report'), ['s.mu Lock']);
  const computed = locks.computed;

  // A line typed inside Put: Put changes; Report, in another file and not calling Put, does not.
  pkg = open('/m/store/store.go', store.replace('s.items[key] = value', 's.items[key] = value\n\t_ = key'));
  assert.equal(LockSummaries.of(pkg), locks, 'one LockSummaries per package, kept across versions');
  assert.equal(functionNamed(pkg, 'Store.Report'), report, 'an unchanged function keeps its object');
  assert.notEqual(functionNamed(pkg, 'Store.Put'), put, 'the edited function is a new object');
  assert.equal(locks.acquisitions(report), reportSummary, 'the unchanged summary is reused, not recomputed');
  assert.notEqual(locks.acquisitions(functionNamed(pkg, 'Store.Put')), putSummary);
  assert.equal(locks.computed, computed + 1, 'only the edited function was summarized again');
});

test('incremental summaries: a callee edited in another file recomputes its callers', async () => {
  const { open } = await setUp();
  let pkg = open('/m/store/report.go', report);
  const locks = LockSummaries.of(pkg);
  assert.deepEqual(relockLines(pkg, '/m/store/report.go'), [], 'size does not lock');
  const reportFn = functionNamed(pkg, 'Store.Report');
  const other = functionNamed(pkg, 'Store.Other');
  const otherSummary = locks.acquisitions(other);
  assert.deepEqual(acquired(locks, pkg, 'Store.Report'), ['s.mu Lock']);

  // size, in store.go, starts locking: Report (report.go) now relocks through it.
  pkg = open('/m/store/store.go', store.replace('return len(s.items)', 's.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn len(s.items)'));
  assert.equal(functionNamed(pkg, 'Store.Report'), reportFn, "Report's own text did not change");
  assert.deepEqual(relockLines(pkg, '/m/store/report.go'), [6], 'the finding appears in the file that was not edited');
  assert.deepEqual(acquired(locks, pkg, 'Store.Report'), ['s.mu Lock'], 'deduplicated: the same mutex');
  assert.equal(locks.acquisitions(other), otherSummary, 'a function that does not call size keeps its summary');

  // And back: the finding goes away again.
  pkg = open('/m/store/store.go', store);
  assert.deepEqual(relockLines(pkg, '/m/store/report.go'), []);
});

test('incremental summaries: findings in an unchanged function move with the lines above them', async () => {
  const { open } = await setUp();
  const locking = store.replace('return len(s.items)', 's.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn len(s.items)');
  open('/m/store/store.go', locking);
  let pkg = open('/m/store/report.go', report);
  assert.deepEqual(relockLines(pkg, '/m/store/report.go'), [6]);
  const reportFn = functionNamed(pkg, 'Store.Report');
  // Three lines inserted above Report, in a comment: Report keeps its object and summary, its finding moves.
  pkg = open('/m/store/report.go', report.replace('package store\n', 'package store\n\n// one\n// two\n'));
  assert.equal(functionNamed(pkg, 'Store.Report'), reportFn);
  assert.deepEqual(relockLines(pkg, '/m/store/report.go'), [9]);
  const { findings } = packageFindings(pkg, '/m/store/report.go', { locale: 'en', onlyRules: new Set(['sync/relock-through-call']) });
  const related = findings[0]?.related.map((each) => `${each.file ?? 'here'}:${each.range.start.line + 1}`);
  assert.deepEqual(related, ['here:7', '/m/store/store.go:17'], 'related sites on the current lines of both files');
});

test('incremental summaries: a changed type declaration starts afresh', async () => {
  const { open } = await setUp();
  let pkg = open('/m/store/store.go', store);
  const locks = LockSummaries.of(pkg);
  const report = functionNamed(pkg, 'Store.Report');
  assert.deepEqual(acquired(locks, pkg, 'Store.Report'), ['s.mu Lock']);
  // The mutex field becomes an int: no function's summary may survive.
  pkg = open('/m/store/store.go', store.replace('mu    sync.Mutex', 'mu    int'));
  assert.notEqual(functionNamed(pkg, 'Store.Report'), report, 'the package was indexed anew');
  assert.deepEqual(acquired(locks, pkg, 'Store.Report'), []);
});

const recursion = `package store

import "sync"

type Ring struct {
	a sync.Mutex
	b sync.Mutex
	n int
}

func (r *Ring) ping() {
	r.a.Lock()
	r.a.Unlock()
	r.pong()
}

func (r *Ring) pong() {
	r.b.Lock()
	r.b.Unlock()
	r.ping()
}

func (r *Ring) Size() int {
	return r.n
}
`;

test('incremental summaries: in a recursion, kept summaries answer in this version\'s order of questions, as a fresh model does', async () => {
  const file = '/m/store/ring.go';
  const { open } = await editablePackages({ [file]: recursion });
  let pkg = open(file, recursion);
  const locks = LockSummaries.of(pkg);
  // ping asked first: pong is summarized while ping is in progress, its call back to ping cut.
  assert.deepEqual(acquired(locks, pkg, 'Ring.ping'), ['r.a Lock', 'r.b Lock']);
  assert.deepEqual(acquired(locks, pkg, 'Ring.pong'), ['r.b Lock']);

  // Size changes and pong is asked first: now ping's call back to pong is the one cut.
  const edited = recursion.replace('\treturn r.n\n', '\tn := r.n\n\treturn n\n');
  pkg = open(file, edited);
  assert.equal(LockSummaries.of(pkg), locks, 'kept, and brought to this version');
  const kept = [acquired(locks, pkg, 'Ring.pong'), acquired(locks, pkg, 'Ring.ping')];
  const freshPkg = (await editablePackages({ [file]: edited })).open(file, edited);
  const fresh = new LockSummaries(freshPkg);
  assert.deepEqual(kept, [acquired(fresh, freshPkg, 'Ring.pong'), acquired(fresh, freshPkg, 'Ring.ping')]);
  assert.deepEqual(kept, [['r.b Lock', 'r.a Lock'], ['r.a Lock']]);
});
