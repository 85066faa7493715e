#!/usr/bin/env node
// Editor tests of the packaged extension (`npm run test:e2e`):
//   1. install.sh: Debian packages if missing, code-server + playwright-core
//      into a cache outside the work tree (reused when present);
//   2. `npm run package` → goinsight.vsix (and dist/server.js);
//   3. vscode.cjs: the .vsix in a real VS Code (code-server + Chromium);
//   4. neovim.cjs: dist/server.js under headless Neovim's built-in LSP client.
// Screenshots and logs go to test-artifacts/e2e/.
//
//   node test/e2e/run.cjs [vscode] [neovim]      (default: both)
//
// Env: GOINSIGHT_E2E_CACHE   install cache (default ~/.cache/goinsight-e2e)
//      GOINSIGHT_E2E_VSIX    use this .vsix, skip `npm run package` (dist/ must exist)
//      GOINSIGHT_E2E_TIMEOUT whole-run limit in seconds (default 900)
//      GOINSIGHT_E2E_KEEP=1  keep the temporary workspace/profile directories
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { log, killAllStarted } = require('./lib/harness.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
const SUITES = ['vscode', 'neovim'];

/** The one failure worth a second run (.ci/run does it): Chromium stalling while it starts on a loaded machine. */
const browserStall = /timed out after \d+s: (?:Chromium to start|connecting to Chromium)/;
const browserStallExitCode = 75;

function fail(message, exitCode = 1) {
  console.error(`\n[e2e] FAILED: ${message}`);
  killAllStarted();
  process.exit(exitCode);
}

const timeoutSec = Number(process.env.GOINSIGHT_E2E_TIMEOUT || 900);
const watchdog = setTimeout(() => fail(`the whole run took longer than ${timeoutSec}s (GOINSIGHT_E2E_TIMEOUT)`), timeoutSec * 1000);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => fail(`interrupted by ${signal}`));

function install() {
  const result = spawnSync('bash', [path.join(__dirname, 'install.sh')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60 * 1000,
  });
  if (result.status !== 0) fail(`test/e2e/install.sh exited with ${result.status ?? result.signal}`);
  const tools = Object.fromEntries(
    result.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  for (const key of ['CODE_SERVER', 'PLAYWRIGHT_DIR', 'CHROMIUM', 'NVIM']) {
    if (!tools[key]) fail(`install.sh did not report ${key}`);
  }
  return tools;
}

function packageExtension() {
  if (process.env.GOINSIGHT_E2E_VSIX) return path.resolve(process.env.GOINSIGHT_E2E_VSIX);
  const vsix = path.join(ROOT, 'goinsight.vsix');
  const before = Date.now();
  const logFile = path.join(ARTIFACTS, 'package.log');
  const result = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60 * 1000 });
  fs.writeFileSync(logFile, `${result.stdout}\n${result.stderr}`);
  if (result.status !== 0) {
    console.error(`${result.stdout}\n${result.stderr}`.split('\n').slice(-30).join('\n'));
    fail(`npm run package exited with ${result.status ?? result.signal} (log: ${path.relative(ROOT, logFile)})`);
  }
  if (!fs.existsSync(vsix) || fs.statSync(vsix).mtimeMs < before - 2000) fail(`npm run package did not write ${vsix}`);
  return vsix;
}

async function main() {
  const wanted = process.argv.slice(2);
  for (const name of wanted) if (!SUITES.includes(name)) fail(`unknown suite "${name}" (known: ${SUITES.join(', ')})`);
  const suites = wanted.length ? wanted : SUITES;

  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const timings = {};
  let t = Date.now();
  const lap = (name) => {
    timings[name] = (Date.now() - t) / 1000;
    t = Date.now();
  };

  const tools = install();
  lap('install');
  log('tools ready');
  const vsix = packageExtension();
  lap('package');
  log(`packaged ${path.relative(ROOT, vsix)}`);

  const failures = [];
  const keepTemp = process.env.GOINSIGHT_E2E_KEEP === '1';
  for (const suite of suites) {
    log(`--- ${suite}`);
    try {
      if (suite === 'vscode') await require('./vscode.cjs').runVsCode({ root: ROOT, tools, vsix, artifacts: ARTIFACTS, keepTemp });
      else await require('./neovim.cjs').runNeovim({ root: ROOT, tools, artifacts: ARTIFACTS, keepTemp });
    } catch (error) {
      failures.push(`${suite}: ${error.message}`);
      log(`FAIL  ${suite}: ${error.message}`);
    }
    lap(suite);
  }

  const summary = Object.entries(timings).map(([name, sec]) => `${name} ${sec.toFixed(1)}s`).join(', ');
  log(`timings: ${summary}; artifacts in ${path.relative(ROOT, ARTIFACTS)}/`);
  if (failures.length) {
    const onlyStalls = failures.every((failure) => browserStall.test(failure));
    fail(`${failures.length} suite(s) failed${onlyStalls ? ' (the browser stalled while starting)' : ''}:\n  ${failures.join('\n  ')}`, onlyStalls ? browserStallExitCode : 1);
  }
  log('all editor tests passed');
  // Idle keep-alive sockets (fetch, playwright) would hold the process for seconds.
  process.exit(0);
}

main().catch((error) => fail(error && error.stack ? error.stack : String(error)));
