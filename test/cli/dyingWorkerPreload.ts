// Loaded with `node -r` into the CLI: inside its worker threads (preloads run
// there too) it ends the thread when it is sent a file named crash.go, and
// throws an uncaught error for throw.go, the way a crash in native or wasm
// code would take a worker down. The main thread is left alone.
import { isMainThread, parentPort } from 'node:worker_threads';

interface Request {
  request?: { file?: string };
}

if (!isMainThread) {
  parentPort?.on('message', (message: Request) => {
    const file = message.request?.file ?? '';
    if (file.endsWith('crash.go')) process.exit(7);
    if (file.endsWith('throw.go')) throw new Error('the worker blew up');
  });
}
