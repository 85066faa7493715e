// Leak detection through the real server and the real go: the code lens over
// each test, the runLeakTests request, the runtime's findings as diagnostics
// on the text the tests ran on (an unsaved buffer included), carried through
// edits and dropped when their line is edited; nothing runs untrusted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { AnalyzedParams, RunLeakTestsParams, RunLeakTestsResult } from '../../server/src/protocol/customMessages';
import { fixturesRoot } from '../support/analysisTest';
import { TestLspClient } from '../support/lspClient';

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

    // An edit above moves the finding; an edit on its line drops it.
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
