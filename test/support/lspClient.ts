// A minimal LSP client for protocol tests: spawns the built server over
// stdio, answers the requests a real client must answer (configuration,
// capability registration), records notifications, and lets tests wait for a
// notification. Every wait is rejected when the server exits or times out, so
// a crashing server fails the test instead of hanging it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

export const repositoryRoot = path.resolve(__dirname, '../../..');
export const serverBundle = path.join(repositoryRoot, 'dist', 'server.js');

/** Set by `scripts/bench/run.mjs --server-cpu-profile=DIR`: servers write a V8 CPU profile there when they exit. */
const cpuProfileDirectory = process.env.GOINSIGHT_SERVER_CPU_PROFILE;

interface Waiter {
  method: string;
  accept: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Not a protocol message: recorded when the client answers `workspace/configuration`, with the mark just after it. */
export const configurationAnswered = 'test/configurationAnswered';

export class TestLspClient {
  readonly connection: ProtocolConnection;
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly stderr: string[] = [];
  configuration: Record<string, unknown> = {};
  private readonly waiters: Waiter[] = [];
  private exited: Error | undefined;

  private constructor(private readonly child: ChildProcess) {
    const stdout = child.stdout;
    const stdin = child.stdin;
    if (!stdout || !stdin) throw new Error('server spawned without pipes');
    this.connection = createProtocolConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    child.on('exit', (code, signal) => {
      this.exited = new Error(`server exited (code ${code}, signal ${signal}); stderr: ${this.stderr.join('')}`);
      for (const waiter of this.waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(this.exited);
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
      // Recorded in the notification order, so a test can wait for what the server did with this answer.
      this.record(configurationAnswered, { at: this.notifications.length + 1 });
      return params.items.map((item) => (item.section === 'goinsight' ? this.configuration : null));
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onUnhandledNotification((message) => this.record(message.method, message.params));
    for (const method of ['textDocument/publishDiagnostics', 'window/showMessage', 'window/logMessage']) {
      this.connection.onNotification(method, (params: unknown) => this.record(method, params));
    }
    this.connection.listen();
  }

  /** The server's process id (for resource checks such as /proc/PID/status). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  static start(args: string[] = ['--stdio'], environment: NodeJS.ProcessEnv = process.env): TestLspClient {
    const profiling = cpuProfileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDirectory}`] : [];
    const child = spawn(process.execPath, [...profiling, serverBundle, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: environment });
    return new TestLspClient(child);
  }

  private record(method: string, params: unknown): void {
    this.notifications.push({ method, params });
    for (const waiter of [...this.waiters]) {
      if (waiter.method === method && waiter.accept(params)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(params);
      }
    }
  }

  /** A mark to pass to waitFor so that only notifications received after it count. */
  mark(): number {
    return this.notifications.length;
  }

  /** Resolves with the first notification (received since `since`, or future) that matches. */
  waitFor<T>(method: string, accept: (params: T) => boolean = () => true, timeoutMs = 20_000, since = 0): Promise<T> {
    const earlier = this.notifications.slice(since).find((item) => item.method === method && accept(item.params as T));
    if (earlier) return Promise.resolve(earlier.params as T);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.findIndex((waiter) => waiter.timer === timer), 1);
        reject(new Error(`timed out waiting for ${method}; stderr: ${this.stderr.join('')}`));
      }, timeoutMs);
      this.waiters.push({ method, accept: accept as (params: unknown) => boolean, resolve: resolve as (params: unknown) => void, reject, timer });
    });
  }

  async initialize(initializationOptions: unknown = { trusted: true }, locale?: string): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      locale,
      initializationOptions,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, inlayHint: { refreshSupport: true } },
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          inlayHint: {},
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async stop(): Promise<void> {
    try {
      if (!this.exited) {
        await Promise.race([this.connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
        await this.connection.sendNotification('exit');
      }
    } catch {
      // the server is already gone
    } finally {
      // A profiling server writes its profile while it exits: give it the time to.
      await new Promise((resolve) => setTimeout(resolve, cpuProfileDirectory ? 10_000 : 50));
      if (!this.exited) this.child.kill('SIGKILL');
      this.connection.dispose();
    }
  }
}
