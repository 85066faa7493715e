// One channel finding end to end over LSP: the built server publishes the
// goroutine-leak diagnostic, explains it on hover, offers the buffer fix
// before "Ignore …", and the fix's WorkspaceEdit rewrites the text as expected.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CodeAction, Diagnostic, Hover, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import type { AnalyzedParams } from '../../server/src/protocol/customMessages';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { parseErrors } from '../support/applyFix';
import { TestLspClient } from '../support/lspClient';

const uri = 'file:///tmp/goinsight-protocol/fetcher/fetch.go';

const lines = [
  'package fetcher',
  '',
  'import (',
  '\t"errors"',
  '\t"time"',
  ')',
  '',
  'func fetch() int { return 42 }',
  '',
  'func withTimeout() (int, error) {',
  '\tch := make(chan int)',
  '\tgo func() {',
  '\t\tch <- fetch()',
  '\t}()',
  '\tselect {',
  '\tcase v := <-ch:',
  '\t\treturn v, nil',
  '\tcase <-time.After(time.Second):',
  '\t\treturn 0, errors.New("timeout")',
  '\t}',
  '}',
  '',
];
const text = lines.join('\n');

const message =
  'this send on unbuffered ch blocks forever when withTimeout takes the other select case (line 18) instead of receiving: goroutine leak';

const sendRange = { start: { line: 12, character: 2 }, end: { line: 12, character: 15 } };

let client: TestLspClient;

before(async () => {
  client = TestLspClient.start();
  await client.initialize();
});

after(async () => {
  await client.stop();
});

/** Applies LSP text edits (non-overlapping, as a client would) to the text. */
function applyEdits(original: string, edits: TextEdit[]): string {
  const index = new LineIndex(original);
  const offsets = edits
    .map((edit) => ({ start: index.offsetAt(edit.range.start), end: index.offsetAt(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start);
  let result = original;
  for (const edit of offsets) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

test('unbuffered-send-leak: diagnostic, hover, quick fixes, and the buffer fix applied', async () => {
  const mark = client.mark();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  const analyzed = await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 1, 20_000, mark);
  assert.equal(analyzed.diagnostics, 1);
  const published = await client.waitFor<PublishDiagnosticsParams>(
    'textDocument/publishDiagnostics',
    (params) => params.uri === uri && params.diagnostics.length > 0,
    20_000,
    mark,
  );

  assert.equal(published.diagnostics.length, 1);
  const [diagnostic] = published.diagnostics;
  assert.equal(diagnostic.code, 'goroutine/unbuffered-send-leak');
  assert.equal(diagnostic.severity, 2, 'warning');
  assert.equal(diagnostic.source, 'goinsight');
  assert.deepEqual(diagnostic.range, sendRange);
  assert.equal(diagnostic.message, message);
  assert.deepEqual(
    diagnostic.relatedInformation?.map((related) => [related.location.range.start.line, related.message]),
    [
      [17, 'when this case fires, nobody receives from ch'],
      [10, 'ch is made without a buffer'],
    ],
  );

  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: 12, character: 5 },
  })) as Hover;
  const markdown = (hover.contents as { kind: string; value: string }).value;
  assert.equal((hover.contents as { kind: string }).kind, 'markdown');
  assert.ok(markdown.startsWith(`**Goroutine leak: unbuffered send nobody may receive**: ${message}\n\n---\n\n`), markdown);
  // The explanation's first paragraph, then the rule id and the link to the rest (its before/after example).
  assert.match(markdown, /\n\nA send on an \*\*unbuffered\*\* channel blocks until another goroutine receives\./);
  assert.match(markdown, /\n\n`goroutine\/unbuffered-send-leak` · \[Full explanation\]\(file:\/\/[^)]+\/docs\/rules\.md#L\d+\)/);
  assert.doesNotMatch(markdown, /```go/);
  assert.deepEqual(hover.range, sendRange);

  const actions = (await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: sendRange,
    context: { diagnostics: [diagnostic], only: ['quickfix'] },
  })) as CodeAction[];
  assert.deepEqual(
    actions.map((action) => [action.title, action.kind, action.isPreferred ?? false]),
    [
      ['Give ch a buffer of 1 so the send never blocks', 'quickfix', true],
      ['Wrap the send in a select with a stop channel that withTimeout closes when it returns', 'quickfix', false],
      ['Ignore goroutine/unbuffered-send-leak on this line', 'quickfix', false],
    ],
  );
  const linked: Diagnostic[] | undefined = actions[0].diagnostics;
  assert.deepEqual(linked?.map((item) => item.code), ['goroutine/unbuffered-send-leak']);

  const edits = actions[0].edit?.changes?.[uri];
  assert.ok(edits, 'the fix edits this document');
  const fixed = applyEdits(text, edits);
  assert.equal(fixed, text.replace('\tch := make(chan int)\n', '\tch := make(chan int, 1)\n'));
  assert.deepEqual(await parseErrors(fixed), []);

  const ignore = actions.find((action) => action.title.startsWith('Ignore '));
  const ignoreEdits = ignore?.edit?.changes?.[uri];
  assert.ok(ignoreEdits);
  assert.equal(
    applyEdits(text, ignoreEdits).split('\n').slice(12, 14).join('\n'),
    '\t\t//goinsight:ignore goroutine/unbuffered-send-leak reason\n\t\tch <- fetch()',
  );

  // The fixed text, sent back as the next version, has nothing left to report.
  const afterFix = client.mark();
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: fixed }],
  });
  const reanalyzed = await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 2, 20_000, afterFix);
  assert.equal(reanalyzed.diagnostics, 0);
});
