// The worker-thread side of `goinsight check`: one parser per thread, one
// file per message, one reply per file. The CLI bundle starts itself as the
// worker (this module's file is dist/cli.js there, its own .js under out/),
// so the worker finds the .wasm files exactly as the main thread does.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createGoParser } from '../parse/goParser';
import { diskPackageSources } from '../packageModel/diskSources';
import { PackageWorkspace } from '../packageModel/packageWorkspace';
import { checkFile, type CheckSettings, type FileCheck, type FileOutcome } from './checkFile';

/** The script a check worker runs. */
export const checkWorkerScript = __filename;

const role = 'goinsight-check-worker';

export interface CheckWorkerData {
  role: typeof role;
  settings: CheckSettings;
}

export interface CheckRequestMessage {
  index: number;
  request: FileCheck;
}

/** `error` carries what the main thread would have reported had the file been checked there. */
export type CheckReplyMessage = { index: number; outcome: FileOutcome } | { index: number; error: string };

export function checkWorkerData(settings: CheckSettings): CheckWorkerData {
  return { role, settings };
}

function isCheckWorkerData(data: unknown): data is CheckWorkerData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === role;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Answers check requests on `parentPort` until the thread is terminated. */
export function serveFileChecks(): void {
  const port = parentPort;
  if (!port || !isCheckWorkerData(workerData)) throw new Error('serveFileChecks runs only in a worker started with checkWorkerData');
  const { settings } = workerData;
  // Listening before the grammar is loaded: requests that arrive meanwhile wait on the same promise, in order.
  const parser = createGoParser();
  parser.catch(() => undefined);
  // One package workspace per thread: the files of a directory mostly come one after another.
  let packages: PackageWorkspace | undefined;
  port.on('message', (message: CheckRequestMessage) => {
    void parser.then(
      (ready) => {
        let reply: CheckReplyMessage;
        try {
          packages ??= new PackageWorkspace(ready, diskPackageSources, { keepParsedTrees: true });
          reply = { index: message.index, outcome: checkFile(ready, settings, message.request, packages) };
        } catch (error) {
          reply = { index: message.index, error: errorText(error) };
        }
        try {
          port.postMessage(reply);
        } catch (error) {
          // A finding that cannot be cloned is a bug to report, not a reason to hang the run.
          port.postMessage({ index: message.index, error: errorText(error) } satisfies CheckReplyMessage);
        }
      },
      (error: unknown) => port.postMessage({ index: message.index, error: errorText(error) } satisfies CheckReplyMessage),
    );
  });
}

if (!isMainThread && isCheckWorkerData(workerData)) serveFileChecks();
