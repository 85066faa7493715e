// The package's list of lock-order edges is kept across versions while the
// functions' answers it was made from are the same: an edit in a function
// that takes no second lock keeps the list; an edit that moves or changes a
// function's edges makes it again, and the findings are a fresh model's.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import type { GoPackage } from '../../server/src/packageModel/goPackage';
import { lockOrderEdges } from '../../server/src/packageModel/lockOrder';
import { LockSummaries } from '../../server/src/packageModel/lockSummaries';
import { editablePackages } from '../support/packageTest';

const accounts = `package accounts

import "sync"

type Ledger struct {
	mu      sync.Mutex
	entries int
}

type Account struct {
	mu      sync.Mutex
	balance int
	ledger  *Ledger
}

func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
	a.ledger.mu.Lock()
	a.ledger.entries++
	a.ledger.mu.Unlock()
}

func (l *Ledger) Audit(a *Account) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func (a *Account) Balance() int {
	return a.balance
}
`;

const file = '/m/accounts/accounts.go';

function findings(pkg: GoPackage): string[] {
  return packageFindings(pkg, file, { locale: 'en', onlyRules: new Set(['sync/lock-order-inversion']) }).findings.map(
    (finding) => `${finding.range.start.line + 1} ${finding.message} | ${finding.related.map((related) => `${related.range.start.line + 1} ${related.message}`).join(' | ')}`,
  );
}

async function freshFindings(text: string): Promise<string[]> {
  return findings((await editablePackages({ [file]: text })).open(file, text));
}

test('kept lock-order edges: the list stays while no function with edges changes, and is made again when one does', async () => {
  const { open } = await editablePackages({ [file]: accounts });
  let pkg = open(file, accounts);
  const before = findings(pkg);
  assert.equal(before.length, 1, before.join('\n'));
  assert.match(before[0], /^20 /);
  const edges = lockOrderEdges(pkg, LockSummaries.of(pkg));
  assert.equal(edges.length, 2);

  // Balance takes no lock: the list is the same object.
  pkg = open(file, accounts.replace('Balance() int {\n\treturn a.balance', 'Balance() int {\n\tb := a.balance\n\treturn b'));
  assert.equal(lockOrderEdges(pkg, LockSummaries.of(pkg)), edges);
  assert.deepEqual(findings(pkg), before);

  // A line typed in Audit before its second lock: Audit's edge, the other place of Deposit's finding, moves; the list is made again.
  const moved = accounts.replace('\tdefer l.mu.Unlock()\n', '\tdefer l.mu.Unlock()\n\t_ = a\n');
  pkg = open(file, moved);
  assert.deepEqual(findings(pkg), await freshFindings(moved));
  assert.match(findings(pkg)[0], /^20 .*\(line 29\)/);
  assert.notEqual(lockOrderEdges(pkg, LockSummaries.of(pkg)), edges);

  // Audit stops taking a.mu: no inversion any more.
  const ordered = moved.replace('\ta.mu.Lock()\n\tdefer a.mu.Unlock()\n\treturn a.balance', '\treturn a.balance');
  pkg = open(file, ordered);
  assert.deepEqual(findings(pkg), []);
  assert.equal(lockOrderEdges(pkg, LockSummaries.of(pkg)).length, 1);
});
