// gopls's compiler-optimization-details diagnostics for one package, driven
// over LSP like an editor does: open a file, run the command that turns the
// details on (`gopls.gc_details`, renamed `gopls.toggle_compiler_opt_details`
// in newer gopls), and wait for diagnostics from the compiler.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { require } from './common.mjs';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');

export async function goplsDetailsLatency({ gopls, packageDir, file, timeoutMs = 120_000 }) {
  const child = spawn(gopls, ['serve'], { cwd: packageDir, stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = [];
  let onDiagnostics = () => undefined;
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    diagnostics.push(params);
    onDiagnostics(params);
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.listen();
  const limit = (promise, what) => Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`gopls: ${what} timed out`)), timeoutMs))]);
  try {
    const uri = pathToFileURL(file).toString();
    const folder = pathToFileURL(packageDir).toString();
    const started = performance.now();
    const init = await limit(
      connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: folder,
        workspaceFolders: [{ uri: folder, name: path.basename(packageDir) }],
        capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } }, workspace: { configuration: true, workspaceFolders: true } },
        initializationOptions: { expandWorkspaceToModule: false },
      }),
      'initialize',
    );
    await connection.sendNotification('initialized', {});
    const commands = init.capabilities?.executeCommandProvider?.commands ?? [];
    const command = ['gopls.gc_details', 'gopls.toggle_compiler_opt_details'].find((name) => commands.includes(name));
    if (!command) return { skipped: `this gopls offers neither gopls.gc_details nor gopls.toggle_compiler_opt_details` };
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: fs.readFileSync(file, 'utf8') } });
    // Let the initial load finish (first diagnostics for the file) so the timing is the command's, not the workspace load.
    await limit(new Promise((resolve) => {
      if (diagnostics.some((item) => item.uri === uri)) resolve();
      else onDiagnostics = (params) => params.uri === uri && resolve();
    }), 'initial diagnostics');
    const loadMs = performance.now() - started;
    const fromCompiler = (params) => params.diagnostics.some((item) => item.source === 'compiler' || item.source === 'optimizer details');
    const commandStarted = performance.now();
    const arrived = new Promise((resolve) => {
      onDiagnostics = (params) => fromCompiler(params) && resolve();
    });
    // Both commands name the package through one of its files (a directory URI finds no package).
    const argument = command === 'gopls.gc_details' ? uri : { URI: uri };
    await limit(connection.sendRequest('workspace/executeCommand', { command, arguments: [argument] }), command);
    await limit(arrived, 'compiler diagnostics');
    return { command, loadMs, ms: performance.now() - commandStarted };
  } catch (error) {
    return { skipped: error instanceof Error ? error.message : String(error) };
  } finally {
    try {
      await Promise.race([connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await connection.sendNotification('exit');
    } catch {
      // already gone
    }
    setTimeout(() => child.kill('SIGKILL'), 500).unref();
    connection.dispose();
  }
}
