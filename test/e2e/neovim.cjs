// The same server under another LSP client: headless Neovim (Debian's
// `neovim`, its built-in client) runs nvim/init.lua on a copy of the fixture,
// which records hover, inlay hints and diagnostics as JSON; the checks are here.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { log, startProcess, withTimeout, goEnvironment, makeTempDir, removeTempDir } = require('./lib/harness.cjs');

const fixture = require('./lib/fixture.cjs');

const { GO_FILE } = fixture;

/** Each check: a name, and a function of the recorded results that throws when it fails. */
const CHECKS = [
  {
    name: 'server-started',
    check(r) {
      if (r.errors.length) throw new Error(`init.lua reported: ${r.errors.join('; ')}`);
      const states = r.states || [];
      if (!states.includes('ready')) throw new Error(`no goinsight/status "ready" (statuses: ${JSON.stringify(states)})`);
      if (r.status.state === 'error') throw new Error(`the server ended in state error: ${JSON.stringify(r.status)}`);
      return `Neovim ${r.nvim_version}, statuses ${states.join(' → ')}, last "${r.status.text}"`;
    },
  },
  {
    name: 'hover',
    check(r) {
      if (typeof r.hover !== 'string') throw new Error(`no hover on the defer of "${fixture.HOVER_LINE}"`);
      for (const expected of [fixture.EN.HOVER_TITLE, ...fixture.HOVER_CALLS]) {
        if (!r.hover.includes(expected)) throw new Error(`hover lacks "${expected}": ${r.hover.slice(0, 200)}`);
      }
      return `${fixture.EN.HOVER_TITLE} + ${fixture.HOVER_CALLS.join(', ')}`;
    },
  },
  {
    name: 'inlay-hints',
    check(r, { lineOf }) {
      const expected = fixture.DEFER_HINTS.map(([text, label]) => [lineOf(text), label]);
      for (const [line, label] of expected) {
        if (!r.inlay_hints.some((h) => h.line === line && h.label.trim() === label)) {
          throw new Error(`no inlay hint "${label}" on line ${line + 1}; hints: ${JSON.stringify(r.inlay_hints)}`);
        }
      }
      const defers = r.inlay_hints.filter((h) => h.label.startsWith('⟲'));
      return `${defers.map((h) => `${h.label}@${h.line + 1}`).join(' ')} (+${r.inlay_hints.length - defers.length} other hints)`;
    },
  },
  {
    name: 'diagnostics',
    check(r, { lastLineOf }) {
      if (r.diagnostics.length !== r.analyzed.diagnostics) {
        throw new Error(`the server published ${r.analyzed.diagnostics} diagnostic(s), Neovim holds ${r.diagnostics.length}`);
      }
      // Pinned to the fixture's text, not to what the engine reports: a dead or wrong engine fails here.
      const { text, code, message } = fixture.DOUBLE_CLOSE;
      const line = lastLineOf(text);
      const doubleClose = r.diagnostics.find((d) => d.line === line && d.code === code);
      if (!doubleClose || !message.test(doubleClose.message)) {
        throw new Error(`no ${code} diagnostic matching ${message} on line ${line + 1}; got ${JSON.stringify(r.diagnostics)}`);
      }
      return `${r.diagnostics.length}, incl. ${code} on line ${line + 1}`;
    },
  },
];

async function runNeovim({ root, tools, artifacts, keepTemp = false }) {
  if (!tools.NVIM) throw new Error('nvim is not installed (test/e2e/install.sh installs Debian\'s neovim)');
  const server = path.join(root, 'dist', 'server.js');
  if (!fs.existsSync(server)) throw new Error(`${server} is missing: run npm run build`);
  const temp = makeTempDir('goinsight-e2e-nvim-');
  const workspace = path.join(temp, 'workspace');
  fs.cpSync(fixture.DIR, workspace, { recursive: true });
  const resultsFile = path.join(artifacts, 'neovim-results.json');
  const logFile = path.join(artifacts, 'neovim.log');
  const env = {
    ...process.env,
    ...goEnvironment(),
    GOINSIGHT_SERVER: server,
    GOINSIGHT_E2E_RESULTS: resultsFile,
    GOINSIGHT_E2E_HOVER_LINE: fixture.HOVER_LINE,
    // Neovim's lsp.log, shada and swap files go to the throw-away directory.
    XDG_CONFIG_HOME: path.join(temp, 'config'),
    XDG_DATA_HOME: path.join(temp, 'data'),
    XDG_STATE_HOME: path.join(temp, 'state'),
    XDG_CACHE_HOME: path.join(temp, 'cache'),
  };
  try {
    const nvim = startProcess(tools.NVIM, ['--headless', '--clean', '-n', '-u', path.join(__dirname, 'nvim', 'init.lua'), GO_FILE], {
      env,
      cwd: workspace,
      logFile,
    });
    let exit;
    try {
      exit = await withTimeout(nvim.exited, 60000, 'headless Neovim to finish');
    } finally {
      await nvim.stop(1000);
    }
    if (!fs.existsSync(resultsFile)) {
      throw new Error(`Neovim exited (${JSON.stringify(exit)}) without writing ${resultsFile}; see ${logFile}`);
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    const lines = fs.readFileSync(path.join(workspace, GO_FILE), 'utf8').split('\n');
    const context = {
      lineOf: (needle) => lines.findIndex((line) => line.includes(needle)),
      lastLineOf: (needle) => lines.findLastIndex((line) => line.includes(needle)),
    };
    for (const { name, check } of CHECKS) {
      let detail;
      try {
        detail = check(results, context);
      } catch (error) {
        throw new Error(`Neovim check "${name}" failed: ${error.message}\n  recorded: ${path.relative(root, resultsFile)}`);
      }
      log(`PASS  neovim ${name}${detail ? `: ${detail}` : ''}`);
    }
  } finally {
    if (!keepTemp) await removeTempDir(temp);
  }
}

module.exports = { runNeovim, CHECKS };
