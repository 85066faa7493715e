// Entry point of the bundled server: the transport (--stdio, --node-ipc,
// --socket) comes from the command line, read by createConnection().
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
