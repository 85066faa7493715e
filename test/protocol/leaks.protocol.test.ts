// Leak detection through the real server and the real go: the code lens over
// each test, the runLeakTests request, the runtime's findings as diagnostics
// on the text the tests ran on (an unsaved buffer included), carried through
// edits, marked stale when their line is edited and dropped when it is
// deleted; the hang limit from the settings; nothing runs untrusted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic, Hover, LogMessageParams, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { AnalyzedParams, RunLeakTestsParams, RunLeakTestsResult } from '../../server/src/protocol/customMessages';
import { fixturesRoot } from '../support/analysisTest';
import { configurationAnswered, TestLspClient } from '../support/lspClient';

const packageDir = path.join(fixturesRoot, 'leaks', 'leaking');
const workFile = path.join(packageDir, 'work.go');
const testFile = path.join(packageDir, 'work_test.go');
const runTimeout = 300_000;

async function open(client: TestLspClient, file: string, text = fs.readFileSync(file, 'utf8')): Promise<string> {
  const uri = pathToFileURL(file).toString();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri);
  return uri;
}

function latestDiagnostics(client: TestLspClient, uri: string): Diagnostic[] {
  const published = client.notifications.filter(
    (notification) => notification.method === 'textDocument/publishDiagnostics' && (notification.params as PublishDiagnosticsParams).uri === uri,
  );
  return (published[published.length - 1]?.params as PublishDiagnosticsParams | undefined)?.diagnostics ?? [];
}

const leakDiagnostics = (diagnostics: Diagnostic[]) =>
  diagnostics.filter((diagnostic) => String(diagnostic.code).startsWith('goroutine/leaked')).map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.message]);

test('leaks over LSP: code lens, run request, diagnostics on the buffer the tests ran on, hover with the stack, edits', { timeout: runTimeout }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const testUri = await open(client, testFile);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: testUri } })) as CodeLens[];
    assert.deepEqual(
      lenses.filter((lens) => lens.command?.command === 'goinsight.runLeakTests').map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.arguments]),
      [
        [4, 'run with leak check', [testUri, 'TestFirst']],
        [10, 'run with leak check', [testUri, 'TestTotal']],
      ],
    );

    // An unsaved line on top: the tests run on the buffer, so the finding lands one line lower than on disk.
    const workUri = await open(client, workFile, `// unsaved note\n${fs.readFileSync(workFile, 'utf8')}`);
    const params: RunLeakTestsParams = { uri: testUri, test: 'TestFirst' };
    const result = (await client.connection.sendRequest('goinsight/runLeakTests', params)) as RunLeakTestsResult;
    assert.deepEqual(result, { cancelled: false, findings: 1, failedTests: [], hungTests: [], leakProfile: true });
    await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (published) => published.uri === workUri && leakDiagnostics(published.diagnostics).length > 0);
    const [leak] = latestDiagnostics(client, workUri).filter((diagnostic) => diagnostic.code === 'goroutine/leaked');
    assert.deepEqual([leak.range.start.line, leak.range.start.character, leak.message, leak.source], [
      11,
      3,
      'goroutine leaked in TestFirst: blocked forever sending on “results” (2 goroutines)',
      'goinsight (test run)',
    ]);
    assert.deepEqual(leak.relatedInformation?.map((related) => [related.location.uri, related.location.range.start.line, related.message]), [
      [workUri, 10, 'goroutine started here'],
      [testUri, 4, 'while running TestFirst'],
    ]);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: workUri }, position: leak.range.start })) as Hover;
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /goroutine \d+ \[chan send \(leaked\)\]:/);
    assert.match(markdown, /goroutine leak detection/);

    // An edit above moves the finding; an edit inside its line marks it stale; deleting its line drops it.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: workUri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// another\n' }],
    });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (analyzed) => analyzed.uri === workUri && analyzed.version === 2);
    assert.deepEqual(leakDiagnostics(latestDiagnostics(client, workUri)).map(([line]) => line), [12]);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: workUri, version: 3 },
      contentChanges: [{ range: { start: { line: 12, character: 3 }, end: { line: 12, character: 3 } }, text: '_ = 0; ' }],
    });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (analyzed) => analyzed.uri === workUri && analyzed.version === 3);
    const [stale] = latestDiagnostics(client, workUri).filter((diagnostic) => diagnostic.code === 'goroutine/leaked');
    assert.deepEqual([stale.range, stale.message], [
      { start: { line: 12, character: 3 }, end: { line: 12, character: 77 } }, // the whole edited line, past its three tabs
      'goroutine leaked in TestFirst: blocked forever sending on “results” (2 goroutines)',
    ]);
    const staleHover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: workUri }, position: { line: 12, character: 4 } })) as Hover;
    assert.match((staleHover.contents as MarkupContent).value, /^\*\*[^\n]+\n\n⚠ Stale: this line was edited after the test run that found this/);
    assert.doesNotMatch(markdown, /Stale/, 'the hover before the edit says nothing of the kind');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: workUri, version: 4 },
      contentChanges: [{ range: { start: { line: 11, character: 0 }, end: { line: 13, character: 0 } }, text: '' }],
    });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (analyzed) => analyzed.uri === workUri && analyzed.version === 4);
    assert.deepEqual(leakDiagnostics(latestDiagnostics(client, workUri)), []);
  } finally {
    await client.stop();
  }
});

test('leaks over LSP: an untrusted workspace gets no code lens and no test run', { timeout: 60_000 }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize({ trusted: false });
    const testUri = await open(client, testFile);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: testUri } })) as CodeLens[];
    assert.deepEqual(lenses.filter((lens) => lens.command?.command === 'goinsight.runLeakTests'), []);
    const result = (await client.connection.sendRequest('goinsight/runLeakTests', { uri: testUri })) as RunLeakTestsResult;
    assert.match(result.refused ?? '', /trust the workspace/);
    assert.equal(result.findings, 0);
  } finally {
    await client.stop();
  }
});

test('leaks over LSP: a file outside any module is refused with a message, and the server keeps working', { timeout: 60_000 }, async () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-leaks-nomodule-'));
  const client = TestLspClient.start();
  try {
    const file = path.join(outside, 'lone_test.go');
    fs.writeFileSync(file, 'package lone\n\nimport "testing"\n\nfunc TestLone(t *testing.T) {}\n');
    await client.initialize();
    const uri = await open(client, file);
    const result = (await client.connection.sendRequest('goinsight/runLeakTests', { uri })) as RunLeakTestsResult;
    assert.equal(result.refused, `${outside} is not inside a Go module (no go.mod above it).`);
    const untitled = (await client.connection.sendRequest('goinsight/runLeakTests', { uri: 'untitled:Untitled-1' })) as RunLeakTestsResult;
    assert.match(untitled.refused ?? '', /saved on disk/);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.equal(lenses.filter((lens) => lens.command?.command === 'goinsight.runLeakTests').length, 1);
  } finally {
    await client.stop();
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('leaks over LSP: goinsight.leaks.timeoutSeconds bounds a hung test, and a change applies to the next run without a restart', { timeout: runTimeout }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const uri = await open(client, path.join(fixturesRoot, 'leaks', 'deadlock', 'queue_test.go'));
    for (const timeoutSeconds of [3, 4]) {
      client.configuration = { leaks: { timeoutSeconds } };
      const sent = client.mark();
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      const { at: answered } = await client.waitFor<{ at: number }>(configurationAnswered, () => true, 20_000, sent);
      // The re-analysis that follows a settings change: the server has the new settings.
      await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri, 20_000, answered);
      const result = (await client.connection.sendRequest('goinsight/runLeakTests', { uri, test: 'TestDrain' })) as RunLeakTestsResult;
      assert.deepEqual(result.hungTests, ['TestDrain']);
      // The harness's watchdog says which limit stopped the tests; the server logs the run's output.
      const stopped = await client.waitFor<LogMessageParams>('window/logMessage', (params) => params.message.includes('goinsight: the tests did not finish within'), 5_000, sent);
      assert.match(stopped.message, new RegExp(`did not finish within ${timeoutSeconds * 1000} ms`));
      // The hung test itself: an error at its func line naming the limit, what it printed in the hover.
      const published = await client.waitFor<PublishDiagnosticsParams>(
        'textDocument/publishDiagnostics',
        (params) => params.uri === uri && params.diagnostics.some((diagnostic) => diagnostic.code === 'goroutine/test-failed' && String(diagnostic.message).includes(`within ${timeoutSeconds} s`)),
        10_000,
        sent,
      );
      const hung = published.diagnostics.filter((diagnostic) => diagnostic.code === 'goroutine/test-failed');
      assert.deepEqual(hung.map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.severity, diagnostic.source, diagnostic.message]), [
        [4, 0, 1, 'goinsight (test run)', `TestDrain did not finish within ${timeoutSeconds} s: the run was stopped`],
      ]);
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 6 } })) as Hover;
      const markdown = (hover.contents as MarkupContent).value;
      assert.match(markdown, /\*\*Test failed \(seen while running the tests\)\*\*/);
      assert.match(markdown, /=== RUN {3}TestDrain\n/);
    }
  } finally {
    await client.stop();
  }
});

test('leaks over LSP: a failed test is an error at its func line, its output in the hover', { timeout: runTimeout }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const uri = await open(client, path.join(fixturesRoot, 'leaks', 'failing', 'words_test.go'));
    const result = (await client.connection.sendRequest('goinsight/runLeakTests', { uri })) as RunLeakTestsResult;
    assert.deepEqual(result, {
      cancelled: false,
      findings: 0,
      failedTests: ['TestWordsTabbed', 'TestWordsTable', 'TestWordsTable/two_spaces', 'TestWordsSilent'],
      hungTests: [],
      leakProfile: true,
    });
    const published = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === uri && params.diagnostics.some((diagnostic) => diagnostic.code === 'goroutine/test-failed'));
    const failed = published.diagnostics.filter((diagnostic) => diagnostic.code === 'goroutine/test-failed');
    assert.deepEqual(failed.map((diagnostic) => [diagnostic.range.start.line, diagnostic.severity, diagnostic.source, diagnostic.message]), [
      [10, 1, 'goinsight (test run)', 'TestWordsTabbed failed: words_test.go:13: Words("a\\tb") = 1, want 2'],
      [16, 1, 'goinsight (test run)', 'TestWordsTable/two_spaces failed: words_test.go:29: Words = 3, want 2'],
      [34, 1, 'goinsight (test run)', 'TestWordsSilent failed without a message'],
    ]);
    assert.deepEqual(failed[0].relatedInformation?.map((related) => [related.location.uri, related.location.range.start.line, related.message]), [[uri, 12, 'reported here']]);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 16, character: 6 } })) as Hover;
    const markdown = (hover.contents as MarkupContent).value;
    assert.match(markdown, /=== RUN {3}TestWordsTable\/two_spaces\n {4}words_test\.go:29: Words = 3, want 2\n--- FAIL: TestWordsTable\/two_spaces/);
    assert.match(markdown, /\*\*Test failed \(seen while running the tests\)\*\*/);
  } finally {
    await client.stop();
  }
});
