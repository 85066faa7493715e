// The blocking summaries of the package model on real Go
// (test/fixtures/packageModel/blocking): channel operations per channel,
// select with and without default, Wait/Done and Cond.Wait, goroutines
// started with what they run and capture, the locks held at each, and
// whether a function can block, through the package's calls.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { blockingSummariesOf, type BlockingSummaries } from '../../server/src/packageModel/blockingSummaries';
import type { PackageFunction } from '../../server/src/packageModel/goPackage';
import type { BlockingOperation } from '../../server/src/packageModel/operationFacts';
import { pathKey } from '../../server/src/packageModel/valuePaths';
import { fixturesRoot } from '../support/analysisTest';
import { packageWorkspace } from '../support/packageTest';

const hubFile = path.join(fixturesRoot, 'packageModel/blocking/hub.go');

async function hubSummaries(): Promise<BlockingSummaries> {
  const pkg = (await packageWorkspace()).packageOf(hubFile);
  assert.ok(pkg);
  return blockingSummariesOf(pkg);
}

function named(summaries: BlockingSummaries, name: string): PackageFunction {
  const found = summaries.functions().find((fn) => fn.qualifiedName === name);
  assert.ok(found, `no ${name} among ${summaries.functions().map((fn) => fn.qualifiedName).join(', ')}`);
  return found;
}

function lineOf(fn: PackageFunction, offset: number): number {
  return fn.file.lines.rangeOf(fn.start + offset, fn.start + offset).start.line + 1;
}

/** One line per operation: line, what, on which object, select (with default?), locks held. */
function described(fn: PackageFunction, op: BlockingOperation): string {
  const held = op.held.map((lock) => pathKey(lock.path)).join(',') || '-';
  switch (op.kind) {
    case 'channel':
      return `${lineOf(fn, op.at[0])} ${op.operation} ${op.channel ? pathKey(op.channel) : '?'}${op.select ? (op.select.hasDefault ? ' select+default' : ' select') : ''} held:${held}`;
    case 'sync':
      return `${lineOf(fn, op.at[0])} ${op.method} ${pathKey(op.receiver)}${op.deferred ? ' deferred' : ''} held:${held}`;
    case 'go':
      return `${lineOf(fn, op.at[0])} go ${op.body.kind === 'call' ? (op.body.target.kind === 'selector' ? `${pathKey(op.body.target.receiver)}.${op.body.target.name}` : op.body.target.name) : `literal captures ${op.body.captures.join(',')}`}`;
  }
}

test('blocking summaries: every operation on one channel, across functions and goroutine literals, with the locks held', async () => {
  const summaries = await hubSummaries();
  const publish = named(summaries, 'Hub.Publish');
  const events = publish.facts.operations.find((op) => op.kind === 'channel' && op.operation === 'send');
  assert.ok(events?.kind === 'channel' && events.channel);
  const identity = summaries.identityOf(publish, events.channel);
  assert.equal(identity?.key, 'Hub.events');
  const uses = identity && summaries.usesOf(identity);
  assert.deepEqual(
    uses?.sites.map((site) => `${site.fn.qualifiedName}: ${described(site.fn, site.op)}`),
    [
      'NewHub (goroutine, line 24): 26 send h.events held:-',
      'Hub.loop: 33 range h.events held:-',
      'Hub.Publish: 44 send h.events select held:h.mu',
      'Hub.TryPublish: 51 send h.events select+default held:-',
    ],
  );
  assert.deepEqual(uses?.buffered, [false], 'made once, unbuffered, in the composite literal');
  assert.equal(uses?.escapes, false);
  const backlog = summaries.usesOf({ key: 'Hub.backlog', exported: false });
  assert.deepEqual(backlog?.buffered, [true]);
  assert.deepEqual(
    named(summaries, 'Hub.loop').facts.operations.map((op) => described(named(summaries, 'Hub.loop'), op)),
    ['32 Done h.wg deferred held:-', '33 range h.events held:-', '35 send h.backlog held:h.mu'],
  );
  const quit = summaries.usesOf({ key: 'Hub.quit', exported: false });
  assert.deepEqual(
    quit?.sites.map((site) => described(site.fn, site.op)),
    ['45 receive h.quit select held:h.mu', '59 close h.quit held:-'],
  );
});

test('blocking summaries: goroutines started, what they run and capture; Wait, Done and Cond.Wait by type', async () => {
  const summaries = await hubSummaries();
  const newHub = named(summaries, 'NewHub');
  assert.deepEqual(
    newHub.facts.operations.map((op) => described(newHub, op)),
    ['23 go h.loop', '24 go literal captures h'],
  );
  const literal = named(summaries, 'NewHub (goroutine, line 24)');
  assert.deepEqual(literal.facts.operations.map((op) => described(literal, op)), ['25 Done h.wg deferred held:-', '26 send h.events held:-']);
  assert.equal(summaries.declarationOf(literal), newHub);
  const close = named(summaries, 'Hub.Close');
  const wait = close.facts.operations.find((op) => op.kind === 'sync' && op.method === 'Wait');
  assert.ok(wait?.kind === 'sync');
  assert.equal(summaries.objectKind(close, wait.receiver), 'sync.WaitGroup');
  const waitGroup = summaries.identityOf(close, wait.receiver);
  assert.deepEqual(
    waitGroup && summaries.usesOf(waitGroup)?.sites.map((site) => `${site.fn.qualifiedName} ${described(site.fn, site.op)}`),
    ['NewHub (goroutine, line 24) 25 Done h.wg deferred held:-', 'Hub.loop 32 Done h.wg deferred held:-', 'Hub.Close 60 Wait h.wg held:-'],
  );
  const awaitFn = named(summaries, 'Hub.Await');
  const condWait = awaitFn.facts.operations.find((op) => op.kind === 'sync');
  assert.ok(condWait?.kind === 'sync');
  assert.equal(summaries.objectKind(awaitFn, condWait.receiver), 'sync.Cond');
  assert.equal(described(awaitFn, condWait), '66 Wait h.cond held:h.mu');
  assert.ok(condWait.loop, 'inside the for that re-checks the condition');
  const cond = summaries.identityOf(awaitFn, condWait.receiver);
  assert.deepEqual(cond && summaries.usesOf(cond)?.lockers, ['Hub.mu'], 'the locker sync.NewCond was given');
});

test('blocking summaries: can block, directly, through calls, on well-known standard calls; unknown when the text cannot tell', async () => {
  const summaries = await hubSummaries();
  const canBlock = (name: string) => summaries.canBlock(named(summaries, name));
  assert.equal(canBlock('Hub.loop'), 'yes', 'a range over a channel');
  assert.equal(canBlock('Hub.Publish'), 'yes', 'a select without default');
  assert.equal(canBlock('Hub.TryPublish'), 'no', 'a select with default never waits');
  assert.equal(canBlock('Hub.Close'), 'yes', 'wg.Wait');
  assert.equal(canBlock('Hub.Flush'), 'yes', 'through drain, a receive');
  assert.equal(canBlock('Pause'), 'yes', 'time.Sleep');
  assert.equal(canBlock('Label'), 'no', 'strings never blocks');
  assert.equal(canBlock('Unknown'), 'unknown', 'a function value');
  assert.equal(canBlock('Recurse'), 'unknown', 'recursion is not followed: never a guessed no');
  assert.equal(canBlock('NewHub'), 'no', 'the goroutines it starts block, not NewHub');
  const describe = named(summaries, 'Describe');
  assert.deepEqual(
    describe.facts.operations.map((op) => {
      const object = op.kind === 'channel' ? op.channel : undefined;
      return object ? `${pathKey(object)}: ${summaries.identityOf(describe, object)?.key.replace(/^.*#/, '#') ?? 'unknown'}` : op.kind;
    }),
    ['events: unknown', 'go', 'constructor: #constructor'],
    'a parameter is unknown; locals named toString or constructor are locals, not Object.prototype properties',
  );
  const flush = named(summaries, 'Hub.Flush');
  const reached = summaries.reachedOperations(flush);
  assert.deepEqual(
    reached.map((each) => `${pathKey(each.object)} in ${each.site.fn.qualifiedName} through ${each.through.map((site) => site.fn.qualifiedName).join('>')}`),
    ['h.backlog in Hub.drain through Hub.Flush'],
  );
});
