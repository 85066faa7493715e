// File digests remembered by stat: reused only for files whose last change is
// long past, so that a rewrite within one timestamp tick is never missed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { digestOf, FileDigests } from '../../server/src/compiler/fileDigests';
import { scratchDir } from './compilerTestSupport';

function scratchFile(t: { after: (fn: () => void) => void }, name: string, text: string): string {
  const dir = scratchDir('digests');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('a file changed within the racy window is read again every time, never remembered', (t) => {
  const file = scratchFile(t, 'a.go', 'package a\n');
  const digests = new FileDigests();
  for (let round = 0; round < 20; round++) {
    // Same size each time: only the content tells the versions apart.
    const text = `package a\n\nvar V = ${round % 2 === 0 ? 'true ' : 'false'}\n`;
    fs.writeFileSync(file, text);
    assert.deepEqual(digests.digest(file), digestOf(text), `round ${round}`);
    assert.equal(digests.isRemembered(file), false, `round ${round}`);
  }
});

test('a file whose last change is long past is remembered, and a later change is still seen', (t) => {
  const file = scratchFile(t, 'a.go', 'package a\n');
  const digests = new FileDigests(8192, () => BigInt(Date.now() + 60_000) * 1_000_000n);
  assert.deepEqual(digests.digest(file), digestOf('package a\n'));
  assert.equal(digests.isRemembered(file), true);
  fs.writeFileSync(file, 'package b\n\nvar V = 1\n');
  assert.deepEqual(digests.digest(file), digestOf('package b\n\nvar V = 1\n'));
  fs.rmSync(file);
  assert.equal(digests.digest(file), undefined, 'a file gone since is not answered from memory');
});

test('at most maxEntries files are remembered, the oldest forgotten first', (t) => {
  const first = scratchFile(t, 'a.go', 'package a\n');
  const dir = path.dirname(first);
  const second = path.join(dir, 'b.go');
  const third = path.join(dir, 'c.go');
  fs.writeFileSync(second, 'package a\n\n// b\n');
  fs.writeFileSync(third, 'package a\n\n// c\n');
  const digests = new FileDigests(2, () => BigInt(Date.now() + 60_000) * 1_000_000n);
  for (const file of [first, second, third]) digests.digest(file);
  assert.deepEqual([first, second, third].map((file) => digests.isRemembered(file)), [false, true, true]);
});
