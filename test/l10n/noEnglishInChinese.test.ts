// What a Simplified Chinese user reads is Chinese: the messages, related
// notes, fix titles and hovers the engine produces on real fixtures with
// locale zh-cn, the CLI's zh-cn report, the compiler facts' words around the
// compiler's own verdicts, and the go-not-found messages. English is allowed
// only where it is code or a name: Go's identifiers in the file, code spans,
// Go's own terms (goroutine, panic…), the runtime's and compiler's quoted
// texts, and the CLI's machine-readable parts (severity, rule id).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { describeFailure } from '../../server/src/cli/compilePackages';
import type { PackageEscapeResult } from '../../server/src/compiler';
import { findGo } from '../../server/src/compiler/findGo';
import { parseProjectConfig, ProjectConfigError } from '../../server/src/engine/projectConfig';
import { toFinding } from '../../server/src/compiler/factToFinding';
import { parseCompilerText } from '../../server/src/compiler/parseCompilerText';
import { hoverMarkdown } from '../../server/src/features/hover';
import { serverText } from '../../server/src/l10n/serverText';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import { analyzeFixture, fixturesRoot } from '../support/analysisTest';
import { repositoryRoot } from '../support/lspClient';

/** Go's words and the product's, which a Chinese Go developer reads in English. */
const goTerms = new Set([
  'go', 'goroutine', 'goroutines', 'defer', 'panic', 'recover', 'select', 'case', 'default', 'nil', 'make', 'range', 'func', 'chan',
  'return', 'for', 'break', 'continue', 'goto', 'if', 'else', 'switch', 'struct', 'map', 'new', 'append', 'len', 'cap', 'close',
  'channel', 'error', 'string', 'int', 'byte', 'any', 'interface', 'main', 'init', 'ok', 'true', 'false', 'sync', 'context', 'time',
  'os', 'io', 'bufio', 'fmt', 'errors', 'http', 'atomic', 'testing', 'log', 'vet', 'goinsight', 'open-coded', 'range-over-func',
  'hchan', 'sendq', 'recvq', 'gopark', 'https',
  // The severities, spelled as the settings and the CLI spell them.
  'hint', 'info', 'warning',
  // Loanwords of Chinese Go writing (“这就是 bug”, “worker”, “CPU profile”, “时好时坏（flaky）”).
  'bug', 'worker', 'writer', 'ticker', 'profile', 'flaky',
]);

/** The runtime's and tools' own texts, quoted as they print them. */
const quotedTexts = [
  /send on closed channel/g,
  /close of (closed|nil) channel/g,
  /all goroutines are asleep - deadlock!/g,
  /fatal error: [^（）；，。]*/g,
  /sync: [^（）；，。]*/g,
];

/** English words a Chinese text has left, beyond code, names (`codeWords`) and Go's terms. */
function leftoverEnglish(text: string, codeWords: ReadonlySet<string> = new Set()): string[] {
  let prose = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, ' $1 ')
    .replace(/“[\x20-\x7e]*”/g, ' ')
    // A Go assignment quoted in a fix title (plain text, no code spans): `timer := time.NewTimer`.
    .replace(/[\w, ]+ :?= \S+/g, ' ');
  for (const quoted of quotedTexts) prose = prose.replace(quoted, ' ');
  const ruleNames = new Set(allRuleDescriptions().flatMap((rule) => [rule.id, rule.id.split('/')[1]]));
  const words: string[] = [];
  for (const run of prose.match(/[\x21-\x7e]+/g) ?? []) {
    // A run with code punctuation is code: `ctx.Done()`, `GOTOOLCHAIN=local`, `//goinsight:ignore`, `job, ok := <-jobs`, URLs.
    if (/[.=:/()*<>&[\]{},;]/.test(run.replace(/[.,;:!?]+$/, '')) || ruleNames.has(run)) continue;
    words.push(...(run.match(/[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]/g) ?? []));
  }
  return words.filter((word) => {
    if (codeWords.has(word) || goTerms.has(word.toLowerCase())) return false;
    // Capitalized words are Go's exported names or proper names (Writer, Flush, Go Insight); all capitals
    // are abbreviations and variables (LIFO, PATH); single letters are variables. A sentence in English
    // would still be caught by its lowercase words.
    if (/^[A-Z]/.test(word) || /^[a-z]$/.test(word)) return false;
    return true;
  });
}

/** Every identifier-like word of a Go file: its names are code wherever a message repeats them. */
function identifiersOf(goText: string): Set<string> {
  return new Set(goText.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}

function goFilesUnder(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.go'))
    .map((entry) => path.relative(fixturesRoot, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('the check finds English prose and lets code, names, Go terms and runtime texts through', () => {
  assert.deepEqual(leftoverEnglish('func literal 中唯一的延迟调用'), ['literal']);
  assert.deepEqual(leftoverEnglish('Inlined here from line 3.'), ['here', 'from', 'line']);
  assert.deepEqual(leftoverEnglish('父 context 若是 background，它可能永远不会释放'), ['background']);
  assert.deepEqual(leftoverEnglish('`c.mu.Lock()` 之后 ch 被关闭：运行时会 panic（send on closed channel）', new Set(['ch'])), []);
  assert.deepEqual(leftoverEnglish('goinsight.goPath 的值“-x”不是路径；RWMutex 与 LIFO'), []);
});

test('zh-cn: rule messages, notes and fix titles on every rule fixture are Chinese', async () => {
  const problems: string[] = [];
  for (const file of [...goFilesUnder(path.join(fixturesRoot, 'rules')), ...goFilesUnder(path.join(fixturesRoot, 'rules-go121'))]) {
    const { text, findings } = await analyzeFixture(file, { locale: 'zh-cn' });
    const names = identifiersOf(text);
    for (const finding of findings) {
      const texts = [finding.message, finding.details ?? '', finding.inlay?.tooltip ?? '', ...finding.related.map((related) => related.message), ...finding.fixes.map((fix) => fix.title)];
      for (const shown of texts) {
        const left = leftoverEnglish(shown, names);
        if (left.length > 0) problems.push(`${file}:${finding.range.start.line + 1} ${finding.rule}: ${left.join(' ')} in “${shown.slice(0, 100)}”`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('zh-cn: hovers on the rule fixtures are Chinese outside code', async () => {
  const problems = new Set<string>();
  for (const file of goFilesUnder(path.join(fixturesRoot, 'rules'))) {
    const { text, findings } = await analyzeFixture(file, { locale: 'zh-cn' });
    const names = identifiersOf(text);
    for (const finding of findings) {
      const left = leftoverEnglish(hoverMarkdown(finding, 'zh-cn'), names);
      if (left.length > 0) problems.add(`${finding.rule}: ${left.join(' ')}`);
    }
  }
  assert.deepEqual([...problems], [], [...problems].join('\n'));
});

test('zh-cn: the CLI report is Chinese except its machine-readable parts', () => {
  const cli = path.join(repositoryRoot, 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [cli, 'check', '--no-compiler', '--lang', 'zh-cn', '--fail-on', 'error', './...'], {
    cwd: path.join(fixturesRoot, 'rules'),
    encoding: 'utf8',
  });
  assert.equal(result.error, undefined);
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
  assert.ok(lines.length > 100, `too little output:\n${lines.join('\n')}`);
  const problems: string[] = [];
  for (const line of lines) {
    // `file:line:col: severity: message [rule]`, a related `\tfile:line:col: message`, or the summary `goinsight: …`.
    const located = /^\t?([^\s:]+\.go):\d+:\d+: (?:(?:error|warning|info|hint): )?(.*?)(?: \[[a-z0-9/-]+\])?$/.exec(line);
    const message = located ? located[2] : line.replace(/^goinsight: /, '');
    const names = located ? identifiersOf(fs.readFileSync(path.join(fixturesRoot, 'rules', located[1]), 'utf8')) : new Set<string>();
    const left = leftoverEnglish(message, names);
    if (left.length > 0) problems.push(`${left.join(' ')} in ${line}`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('zh-cn: the words added to recorded compiler facts are Chinese (the verdicts stay as the compiler prints them)', () => {
  const recorded = path.join(fixturesRoot, 'escape', 'recorded', 'go1.26.8');
  const facts = fs.readdirSync(recorded).filter((name) => name.endsWith('.txt'))
    .flatMap((name) => parseCompilerText(fs.readFileSync(path.join(recorded, name), 'utf8'), { cwd: path.join(fixturesRoot, 'escape') }).facts);
  assert.ok(facts.some((fact) => fact.explanations.length > 0), 'no recorded fact has an explanation: its headline went unchecked');
  const problems = new Set<string>();
  for (const fact of facts) {
    const details = toFinding(fact, '', { locale: 'zh-cn' }).details ?? '';
    const left = leftoverEnglish(details);
    if (left.length > 0) problems.add(`${fact.kind}: ${left.join(' ')} in ${details}`);
  }
  assert.deepEqual([...problems], [], [...problems].join('\n'));
});

test('zh-cn: every go-not-found and goinsight.goPath message is Chinese', () => {
  const posix = { platform: 'linux' as const, homeDir: '/home/me', listDir: () => [], locale: 'zh-cn' as const };
  const results = [
    findGo({ ...posix, setting: '-toolexec=x', env: {}, isExecutable: () => true }),
    findGo({ ...posix, setting: 'mygo', env: { PATH: '/a' }, isExecutable: () => false }),
    findGo({ ...posix, setting: 'tools/go', env: {}, isExecutable: () => false }),
    findGo({ ...posix, setting: '/opt/go', env: {}, isExecutable: () => false }),
    findGo({ ...posix, env: { PATH: '/a' }, isExecutable: () => false }),
    findGo({ ...posix, env: { PATH: '/a', GOROOT: '/g' }, isExecutable: () => false }),
  ];
  const messages = results.map((result) => (result.found ? '' : result.message));
  assert.equal(new Set(messages).size, messages.length, `six different failures, six messages:\n${messages.join('\n')}`);
  for (const message of messages) assert.deepEqual(leftoverEnglish(message), [], message);
});

test('zh-cn: the static texts (server, rule messages) are Chinese outside code and placeholders', () => {
  const problems: string[] = [];
  const check = (where: string, text: string) => {
    const left = leftoverEnglish(text.replace(/\{\w+\}/g, ' '));
    if (left.length > 0) problems.push(`${where}: ${left.join(' ')}`);
  };
  for (const [key, text] of Object.entries(serverText['zh-cn'])) check(`serverText.${key}`, text);
  for (const rule of allRuleDescriptions()) {
    for (const [key, text] of Object.entries(rule.text['zh-cn']?.messages ?? {})) check(`${rule.id}.${key}`, text);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('zh-cn: the CLI warns in Chinese when go is missing (the warning prefix and the go-not-found reason)', () => {
  const cli = path.join(repositoryRoot, 'dist', 'cli.js');
  const result = spawnSync(process.execPath, [cli, 'check', '--lang', 'zh-cn', '--go', '/nonexistent/go', '--format', 'json', './...'], {
    cwd: path.join(fixturesRoot, 'rules'),
    encoding: 'utf8',
  });
  assert.equal(result.error, undefined);
  const warnings = result.stderr.split('\n').filter(Boolean);
  assert.ok(warnings.some((line) => line.startsWith('goinsight 警告：已跳过逃逸分析：')), result.stderr);
  for (const line of warnings) assert.deepEqual(leftoverEnglish(line), [], line);
});

test('zh-cn: the CLI names a PATH without Go files in Chinese', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-empty-'));
  try {
    const result = spawnSync(process.execPath, [path.join(repositoryRoot, 'dist', 'cli.js'), 'check', '--lang', 'zh-cn', '--no-compiler', empty], { encoding: 'utf8' });
    assert.match(result.stderr, /goinsight 警告：.* 中没有 Go 文件/);
    for (const line of result.stderr.split('\n').filter(Boolean)) assert.deepEqual(leftoverEnglish(line, new Set([path.basename(empty)])), [], line);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('zh-cn: why a package was not compiled is Chinese around the go command\'s own words', () => {
  const failed = (buildFailed: PackageEscapeResult['buildFailed']): PackageEscapeResult => ({ packageDir: '/w/pkg', files: new Map(), outside: new Map(), buildFailed } as PackageEscapeResult);
  const results = [
    failed({ kind: 'compile', message: 'undefined: y', file: '/w/pkg/a.go', line: 3, column: 2, output: '' }),
    failed({ kind: 'no-module', message: 'go.mod file not found', output: '' }),
    failed({ kind: 'setup', message: 'exit status 2', output: '' }),
    failed({ kind: 'toolchain', message: '', output: '', toolchain: { required: '1.27.3', running: '1.26.8', setting: 'local' } }),
  ];
  // The go command's message is quoted as it printed it.
  const goWords = /undefined: y|go\.mod file not found|exit status 2/;
  for (const result of results) {
    const text = describeFailure(result, '/w', 'zh-cn') ?? '';
    assert.notEqual(text, describeFailure(result, '/w', 'en'));
    assert.deepEqual(leftoverEnglish(text.replace(goWords, ' '), new Set(['pkg'])), [], text);
  }
});

test('zh-cn: every .goinsight.json problem is told in Chinese', () => {
  const broken = ['{', '[]', '{"rule": {}}', '{"rules": []}', '{"rules": {"defer/in-loop": "loud"}}', '{"exclude": "gen/**"}'];
  const messages = broken.map((text) => {
    try {
      parseProjectConfig(text, '/w/.goinsight.json');
    } catch (error) {
      assert.ok(error instanceof ProjectConfigError, String(error));
      return error.describe('zh-cn');
    }
    assert.fail(`${text} was accepted`);
  });
  assert.equal(new Set(messages).size, messages.length, messages.join('\n'));
  for (const message of messages) assert.deepEqual(leftoverEnglish(message), [], message);
  // The English message is kept for the log.
  assert.throws(() => parseProjectConfig('{"rule": {}}', 'f'), /unknown key “rule” \(expected “rules” or “exclude”\)/);
});
