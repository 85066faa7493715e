// What the server does at start before any document is open: it sweeps the
// private temp directories (goinsight-gc-XXXXXX) a killed server left behind,
// only old ones, only its own kind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { TestLspClient } from '../support/lspClient';

test('at start the server removes stale goinsight-gc-* directories of a killed server, and nothing else', { timeout: 60_000 }, async (t) => {
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-startup-'));
  t.after(() => fs.rmSync(tempRoot, { recursive: true, force: true }));
  const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
  for (const name of ['goinsight-gc-stale1', 'goinsight-gc-fresh1', 'goinsight-other-old123']) {
    fs.mkdirSync(path.join(tempRoot, name));
    fs.writeFileSync(path.join(tempRoot, name, 'overlay.json'), '{}');
  }
  for (const name of ['goinsight-gc-stale1', 'goinsight-other-old123']) fs.utimesSync(path.join(tempRoot, name), twoDaysAgo, twoDaysAgo);

  // The server's temp directory is the one os.tmpdir() gives it: TMPDIR on POSIX.
  const client = TestLspClient.start(['--stdio'], { ...process.env, TMPDIR: tempRoot, TMP: tempRoot, TEMP: tempRoot });
  try {
    await client.initialize();
    await client.waitFor('goinsight/status', (params: { state: string }) => params.state === 'ready');
    for (let tries = 0; tries < 100 && fs.existsSync(path.join(tempRoot, 'goinsight-gc-stale1')); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(fs.readdirSync(tempRoot).sort(), ['goinsight-gc-fresh1', 'goinsight-other-old123']);
  } finally {
    await client.stop();
  }
});
