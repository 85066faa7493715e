// Escape analysis through the real server and the real go toolchain: hints,
// hover and diagnostics for the compiler's facts; facts carried through edits
// (never shown on the wrong lines); the notice for a package that does not
// compile; no go command at all in an untrusted workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover, InlayHint, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { AnalyzedParams, CompilerFactsParams, StatusParams } from '../../server/src/protocol/customMessages';
import { fixturesRoot } from '../support/analysisTest';
import { TestLspClient } from '../support/lspClient';

const shapesFile = path.join(fixturesRoot, 'escape-protocol', 'shapes', 'shapes.go');
const brokenFile = path.join(fixturesRoot, 'escape-protocol', 'broken', 'broken.go');
const compileTimeout = 120_000;

async function openFile(client: TestLspClient, file: string, version = 1): Promise<string> {
  const uri = pathToFileURL(file).toString();
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'go', version, text: fs.readFileSync(file, 'utf8') },
  });
  return uri;
}

function compilerFactsFor(client: TestLspClient, uri: string, since = 0) {
  return client.waitFor<CompilerFactsParams>('goinsight/compilerFacts', (params) => params.documents.some((document) => document.uri === uri), compileTimeout, since);
}

/** Opens a file and waits until its compiler facts are shown. */
async function openWithFacts(client: TestLspClient, file: string): Promise<string> {
  const uri = await openFile(client, file);
  await compilerFactsFor(client, uri);
  await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.diagnostics > 0);
  return uri;
}

/** The diagnostics published last for a document. */
function latestDiagnostics(client: TestLspClient, uri: string): Diagnostic[] {
  const published = client.notifications.filter(
    (notification) => notification.method === 'textDocument/publishDiagnostics' && (notification.params as PublishDiagnosticsParams).uri === uri,
  );
  return (published[published.length - 1]?.params as PublishDiagnosticsParams | undefined)?.diagnostics ?? [];
}

const escapeDiagnostics = (diagnostics: Diagnostic[]) =>
  diagnostics
    .filter((diagnostic) => String(diagnostic.code).startsWith('escape/'))
    .map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character, diagnostic.code, diagnostic.message]);

test('escape facts: diagnostics with the flow, widened ranges, inlay hints and hover', { timeout: compileTimeout }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const uri = await openFile(client, shapesFile);
    const report = await compilerFactsFor(client, uri);
    assert.equal(report.buildFailed, undefined);
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.diagnostics > 0);

    const diagnostics = latestDiagnostics(client, uri);
    assert.deepEqual(escapeDiagnostics(diagnostics), [
      [8, 1, 8, 2, 'escape/moved-to-heap', 'moved to heap: p'],
      // Reported at the "(" of make; widened to the whole call.
      [14, 8, 14, 26, 'escape/escapes-to-heap', 'make([]byte, size) escapes to heap'],
      // Reported at the "." of the selector; widened to p.X.
      [19, 19, 19, 22, 'escape/escapes-to-heap', 'p.X escapes to heap'],
    ]);
    const moved = diagnostics.find((diagnostic) => diagnostic.code === 'escape/moved-to-heap');
    assert.equal(moved?.severity, 4, 'compiler facts are hints by default');
    assert.equal(moved?.source, 'goinsight (compiler)');
    assert.ok((moved?.relatedInformation?.length ?? 0) > 0, 'the escape flow comes as related information');
    assert.ok(moved?.relatedInformation?.every((related) => related.location.uri === uri));

    const hints = (await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
    })) as InlayHint[];
    const heapHints = hints.filter((hint) => hint.label === '⇡heap').map((hint) => [hint.position.line, hint.position.character]);
    assert.deepEqual(heapHints, [[8, 2], [14, 26], [19, 22]]);
    // Hovering a hint tells what it is and why.
    const makeHint = hints.find((hint) => hint.label === '⇡heap' && hint.position.line === 14);
    assert.match((makeHint?.tooltip as { value: string } | undefined)?.value ?? '', /^\*\*Value escapes to the heap\*\*: `make\(\[\]byte, size\) escapes to heap`\n\nWhy: /);

    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 14, character: 12 },
    })) as Hover;
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /make\(\[\]byte, size\) escapes to heap/);
  } finally {
    await client.stop();
  }
});

test('edits while facts are shown: facts below move with the text, facts on edited lines go away', { timeout: compileTimeout }, async () => {
  const client = TestLspClient.start();
  client.configuration = { compiler: { run: 'onSave' } };
  try {
    await client.initialize();
    const uri = await openWithFacts(client, shapesFile);

    // Two lines inserted after the package clause: every fact moves down by two, none re-run.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// one\n// two\n' }],
    });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 2);
    assert.deepEqual(
      escapeDiagnostics(latestDiagnostics(client, uri)).map(([line, , , , code]) => [line, code]),
      [[10, 'escape/moved-to-heap'], [16, 'escape/escapes-to-heap'], [21, 'escape/escapes-to-heap']],
    );

    // Editing the line of a fact removes that fact (it may no longer hold).
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 16, character: 1 }, end: { line: 16, character: 7 } }, text: 'return' }],
    });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 3);
    assert.deepEqual(
      escapeDiagnostics(latestDiagnostics(client, uri)).map(([line, , , , code]) => [line, code]),
      [[10, 'escape/moved-to-heap'], [21, 'escape/escapes-to-heap']],
    );
  } finally {
    await client.stop();
  }
});

test('facts carried through a batch of changes and a deletion: diagnostics, flow, hints and hover on the right lines', { timeout: compileTimeout }, async () => {
  const client = TestLspClient.start();
  client.configuration = { compiler: { run: 'onSave' } };
  try {
    await client.initialize();
    const uri = await openWithFacts(client, shapesFile);

    const edit = async (version: number, contentChanges: unknown[]) => {
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === version);
    };
    /** Each escape diagnostic as its line, code and the lines of its flow. */
    const placed = () =>
      latestDiagnostics(client, uri)
        .filter((diagnostic) => String(diagnostic.code).startsWith('escape/'))
        .map((diagnostic) => [diagnostic.range.start.line, diagnostic.code, (diagnostic.relatedInformation ?? []).map((related) => related.location.range.start.line)]);
    const heapHints = async () =>
      ((await client.connection.sendRequest('textDocument/inlayHint', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } },
      })) as InlayHint[])
        .filter((hint) => hint.label === '⇡heap')
        .map((hint) => [hint.position.line, hint.position.character]);
    const hoverText = async (line: number, character: number) => {
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as Hover | null;
      return hover ? (hover.contents as { value: string }).value : '';
    };
    // shapes.go: `p := Point{…}` on line 9 (0-based 8), its flow through `return &p` on line 10; make(…) on 15; p.X on 20.
    const original = placed() as [number, string, number[]][];
    assert.deepEqual(original.map(([line]) => line), [8, 14, 19]);
    assert.ok(original[0][2].includes(9), `the flow of p goes through "return &p": ${JSON.stringify(original[0][2])}`);
    const shifted = (delta: number) => original.map(([line, code, flow]) => [line + delta, code, flow.map((flowLine) => flowLine + delta)]);

    // One didChange with two changes: three lines inserted, then two of them deleted (positions of the second refer to the text after the first).
    await edit(2, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// a\n// b\n// c\n' },
      { range: { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } }, text: '' },
    ]);
    assert.deepEqual(placed(), shifted(1));
    assert.deepEqual(await heapHints(), [[9, 2], [15, 26], [20, 22]]);

    // Deleting the remaining inserted line moves everything back up.
    await edit(3, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
    // A further keystroke on a comment line: the facts must stay where they are, not reappear where an older text had them.
    await edit(4, [{ range: { start: { line: 12, character: 36 }, end: { line: 12, character: 36 } }, text: '!' }]);
    assert.deepEqual(placed(), shifted(0));
    assert.deepEqual(await heapHints(), [[8, 2], [14, 26], [19, 22]]);
    assert.match(await hoverText(8, 1), /moved to heap: p/);
    assert.doesNotMatch(await hoverText(9, 9), /moved to heap/, 'nothing left on the line the fact was carried from');
    assert.match(await hoverText(14, 12), /make\(\[\]byte, size\) escapes to heap/);
  } finally {
    await client.stop();
  }
});

test('a package that does not compile: one notice at the package clause with the first error', { timeout: compileTimeout }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const uri = await openFile(client, brokenFile);
    const report = await compilerFactsFor(client, uri);
    assert.equal(report.buildFailed?.kind, 'compile');
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.diagnostics > 0);
    const notices = latestDiagnostics(client, uri).filter((diagnostic) => diagnostic.code === 'escape/unavailable');
    assert.equal(notices.length, 1);
    assert.deepEqual(notices[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } });
    assert.match(notices[0].message as string, /^Escape analysis unavailable: the package does not compile \(broken\.go:4:9: cannot use "not an int"/);
    const status = await client.waitFor<StatusParams>('goinsight/status', (params) => params.state === 'warning');
    assert.equal(status.text, 'package does not compile');
  } finally {
    await client.stop();
  }
});

test('go.mod requires a newer Go than the go command may run: the status bar and the notice say which, and what to do', { timeout: compileTimeout }, async () => {
  const environment = { ...process.env };
  // The engine's default then: GOTOOLCHAIN=local, no switching.
  delete environment.GOTOOLCHAIN;
  const client = TestLspClient.start(['--stdio'], environment);
  try {
    await client.initialize();
    const uri = await openFile(client, path.join(fixturesRoot, 'escape-protocol', 'newer-go', 'box.go'));
    const report = await compilerFactsFor(client, uri);
    assert.equal(report.buildFailed?.kind, 'toolchain');
    const status = await client.waitFor<StatusParams>('goinsight/status', (params) => params.state === 'warning');
    assert.equal(status.text, 'needs Go 1.99.0');
    assert.match(status.tooltip, /^Escape analysis unavailable: this module requires Go 1\.99\.0, the go command found is Go 1\.\d+\.\d+, and GOTOOLCHAIN=local keeps it from switching\. Set goinsight\.goPath/);
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.diagnostics > 0);
    const notices = latestDiagnostics(client, uri).filter((diagnostic) => diagnostic.code === 'escape/unavailable');
    assert.deepEqual(notices.map((notice) => notice.message), [status.tooltip]);
  } finally {
    await client.stop();
  }
});

test('untrusted workspace: the go command never runs until trust is granted', { timeout: compileTimeout }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize({ trusted: false });
    const ready = await client.waitFor<StatusParams>('goinsight/status', (params) => params.state === 'ready');
    assert.match(ready.tooltip, /restricted mode/);
    const uri = await openFile(client, shapesFile);
    const analyzed = await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri);
    assert.equal(analyzed.diagnostics, 0);
    assert.equal(await client.connection.sendRequest('goinsight/runCompiler', { uri }), null);
    assert.equal(client.notifications.some((notification) => notification.method === 'goinsight/compilerFacts'), false);

    await client.connection.sendNotification('goinsight/trustChanged', { trusted: true });
    const report = await compilerFactsFor(client, uri);
    assert.ok(report.facts > 0);
  } finally {
    await client.stop();
  }
});

test('go not found: one clear warning, and the syntactic analysis keeps working', { timeout: compileTimeout }, async () => {
  const client = TestLspClient.start();
  client.configuration = { goPath: '/nonexistent/go/bin/go' };
  try {
    await client.initialize();
    const text = 'package main\n\nfunc main() {\n\tdefer println("a")\n}\n';
    const uri = pathToFileURL(path.join(fixturesRoot, 'escape-protocol', 'shapes', 'scratch.go')).toString();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    const warning = await client.waitFor<{ type: number; message: string }>('window/showMessage', (params) => params.type === 2);
    assert.match(warning.message, /goinsight\.goPath is set to "\/nonexistent\/go\/bin\/go", but neither it nor .* is an executable file/);
    const analyzed = await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri);
    assert.equal(analyzed.annotations, 1);
    const status = await client.waitFor<StatusParams>('goinsight/status', (params) => params.state === 'warning');
    assert.equal(status.text, 'go not found');
  } finally {
    await client.stop();
  }
});

test('escape report and heap-allocation code lenses', { timeout: compileTimeout }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const uri = await openWithFacts(client, shapesFile);

    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as {
      range: { start: { line: number } };
      command: { title: string; command: string; arguments: [string, unknown, { range: { start: { line: number } } }[]] };
    }[];
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command.title, lens.command.command, lens.command.arguments[2].map((location) => location.range.start.line)]),
      [
        [7, '1 heap allocation', 'goinsight.showHeapAllocations', [8]],
        [13, '1 heap allocation', 'goinsight.showHeapAllocations', [14]],
        [18, '1 heap allocation', 'goinsight.showHeapAllocations', [19]],
      ],
    );

    const report = (await client.connection.sendRequest('goinsight/escapeReport', { uri })) as { packageDir: string; text: string };
    assert.equal(report.packageDir, path.dirname(shapesFile));
    const lines = report.text.split('\n');
    assert.match(lines[0], /^# Escape report for .*escape-protocol\/shapes$/);
    assert.match(lines[1], /^# 3 heap verdicts, \d+ facts in all, compiled in \d+\.\d\d s by go1\.\d+/);
    assert.ok(lines.includes('## shapes.go'));
    const moved = lines.indexOf('shapes.go:9:2: moved to heap: p');
    assert.ok(moved > 0, report.text);
    assert.match(lines[moved + 1], /^ {4}flow: ~r0 ← &p:\s+\(shapes\.go:10:9\)$/);
    assert.ok(lines.includes('shapes.go:15:13: make([]byte, size) escapes to heap'));
  } finally {
    await client.stop();
  }
});
