// The concurrency index per file: a version of the package reads again only
// the files whose text changed (every file after a change of shape), and what
// the rules ask of it per object and per file is what a fresh index of the
// same texts says: the objects one file touches, each folded over every file,
// the `go` starts (naming the started function as it is now), and the
// findings of the rules on top, after edits to a function body, to a `var`
// initializer (which no function replacement reports) and to a struct.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import { ConcurrencyIndex } from '../../server/src/packageModel/concurrencyIndex';
import type { GoPackage, PackageFunction } from '../../server/src/packageModel/goPackage';
import { stoppableLoopsOf } from '../../server/src/packageModel/stoppableLoops';
import { editablePackages } from '../support/packageTest';

const pool = `package work

import "sync"

type pool struct {
	jobs chan int
	done chan struct{}
	wg   sync.WaitGroup
}

func newPool() *pool {
	return &pool{jobs: make(chan int), done: make(chan struct{})}
}

func (p *pool) serve() {
	p.wg.Add(1)
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case j := <-p.jobs:
			_ = j
		}
	}
}

func (p *pool) stop() { close(p.done) }
`;

const start = `package work

var quit = make(chan bool)

func (p *pool) start() {
	go p.serve()
	p.wg.Wait()
}

func (p *pool) submit(j int) {
	p.jobs <- j
}

func waitQuit() {
	<-quit
}
`;

const init = `package work

var _ = func() int {
	return 0
}()

func helper() int { return 1 }
`;

const paths = { pool: '/m/work/pool.go', start: '/m/work/start.go', init: '/m/work/init.go' };
const texts: Record<string, string> = { [paths.pool]: pool, [paths.start]: start, [paths.init]: init };

function lineOf(fn: PackageFunction, at: readonly [number, number]): number {
  return fn.file.lines.rangeOf(fn.start + at[0], fn.start + at[0]).start.line + 1;
}

/** What the rules ask of the index, as text: per file the objects it touches (in order, each with every use in the package), the `go` starts (all, and per file started in), the stoppable loops. */
function asked(pkg: GoPackage): string[] {
  const index = ConcurrencyIndex.of(pkg);
  const lines: string[] = [];
  const packageOrder = [...index.objects().objects.keys()];
  for (const file of Object.values(paths)) {
    const touched = index.objectsTouchedIn(file).map((object) => object.name);
    assert.deepEqual(touched, packageOrder.filter((name) => touched.includes(name)), 'in the order the whole package touches them first');
    for (const object of index.objectsTouchedIn(file)) {
      const uses = object.uses.map((use) => `${use.operation}@${use.fn ? `${use.fn.qualifiedName}:${lineOf(use.fn, use.at)}` : 'var'}`);
      lines.push(`${file}: ${object.name} ${object.kind}${object.escapes ? ' escapes' : ''} ${uses.join(' ')}`);
    }
  }
  for (const file of [undefined, ...Object.values(paths)]) {
    for (const go of index.goStarts(file)) lines.push(`go (${file ?? 'any file'}) ${go.fn.qualifiedName}:${lineOf(go.fn, go.at)} → ${go.started.qualifiedName} at line ${go.started.file.lines.rangeOf(go.started.start, go.started.start).start.line + 1}`);
  }
  for (const [key, channel] of stoppableLoopsOf(pkg).served) lines.push(`served ${key}: ${channel.sites.map(({ site }) => `${site.fn.qualifiedName}:${lineOf(site.fn, site.op.at)}`).join(' ')}`);
  return lines;
}

function findingsOf(pkg: GoPackage): string[] {
  return Object.values(paths).flatMap((file) =>
    packageFindings(pkg, file, { locale: 'en' }).findings.map((finding) => `${file}:${finding.range.start.line + 1} ${finding.rule} ${finding.message} | ${finding.related?.map((related) => `${related.range.start.line + 1} ${related.message}`).join(' | ')}`),
  );
}

/** The same texts read by a new workspace: a fresh package and index. */
async function fresh(edited: Record<string, string>): Promise<GoPackage> {
  const all = { ...texts, ...edited };
  const { open } = await editablePackages(all);
  let pkg: GoPackage | undefined;
  for (const [file, text] of Object.entries(all)) pkg = open(file, text);
  assert.ok(pkg);
  return pkg;
}

test('concurrency index per file: an edit reads only its file again, and every answer equals a fresh index', async () => {
  const { open } = await editablePackages(texts);
  let pkg = open(paths.pool, pool);
  pkg = open(paths.start, start);
  pkg = open(paths.init, init);
  const index = ConcurrencyIndex.of(pkg);
  const before = findingsOf(pkg);
  assert.deepEqual(
    before.map((finding) => finding.split(' ').slice(0, 2).join(' ')),
    ['/m/work/pool.go:16 goroutine/wg-add-inside', '/m/work/start.go:11 goroutine/unguarded-blocking-op', '/m/work/start.go:15 channel/no-counterpart'],
  );
  assert.deepEqual(asked(pkg), asked(await fresh({})));
  const read = index.filesRead;
  // What another module keeps per file (as the stoppable loops do) is worked out again for the files read again only.
  let worked = 0;
  const perFile = () => index.perFile('probe', () => ++worked);
  perFile();
  assert.equal(worked, 3);
  const edits: Record<string, string> = {};
  const edit = async (file: string, text: string, filesRead: number, why: string) => {
    edits[file] = text;
    pkg = open(file, text);
    assert.equal(ConcurrencyIndex.of(pkg), index, 'one index per package, kept across versions');
    const now = asked(pkg);
    const findings = findingsOf(pkg);
    assert.equal(index.filesRead - read, filesRead, why);
    perFile();
    assert.equal(worked - 3, filesRead, `${why}: per-file parts too`);
    const freshPkg = await fresh(edits);
    assert.deepEqual(now, asked(freshPkg), `${why}: the answers are a fresh index's`);
    assert.deepEqual(findings, findingsOf(freshPkg), `${why}: the findings are a fresh index's`);
    return findings;
  };

  // The started function's body changes: it is a new object, and the `go` statement in another file names the new one.
  let findings = await edit(paths.pool, pool.replace('defer p.wg.Done()', 'defer p.wg.Done()\n\tp.wg.Add(0)'), 1, 'a body edit reads its file again, only');
  assert.ok(findings.some((finding) => finding.startsWith('/m/work/pool.go:16 goroutine/wg-add-inside') && finding.includes('(start.go:6)')), findings.join('\n'));

  // A `var` initializer changes without changing the package's shape (no function is replaced): its file is read again.
  findings = await edit(paths.init, init.replace('return 0', 'close(quit)\n\treturn 0'), 2, 'the var initializer edit reads its file again, only');
  assert.ok(!findings.some((finding) => finding.includes('channel/no-counterpart')), 'quit is closed now');

  // A moved declaration (lines typed above it) is not read again, and its uses are on their new lines.
  findings = await edit(paths.start, start.replace('var quit', '// quit ends the pool.\nvar quit'), 3, 'an edit in a comment reads its file again, only');
  assert.ok(findings.some((finding) => finding.startsWith('/m/work/start.go:12 goroutine/unguarded-blocking-op')), findings.join('\n'));

  // A field typed into the struct changes the package's shape: every file is read again.
  await edit(paths.pool, edits[paths.pool].replace('wg   sync.WaitGroup', 'wg   sync.WaitGroup\n\tn    int'), 6, 'a change of shape reads every file again');
});
