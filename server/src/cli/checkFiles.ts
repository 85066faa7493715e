// Runs `goinsight check`'s per-file work and yields the outcomes in the
// order of the requests, whether the files are checked here, one after
// another (one thread), or on a pool of worker threads (several): the caller
// reports them the same way, so the output cannot depend on the thread count.
import { createGoParser } from '../parse/goParser';
import { diskPackageSources } from '../packageModel/diskSources';
import { PackageWorkspace } from '../packageModel/packageWorkspace';
import { checkFile, type CheckSettings, type FileCheck, type FileOutcome } from './checkFile';
import { checkWorkerData, checkWorkerScript } from './checkWorker';
import { CheckPool } from './workerPool';

export interface CheckThreads {
  /** Threads wanted; the pool never has more workers than files. 1 (or one file) checks on this thread. */
  count: number;
  /** The workers' script; tests give their own. */
  script?: string;
}

export async function* checkFiles(requests: readonly FileCheck[], settings: CheckSettings, threads: CheckThreads): AsyncGenerator<FileOutcome> {
  const size = Math.min(threads.count, requests.length);
  if (size <= 1) {
    const parser = await createGoParser();
    const packages = new PackageWorkspace(parser, diskPackageSources, { keepParsedTrees: true });
    for (const request of requests) yield checkFile(parser, settings, request, packages);
    return;
  }
  const pool = new CheckPool({ script: threads.script ?? checkWorkerScript, workerData: checkWorkerData(settings), size });
  try {
    const outcomes = requests.map((request) => pool.check(request));
    // Awaited one by one below; a dead worker rejects them all at once, and the later ones must not count as unhandled.
    for (const outcome of outcomes) outcome.catch(() => undefined);
    for (const outcome of outcomes) yield await outcome;
  } finally {
    await pool.close();
  }
}
