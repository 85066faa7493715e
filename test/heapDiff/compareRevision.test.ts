// The editor's comparison with a git revision when the workspace is reached
// through a symbolic link: git names the repository by its real path, the
// editor names the package by the linked one, and the copy at the revision
// must still be the same package (not a directory outside the copy).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runEscapeAnalysis } from '../../server/src/compiler';
import { readGoFile } from '../../server/src/engine/readGoFile';
import { compareWithRevision } from '../../server/src/heapDiff/compareRevision';
import { goPath } from '../compiler/compilerTestSupport';
import { repositoryWithUncommittedChange } from '../support/sinceRepository';

const readText = (file: string) => {
  const read = readGoFile(file);
  return 'text' in read ? read.text : undefined;
};

test('a package opened through a symlinked directory is compared with the same package at the revision', { timeout: 120_000, skip: process.platform === 'win32' }, async (t) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-compare-symlink-'));
  t.after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const repository = path.join(scratch, 'repository');
  fs.mkdirSync(repository);
  repositoryWithUncommittedChange(repository, 'adds');
  const linked = path.join(scratch, 'linked');
  fs.symlinkSync(repository, linked, 'dir');

  const current = await runEscapeAnalysis({ packageDir: linked, goPath });
  assert.equal(current.buildFailed, undefined);
  const comparison = await compareWithRevision({ current, textOf: readText, readFile: readText, revisionName: 'HEAD', goPath, buildFlags: [] });
  assert.equal(comparison.failure, undefined);
  // The `// want` lines of since/adds/after/alloc.go, and the four facts both versions share.
  assert.deepEqual(
    comparison.added.map(({ fact }) => `${path.basename(fact.file)}:${fact.line} ${fact.message}`),
    ['alloc.go:14 moved to heap: total', 'alloc.go:24 new(int) escapes to heap', 'alloc.go:30 moved to heap: n', 'alloc.go:31 func literal escapes to heap'],
  );
  assert.deepEqual([comparison.removed.length, comparison.unchanged], [0, 4]);
});
