// Entry point of the bundled server: the transport (--stdio, --node-ipc,
// --socket) comes from the command line, read by createConnection().
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

// A failed promise somewhere must not take the editor's server down with it.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`goinsight: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
});

startServer(createConnection(ProposedFeatures.all));
