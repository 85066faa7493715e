// The package model on its own: which files make a package, what the resolver
// knows of fields, embedding, methods and aliases, the lock summaries, and
// that edits (open buffer or disk) reach the model while unchanged functions
// keep their facts.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { createGoParser } from '../../server/src/parse/goParser';
import { fileFacts } from '../../server/src/packageModel/declarationFacts';
import { LockSummaries } from '../../server/src/packageModel/lockSummaries';
import { PackageWorkspace, type PackageSources } from '../../server/src/packageModel/packageWorkspace';
import { standardTypeName, type ResolvedType } from '../../server/src/packageModel/typeResolver';
import { pathKey } from '../../server/src/packageModel/valuePaths';
import { FileDeclarations } from '../../server/src/syntax/fileDeclarations';
import { functionNamed } from '../support/packageTest';

/** Files in memory, as if on disk; `reads` counts what the workspace read. */
function memorySources(files: Record<string, string>) {
  const reads: string[] = [];
  const sources: PackageSources = {
    listGoFiles: (directory) => Object.keys(files).filter((file) => file.startsWith(`${directory}/`) && !file.slice(directory.length + 1).includes('/')).sort(),
    readGoFile: (file) => {
      reads.push(file);
      return files[file];
    },
  };
  return { files, reads, sources };
}

const types = `package shop

import (
	"context"
	s "sync"
	"time"
)

type Base struct {
	s.Mutex
	ids    []int
	events chan int
}

type Order struct {
	*Base
	mu      s.RWMutex
	wg      s.WaitGroup
	cancel  context.CancelFunc
	updates chan int
	timer   *time.Timer
	inner   struct{ once s.Once }
}

type Alias = Order

var defaultOrder = &Order{}
`;

const methods = `package shop

import "fmt"

func NewOrder() *Order { return &Order{} }

func (o *Order) Total() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.ids)
}

func (a *Alias) Describe() string {
	o := NewOrder()
	c := make(chan string)
	go func() { c <- fmt.Sprint(o.Total()) }()
	return <-c
}

func (o *Order) Audit() {
	o.Lock()
	defer o.Unlock()
	o.mu.Lock()
	o.mu.Unlock()
}
`;

async function workspaceWith(files: Record<string, string>) {
  const memory = memorySources(files);
  const workspace = new PackageWorkspace(await createGoParser(), memory.sources);
  return { ...memory, workspace };
}

function describe(type: ResolvedType | undefined): string {
  if (!type) return 'none';
  switch (type.kind) {
    case 'pointer':
      return `*${describe(type.element)}`;
    case 'chan':
      return `chan ${describe(type.element)}`;
    case 'package':
      return type.name;
    case 'imported':
      return `${type.path}.${type.name}`;
    default:
      return type.kind;
  }
}

test('package model: files of one directory and package clause; external tests apart', async () => {
  const { workspace } = await workspaceWith({
    '/m/shop/types.go': types,
    '/m/shop/methods.go': methods,
    '/m/shop/shop_test.go': 'package shop\nfunc helper() {}\n',
    '/m/shop/shop_external_test.go': 'package shop_test\nfunc Example() {}\n',
    '/m/shop/sub/other.go': 'package sub\n',
  });
  const pkg = workspace.packageOf('/m/shop/methods.go');
  assert.deepEqual(pkg?.filePaths.sort(), ['/m/shop/methods.go', '/m/shop/shop_test.go', '/m/shop/types.go']);
  assert.deepEqual(workspace.packageOf('/m/shop/shop_external_test.go')?.filePaths, ['/m/shop/shop_external_test.go']);
});

test('package model: fields, embedding, aliases, locals and calls resolve; standard types by import path', async () => {
  const { workspace } = await workspaceWith({ '/m/shop/types.go': types, '/m/shop/methods.go': methods });
  const pkg = workspace.packageOf('/m/shop/methods.go');
  assert.ok(pkg);
  const locks = new LockSummaries(pkg);
  const scope = locks.scope(functionNamed(pkg, 'Order.Describe'));
  const typeOf = (path: string) => {
    const [root, ...fields] = path.split('.');
    return scope.typeOf({ root, fields });
  };
  assert.equal(describe(typeOf('a')?.type), '*Order', 'a receiver of the alias is an *Order');
  assert.equal(describe(typeOf('o')?.type), '*Order', 'a local from a package function result');
  assert.equal(describe(typeOf('c')?.type), 'chan unknown', 'make(chan string): a channel of a predeclared type');
  assert.equal(standardTypeName(typeOf('a.mu')?.type ?? { kind: 'unknown' }), 'sync.RWMutex');
  assert.equal(standardTypeName(typeOf('a.wg')?.type ?? { kind: 'unknown' }), 'sync.WaitGroup');
  assert.equal(standardTypeName(typeOf('a.cancel')?.type ?? { kind: 'unknown' }), 'context.CancelFunc');
  assert.equal(standardTypeName(typeOf('a.timer')?.type ?? { kind: 'unknown' }), 'time.Timer');
  assert.equal(standardTypeName(typeOf('a.inner.once')?.type ?? { kind: 'unknown' }), 'sync.Once');
  assert.equal(describe(typeOf('a.updates')?.type), 'chan unknown');
  assert.equal(describe(typeOf('defaultOrder')?.type), '*Order', 'a package variable from &T{}');
  // Promotion through the embedded *Base: the field and the mutex methods.
  assert.equal(pathKey(typeOf('a.events')?.path ?? { root: '?', fields: [] }), 'a.Base.events');
  assert.equal(typeOf('a.ids'), undefined, 'a slice is not a type the model follows');
  assert.equal(pathKey(locks.mutexOf(functionNamed(pkg, 'Order.Audit'), { root: 'o', fields: [] }) ?? { root: 'none', fields: [] }), 'o.Base.Mutex');
  assert.equal(typeOf('a.missing'), undefined, 'an unknown field is unknown, not a guess');
  assert.equal(typeOf('nobody'), undefined);
  const call = scope.call({ kind: 'selector', receiver: { root: 'o', fields: [] }, name: 'Total' });
  assert.equal(call?.kind === 'function' ? call.fn.qualifiedName : call?.kind, 'Order.Total');
  assert.equal(scope.call({ kind: 'selector', receiver: { root: 'fmt', fields: [] }, name: 'Sprint' })?.kind, 'imported');
});

test('package model: summaries hold the locks at each call and what a function acquires', async () => {
  const { workspace } = await workspaceWith({ '/m/shop/types.go': types, '/m/shop/methods.go': methods });
  const pkg = workspace.packageOf('/m/shop/methods.go');
  assert.ok(pkg);
  const locks = new LockSummaries(pkg);
  const audit = functionNamed(pkg, 'Order.Audit');
  const acquired = locks.acquisitions(audit).map((acquisition) => `${pathKey(acquisition.mutex)} ${acquisition.method}`);
  assert.deepEqual(acquired, ['o.Base.Mutex Lock', 'o.mu Lock']);
  const innerLock = audit.facts.events.find((event) => event.kind === 'lock' && pathKey(event.receiver) === 'o.mu' && event.method === 'Lock');
  assert.deepEqual(innerLock && locks.held(audit, innerLock).map((held) => pathKey(held.mutex)), ['o.Base.Mutex']);
  // Describe calls Total only inside a goroutine: it acquires nothing itself.
  assert.deepEqual(locks.acquisitions(functionNamed(pkg, 'Order.Describe')), []);
  assert.deepEqual(locks.acquisitions(functionNamed(pkg, 'Order.Total')).map((acquisition) => acquisition.method), ['RLock']);
});

test('package model: an edit in another file reaches the package; unchanged functions keep their facts', async () => {
  const { workspace, reads } = await workspaceWith({ '/m/shop/types.go': types, '/m/shop/methods.go': methods });
  const parser = await createGoParser();
  const before = workspace.packageOf('/m/shop/methods.go');
  assert.ok(before);
  const generation = before.generation;
  const totalFacts = functionNamed(before, 'Order.Total').facts;
  // The user opens types.go and renames the mutex field: Total's o.mu no longer resolves.
  const edited = types.replace('mu      s.RWMutex', 'rw      s.RWMutex');
  const tree = parser.parse(edited);
  assert.ok(tree);
  workspace.setOpenFile(fileFacts('/m/shop/types.go', tree, edited, new LineIndex(edited), new FileDeclarations(tree.rootNode, edited)));
  tree.delete();
  const after = workspace.packageOf('/m/shop/methods.go');
  assert.equal(after, before, 'the same package object, updated');
  assert.ok(after.generation > generation);
  assert.equal(functionNamed(after, 'Order.Total').facts, totalFacts, 'methods.go was not read again');
  assert.deepEqual(new LockSummaries(after).acquisitions(functionNamed(after, 'Order.Total')), []);
  assert.equal(reads.filter((file) => file === '/m/shop/methods.go').length, 1);

  // In one file, an edit of one function recomputes that function only.
  const methodsTree = parser.parse(methods);
  assert.ok(methodsTree);
  const first = new FileDeclarations(methodsTree.rootNode, methods);
  const firstFacts = fileFacts('/m/shop/methods.go', methodsTree, methods, new LineIndex(methods), first);
  const typed = methods.replace('return len(o.ids)', 'return len(o.ids) + 1');
  const typedTree = parser.parse(typed);
  assert.ok(typedTree);
  const secondFacts = fileFacts('/m/shop/methods.go', typedTree, typed, new LineIndex(typed), new FileDeclarations(typedTree.rootNode, typed, first));
  const names = (facts: typeof firstFacts) => facts.declarations.map((declaration) => (declaration.facts.kind === 'function' ? declaration.facts.function.name : declaration.facts.kind));
  assert.deepEqual(names(secondFacts), names(firstFacts));
  const reused = secondFacts.declarations.map((declaration, index) => declaration.facts === firstFacts.declarations[index].facts);
  assert.deepEqual(reused, [true, false, true, true], 'only Total changed');
  methodsTree.delete();
  typedTree.delete();
});

test('package model: a file changed on disk is read again when the watcher says so', async () => {
  const { workspace, files, reads } = await workspaceWith({ '/m/shop/types.go': types, '/m/shop/methods.go': methods });
  const pkg = workspace.packageOf('/m/shop/methods.go');
  assert.ok(pkg);
  assert.equal(new LockSummaries(pkg).acquisitions(functionNamed(pkg, 'Order.Total')).length, 1);
  files['/m/shop/types.go'] = types.replace('mu      s.RWMutex', 'mu      int');
  workspace.packageOf('/m/shop/methods.go');
  assert.equal(reads.filter((file) => file === '/m/shop/types.go').length, 1, 'nothing said it changed: not read again');
  workspace.diskChanged('/m/shop/types.go');
  const after = workspace.packageOf('/m/shop/methods.go');
  assert.ok(after);
  assert.equal(reads.filter((file) => file === '/m/shop/types.go').length, 2);
  assert.deepEqual(new LockSummaries(after).acquisitions(functionNamed(after, 'Order.Total')), [], 'an int is not a mutex');
  // A new file appears, and one is deleted.
  files['/m/shop/extra.go'] = 'package shop\nfunc (o *Order) Extra() {}\n';
  workspace.diskChanged('/m/shop/extra.go');
  assert.ok(workspace.packageOf('/m/shop/methods.go')?.functions().some((each) => each.qualifiedName === 'Order.Extra'));
  delete files['/m/shop/extra.go'];
  workspace.diskChanged('/m/shop/extra.go');
  assert.ok(!workspace.packageOf('/m/shop/methods.go')?.functions().some((each) => each.qualifiedName === 'Order.Extra'));
});

test('package model: a name declared twice (per-platform files) is unknown', async () => {
  const { workspace } = await workspaceWith({
    '/m/p/a_linux.go': 'package p\nimport "sync"\ntype T struct{ mu sync.Mutex }\n',
    '/m/p/a_windows.go': 'package p\ntype T struct{ mu int }\n',
    '/m/p/use.go': 'package p\nfunc (t *T) f() { t.mu.Lock(); t.mu.Unlock() }\n',
  });
  const pkg = workspace.packageOf('/m/p/use.go');
  assert.ok(pkg);
  assert.deepEqual(new LockSummaries(pkg).acquisitions(functionNamed(pkg, 'T.f')), []);
});
