// The lock summaries' resolutions (a function's scope, the mutex each locked
// path names, the mutexes held at each point) are kept per function across
// versions of the package and shared with the blocking summaries made per
// version: after an edit, only the changed function's paths are resolved
// again, and a changed declaration of the package (a field's type) resolves
// everything afresh.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import { blockingSummariesOf } from '../../server/src/packageModel/blockingSummaries';
import type { GoPackage, PackageFunction } from '../../server/src/packageModel/goPackage';
import { LockSummaries } from '../../server/src/packageModel/lockSummaries';
import { editablePackages, functionNamed } from '../support/packageTest';

const pool = `package pool

import "sync"

type Pool struct {
	mu   sync.Mutex
	free chan int
	size int
}

func NewPool() *Pool {
	p := &Pool{free: make(chan int)}
	go p.recycle()
	go func() {
		p.mu.Lock()
		p.size = 0
		p.mu.Unlock()
	}()
	return p
}

func (p *Pool) recycle() {
	for n := range p.free {
		p.mu.Lock()
		p.size += n
		p.mu.Unlock()
	}
}

func (p *Pool) Release(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.size -= n
	p.free <- n
}

func (p *Pool) Size() int {
	return p.size
}
`;

const file = '/m/pool/pool.go';

function findingLines(pkg: GoPackage): string[] {
  return packageFindings(pkg, file, { locale: 'en' }).findings.map((finding) => `${finding.rule} ${finding.range.start.line + 1}`);
}

test('kept lock resolutions: an edit resolves only the changed function again; the per-version blocking summaries share them', async () => {
  const { open } = await editablePackages({ [file]: pool });
  let pkg = open(file, pool);
  assert.deepEqual(findingLines(pkg), ['sync/blocking-under-lock 34']);
  const locks = LockSummaries.of(pkg);
  const resolved = locks.resolvedMutexes;
  assert.ok(resolved > 0);
  assert.equal(blockingSummariesOf(pkg).locks.resolvedMutexes, 0, 'the blocking summaries resolve nothing themselves');

  // Size changes: it locks nothing, nothing is resolved again.
  pkg = open(file, pool.replace('\treturn p.size\n', '\ts := p.size\n\treturn s\n'));
  assert.deepEqual(findingLines(pkg), ['sync/blocking-under-lock 34']);
  assert.equal(locks.resolvedMutexes, resolved);

  // Release changes: its one locked path, p.mu, is resolved again.
  pkg = open(file, pool.replace('\tp.size -= n\n', '\tp.size -= n\n\t_ = n\n'));
  assert.deepEqual(findingLines(pkg), ['sync/blocking-under-lock 35']);
  assert.equal(locks.resolvedMutexes, resolved + 1);
  assert.equal(blockingSummariesOf(pkg).locks.resolvedMutexes, 0);
});

/** NewPool's goroutine literal. */
function literalOf(pkg: GoPackage): PackageFunction {
  const [literal] = blockingSummariesOf(pkg).withGoroutineLiterals([functionNamed(pkg, 'NewPool')]).slice(1);
  assert.ok(literal, 'no goroutine literal in NewPool');
  return literal;
}

test('kept lock resolutions: a field that stops being a mutex resolves afresh', async () => {
  const { open } = await editablePackages({ [file]: pool });
  let pkg = open(file, pool);
  assert.deepEqual(findingLines(pkg), ['sync/blocking-under-lock 34']);
  assert.deepEqual(LockSummaries.of(pkg).mutexOf(literalOf(pkg), { root: 'p', fields: ['mu'] }), { root: 'p', fields: ['mu'] });
  pkg = open(file, pool.replace('mu   sync.Mutex', 'mu   fakeMutex').replace('func (p *Pool) Size', 'type fakeMutex struct{}\n\nfunc (fakeMutex) Lock()   {}\nfunc (fakeMutex) Unlock() {}\n\nfunc (p *Pool) Size'));
  const release = functionNamed(pkg, 'Pool.Release');
  assert.equal(LockSummaries.of(pkg).mutexOf(release, { root: 'p', fields: ['mu'] }), undefined, 'p.mu is no mutex any more');
  assert.equal(LockSummaries.of(pkg).mutexOf(literalOf(pkg), { root: 'p', fields: ['mu'] }), undefined, 'nor in the goroutine literal');
  assert.deepEqual(findingLines(pkg), []);
});
