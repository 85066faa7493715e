// The package's channels, Conds, WaitGroups and cancel functions as the
// package model identifies them: one object per field of a type (through any
// value of the type, embedding, parameters, locals) or package variable; what
// makes one escape; and an edit in another file reaching the result.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { createGoParser } from '../../server/src/parse/goParser';
import { ConcurrencyIndex, type ConcurrencyObject } from '../../server/src/packageModel/concurrencyIndex';
import { fileFacts } from '../../server/src/packageModel/declarationFacts';
import type { GoPackage } from '../../server/src/packageModel/goPackage';
import { PackageWorkspace } from '../../server/src/packageModel/packageWorkspace';
import { FileDeclarations } from '../../server/src/syntax/fileDeclarations';

const types = `package pool

import (
	"context"
	"sync"
)

type base struct{ idle chan struct{} }

type pool struct {
	base
	tasks  chan func()
	Out    chan int
	wg     sync.WaitGroup
	ready  *sync.Cond
	cancel context.CancelFunc
}

var started = make(chan bool)
`;

const methods = `package pool

import (
	"context"
	"sync"
)

func newPool(mu *sync.Mutex) *pool {
	p := &pool{tasks: make(chan func())}
	p.idle = make(chan struct{})
	p.ready = sync.NewCond(mu)
	_, p.cancel = context.WithCancel(context.Background())
	return p
}

func (p *pool) run() {
	p.wg.Add(1)
	defer p.wg.Done()
	started <- true
	for task := range p.tasks {
		task()
	}
}

func submit(q *pool, task func()) {
	local := q
	local.tasks <- task
	go q.run()
}

func (p *pool) waitIdle() {
	<-p.base.idle
	p.ready.Wait()
	p.wg.Wait()
}

func (p *pool) results() chan int { return p.Out }
`;

function summary(object: ConcurrencyObject | undefined): string {
  if (!object) return 'none';
  const operations = [...new Set(object.uses.map((use) => use.operation))].sort().join(',');
  return `${object.kind} ${object.escapes ? 'escapes' : 'judged'}${operations ? ` ${operations}` : ''}`;
}

async function poolPackage(files: Record<string, string>): Promise<{ pkg: GoPackage; workspace: PackageWorkspace }> {
  const sources = {
    listGoFiles: (directory: string) => Object.keys(files).filter((file) => file.startsWith(`${directory}/`)),
    readGoFile: (file: string) => files[file],
  };
  const workspace = new PackageWorkspace(await createGoParser(), sources);
  const pkg = workspace.packageOf('/m/pool/methods.go');
  assert.ok(pkg);
  return { pkg, workspace };
}

test('concurrency objects: one per field of a type or package variable, through embedding, parameters and locals', async () => {
  const { pkg } = await poolPackage({ '/m/pool/types.go': types, '/m/pool/methods.go': methods });
  const { objects, goStarts } = ConcurrencyIndex.of(pkg).objects();
  assert.deepEqual(
    Object.fromEntries([...objects.keys()].sort().map((name) => [name, summary(objects.get(name))])),
    {
      'base.idle': 'channel judged receive,store',
      'pool.Out': 'channel escapes',
      'pool.cancel': 'cancel judged store',
      'pool.ready': 'cond judged store,wait',
      'pool.tasks': 'channel judged receive,send,store',
      'pool.wg': 'waitgroup judged add,done,wait',
      started: 'channel judged send,store',
    },
  );
  assert.deepEqual(
    goStarts.map((start) => [start.fn.qualifiedName, start.started.qualifiedName]),
    [['submit', 'pool.run']],
  );
});

test('concurrency objects: an edit in another file reaches them', async () => {
  const { pkg, workspace } = await poolPackage({ '/m/pool/types.go': types, '/m/pool/methods.go': methods });
  assert.equal(summary(ConcurrencyIndex.of(pkg).objects().objects.get('base.idle')), 'channel judged receive,store');
  const parser = await createGoParser();
  const edited = `${types}\nfunc (p *pool) stop() { close(p.idle) }\n\nfunc (p *pool) hand(f func(any)) { f(p.tasks) }\n`;
  const tree = parser.parse(edited);
  assert.ok(tree);
  workspace.setOpenFile(fileFacts('/m/pool/types.go', tree, edited, new LineIndex(edited), new FileDeclarations(tree.rootNode, edited)));
  tree.delete();
  const after = workspace.packageOf('/m/pool/methods.go');
  assert.equal(after, pkg, 'the same package object, updated');
  const { objects } = ConcurrencyIndex.of(after).objects();
  assert.equal(summary(objects.get('base.idle')), 'channel judged close,receive,store');
  assert.equal(summary(objects.get('pool.tasks')), 'channel escapes receive,send,store', 'passed to a function value');
});
