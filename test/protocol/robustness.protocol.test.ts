// Bad input and faults at the real server over stdio: huge files (told once,
// still responsive), long lines, deep nesting, BOM, CRLF, broken bytes, empty
// and non-Go files, cgo; a `go` command that is refused, broken or hangs; a
// module under a path with spaces and non-ASCII characters, with a check that
// nothing is written into the workspace and no temp directory is left behind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover, InlayHint, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { AnalyzedParams, CompilerFactsParams } from '../../server/src/protocol/customMessages';
import { fixturesRoot } from '../support/analysisTest';
import { TestLspClient } from '../support/lspClient';

const compileTimeout = 120_000;
const deferSource = 'package main\n\nfunc main() {\n\tdefer println("a")\n\tdefer println("b")\n}\n';

interface Message {
  type: number;
  message: string;
}

let scratchCount = 0;
/** A document URI under a directory that does not exist: nothing the server does can touch a real file. */
function scratchUri(name: string): string {
  return pathToFileURL(path.join(os.tmpdir(), 'goinsight-robustness-nonexistent', `${scratchCount++}-${name}`)).toString();
}

async function open(client: TestLspClient, uri: string, text: string, version = 1): Promise<AnalyzedParams> {
  const since = client.mark();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version, text } });
  return client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === version, 60_000, since);
}

async function deferHints(client: TestLspClient, uri: string): Promise<[number, number, string][]> {
  const hints = (await client.connection.sendRequest('textDocument/inlayHint', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 1_000_000, character: 0 } },
  })) as InlayHint[];
  return hints.filter((hint) => String(hint.label).startsWith('⟲')).map((hint) => [hint.position.line, hint.position.character, String(hint.label)]);
}

/** A fake `go` in its own directory: a POSIX shell script that runs `onBuild` whatever it is asked (the server only builds). */
function fakeGo(name: string, onBuild: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `goinsight-robustness-${name}-`));
  const file = path.join(dir, 'go');
  fs.writeFileSync(file, `#!/bin/sh\n${onBuild}\n`, { mode: 0o755 });
  return file;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a 10 MB, 200,000-line file: only cheap features, the user is told once, the server stays responsive', { timeout: 120_000 }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const line = '\tx = append(x, "0123456789012345678901234567890123456789")\n';
    const text = `package big\n\nfunc f() {\n\tdefer println()\n${line.repeat(200_000)}}\n`;
    assert.ok(text.length > 10_000_000);
    const uri = scratchUri('big.go');
    const analyzed = await open(client, uri, text);
    assert.equal(analyzed.annotations, 0, 'the rules did not run');
    const told = await client.waitFor<Message>('window/showMessage', (params) => /larger than goinsight\.maxFileSize/.test(params.message));
    assert.match(told.message, /big\.go is larger than goinsight\.maxFileSize \(2000000 characters\); only cheap features run on it/);

    // An edit (still too large): analyzed again, not told again.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// edited\n' }],
    });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 2);
    // On the `defer` the rules would annotate: the request is answered, with nothing from the rules.
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 1 } })) as Hover | null;
    assert.equal(hover, null);
    assert.equal(client.notifications.filter((item) => item.method === 'window/showMessage' && /maxFileSize/.test((item.params as Message).message)).length, 1);

    // Other files are analyzed as usual meanwhile.
    const small = await open(client, scratchUri('small.go'), deferSource);
    assert.equal(small.annotations, 2);
  } finally {
    await client.stop();
  }
});

test('below the limit: a 1 MB line and 5,000 nested blocks and parentheses neither crash nor stall the server', { timeout: 120_000 }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const longLine = `package long\n\nvar s = "${'x'.repeat(1_000_000)}"\n\nfunc f() {\n\tdefer println(s)\n}\n`;
    const longUri = scratchUri('long.go');
    assert.equal((await open(client, longUri, longLine)).annotations, 1);
    assert.deepEqual(await deferHints(client, longUri), [[5, 1, '⟲1']]);

    const depth = 5_000;
    const blocks = `package deep\n\nfunc f() {\n${'{'.repeat(depth)}\ndefer g()\n${'}'.repeat(depth)}\n}\n`;
    const parens = `package deep\n\nvar x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n\nfunc g() {\n\tdefer println(x)\n}\n`;
    for (const [name, text] of [['blocks.go', blocks], ['parens.go', parens]]) {
      const uri = scratchUri(name);
      const analyzed = await open(client, uri, text);
      assert.equal(analyzed.diagnostics, 0, name);
      // Requests that walk the tree at the deepest point still answer.
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: depth } })) as Hover | null;
      assert.equal(hover, null, name);
      await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } },
        context: { diagnostics: [] },
      });
    }
    // The rules skipped both files, and the user was told once for each.
    const told = client.notifications
      .filter((notification) => notification.method === 'window/showMessage')
      .map((notification) => (notification.params as { message: string }).message)
      .filter((message) => /nests brackets more than 100 deep/.test(message));
    assert.equal(told.length, 2, told.join('\n'));
    // Still alive and analyzing.
    assert.equal((await open(client, scratchUri('after.go'), deferSource)).annotations, 2);
  } finally {
    await client.stop();
  }
});

test('BOM, CRLF, broken bytes, empty, non-Go text and cgo files: analyzed without errors, defer hints in the right place', { timeout: 60_000 }, async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize();
    const lfUri = scratchUri('lf.go');
    await open(client, lfUri, deferSource);
    const expected = await deferHints(client, lfUri);
    assert.deepEqual(expected, [[3, 1, '⟲2'], [4, 1, '⟲1']]);

    const crlfUri = scratchUri('crlf.go');
    await open(client, crlfUri, deferSource.replace(/\n/g, '\r\n'));
    assert.deepEqual(await deferHints(client, crlfUri), expected, 'CRLF: same lines and characters');

    const bomUri = scratchUri('bom.go');
    await open(client, bomUri, `\ufeff${deferSource.replace(/\n/g, '\r\n')}`);
    assert.deepEqual(await deferHints(client, bomUri), expected, 'a BOM only shifts line 0');

    // What a client makes of bytes that are not UTF-8: U+FFFD, and a lone surrogate for good measure.
    const brokenUri = scratchUri('broken.go');
    await open(client, brokenUri, `package main\n\n// caf\ufffd \ud800\nfunc main() {\n\ts := "\ufffd\ufffd"\n\tdefer println(s)\n}\n`);
    assert.deepEqual(await deferHints(client, brokenUri), [[5, 1, '⟲1']]);

    assert.equal((await open(client, scratchUri('empty.go'), '')).diagnostics, 0);
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const notGo = await open(client, scratchUri('README.go'), readme);
    assert.equal(notGo.annotations, 0);
    await open(client, scratchUri('binary.go'), '\u0000\u0001\u0002'.repeat(1000));

    const cgo = 'package main\n\n/*\n#include <stdlib.h>\n*/\nimport "C"\nimport "unsafe"\n\nfunc main() {\n\tp := C.malloc(8)\n\tdefer C.free(unsafe.Pointer(p))\n}\n';
    const cgoUri = scratchUri('cgo.go');
    await open(client, cgoUri, cgo);
    assert.deepEqual(await deferHints(client, cgoUri), [[10, 1, '⟲1']]);
    assert.deepEqual(client.stderr.join(''), '', 'nothing on stderr');
    // (The compiler may fail here: these documents live in a directory that does not exist. Rules and features must not.)
    const failures = client.notifications
      .filter((item) => item.method === 'window/logMessage')
      .map((item) => (item.params as Message).message)
      .filter((message) => /^(?:rule \S+|hover|inlay hints|code actions|code lenses|analysis of \S+|opening \S+|change of \S+) failed/.test(message));
    assert.deepEqual(failures, [], 'no rule or feature failed');
  } finally {
    await client.stop();
  }
});

test('goinsight.goPath starting with "-" is refused, not run', { timeout: 60_000 }, async () => {
  const client = TestLspClient.start();
  client.configuration = { goPath: '-toolexec=/bin/sh' };
  try {
    await client.initialize();
    const uri = pathToFileURL(path.join(fixturesRoot, 'escape-protocol', 'shapes', 'shapes.go')).toString();
    await open(client, uri, fs.readFileSync(path.join(fixturesRoot, 'escape-protocol', 'shapes', 'shapes.go'), 'utf8'));
    const warning = await client.waitFor<Message>('window/showMessage', (params) => params.type === 2);
    assert.match(warning.message, /goinsight\.goPath "-toolexec=\/bin\/sh" is not a path \(it starts with "-"\)/);
    assert.equal(client.notifications.some((item) => item.method === 'goinsight/compilerFacts'), false);
  } finally {
    await client.stop();
  }
});

test('a broken go command (garbage, non-zero exit): a notice says the go command failed, and the syntactic analysis keeps working', { timeout: 60_000 }, async () => {
  const go = fakeGo('broken', 'echo "\\001garbage{{{" >&2\nexit 3');
  const client = TestLspClient.start();
  client.configuration = { goPath: go };
  try {
    await client.initialize();
    const uri = pathToFileURL(path.join(fixturesRoot, 'escape-protocol', 'shapes', 'scratch-broken-go.go')).toString();
    const since = client.mark();
    assert.equal((await open(client, uri, deferSource)).annotations, 2);
    // Garbage without a position or a "# package" header is the go command failing, not the user's code.
    const notice = await client.waitFor<PublishDiagnosticsParams>(
      'textDocument/publishDiagnostics',
      (params) => params.uri === uri && params.diagnostics.some((diagnostic) => diagnostic.code === 'escape/unavailable'),
      20_000,
      since,
    );
    assert.deepEqual(
      notice.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range.start.line]),
      [['escape/unavailable', 3, 0]],
    );
    assert.match(String(notice.diagnostics[0].message), /^Escape analysis unavailable: the go command failed \(.*garbage/);
    await client.waitFor<{ state: string }>('goinsight/status', (params) => params.state === 'warning', 10_000, since);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' }],
    });
    const analyzed = await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 2);
    assert.equal(analyzed.annotations, 1);
  } finally {
    await client.stop();
    fs.rmSync(path.dirname(go), { recursive: true, force: true });
  }
});

test('a hanging go command is killed after compiler.timeoutSeconds; the syntactic features keep working meanwhile', { timeout: 90_000 }, async () => {
  const pidFile = path.join(os.tmpdir(), `goinsight-robustness-hang-${process.pid}.pid`);
  // The build "runs" in a child of the script (like compile under go build): the whole tree must go.
  const go = fakeGo('hang', `sleep 300 &\necho $! > '${pidFile}'\nwait`);
  const client = TestLspClient.start();
  client.configuration = { goPath: go, compiler: { timeoutSeconds: 5 } };
  try {
    await client.initialize();
    const uri = pathToFileURL(path.join(fixturesRoot, 'escape-protocol', 'shapes', 'scratch-hang.go')).toString();
    assert.equal((await open(client, uri, deferSource)).annotations, 2);
    // While the build hangs, edits are analyzed at once.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' }],
    });
    assert.equal((await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 2)).annotations, 1);
    const logged = await client.waitFor<Message>('window/logMessage', (params) => /did not finish within 5 s and was stopped/.test(params.message), 60_000);
    assert.match(logged.message, /escape analysis of .* failed/);
    // The user is told once, with the setting to raise, and the status bar says what happened.
    const told = await client.waitFor<Message>('window/showMessage', (params) => /did not finish within 5 s for shapes and was stopped/.test(params.message), 10_000);
    assert.match(told.message, /goinsight\.compiler\.timeoutSeconds/);
    await client.waitFor<{ state: string; text: string }>('goinsight/status', (params) => params.state === 'warning' && params.text === 'compiler timed out', 10_000);
    const sleeper = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(sleeper > 0);
    for (let tries = 0; tries < 50 && processAlive(sleeper); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(processAlive(sleeper), false, 'the grandchild of the go command was killed too');
    // The defer-order hover still answers while the compile hangs.
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 2 } })) as Hover | null;
    assert.match(JSON.stringify(hover?.contents ?? null), /println\(\\"a\\"\)/);
  } finally {
    await client.stop();
    fs.rmSync(path.dirname(go), { recursive: true, force: true });
    fs.rmSync(pidFile, { force: true });
  }
});

/** Every file and directory under `dir` with its size and mtime. */
function snapshot(dir: string): string[] {
  const entries: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const stat = fs.statSync(full);
      entries.push(`${path.relative(dir, full)} ${entry.isDirectory() ? 'dir' : stat.size} ${stat.mtimeMs}`);
      if (entry.isDirectory()) pending.push(full);
    }
  }
  return entries.sort();
}

const ourTempDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => /^goinsight-gc-/.test(name)).length;

test('a module under "dir with spaces/模块": facts land; nothing is written into the workspace; no temp directory is left', { timeout: compileTimeout }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-robustness-paths-'));
  const moduleDir = path.join(root, 'dir with spaces', '模块');
  fs.cpSync(path.join(fixturesRoot, 'escape-protocol'), moduleDir, { recursive: true });
  const file = path.join(moduleDir, 'shapes', 'shapes.go');
  const before = snapshot(root);
  const tempBefore = ourTempDirs();
  const client = TestLspClient.start();
  client.configuration = { compiler: { typingDelayMs: 100 } };
  try {
    await client.initialize();
    const uri = pathToFileURL(file).toString();
    assert.match(uri, /dir%20with%20spaces\/%E6%A8%A1%E5%9D%97/);
    await open(client, uri, fs.readFileSync(file, 'utf8'));
    const report = await client.waitFor<CompilerFactsParams>('goinsight/compilerFacts', (params) => params.documents.some((document) => document.uri === uri), compileTimeout);
    assert.equal(report.buildFailed, undefined);
    assert.ok(report.facts > 0);
    const published = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (params) => params.uri === uri && params.diagnostics.some((diagnostic) => String(diagnostic.code).startsWith('escape/')));
    assert.ok(published.diagnostics.some((diagnostic) => diagnostic.code === 'escape/moved-to-heap'));

    // An unsaved edit compiles through an overlay; a save compiles the files on disk. Neither may write next to them.
    const since = client.mark();
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// edited\n' }],
    });
    await client.waitFor<CompilerFactsParams>('goinsight/compilerFacts', (params) => params.documents.some((document) => document.uri === uri && document.version === 2), compileTimeout, since);
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await client.connection.sendRequest('goinsight/runCompiler', { uri });
  } finally {
    await client.stop();
  }
  try {
    assert.deepEqual(snapshot(root), before, 'the workspace is exactly as it was');
    assert.equal(ourTempDirs(), tempBefore, 'every goinsight-gc-* directory was removed');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('results of a compile that started before an edit are not shown on the edited text', { timeout: 90_000 }, async () => {
  // A slow go: after three seconds it prints a real verdict for the text it was given (line 9: `p := Point{…}`).
  const go = fakeGo('slow', `sleep 3\necho '# example.com/escapeprotocol/shapes' >&2\necho './shapes.go:9:2: moved to heap: p' >&2\nexit 0`);
  const file = path.join(fixturesRoot, 'escape-protocol', 'shapes', 'shapes.go');
  const uri = pathToFileURL(file).toString();
  const client = TestLspClient.start();
  client.configuration = { goPath: go, compiler: { run: 'manual' } };
  try {
    await client.initialize();
    const text = fs.readFileSync(file, 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 1);
    // The compile of version 1 starts; while it runs, two lines are inserted above line 9.
    const running = client.connection.sendRequest('goinsight/runCompiler', { uri }) as Promise<{ documents: { uri: string; version: number }[] } | null>;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// one\n// two\n' }],
    });
    const report = await running;
    // The run finished for version 1, which is gone: its facts were not given to version 2.
    assert.ok(report);
    assert.deepEqual(report.documents, []);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 1 } })) as Hover | null;
    assert.doesNotMatch(JSON.stringify(hover ?? ''), /moved to heap/);
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri && params.version === 2, 20_000, 0);
    const published = client.notifications
      .filter((notification) => notification.method === 'textDocument/publishDiagnostics')
      .map((notification) => notification.params as { uri: string; version?: number; diagnostics: { code: string }[] })
      .filter((params) => params.uri === uri);
    assert.ok(published.every((params) => params.diagnostics.every((diagnostic) => diagnostic.code !== 'escape/moved-to-heap')));
    // The request came right after initialize: the compiler still waited for the settings and ran the configured go.
    const logs = client.notifications.filter((notification) => notification.method === 'window/logMessage').map((notification) => (notification.params as Message).message);
    assert.ok(logs.some((message) => message.startsWith(`goinsight.goPath is set to ${go}`)), logs.join('\n'));
  } finally {
    await client.stop();
    fs.rmSync(path.dirname(go), { recursive: true, force: true });
  }
});
