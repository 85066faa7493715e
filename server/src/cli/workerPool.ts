// Spreads `goinsight check`'s files over worker threads. Files go out from
// one queue as workers finish (file sizes vary by three orders of magnitude,
// so fixed shares would leave threads idle), a worker preferring the files of
// the directory it is on (a worker reads a file's whole package for the
// package rules: one worker per package reads it once); each file's outcome
// is a promise the caller awaits in its own order. A worker that dies fails the whole run
// with the file it was checking named: the caller must never wait forever.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileCheck, FileOutcome } from './checkFile';
import type { CheckReplyMessage, CheckRequestMessage } from './checkWorker';

export interface PoolOptions {
  /** The worker's script (checkWorkerScript, or a test's own). */
  script: string;
  workerData: unknown;
  size: number;
}

interface Pending {
  request: FileCheck;
  resolve: (outcome: FileOutcome) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /**
   * The file the worker is on. One at a time: when a worker dies, the file it
   * was on is then known for certain. (A second file in flight would save the
   * round trip between files, about 1% of a GOROOT run, and make that name a guess.)
   */
  current?: number;
  /** The uncaught error a dying worker reported, kept for the message at its exit. */
  error?: Error;
  /** The directory of the last file it was sent. */
  directory?: string;
}

/**
 * How far ahead in the queue a free worker looks for a file of its own directory, or of one no
 * other worker is on: past the largest directories (hundreds of files), since two workers on one
 * directory would each read its whole package.
 */
const affinityWindow = 1024;

export class CheckPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Files are numbered as they come; those in `unsent` (in order) wait for a worker. */
  private nextIndex = 0;
  private readonly unsent = new Set<number>();
  private failure: Error | undefined;
  private closing = false;

  constructor(options: PoolOptions) {
    for (let count = 0; count < Math.max(1, options.size); count++) {
      const slot: Slot = { worker: new Worker(options.script, { workerData: options.workerData }) };
      slot.worker.on('message', (reply: CheckReplyMessage) => this.answered(slot, reply));
      slot.worker.on('error', (error: Error) => {
        slot.error = error;
      });
      // A reply that cannot be read leaves its file unanswered for good: as bad as a dead worker.
      slot.worker.on('messageerror', (error: Error) => this.broken(slot, `could not read a worker thread's reply`, `: ${error.message}`));
      slot.worker.on('exit', (code: number) => this.broken(slot, 'a worker thread stopped', slot.error ? `: ${slot.error.message}` : ` (exit code ${code})`));
      this.slots.push(slot);
    }
  }

  /** The outcome of one file; rejected if the pool failed (a worker died) before it was checked. */
  check(request: FileCheck): Promise<FileOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    const index = this.nextIndex++;
    const outcome = new Promise<FileOutcome>((resolve, reject) => this.pending.set(index, { request, resolve, reject }));
    this.unsent.add(index);
    this.dispatch();
    return outcome;
  }

  /** Stops every worker; pending files are rejected. */
  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error('the worker threads were stopped before every file was checked'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  /** The next file for a free worker: of its own directory, else of a directory no other worker is on, else the first waiting. */
  private nextFor(slot: Slot): number {
    const busy = new Set(this.slots.filter((other) => other !== slot && other.current !== undefined).map((other) => other.directory));
    let free: number | undefined;
    let count = 0;
    for (const index of this.unsent) {
      const directory = path.dirname(this.pending.get(index)?.request.file ?? '');
      if (directory === slot.directory) return index;
      if (free === undefined && !busy.has(directory)) free = index;
      if (++count >= affinityWindow) break;
    }
    return free ?? (this.unsent.values().next().value as number);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      while (slot.current === undefined && this.unsent.size > 0) {
        const index = this.nextFor(slot);
        this.unsent.delete(index);
        const pending = this.pending.get(index);
        if (!pending) continue;
        slot.current = index;
        slot.directory = path.dirname(pending.request.file);
        slot.worker.postMessage({ index, request: pending.request } satisfies CheckRequestMessage);
      }
    }
  }

  private answered(slot: Slot, reply: CheckReplyMessage): void {
    slot.current = undefined;
    const pending = this.pending.get(reply.index);
    this.pending.delete(reply.index);
    if (pending) {
      if ('outcome' in reply) pending.resolve(reply.outcome);
      else pending.reject(new Error(reply.error));
    }
    this.dispatch();
  }

  private broken(slot: Slot, what: string, why: string): void {
    if (this.closing) return;
    const file = slot.current === undefined ? undefined : this.pending.get(slot.current)?.request.file;
    this.fail(new Error(`${what}${file ? ` while checking ${file}` : ''}${why}`));
    void this.close();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
    this.unsent.clear();
  }
}
