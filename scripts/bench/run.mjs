// `npm run bench`: Go Insight's speed and memory next to the floor and the
// tools users would otherwise use, in one process run. Prints a table and
// writes every figure to bench-results.json (not committed). Needs
// `npm run build` and `npm run compile-tests` first (the npm script does both).
// Skips, saying so, what needs an absent tool. Never fails on a time: budgets
// are reported, not enforced. `--only=edit,package,scan,escape,memory,leaks,since` runs some sections;
// `--edit-targets=server,floor` runs only the edit-latency rows whose key is listed (see `targets` below).
// `--server-cpu-profile=DIR` makes every server it starts write a V8 CPU profile into DIR
// (read them with `node scripts/bench/cpuProfileSummary.mjs`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compiled, fmt, goEnv, goRootFiles, repositoryRoot, which } from './common.mjs';
import { measureEditLatency } from './editLatency.mjs';
import { measureEscape } from './escapeLatency.mjs';
import { measureLeakRun } from './leakRun.mjs';
import { measureMemoryAndStartup } from './memoryStartup.mjs';
import { measurePackageRuleLatency } from './packageRuleLatency.mjs';
import { measureScan } from './scanThroughput.mjs';
import { measureSince } from './sinceLatency.mjs';

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7).split(',');
const wanted = (section) => !only || only.includes(section);
const editTargets = process.argv.find((arg) => arg.startsWith('--edit-targets='))?.slice(15).split(',');
const profileDirectory = process.argv.find((arg) => arg.startsWith('--server-cpu-profile='))?.slice(21);
if (profileDirectory) {
  fs.mkdirSync(profileDirectory, { recursive: true });
  // Read by test/support/lspClient when it starts a server.
  process.env.GOINSIGHT_SERVER_CPU_PROFILE = path.resolve(profileDirectory);
}
const results = { startedAt: new Date().toISOString(), machine: {}, skipped: [] };
const lines = [];
const say = (text = '') => {
  lines.push(text);
  console.log(text);
};

function table(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells) => `| ${cells.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  say(line(header));
  say(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) say(line(row));
  say();
}

/** The largest .go file of GOROOT/src outside testdata (bytes), and the longest one (lines) that is not generated code. */
function largestFiles(files) {
  const { isGeneratedGoFile } = compiled('server/src/engine/generatedFile');
  const sized = files.map((file) => ({ file, size: fs.statSync(file).size })).sort((a, b) => b.size - a.size);
  let handWritten;
  for (const { file } of sized.slice(0, 200)) {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n').length;
    if (!isGeneratedGoFile(text) && (!handWritten || lines > handWritten.lines)) handWritten = { file, lines };
  }
  return { largest: sized[0].file, largestHandWritten: handWritten?.file };
}

const goRoot = goEnv('GOROOT');
const gopls = [path.join(os.homedir(), '.cache/goinsight-bench/bin/gopls'), which('gopls')].find((file) => file && fs.existsSync(file));
results.machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
  node: process.version,
  go: spawnSync('go', ['version'], { encoding: 'utf8' }).stdout?.trim(),
  gopls: gopls ? spawnSync(gopls, ['version'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim() : undefined,
};
say(`Go Insight benchmark — ${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${results.machine.memoryGb} GB, Node ${results.machine.node}, ${results.machine.go ?? 'no go'}${gopls ? `, ${results.machine.gopls}` : ''}`);
say();

if (!goRoot) {
  say('go is not installed: every section needs GOROOT/src as the corpus; nothing measured.');
  results.skipped.push('all: no go');
} else {
  const files = goRootFiles(goRoot);
  const benchStarted = performance.now();

  if (wanted('edit')) {
    const { largest, largestHandWritten } = largestFiles(files);
    const manual = { compiler: { run: 'manual' } };
    const targets = [
      { key: 'server', label: 'net/http/server.go (default settings: package rules after a pause in typing)', file: path.join(goRoot, 'src/net/http/server.go'), configuration: manual, budget: 10 },
      // Generated and above maxFileSize: with the default settings only the parse and the (empty) publish run.
      { key: 'largest', label: `largest: ${path.relative(path.join(goRoot, 'src'), largest)} (default settings)`, file: largest, configuration: manual, budget: 50 },
    ];
    if (largestHandWritten && largestHandWritten !== largest) {
      targets.push({ key: 'handwritten', label: `largest hand-written: ${path.relative(path.join(goRoot, 'src'), largestHandWritten)}`, file: largestHandWritten, configuration: manual, budget: 50 });
    }
    // The package rules on every keystroke, as before they waited for a pause in typing: what that pause saves.
    targets.push({ key: 'every-keystroke', label: 'net/http/server.go, package rules on every keystroke (typingDelayMs 0)', file: path.join(goRoot, 'src/net/http/server.go'), configuration: { ...manual, packageRules: { typingDelayMs: 0 } } });
    // The same edits without the package rules (every one of them; lost-cancel and wg-add-inside share their ids with file rules, which go off too):
    // the every-keystroke row less this one is what re-running them after each edit costs.
    const packageRulesOff = Object.fromEntries(compiled('server/src/rules/allRules').allPackageRules.map((rule) => [rule.id, 'off']));
    targets.push({ key: 'no-package-rules', label: 'net/http/server.go, package rules off', file: path.join(goRoot, 'src/net/http/server.go'), configuration: { ...manual, rules: packageRulesOff } });
    // The same edits with every rule off: what parsing, the incremental bookkeeping and LSP cost on this machine.
    const everyCategoryOff = { escape: false, defer: false, channel: false, goroutine: false, sync: false };
    targets.push({ key: 'floor', label: 'net/http/server.go, every rule off (the floor)', file: path.join(goRoot, 'src/net/http/server.go'), configuration: { ...manual, categories: everyCategoryOff } });
    results.edit = [];
    for (const target of targets.filter((each) => !editTargets || editTargets.includes(each.key))) {
      const measured = await measureEditLatency(target);
      results.edit.push({ ...measured, budgetMs: target.budget, withinBudget: target.budget === undefined ? undefined : measured.total.p99 <= target.budget });
    }
    say('## 1. Edit latency (300 single-character edits in function bodies, LSP over stdio, ms)');
    say();
    const rows = [];
    for (const row of results.edit) {
      const steps = [['didChange → analyzed', row.analyzed], ['inlay hints request', row.inlayHints], ['both (the user-visible refresh)', row.total]];
      if (row.afterPause) steps.push(['last keystroke of a burst → package rules\' findings (the 300 ms pause included)', row.afterPause]);
      for (const [what, stats] of steps) {
        const both = what.startsWith('both');
        rows.push([
          `${row.label} (${row.lines} lines)`,
          what,
          fmt(stats.p50),
          fmt(stats.p95),
          fmt(stats.p99),
          fmt(stats.max),
          both && row.serverCpuPerEditMs !== undefined ? fmt(row.serverCpuPerEditMs) : '',
          both && row.budgetMs !== undefined ? `p99 ≤ ${row.budgetMs}: ${row.withinBudget ? 'yes' : 'NO'}` : '',
        ]);
      }
    }
    // The server's CPU per edit (from /proc) varies less than the wall times on a busy machine.
    table(['file', 'step', 'p50', 'p95', 'p99', 'max', 'server CPU per edit', 'budget'], rows);
  }

  if (wanted('package')) {
    results.packageRules = await measurePackageRuleLatency({ file: path.join(goRoot, 'src/net/http/server.go') });
    const row = results.packageRules;
    say(`## 1b. Package rules after an edit in net/http (in process, ${row.edits} edits in function bodies of server.go, ms)`);
    say();
    table(
      ['step', 'p50', 'p95', 'p99', 'max', 'CPU per edit'],
      [
        ['package rules after a body edit', fmt(row.bodyEdit.p50), fmt(row.bodyEdit.p95), fmt(row.bodyEdit.p99), fmt(row.bodyEdit.max), fmt(row.bodyEditCpuMs)],
        ['package rules after a type edit (every summary again)', fmt(row.typeEdit.p50), fmt(row.typeEdit.p95), fmt(row.typeEdit.p99), fmt(row.typeEdit.max), fmt(row.typeEditCpuMs)],
        ['first run, siblings read', fmt(row.firstRun.ms), '', '', '', fmt(row.firstRun.cpuMs)],
      ],
    );
    say(`Reading and parsing the package's other files in the background: ${fmt(row.siblingsReadMs, 0)} ms.`);
    say();
  }

  if (wanted('scan')) {
    results.scan = await measureScan({ goRoot, timeoutMs: 300_000 });
    say(`## 2. Scan throughput (vet subset: ${results.scan.vetPackages.join(', ')})`);
    say();
    table(
      ['tool', 'files', 'total s', 'lines/s', 'peak RSS MB'],
      results.scan.rows.map((row) => [row.tool, row.scope, row.timedOut ? `> ${fmt(row.ms / 1000)} (stopped)` : fmt(row.ms / 1000, 2), fmt(row.linesPerSecond, 0), fmt(row.peakRssMb, 0)]),
    );
    say(`goinsight / gofmt on GOROOT/src: ${fmt(results.scan.ratioToGofmt, 1)}× (target ≤ 2×)`);
    say();
  }

  if (wanted('escape')) {
    const packages = [
      { label: 'small: test/fixtures/escape/kinds', dir: path.join(repositoryRoot, 'test/fixtures/escape/kinds') },
      { label: 'medium: encoding/json', dir: path.join(goRoot, 'src/encoding/json') },
      { label: 'large: net/http', dir: path.join(goRoot, 'src/net/http') },
    ];
    if (!gopls) results.skipped.push('gopls compiler details: gopls not installed (go install golang.org/x/tools/gopls@latest)');
    results.escape = await measureEscape({ packages, gopls, timeoutMs: 180_000 });
    say('## 3. Escape latency (ms; cold = package recompiled, dependencies cached)');
    say();
    table(
      ['package', 'go build -gcflags=-m cold', 'server\'s command cold (bare)', 'server cold', 'server / bare', 'go test -c … cold (bare)', 'go build repeated', 'server repeated', 'gopls details'],
      results.escape.map((row) => [
        row.label,
        fmt(row.bareBuildCold, 0),
        fmt(row.bareServerCommandCold, 0),
        fmt(row.serverCold, 0) + (row.buildFailed ? ' (build failed)' : ''),
        `${fmt(row.serverCold / row.bareServerCommandCold, 2)}× / ${fmt(row.serverCold / row.bareBuildCold, 2)}×`,
        fmt(row.bareTestCold, 0),
        fmt(row.bareBuildRepeated, 0),
        `${fmt(row.serverRepeated, 1)}${row.serverRepeatedFromCache ? ' (cache)' : ''}`,
        row.gopls ? (row.gopls.skipped ? `skipped: ${row.gopls.skipped}` : fmt(row.gopls.ms, 0)) : 'gopls absent',
      ]),
    );
    say('Cold figures are medians of alternating rounds. server / bare: against the server\'s own command (go build -gcflags=\'-m=2 -d=defer -json…\') run bare, and against go build -gcflags=-m; go test -c: what the server runs once a _test.go file of the package is open. Target ≤ 1.15× cold, ≤ 50 ms repeated.');
    say();
  }

  if (wanted('memory')) {
    results.memory = await measureMemoryAndStartup({ files, firstFile: path.join(goRoot, 'src/sync/once.go') });
    const memory = results.memory;
    say('## 4. Memory and start-up');
    say();
    table(
      ['measure', 'value'],
      [
        ['spawn → first published diagnostics', `${fmt(memory.startupMs, 0)} ms`],
        ['server RSS after start', `${fmt(memory.rssAfterStartMb, 0)} MB`],
        [`server RSS after opening ${memory.opened} GOROOT files (${memory.openedLines} lines)`, `${fmt(memory.rssAfterOpenMb, 0)} MB (peak ${fmt(memory.peakRssMb, 0)} MB)`],
        [`opening them one after another`, `${fmt(memory.openAllMs / 1000, 1)} s`],
      ],
    );
  }

  if (wanted('leaks')) {
    results.leaks = measureLeakRun();
    const { leaks } = results;
    say();
    say(`## 5. Leak run (test/fixtures/leaks ${leaks.packages.join(' ')}, warm caches, median of ${leaks.rounds}, ms)`);
    say();
    table(
      ['command', 'p50', 'max'],
      [
        ['go test -count=1', fmt(leaks.plainGoTest.p50, 0), fmt(leaks.plainGoTest.max, 0)],
        ['goinsight leaks', fmt(leaks.leakRun.p50, 0), fmt(leaks.leakRun.max, 0)],
      ],
    );
    say('The leak run adds the 500 ms settle time per test binary, the leak-detecting GC and go list; on Go 1.26 its first run also builds the runtime with the experiment (not measured here).');
  }

  if (wanted('since')) {
    results.since = await measureSince({ goRoot, timeoutMs: 300_000 });
    const row = results.since;
    say();
    say('## 6. Heap regressions: escapes --since (ms, medians of alternating cold rounds)');
    say();
    table(
      ['package', 'two bare go build -gcflags=-m', 'goinsight escapes --since HEAD~1', 'ratio', 'new / gone / unchanged'],
      [[row.label, fmt(row.bareTwoBuilds, 0), fmt(row.since, 0), `${fmt(row.since / row.bareTwoBuilds, 2)}×`, row.counts ? `${row.counts.new} / ${row.counts.gone} / ${row.counts.unchanged}` : `exit ${row.exitCode}`]],
    );
  }
  results.totalSeconds = (performance.now() - benchStarted) / 1000;
  say(`bench took ${fmt(results.totalSeconds, 0)} s`);
}
for (const skipped of results.skipped) say(`skipped: ${skipped}`);
results.table = lines.join('\n');
fs.writeFileSync(path.join(repositoryRoot, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.join(repositoryRoot, 'bench-results.json')}`);
