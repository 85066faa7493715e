// Small helpers shared by the editor tests: bounded waits, child processes
// that are always stopped (their whole process group), free ports, logging.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (...args) => console.log(`[e2e ${elapsed()}]`, ...args);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects with `what` if `promise` has not settled within `ms`. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000}s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `probe` until it returns a truthy value; throws after `ms`. */
async function waitFor(probe, ms, what, every = 100) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`timed out after ${ms / 1000}s waiting for ${what}${detail}`);
    }
    await sleep(every);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * GOCACHE, GOMODCACHE, GOPATH as the caller has them. The editors run with
 * HOME/XDG_* redirected to throw-away folders; without these the server's
 * compiler runs would rebuild the standard library into an empty cache.
 */
function goEnvironment() {
  try {
    const [GOCACHE, GOMODCACHE, GOPATH] = execFileSync('go', ['env', 'GOCACHE', 'GOMODCACHE', 'GOPATH'], { encoding: 'utf8', timeout: 20000 }).split('\n');
    return { GOCACHE, GOMODCACHE, GOPATH };
  } catch {
    return {}; // no Go: the syntactic checks do not need it
  }
}

const children = new Set();

/**
 * Spawns a child in its own process group (so its descendants can be stopped
 * with it), logging stdout/stderr to `logFile`. Returns { child, exited, stop }.
 */
function startProcess(command, args, { env, cwd, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.on('error', (error) => {
      exitInfo = { code: null, signal: null, error };
      resolve(exitInfo);
    });
  });
  const handle = {
    child,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader is gone. */
    async stop(graceMs = 3000) {
      children.delete(handle);
      killGroup(child.pid, 'SIGTERM');
      if (!exitInfo) await Promise.race([exited, sleep(graceMs)]);
      // The leader may be gone while descendants (extension host, server) linger.
      killGroup(child.pid, 'SIGKILL');
    },
  };
  children.add(handle);
  return handle;
}

function killGroup(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const foreignGroups = new Set();

/** Also kill this process group at exit (e.g. Chromium, which playwright starts in its own group). */
function trackGroup(pid) {
  if (pid) foreignGroups.add(pid);
}

const tempDirs = new Set();

/** A fresh directory under the system temp dir, removed at exit unless GOINSIGHT_E2E_KEEP=1. */
function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/**
 * Removes a run's directory. Killing an editor's process group does not reach
 * what our server started in groups of its own (a `go build` it had under way
 * finishes by itself within seconds, writing into its private temp dir), so a
 * directory that is still being written to is retried for a while before the
 * remaining entries are reported.
 */
async function removeTempDir(dir, patienceMs = 20000) {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      tempDirs.delete(dir);
      return;
    } catch (error) {
      if (!['ENOTEMPTY', 'EBUSY', 'EPERM'].includes(error.code) || Date.now() > deadline) {
        let left = [];
        try {
          left = fs.readdirSync(dir, { recursive: true }).slice(0, 10);
        } catch {
          // gone meanwhile
        }
        throw new Error(`${error.message} (still there after ${patienceMs / 1000} s: ${left.join(', ') || 'nothing'})`);
      }
      await sleep(250);
    }
  }
}

/** Last resort (process exit, signals, watchdog): kill every group we started, synchronously. */
function killAllStarted() {
  for (const handle of children) killGroup(handle.child.pid, 'SIGKILL');
  children.clear();
  for (const pid of foreignGroups) killGroup(pid, 'SIGKILL');
  foreignGroups.clear();
  if (process.env.GOINSIGHT_E2E_KEEP !== '1') {
    for (const dir of tempDirs) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort at exit
      }
    }
  }
  tempDirs.clear();
}
process.on('exit', killAllStarted);

module.exports = { log, sleep, withTimeout, waitFor, freePort, startProcess, killGroup, trackGroup, killAllStarted, elapsed, goEnvironment, makeTempDir, removeTempDir };
