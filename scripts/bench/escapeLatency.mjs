// Section 3: escape latency. For small, medium and large packages: request →
// facts through the server (`goinsight/runCompiler` after didOpen, compiler in
// manual mode), cold (a new server: its content cache is empty, and its
// `-json=DIR` flag is new, so the go command recompiles the package) and
// repeated (unchanged files: the server's cache), next to the bare compiler in
// the same build-cache state, and gopls's compiler details when gopls exists.
// Cold times are medians of a few rounds that alternate the bare compiler and
// a new server: on a shared machine one sample says little.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiled, percentile, timedRun } from './common.mjs';
import { goplsDetailsLatency } from './goplsDetails.mjs';

const rounds = 3;

function firstSourceFile(packageDir) {
  const name = fs.readdirSync(packageDir).filter((file) => file.endsWith('.go') && !file.endsWith('_test.go')).sort()[0];
  return path.join(packageDir, name);
}

function median(samples) {
  return percentile([...samples].sort((a, b) => a - b), 0.5);
}

/** `go …` with a -json directory never used before: the package itself is compiled (its dependencies come from the cache). */
async function bareCompiler(packageDir, args, gcflags, timeoutMs) {
  const jsonDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-bench-'));
  try {
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' };
    return await timedRun('go', [...args, '-o', os.devNull, `-gcflags=${gcflags} -json=0,${jsonDir}`, '.'], { cwd: packageDir, env, timeoutMs });
  } finally {
    fs.rmSync(jsonDir, { recursive: true, force: true });
  }
}

async function throughServer(packageDir, timeoutMs) {
  const { TestLspClient } = compiled('test/support/lspClient');
  const client = TestLspClient.start();
  client.configuration = { compiler: { run: 'manual', timeoutSeconds: Math.ceil(timeoutMs / 1000) } };
  try {
    await client.initialize();
    const file = firstSourceFile(packageDir);
    const uri = pathToFileURL(file).toString();
    const mark = client.mark();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: fs.readFileSync(file, 'utf8') } });
    await client.waitFor('goinsight/analyzed', (params) => params.uri === uri, 60_000, mark);
    const request = async () => {
      const started = performance.now();
      const report = await client.connection.sendRequest('goinsight/runCompiler', { uri });
      return { ms: performance.now() - started, facts: report?.facts, fromCache: report?.fromCache, buildFailed: report?.buildFailed?.message };
    };
    const cold = await request();
    const repeated = [await request(), await request(), await request()];
    return { cold, repeated: repeated.reduce((best, run) => (run.ms < best.ms ? run : best)) };
  } finally {
    await client.stop();
  }
}

export async function measureEscape({ packages, gopls, timeoutMs }) {
  const results = [];
  for (const { label, dir } of packages) {
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' };
    // Dependencies into the build cache first, so every row below starts from the same state.
    await timedRun('go', ['test', '-c', '-vet=off', '-o', os.devNull, '.'], { cwd: dir, env, timeoutMs });
    const row = { label, dir, rounds, samples: { bareBuildCold: [], bareServerCommandCold: [], serverCold: [], serverRepeated: [] } };
    for (let round = 0; round < rounds; round++) {
      row.samples.bareBuildCold.push((await bareCompiler(dir, ['build'], '-m', timeoutMs)).ms);
      // What the server runs while no test file is open (it adds -overlay for the open buffers).
      row.samples.bareServerCommandCold.push((await bareCompiler(dir, ['build'], '-m=2 -d=defer', timeoutMs)).ms);
      const server = await throughServer(dir, timeoutMs);
      row.samples.serverCold.push(server.cold.ms);
      row.samples.serverRepeated.push(server.repeated.ms);
      row.serverRepeatedFromCache = server.repeated.fromCache;
      row.facts = server.cold.facts;
      row.buildFailed = server.cold.buildFailed;
    }
    for (const [measure, samples] of Object.entries(row.samples)) row[measure] = median(samples);
    // What the server runs when a test file of the package is open: once, it takes long.
    row.bareTestCold = (await bareCompiler(dir, ['test', '-c', '-vet=off'], '-m=2 -d=defer', timeoutMs)).ms;
    await timedRun('go', ['build', '-o', os.devNull, '-gcflags=-m', '.'], { cwd: dir, env, timeoutMs });
    row.bareBuildRepeated = (await timedRun('go', ['build', '-o', os.devNull, '-gcflags=-m', '.'], { cwd: dir, env, timeoutMs })).ms;
    if (gopls) {
      const details = await goplsDetailsLatency({ gopls, packageDir: dir, file: firstSourceFile(dir), timeoutMs });
      row.gopls = details;
    }
    results.push(row);
  }
  return results;
}
