// Section 4: start-up (spawn → first published diagnostics for a file opened
// right after initialize) and server memory after opening 200 GOROOT files.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { compiled, processMemory } from './common.mjs';

export async function measureMemoryAndStartup({ files, firstFile, count = 200 }) {
  const { TestLspClient } = compiled('test/support/lspClient');
  const started = performance.now();
  const client = TestLspClient.start();
  client.configuration = { compiler: { run: 'manual' } };
  try {
    await client.initialize();
    const firstUri = pathToFileURL(firstFile).toString();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: firstUri, languageId: 'go', version: 1, text: fs.readFileSync(firstFile, 'utf8') } });
    await client.waitFor('textDocument/publishDiagnostics', (params) => params.uri === firstUri, 60_000);
    const startupMs = performance.now() - started;
    // The server process is the client's child (a private field in TypeScript only).
    const pid = client.child.pid;
    const before = processMemory(pid);
    const step = Math.max(1, Math.floor(files.length / count));
    const chosen = files.filter((_, index) => index % step === 0).slice(0, count);
    let lines = 0;
    const openStarted = performance.now();
    for (const file of chosen) {
      const text = fs.readFileSync(file, 'utf8');
      lines += text.split('\n').length;
      const uri = pathToFileURL(file).toString();
      const mark = client.mark();
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
      await client.waitFor('goinsight/analyzed', (params) => params.uri === uri, 60_000, mark);
    }
    const openMs = performance.now() - openStarted;
    const after = processMemory(pid);
    return { startupMs, rssAfterStartMb: before.rssMb, opened: chosen.length, openedLines: lines, openAllMs: openMs, rssAfterOpenMb: after.rssMb, peakRssMb: after.peakRssMb };
  } finally {
    await client.stop();
  }
}
