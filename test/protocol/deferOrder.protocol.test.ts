// Speaks LSP to the built server over stdio: opens a Go document, edits it
// incrementally, and checks inlay hints, hover, and that the server's tree
// after the edits equals a fresh parse of the same text.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CodeAction, Diagnostic, Hover, InlayHint } from 'vscode-languageserver-protocol';
import type { AnalyzedParams, SyntaxTreeResult } from '../../server/src/protocol/customMessages';
import { createGoParser } from '../../server/src/parse/goParser';
import { applyFix } from '../support/applyFix';
import { TestLspClient } from '../support/lspClient';

const uri = 'file:///tmp/goinsight-protocol/demo/save.go';

const initialText = [
  'package demo',
  '',
  'import (',
  '\t"fmt"',
  '\t"os"',
  ')',
  '',
  'func save(name string) error {',
  '\tf, err := os.Create(name)',
  '\tif err != nil {',
  '\t\treturn err',
  '\t}',
  '\tdefer f.Close()',
  '\tfmt.Fprintln(f, "hello")',
  '\treturn nil',
  '}',
  '',
].join('\n');

const finalText = [
  'package demo',
  '',
  'import (',
  '\t"fmt"',
  '\t"os"',
  ')',
  '',
  'func save(name string) error {',
  '\tf, err := os.Create(name)',
  '\tif err != nil {',
  '\t\treturn err',
  '\t}',
  '\tdefer f.Close()',
  '\tdefer fmt.Println("done")',
  '\treturn nil',
  '}',
  '',
  'func cleanup() {',
  '\t/* é😀 */ defer fmt.Println("a")',
  '\tfunc() {',
  '\t\tdefer fmt.Println("inner")',
  '\t}()',
  '\tdefer fmt.Println("b")',
  '}',
  '',
].join('\n');

let client: TestLspClient;

before(async () => {
  client = TestLspClient.start();
  await client.initialize();
});

after(async () => {
  await client.stop();
});

const range = (startLine: number, startCharacter: number, endLine: number, endCharacter: number) => ({
  start: { line: startLine, character: startCharacter },
  end: { line: endLine, character: endCharacter },
});

function analyzedVersion(version: number, since = 0) {
  return client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === version, 20_000, since);
}

test('incremental edits keep the tree equal to a fresh parse, and hints and hover follow them', async () => {
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'go', version: 1, text: initialText },
  });
  await analyzedVersion(1);

  // Two changes in one notification: the second's range refers to the text left by the first.
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [
      { range: range(12, 16, 12, 16), text: '\n\tdefer fmt.Println("done")' },
      { range: range(14, 18, 14, 23), text: 'héllo 世界' },
    ],
  });
  // Append a function with defers, one after non-ASCII text, one in a func literal.
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 3 },
    contentChanges: [
      {
        range: range(17, 0, 17, 0),
        text: '\nfunc cleanup() {\n\t/* é😀 */ defer fmt.Println("a")\n\tfunc() {\n\t\tdefer fmt.Println("inner")\n\t}()\n\tdefer fmt.Println("b")\n}\n',
      },
    ],
  });
  // Delete the Fprintln line.
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 4 },
    contentChanges: [{ range: range(14, 0, 15, 0), text: '' }],
  });
  const analyzed = await analyzedVersion(4);
  assert.equal(analyzed.annotations, 5);

  const state = (await client.connection.sendRequest('goinsight/syntaxTree', { uri })) as SyntaxTreeResult;
  assert.equal(state.version, 4);
  assert.equal(state.text, finalText);
  const parser = await createGoParser();
  const fresh = parser.parse(finalText);
  assert.ok(fresh);
  assert.equal(state.tree, fresh.rootNode.toString());
  fresh.delete();

  const hints = (await client.connection.sendRequest('textDocument/inlayHint', {
    textDocument: { uri },
    range: range(0, 0, 30, 0),
  })) as InlayHint[];
  assert.deepEqual(
    hints.map((hint) => [hint.position.line, hint.position.character, hint.label]),
    [
      [12, 1, '⟲2'],
      [13, 1, '⟲1'],
      // "\t/* é😀 */ " is 11 UTF-16 code units: the emoji counts twice.
      [18, 11, '⟲2'],
      [20, 2, '⟲1'],
      [22, 1, '⟲1'],
    ],
  );

  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 12, character: 3 },
  })) as Hover;
  const markdown = (hover.contents as { value: string }).value;
  assert.match(markdown, /\*\*Defer execution order\*\*/);
  assert.match(markdown, /runs 2nd of 2 deferred calls when save returns/);
  assert.match(markdown, /1\. `fmt\.Println\("done"\)` \(line 14\)\n2\. `f\.Close\(\)` \(line 13\) ← this one/);
  assert.deepEqual(hover.range, range(12, 1, 12, 6));

  // No hover away from a finding.
  const nothing = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 3 } });
  assert.equal(nothing, null);
});

test('settings changes apply without a restart', async () => {
  const hintsNow = async () =>
    (await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: range(0, 0, 30, 0) })) as InlayHint[];
  assert.equal((await hintsNow()).length, 5);

  let mark = client.mark();
  client.configuration = { inlayHints: { deferOrder: false } };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await analyzedVersion(4, mark);
  assert.deepEqual(await hintsNow(), []);

  mark = client.mark();
  client.configuration = { rules: { 'defer/order': 'off' }, inlayHints: { deferOrder: true } };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  const analyzed = await analyzedVersion(4, mark);
  assert.equal(analyzed.annotations, 0);

  mark = client.mark();
  client.configuration = { categories: { defer: false } };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.equal((await analyzedVersion(4, mark)).annotations, 0);

  mark = client.mark();
  client.configuration = { inlayHints: { enable: false } };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.equal((await analyzedVersion(4, mark)).annotations, 5);
  assert.deepEqual(await hintsNow(), []);

  mark = client.mark();
  client.configuration = {};
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await analyzedVersion(4, mark);
  assert.equal((await hintsNow()).length, 5);
});

test('a defer rule end to end: diagnostic, closing-brace hover, quick fix applied through code actions', async () => {
  const loopUri = 'file:///tmp/goinsight-protocol/demo/loop.go';
  const text = [
    'package demo',
    '',
    'import "os"',
    '',
    'func closeEach(names []string) {',
    '\tfor _, name := range names {',
    '\t\tf, err := os.Open(name)',
    '\t\tif err != nil {',
    '\t\t\tcontinue',
    '\t\t}',
    '\t\tdefer f.Close()',
    '\t\t_ = f',
    '\t}',
    '}',
    '',
  ].join('\n');
  const mark = client.mark();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: loopUri, languageId: 'go', version: 1, text } });
  await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === loopUri, 20_000, mark);
  const published = client.notifications
    .slice(mark)
    .filter((notification) => notification.method === 'textDocument/publishDiagnostics')
    .map((notification) => notification.params as { uri: string; diagnostics: Diagnostic[] })
    .filter((params) => params.uri === loopUri)
    .pop();
  const inLoop = published?.diagnostics.find((diagnostic) => diagnostic.code === 'defer/in-loop');
  assert.ok(inLoop, JSON.stringify(published));
  assert.equal(inLoop.severity, 2);
  assert.equal(inLoop.range.start.line, 10);

  const closing = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: loopUri }, position: { line: 13, character: 0 } })) as Hover;
  assert.match((closing.contents as { value: string }).value, /closeEach returns here: its 1 deferred call\(s\) run now/);
  assert.match((closing.contents as { value: string }).value, /1\. `f\.Close\(\)` \(line 11\) · registered once per loop iteration, all run at return/);

  const actions = (await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: loopUri },
    range: inLoop.range,
    context: { diagnostics: [inLoop], only: ['quickfix'] },
  })) as CodeAction[];
  assert.ok(actions.length >= 2);
  assert.equal(actions[actions.length - 1].title, 'Ignore defer/in-loop on this line');
  const fix = actions[0];
  assert.equal(fix.kind, 'quickfix');
  assert.deepEqual(fix.diagnostics?.map((diagnostic) => diagnostic.code), ['defer/in-loop']);
  const edits = fix.edit?.changes?.[loopUri] ?? [];
  assert.ok(edits.length > 0);
  const fixed = applyFix(text, { title: fix.title, edits });
  assert.equal(
    fixed,
    [
      'package demo',
      '',
      'import "os"',
      '',
      'func closeEach(names []string) {',
      '\tfor _, name := range names {',
      '\t\tfunc() {',
      '\t\t\tf, err := os.Open(name)',
      '\t\t\tif err != nil {',
      '\t\t\t\treturn',
      '\t\t\t}',
      '\t\t\tdefer f.Close()',
      '\t\t\t_ = f',
      '\t\t}()',
      '\t}',
      '}',
      '',
    ].join('\n'),
  );

  // The fixed text, sent back as the editor would, has no defer/in-loop left.
  const fixMark = client.mark();
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: loopUri, version: 2 },
    contentChanges: [{ text: fixed }],
  });
  await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === loopUri && params.version === 2, 20_000, fixMark);
  const after = client.notifications
    .slice(fixMark)
    .filter((notification) => notification.method === 'textDocument/publishDiagnostics')
    .map((notification) => notification.params as { uri: string; diagnostics: Diagnostic[] })
    .filter((params) => params.uri === loopUri)
    .pop();
  assert.deepEqual(after?.diagnostics.filter((diagnostic) => diagnostic.code === 'defer/in-loop'), []);
});

test('requests right after a change see that change, however the analyses of a burst are coalesced', async () => {
  const burstUri = 'file:///tmp/goinsight-protocol/demo/burst.go';
  const base = 'package demo\n\nfunc f() {\n}\n';
  const mark = client.mark();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: burstUri, languageId: 'go', version: 1, text: base } });
  // Three defers typed in quick succession, each in its own change.
  for (let version = 2; version <= 4; version++) {
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: burstUri, version },
      contentChanges: [{ range: range(3, 0, 3, 0), text: `\tdefer println(${version})\n` }],
    });
  }
  // No wait: the hint request must answer for version 4 (three defers), not for an older one.
  const hints = (await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri: burstUri }, range: range(0, 0, 10, 0) })) as InlayHint[];
  // Each change inserts above the others: the defer on line 4 (1-based) is registered first and runs last.
  assert.deepEqual(hints.map((hint) => [hint.position.line, hint.label]), [[3, '⟲3'], [4, '⟲2'], [5, '⟲1']]);
  const last = await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === burstUri && params.version === 4, 20_000, mark);
  assert.equal(last.annotations, 3);
});
