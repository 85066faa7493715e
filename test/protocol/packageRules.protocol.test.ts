// Package rules end to end over LSP: a finding in an open file appears and
// disappears when ANOTHER file of the package changes, whether that file is
// changed on disk (reported through workspace/didChangeWatchedFiles) or
// edited, unsaved, in another open buffer; while typing, the package findings
// are carried on their lines until the pause after which the rules run, and a
// change elsewhere in the package does not interrupt the typing for them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { analyzedNotification, type AnalyzedParams } from '../../server/src/protocol/customMessages';
import { configurationAnswered, TestLspClient } from '../support/lspClient';

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

/**
 * The analysis of `version` of a document in the given state (after `mark`),
 * with the diagnostics published just before it: those are what it showed.
 */
async function analysisOf(uri: string, version: number, state: AnalyzedParams['packageFindings'], mark: number, timeoutMs = 20_000) {
  const analyzed = await client.waitFor<AnalyzedParams>(
    analyzedNotification,
    (params) => params.uri === uri && params.version === version && params.packageFindings === state,
    timeoutMs,
    mark,
  );
  const at = client.notifications.findIndex((item) => item.params === analyzed);
  const published = client.notifications
    .slice(0, at)
    .reverse()
    .find((item) => item.method === 'textDocument/publishDiagnostics' && (item.params as PublishDiagnosticsParams).uri === uri);
  const relocks = ((published?.params as PublishDiagnosticsParams | undefined)?.diagnostics ?? []).filter((diagnostic) => diagnostic.code === rule);
  return { at, relockLines: relocks.map((diagnostic) => diagnostic.range.start.line) };
}

test('while typing, the package findings stay on their lines until the pause, when the package rules run again; a quick-fix request or a delay of 0 does not wait', async () => {
  const typing = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-typing-'));
  try {
    fs.writeFileSync(path.join(typing, 'cache.go'), cacheText);
    fs.writeFileSync(path.join(typing, 'lookup.go'), lookupLocking);
    const uri = pathToFileURL(path.join(typing, 'cache.go')).toString();
    let mark = client.mark();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: cacheText } });
    // The first analysis comes before the siblings are read; the one after them has the finding.
    assert.deepEqual((await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === uri && params.diagnostics.some((each) => each.code === rule), 20_000, mark)).diagnostics.filter((each) => each.code === rule).map((each) => each.range.start.line), [12]);

    const change = async (version: number, line: number, character: number, text: string) => {
      const sent = client.mark();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }],
      });
      return sent;
    };
    /** New settings, applied once the document's version has been analyzed with them. */
    const configure = async (typingDelayMs: number, version: number) => {
      client.configuration = { compiler: { run: 'manual' }, packageRules: { typingDelayMs } };
      const sent = client.mark();
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await client.waitFor(configurationAnswered, () => true, 20_000, sent);
      await analysisOf(uri, version, 'current', sent);
    };

    // A line added above the finding: it moves down with its line at once, and the rules, run after the pause, agree.
    mark = await change(2, 1, 0, '\n');
    const carried = await analysisOf(uri, 2, 'carried', mark);
    assert.deepEqual(carried.relockLines, [13]);
    const settled = await analysisOf(uri, 2, 'current', mark);
    assert.deepEqual(settled.relockLines, [13]);
    assert.ok(carried.at < settled.at);

    // Typing on the finding's own line: it may no longer hold, so it is gone until the rules have run again.
    mark = await change(3, 13, 17, ' ');
    assert.deepEqual((await analysisOf(uri, 3, 'carried', mark)).relockLines, []);
    assert.deepEqual((await analysisOf(uri, 3, 'current', mark)).relockLines, [13]);

    // With a pause of a minute, only a request for quick fixes gets the rules' own findings (their fixes) now.
    await configure(60_000, 3);
    mark = await change(4, 2, 0, '// typed\n');
    assert.deepEqual((await analysisOf(uri, 4, 'carried', mark)).relockLines, [14]);
    await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 14, character: 0 }, end: { line: 14, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual((await analysisOf(uri, 4, 'current', mark, 5_000)).relockLines, [14]);

    // A delay of 0: every analysis runs the package rules.
    await configure(0, 4);
    mark = await change(5, 1, 0, '\n');
    const first = await client.waitFor<AnalyzedParams>(analyzedNotification, (params) => params.uri === uri && params.version === 5, 20_000, mark);
    assert.equal(first.packageFindings, 'current');
    assert.deepEqual((await analysisOf(uri, 5, 'current', mark)).relockLines, [15]);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  } finally {
    client.configuration = { compiler: { run: 'manual' } };
    fs.rmSync(typing, { recursive: true, force: true });
  }
});

test('a file being typed in is not analyzed again when another file of its package changes: its package rules wait for the pause', async () => {
  const typing = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-typing-'));
  const otherPath = path.join(typing, 'lookup.go');
  try {
    fs.writeFileSync(path.join(typing, 'cache.go'), cacheText);
    fs.writeFileSync(otherPath, lookupLocking);
    const uri = pathToFileURL(path.join(typing, 'cache.go')).toString();
    // A pause of a minute: within the test, only a quick-fix request ends it.
    client.configuration = { compiler: { run: 'manual' }, packageRules: { typingDelayMs: 60_000 } };
    let mark = client.mark();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor(configurationAnswered, () => true, 20_000, mark);
    mark = client.mark();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: cacheText } });
    await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === uri && params.diagnostics.some((each) => each.code === rule), 20_000, mark);

    mark = client.mark();
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' }],
    });
    assert.deepEqual((await analysisOf(uri, 2, 'carried', mark)).relockLines, [13]);

    // The other file no longer locks: cache.go's finding is gone, but only once its pause ends.
    const changed = client.mark();
    fs.writeFileSync(otherPath, lookupQuiet);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(otherPath).toString(), type: 2 }] });
    // Two round trips: whatever the change scheduled has been sent by the time the second answer arrives.
    for (let trip = 0; trip < 2; trip++) await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    const analyzedSince = client.notifications.slice(changed).filter((item) => item.method === analyzedNotification && (item.params as AnalyzedParams).uri === uri);
    assert.deepEqual(analyzedSince, [], 'cache.go was analyzed again while being typed in');

    await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 13, character: 0 }, end: { line: 13, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual((await analysisOf(uri, 2, 'current', changed, 5_000)).relockLines, []);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  } finally {
    client.configuration = { compiler: { run: 'manual' } };
    fs.rmSync(typing, { recursive: true, force: true });
  }
});
