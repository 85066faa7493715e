// Package rules end to end over LSP: a finding in an open file appears and
// disappears when ANOTHER file of the package changes, whether that file is
// changed on disk (reported through workspace/didChangeWatchedFiles) or
// edited, unsaved, in another open buffer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lspClient';

const rule = 'sync/relock-through-call';

const cacheText = [
  'package cache',
  '',
  'import "sync"',
  '',
  'type Cache struct {',
  '\tmu    sync.Mutex',
  '\titems map[string]string',
  '}',
  '',
  'func (c *Cache) Set(key, value string) {',
  '\tc.mu.Lock()',
  '\tdefer c.mu.Unlock()',
  '\tif !c.Has(key) {',
  '\t\tc.items[key] = value',
  '\t}',
  '}',
  '',
].join('\n');

const lookupQuiet = 'package cache\n\n// The caller holds c.mu.\nfunc (c *Cache) Has(key string) bool {\n\t_, ok := c.items[key]\n\treturn ok\n}\n';
const lookupLocking = 'package cache\n\nfunc (c *Cache) Has(key string) bool {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\t_, ok := c.items[key]\n\treturn ok\n}\n';

let client: TestLspClient;
let directory: string;
let cacheUri: string;
let lookupPath: string;
let lookupUri: string;

before(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-package-'));
  fs.writeFileSync(path.join(directory, 'cache.go'), cacheText);
  lookupPath = path.join(directory, 'lookup.go');
  fs.writeFileSync(lookupPath, lookupQuiet);
  cacheUri = pathToFileURL(path.join(directory, 'cache.go')).toString();
  lookupUri = pathToFileURL(lookupPath).toString();
  client = TestLspClient.start();
  // No compiler: its results re-analyze the package's open files too, which would hide a missing re-analysis here.
  client.configuration = { compiler: { run: 'manual' } };
  await client.initialize();
});

after(async () => {
  await client.stop();
  fs.rmSync(directory, { recursive: true, force: true });
});

/** The next diagnostics published for cache.go (after `mark`) whose relock findings number `count`. */
function relocksInCache(mark: number, count: number) {
  return client.waitFor<PublishDiagnosticsParams>(
    'textDocument/publishDiagnostics',
    (params) => params.uri === cacheUri && params.diagnostics.filter((diagnostic) => diagnostic.code === rule).length === count,
    20_000,
    mark,
  );
}

test('a finding appears in an open file when another file of the package changes on disk, and goes when it changes back', async () => {
  let mark = client.mark();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: cacheUri, languageId: 'go', version: 1, text: cacheText } });
  await relocksInCache(mark, 0);

  mark = client.mark();
  fs.writeFileSync(lookupPath, lookupLocking);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: lookupUri, type: 2 }] });
  const published = await relocksInCache(mark, 1);
  const [diagnostic] = published.diagnostics.filter((each) => each.code === rule);
  assert.equal(diagnostic.range.start.line, 12);
  // Diagnostics are plain text: the message's code spans read as quotes.
  assert.match(String(diagnostic.message), /^“c\.Has\(…\)” locks “c\.mu” again \(in “Cache\.Has”, lookup\.go:4\) while it is held since line 11/);
  assert.deepEqual(
    diagnostic.relatedInformation?.map((related) => [related.location.uri, related.location.range.start.line]),
    [
      [cacheUri, 10],
      [lookupUri, 3],
    ],
  );

  mark = client.mark();
  fs.writeFileSync(lookupPath, lookupQuiet);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: lookupUri, type: 2 }] });
  await relocksInCache(mark, 0);
});

test('a finding follows unsaved edits of another open file of the package', async () => {
  let mark = client.mark();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: lookupUri, languageId: 'go', version: 1, text: lookupQuiet } });
  mark = client.mark();
  // Typing the lock into Has (not saved): Set, in the other open file, now deadlocks.
  const lockLines = '\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n';
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: lookupUri, version: 2 },
    contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: lockLines }],
  });
  await relocksInCache(mark, 1);

  mark = client.mark();
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: lookupUri, version: 3 },
    contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 6, character: 0 } }, text: '' }],
  });
  await relocksInCache(mark, 0);
});
