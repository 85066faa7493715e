import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import { createGoParser } from '../../server/src/parse/goParser';
import { PackageWorkspace, type PackageSources } from '../../server/src/packageModel/packageWorkspace';
import { blockingUnderLock } from '../../server/src/rules/sync/blockingUnderLock';
import { checkPackageFixture } from '../support/packageTest';

const rule = 'sync/blocking-under-lock';

test('sync/blocking-under-lock: send, receive, select, Wait and a call while the other side needs the lock', async () => {
  const byFile = await checkPackageFixture('rules/sync/blocking-under-lock/positive', [rule]);
  const findings = [...byFile.values()].flat();
  const push = findings.find((finding) => finding.message.startsWith('the send on `q.jobs`'));
  assert.equal(push?.severity, 'error');
  assert.deepEqual(
    push?.related.map((related) => [related.range.start.line + 1, related.message]),
    [
      [19, '`q.mu` locked here'],
      [37, 'the other side, in `Queue.work`'],
      [38, '`Queue.work` locks `q.mu` here'],
    ],
  );
  const viaCall = findings.find((finding) => finding.message.startsWith('`q.deliver'));
  assert.deepEqual(
    viaCall?.related.map((related) => related.range.start.line + 1),
    [31, 27, 37, 38],
    'the lock, where the callee blocks, the other side and its lock',
  );
  const split = findings.find((finding) => finding.message.includes('Split.slow'));
  assert.equal(split?.severity, 'warning', 'only one of the two receivers needs the lock');
});

test('sync/blocking-under-lock: released before, buffered, no lock on the other side, escaping or foreign channels, other instances, read locks are quiet', async () => {
  await checkPackageFixture('rules/sync/blocking-under-lock/negative', [rule]);
});

test('sync/blocking-under-lock: the receiver is in another file of the package', async () => {
  const byFile = await checkPackageFixture('rules/sync/blocking-under-lock/multifile', [rule]);
  const [finding] = [...byFile.values()].flat();
  assert.match(finding.related.at(-1)?.file ?? '', /apply\.go$/);
});

/** One half of the rule's example, as a package with the type it uses. */
function examplePackage(part: 'before' | 'after'): string {
  const example = blockingUnderLock.example;
  assert.ok('before' in example);
  return [
    'package example',
    'import "sync"',
    'type Queue struct {\n\tmu      sync.Mutex\n\tpending int\n\tjobs    chan int\n}',
    'func NewQueue() *Queue {\n\tq := &Queue{jobs: make(chan int)}\n\tgo q.work()\n\treturn q\n}',
    'func (q *Queue) run(job int) {}',
    ...(example.shared ? [example.shared] : []),
    example[part],
  ].join('\n\n');
}

test('sync/blocking-under-lock: the hover example deadlocks before and is clean under every package rule after', async () => {
  const parser = await createGoParser();
  for (const part of ['before', 'after'] as const) {
    const file = '/example/queue.go';
    const sources: PackageSources = { listGoFiles: () => [file], readGoFile: () => examplePackage(part) };
    const pkg = new PackageWorkspace(parser, sources).packageOf(file);
    assert.ok(pkg);
    const { findings, failures } = packageFindings(pkg, file, { locale: 'en' });
    assert.deepEqual(failures, []);
    const found = findings.map((finding) => finding.rule);
    assert.deepEqual(found, part === 'before' ? [rule] : [], `${part}: ${findings.map((finding) => finding.message).join('; ')}`);
  }
});
