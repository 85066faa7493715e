// What functions reach through the package's calls (blocking summaries),
// kept across versions: after an edit, an answer is reused only where
// computing afresh gives the same one. Computed afresh, the answer of a
// function in a recursion depends on which function was asked first (the
// call back into the one in progress is cut); kept answers must follow the
// current order of questions, not the one they were first computed in.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import { BlockingSummaries, blockingSummariesOf } from '../../server/src/packageModel/blockingSummaries';
import { ConcurrencyIndex } from '../../server/src/packageModel/concurrencyIndex';
import type { GoPackage } from '../../server/src/packageModel/goPackage';
import { LockSummaries } from '../../server/src/packageModel/lockSummaries';
import { pathKey } from '../../server/src/packageModel/valuePaths';
import { editablePackages, functionNamed } from '../support/packageTest';

const relay = `package relay

import "sync"

type Relay struct {
	mu  sync.Mutex
	out chan int
	n   int
}

func NewRelay() *Relay {
	r := &Relay{out: make(chan int)}
	go r.drain()
	return r
}

func (r *Relay) drain() {
	for v := range r.out {
		r.mu.Lock()
		r.n -= v
		r.mu.Unlock()
	}
}

func (r *Relay) Put(v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n += v
	r.forward(v)
}

func (r *Relay) forward(v int) {
	r.out <- v
}

func (r *Relay) ping() {
	r.n++
	r.pong()
}

func (r *Relay) pong() {
	r.out <- 1
	r.ping()
}

func (r *Relay) Size() int {
	return r.n
}
`;

const file = '/m/relay/relay.go';
const sizeEdited = relay.replace('\treturn r.n\n', '\tn := r.n\n\treturn n\n');
const forwardEdited = relay.replace('\tr.out <- v\n', '\t_ = v\n');

function reached(summaries: BlockingSummaries, pkg: GoPackage, name: string): string[] {
  return summaries.reachedOperations(functionNamed(pkg, name)).map((each) => `${pathKey(each.object)} in ${each.site.fn.qualifiedName} through ${each.through.map((site) => site.fn.qualifiedName).join('>')}`);
}

function findings(pkg: GoPackage): string[] {
  return packageFindings(pkg, file, { locale: 'en', onlyRules: new Set(['sync/blocking-under-lock']) }).findings.map(
    (finding) => `${finding.range.start.line + 1} ${finding.message} | ${finding.related.map((related) => `${related.range.start.line + 1} ${related.message}`).join(' | ')}`,
  );
}

/** The same text, in a package model of its own: nothing kept. */
async function fresh(text: string): Promise<GoPackage> {
  return (await editablePackages({ [file]: text })).open(file, text);
}

test('kept reached operations: an edit elsewhere computes nothing again; a changed callee recomputes it and the call asking it', async () => {
  const { open } = await editablePackages({ [file]: relay });
  let pkg = open(file, relay);
  const before = findings(pkg);
  assert.equal(before.length, 1, before.join('\n'));
  assert.match(before[0], /^29 `r\.forward\(…\)` can block on `r\.out` \(in `Relay\.forward`\) while `r\.mu` is held/);
  const computed = blockingSummariesOf(pkg).reachedComputed;

  // Size's body changes: no answer read it, every one is reused.
  pkg = open(file, sizeEdited);
  assert.deepEqual(findings(pkg), before);
  assert.equal(blockingSummariesOf(pkg).reachedComputed, computed, 'nothing computed again');

  // forward stops sending: its answer and the answer at Put's call are computed again, and the finding goes.
  pkg = open(file, forwardEdited);
  assert.deepEqual(findings(pkg), []);
  assert.equal(blockingSummariesOf(pkg).reachedComputed, computed + 2, "forward's answer and the one at Put's call");
  assert.deepEqual(findings(pkg), findings(await fresh(forwardEdited)));

  // And back.
  pkg = open(file, relay);
  assert.deepEqual(findings(pkg), before);
});

test('kept reached operations: in a recursion, the answers follow the order of this version\'s questions, as computed afresh', async () => {
  const { open } = await editablePackages({ [file]: relay });
  let pkg = open(file, relay);
  // ping asked first: pong is worked out while ping is in progress, its call back to ping cut.
  let summaries = blockingSummariesOf(pkg);
  assert.deepEqual(reached(summaries, pkg, 'Relay.ping'), ['r.out in Relay.pong through Relay.ping']);
  assert.deepEqual(reached(summaries, pkg, 'Relay.pong'), ['r.out in Relay.pong through ']);

  // The next version asks pong first: now ping's call back to pong is the one cut, and ping reaches nothing.
  pkg = open(file, sizeEdited);
  summaries = blockingSummariesOf(pkg);
  const kept = [reached(summaries, pkg, 'Relay.pong'), reached(summaries, pkg, 'Relay.ping')];
  const freshPkg = await fresh(sizeEdited);
  const afresh = new BlockingSummaries(freshPkg, new LockSummaries(freshPkg), ConcurrencyIndex.of(freshPkg));
  assert.deepEqual(kept, [reached(afresh, freshPkg, 'Relay.pong'), reached(afresh, freshPkg, 'Relay.ping')]);
  assert.deepEqual(kept[1], [], 'ping reaches nothing when pong is asked first');
});
