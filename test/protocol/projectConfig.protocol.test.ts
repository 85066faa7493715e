// The server honours .goinsight.json like the CLI does: excluded files get no
// findings, and a broken project file is reported once, then ignored.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { AnalyzedParams } from '../../server/src/protocol/customMessages';
import { fixturesRoot } from '../support/analysisTest';
import { TestLspClient } from '../support/lspClient';

async function open(client: TestLspClient, file: string): Promise<AnalyzedParams> {
  const uri = pathToFileURL(file).toString();
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'go', version: 1, text: fs.readFileSync(file, 'utf8') },
  });
  return client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri);
}

test('excluded files get nothing; a broken project file is reported once and ignored', async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    assert.equal((await open(client, path.join(fixturesRoot, 'projectconfig', 'app', 'app.go'))).annotations, 1);
    assert.equal((await open(client, path.join(fixturesRoot, 'projectconfig', 'app', 'store_mock.go'))).annotations, 0);
    assert.equal((await open(client, path.join(fixturesRoot, 'projectconfig', 'gen', 'gen.go'))).annotations, 0);

    assert.equal((await open(client, path.join(fixturesRoot, 'projectconfig-broken', 'broken.go'))).annotations, 1);
    const warning = await client.waitFor<{ type: number; message: string }>('window/showMessage');
    assert.equal(warning.type, 2);
    assert.match(warning.message, /^Go Insight: .*projectconfig-broken\/\.goinsight\.json: rule “defer\/order”: expected one of/);
  } finally {
    await client.stop();
  }
});

test('suppression comments silence diagnostics in the editor as in the CLI', async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const file = path.join(fixturesRoot, 'rules', 'suppression', 'suppressed.go');
    const uri = pathToFileURL(file).toString();
    const mark = client.mark();
    await open(client, file);
    const published = await client.waitFor<{ uri: string; diagnostics: { code: string; range: { start: { line: number } } }[] }>(
      'textDocument/publishDiagnostics',
      (params) => params.uri === uri,
      20_000,
      mark,
    );
    assert.deepEqual(
      published.diagnostics.filter((diagnostic) => diagnostic.code === 'channel/double-close').map((diagnostic) => diagnostic.range.start.line + 1),
      [32, 40, 46],
    );
  } finally {
    await client.stop();
  }
});
