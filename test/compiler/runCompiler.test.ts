// Process handling: argument arrays, tree kill on timeout and abort, temp dirs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { removeStaleTempDirs, runProcess, withPrivateTempDir } from '../../server/src/compiler/runCompiler';
import { scratchDir } from './compilerTestSupport';

/** A node child that starts a grandchild writing its pid, then both sleep. */
function treeScript(pidFile: string): string[] {
  const grandchild = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`;
  return ['-e', `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' }); setInterval(() => {}, 1000)`];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('arguments are passed as they are, never through a shell', async () => {
  const tricky = ['$(echo pwned)', 'a b', '"quoted"', ';rm -rf /', '*'];
  const result = await runProcess({ command: process.execPath, args: ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...tricky], cwd: process.cwd() });
  assert.equal(result.exitCode, 0);
  assert.deepEqual(JSON.parse(result.stdout), tricky);
});

/**
 * The run's promise, failing the test if it has not settled within `ms`: a
 * grandchild that survives keeps the output pipes open, and the run would
 * wait for it forever.
 */
function settlesWithin<T>(run: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms: a process of the tree survived and holds its output open`)), ms);
  });
  return Promise.race([run, deadline]).finally(() => clearTimeout(timer));
}

/** Kills what a failed test left behind, so that a broken tree kill leaves no orphans either. */
function killLeftover(pidFile: string): void {
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
  if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
}

const treeTestTimeout = { timeout: 30_000 };

/** Accepts the error named `name`; any other (such as the deadline of settlesWithin) fails the test with its own message. */
const errorNamed = (name: string) => (error: Error) => {
  if (error.name === name) return true;
  throw error;
};

test('a timeout kills the whole process tree', { ...treeTestTimeout, skip: process.platform === 'win32' }, async (t) => {
  const dir = scratchDir('tree');
  const pidFile = path.join(dir, 'grandchild.pid');
  t.after(() => {
    killLeftover(pidFile);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const started = Date.now();
  const run = runProcess({ command: process.execPath, args: treeScript(pidFile), cwd: dir, timeoutMs: 3000 });
  await assert.rejects(settlesWithin(run, 10_000, 'the timed-out run'), errorNamed('CompilerTimeoutError'));
  assert.ok(Date.now() - started < 10_000);
  const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
  await waitFor(() => !alive(grandchild));
});

test('an abort kills the tree; an already aborted signal does not start anything', { ...treeTestTimeout, skip: process.platform === 'win32' }, async (t) => {
  const dir = scratchDir('abort');
  const pidFile = path.join(dir, 'grandchild.pid');
  t.after(() => {
    killLeftover(pidFile);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const controller = new AbortController();
  const run = runProcess({ command: process.execPath, args: treeScript(pidFile), cwd: dir, signal: controller.signal });
  await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '', 15_000);
  controller.abort();
  await assert.rejects(settlesWithin(run, 10_000, 'the cancelled run'), errorNamed('AbortError'));
  await waitFor(() => !alive(Number(fs.readFileSync(pidFile, 'utf8'))));
  await assert.rejects(runProcess({ command: process.execPath, args: ['-e', 'x'], cwd: dir, signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('a server that exits mid-compile takes the process tree and the run directory with it', { ...treeTestTimeout, skip: process.platform === 'win32' }, async (t) => {
  // The compiler's group is not the server's own, so nothing but the exit hook stops it when the editor goes away.
  const dir = scratchDir('exit');
  const pidFile = path.join(dir, 'grandchild.pid');
  const runDirFile = path.join(dir, 'rundir');
  t.after(() => {
    killLeftover(pidFile);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const server = `
    const { runProcess, withPrivateTempDir } = require(${JSON.stringify(require.resolve('../../server/src/compiler/runCompiler'))});
    withPrivateTempDir(async (runDir) => {
      require('fs').writeFileSync(${JSON.stringify(runDirFile)}, runDir);
      const run = runProcess({ command: process.execPath, args: ${JSON.stringify(treeScript(pidFile))}, cwd: runDir });
      const started = Date.now();
      while (!require('fs').existsSync(${JSON.stringify(pidFile)}) && Date.now() - started < 10000) await new Promise((r) => setTimeout(r, 20));
      process.exit(0);
      await run;
    }, ${JSON.stringify(dir)});`;
  const exit = await runProcess({ command: process.execPath, args: ['-e', server], cwd: dir, timeoutMs: 20_000 });
  assert.equal(exit.exitCode, 0, exit.stderr);
  const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
  await waitFor(() => !alive(grandchild));
  assert.equal(fs.existsSync(fs.readFileSync(runDirFile, 'utf8')), false, 'the run directory is removed at exit');
});

test('a missing program is an error, not a hang', async () => {
  await assert.rejects(runProcess({ command: '/definitely/not/here/go', args: [], cwd: process.cwd() }), /could not start .*ENOENT/);
});

test('output beyond the limit is dropped and flagged', async () => {
  const result = await runProcess({ command: process.execPath, args: ['-e', 'process.stderr.write("x".repeat(5000))'], cwd: process.cwd(), maxOutputBytes: 1000 });
  assert.equal(result.stderr.length, 1000);
  assert.equal(result.truncated, true);
});

test('the private temp dir is 0700 and removed even when the work throws', async (t) => {
  const root = scratchDir('private');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  let seen = '';
  await assert.rejects(
    withPrivateTempDir(async (dir) => {
      seen = dir;
      fs.writeFileSync(path.join(dir, 'f'), 'x');
      if (process.platform !== 'win32') assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      throw new Error('boom');
    }, root),
    /boom/,
  );
  assert.ok(seen.startsWith(root));
  assert.equal(fs.existsSync(seen), false);
});

test('stale run directories and revision copies of a killed server are swept, nothing else', async (t) => {
  const root = scratchDir('sweep');
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const old = new Date(Date.now() - 48 * 3600 * 1000);
  const stale = ['goinsight-gc-abc123', 'goinsight-since-Xy9z01', 'goinsight-e2e-vscode-abc123', 'goinsight-since-test-abc123', 'other'];
  for (const name of [...stale, 'goinsight-gc-fresh1', 'goinsight-since-fresh1']) fs.mkdirSync(path.join(root, name));
  for (const name of stale) fs.utimesSync(path.join(root, name), old, old);
  assert.equal(await removeStaleTempDirs(24 * 3600 * 1000, root), 2);
  assert.deepEqual(fs.readdirSync(root).sort(), ['goinsight-e2e-vscode-abc123', 'goinsight-gc-fresh1', 'goinsight-since-fresh1', 'goinsight-since-test-abc123', 'other']);
});
