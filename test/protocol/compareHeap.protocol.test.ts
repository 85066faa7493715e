// "Compare Heap Allocations with…" through the real server, the real go and a
// real git repository: test/fixtures/since/adds `before` committed, `after`
// open (and on disk) uncommitted. The new facts come back, their inlay hints
// say `⇡heap new`, the code lenses say `(+N since REV)`, the escape report
// lists them, and an edit drops the marks instead of showing them on lines
// that moved.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { InlayHint } from 'vscode-languageserver-protocol';
import type { AnalyzedParams, CompareHeapResult, CompilerFactsParams } from '../../server/src/protocol/customMessages';
import { TestLspClient } from '../support/lspClient';
import { repositoryWithUncommittedChange } from '../support/sinceRepository';

const timeout = 120_000;

test('compare with a revision: the new facts, ⇡heap new hints, code lens deltas; an edit drops the marks', { timeout }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-compare-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  repositoryWithUncommittedChange(dir, 'adds');
  const file = path.join(dir, 'alloc.go');
  const uri = pathToFileURL(file).toString();
  const text = fs.readFileSync(file, 'utf8');
  const client = TestLspClient.start();
  try {
    await client.initialize();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    await client.waitFor<CompilerFactsParams>('goinsight/compilerFacts', (params) => params.documents.some((document) => document.uri === uri), timeout);
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.diagnostics > 0);

    const missing = (await client.connection.sendRequest('goinsight/compareHeap', { uri, revision: 'no-such-branch' })) as CompareHeapResult;
    assert.match(missing.error ?? '', /^no commit "no-such-branch" in /);

    const result = (await client.connection.sendRequest('goinsight/compareHeap', { uri, revision: 'HEAD' })) as CompareHeapResult;
    assert.equal(result.error, undefined);
    assert.match(result.commit, /^[0-9a-f]{40}$/);
    // The `// want` lines of after/alloc.go.
    assert.deepEqual(
      result.newFacts.map((fact) => `${fact.line}:${fact.column} ${fact.message}`),
      ['14:2 moved to heap: total', '24:15 new(int) escapes to heap', '30:2 moved to heap: n', '31:9 func literal escapes to heap'],
    );
    assert.ok(result.newFacts.every((fact) => fact.uri === uri));
    assert.deepEqual([result.gone, result.unchanged], [0, 4]);

    const hintLines = async (label: string) =>
      (
        (await client.connection.sendRequest('textDocument/inlayHint', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } },
        })) as InlayHint[]
      )
        .filter((hint) => hint.label === label)
        .map((hint) => hint.position.line + 1);
    assert.deepEqual(await hintLines('⇡heap new'), [14, 24, 30, 31]);
    assert.deepEqual(await hintLines('⇡heap'), [9, 23, 25, 26]);

    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { range: { start: { line: number } }; command: { title: string } }[];
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line + 1, lens.command.title]),
      [
        [8, '1 heap allocation'],
        [13, '1 heap allocation (+1 since HEAD)'],
        [22, '4 heap allocations (+1 since HEAD)'],
        [29, '2 heap allocations (+2 since HEAD)'],
      ],
    );

    const report = async () => ((await client.connection.sendRequest('goinsight/escapeReport', { uri })) as { text: string }).text.split('\n');
    const listed = await report();
    const heading = listed.indexOf('## New since HEAD (4)');
    assert.ok(heading > 0, listed.join('\n'));
    assert.deepEqual(listed.slice(heading + 1, heading + 6), [
      'alloc.go:14:2: moved to heap: total',
      'alloc.go:24:15: new(int) escapes to heap',
      'alloc.go:30:2: moved to heap: n',
      'alloc.go:31:9: func literal escapes to heap',
      '',
    ]);

    // A line added at the top: the old marks would now sit one line off, so they go.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// edited\n' }],
    });
    const edited = client.mark();
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 2);
    assert.deepEqual(await hintLines('⇡heap new'), []);
    // The edit's own compile: waited for, so that no compiler run outlives this test, and the marks stay gone after it.
    await client.waitFor<CompilerFactsParams>('goinsight/compilerFacts', (params) => params.documents.some((document) => document.uri === uri && document.version === 2), timeout, edited);
    assert.deepEqual(await hintLines('⇡heap new'), []);
    assert.ok(!(await report()).some((line) => line.startsWith('## New since')));
  } finally {
    await client.stop();
  }
});
