// The concurrency index across edits: typing inside one function recomputes
// only that declaration's part of the index (both its operations and its
// uses), every other part is kept, and what the rules read from the index
// afterwards (uses by identity, objects by name, the findings of the rules on
// top, with their goroutine literals' lines) is what a fresh index says.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import type { Finding } from '../../server/src/engine/finding';
import { ConcurrencyIndex } from '../../server/src/packageModel/concurrencyIndex';
import type { GoPackage, PackageFunction } from '../../server/src/packageModel/goPackage';
import { editablePackages, functionNamed } from '../support/packageTest';

const queue = `package queue

import "sync"

type Queue struct {
	mu      sync.Mutex
	pending int
	jobs    chan int
	done    chan struct{}
}

func NewQueue() *Queue {
	return &Queue{jobs: make(chan int), done: make(chan struct{})}
}

func (q *Queue) Push(job int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending++
	q.jobs <- job
}

func (q *Queue) start() {
	results := make(chan int)
	go func() {
		for job := range q.jobs {
			q.mu.Lock()
			q.pending -= job
			q.mu.Unlock()
			results <- job
		}
	}()
	<-results
}

func (q *Queue) wait() {
	<-q.done
}
`;

const stats = `package queue

func (q *Queue) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.pending
}

func (q *Queue) Backlog() int {
	return len(q.jobs)
}
`;

/** Two lines typed at the top of NewQueue's body: every function below it moves, none of them changes. */
const edited = queue.replace('func NewQueue() *Queue {\n', 'func NewQueue() *Queue {\n\tsize := 0\n\t_ = size\n');

const files: Record<string, string> = { '/m/queue/queue.go': queue, '/m/queue/stats.go': stats };

const setUp = () => editablePackages(files);

function lineOf(site: { fn: PackageFunction; at: readonly [number, number] }): number {
  return site.fn.file.lines.rangeOf(site.fn.start + site.at[0], site.fn.start + site.at[0]).start.line + 1;
}

/** What the index says, as text: the operations on each channel by identity, and the objects by name with their uses. */
function described(index: ConcurrencyIndex): string[] {
  const lines: string[] = [];
  for (const declaration of index.functions()) {
    for (const op of declaration.facts.operations) {
      const path = op.kind === 'channel' ? op.channel : op.kind === 'sync' ? op.receiver : undefined;
      const identity = path && index.identityOf(declaration, path);
      const uses = identity && index.usesOf(identity);
      if (!uses) continue;
      const key = identity.key.replace(/^local \d+/, 'local');
      lines.push(`${declaration.qualifiedName} line ${lineOf({ fn: declaration, at: op.at })}: ${key} ← ${uses.sites.map((site) => `${site.fn.qualifiedName}@${lineOf({ fn: site.fn, at: site.op.at })}`).join(', ')} buffered ${JSON.stringify(uses.buffered)} escapes ${uses.escapes}`);
    }
  }
  for (const object of index.objects().objects.values()) {
    lines.push(`${object.name} ${object.kind}${object.escapes ? ' escapes' : ''}: ${object.uses.map((use) => `${use.operation}@${use.fn ? lineOf({ fn: use.fn, at: use.at }) : 'var'}`).join(', ')}`);
  }
  return lines;
}

function findingsOf(pkg: GoPackage): Finding[] {
  return ['/m/queue/queue.go', '/m/queue/stats.go'].flatMap((file) => packageFindings(pkg, file, { locale: 'en' }).findings);
}

test('concurrency index: an edit in one body recomputes only that declaration part; the others are kept and move with their text', async () => {
  const { open } = await setUp();
  let pkg = open('/m/queue/queue.go', queue);
  const index = ConcurrencyIndex.of(pkg);
  const before = described(index);
  assert.ok(
    before.includes('Queue.Push line 20: Queue.jobs ← Queue.Push@20, Queue.start (goroutine, line 25)@26 buffered [false] escapes false'),
    `the send and the range in the goroutine literal are one channel's:\n${before.join('\n')}`,
  );
  assert.ok(before.includes('Queue.done channel: store@13, receive@37'), before.join('\n'));
  const findingsBefore = findingsOf(pkg);
  assert.deepEqual(
    findingsBefore.map((finding) => `${finding.rule} ${finding.range.start.line + 1}`),
    ['sync/blocking-under-lock 20', 'channel/no-counterpart 37'],
  );
  const push = functionNamed(pkg, 'Queue.Push');
  const computed = index.computed;

  pkg = open('/m/queue/queue.go', edited);
  assert.equal(ConcurrencyIndex.of(pkg), index, 'one index per package, kept across versions');
  assert.equal(functionNamed(pkg, 'Queue.Push'), push, 'an unchanged function keeps its object');
  const after = described(index);
  assert.equal(index.computed, computed + 2, "only NewQueue's two parts (its operations and its uses) were computed again");

  // What the kept parts say is what a fresh index of the edited text says, lines included.
  const fresh = await setUp();
  const freshPkg = fresh.open('/m/queue/queue.go', edited);
  assert.deepEqual(after, described(ConcurrencyIndex.of(freshPkg)));
  assert.ok(after.includes('Queue.done channel: store@15, receive@39'), after.join('\n'));
  assert.deepEqual(findingsOf(pkg), findingsOf(freshPkg));
  assert.deepEqual(
    findingsOf(pkg).map((finding) => `${finding.rule} ${finding.range.start.line + 1} ${finding.message} | ${finding.related?.map((related) => `${related.range.start.line + 1} ${related.message}`).join(' | ')}`),
    [
      'sync/blocking-under-lock 22 the send on `q.jobs` waits for a receiver while `q.mu` is held (since line 19), but the receiver, `Queue.start (goroutine, line 27)`, locks `q.mu` before it receives (line 29): both wait forever | 19 `q.mu` locked here | 28 the other side, in `Queue.start (goroutine, line 27)` | 29 `Queue.start (goroutine, line 27)` locks `q.mu` here',
      'channel/no-counterpart 39 nothing in the package sends on `Queue.done` or closes it: this receive waits forever | 15 `Queue.done` is made here',
    ],
  );
});

test('concurrency index: an edit in another file of the package keeps every part of this one', async () => {
  const { open } = await setUp();
  let pkg = open('/m/queue/queue.go', queue);
  const index = ConcurrencyIndex.of(pkg);
  const before = described(index);
  const computed = index.computed;
  pkg = open('/m/queue/stats.go', stats.replace('return len(q.jobs)', 'n := len(q.jobs)\n\treturn n'));
  assert.equal(ConcurrencyIndex.of(pkg), index);
  assert.deepEqual(described(index), before);
  // Backlog's text can touch no object by itself (`len` neither blocks nor lets the channel go), but it spells `jobs`:
  // its operations part is read for that channel (it has no uses part).
  assert.equal(index.computed, computed + 1, "only Backlog's part was computed again");
});
