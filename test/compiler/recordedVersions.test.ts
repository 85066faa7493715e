// The text parser on the real `-m` / `-m=2` output of several Go releases
// (test/fixtures/escape/recorded/go1.X.Y, each recorded with that toolchain from
// the Go source next to it; see each README for the command and what differs).
// Per release: every heap verdict of `-m` is parsed exactly once at its
// line:column with its text, `-m=2` gives the same verdicts plus their flows,
// and every line is accounted for (a fact, an explanation line, or listed as
// unrecognized, never a verdict). The same recordings go through the bundled
// CLI (`goinsight escapes --stdin --format json`). Reads files only: no
// toolchain is downloaded or run here.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import * as os from 'node:os';
import { classifyMessage, normalizeFlowHop, parseExplanationHeader } from '../../server/src/compiler/compilerMessages';
import { pointKey } from '../../server/src/compiler/explanations';
import { readCompilerJsonDir } from '../../server/src/compiler/parseCompilerJson';
import { heapVerdictKinds } from '../../server/src/compiler/escapeFacts';
import { parseCompilerText, resolveCompilerPath, type ParsedCompilerText } from '../../server/src/compiler/parseCompilerText';
import { repositoryRoot } from '../support/lspClient';
import { fixture } from './compilerTestSupport';

const recordedRoot = fixture('recorded');
const cli = path.join(repositoryRoot, 'dist', 'cli.js');
const runFile = promisify(execFile);

/** Releases recorded with an older toolchain for this test; each must stay. */
const requiredVersions = ['go1.22.12', 'go1.23.12', 'go1.24.13', 'go1.25.14', 'go1.27.3'];

/** A recorded source and its outputs: `-m` and the `-m=2` variants. */
interface Recording {
  version: string;
  /** The Go source the command ran in (the paths in the output are relative to it). */
  sourceDir: string;
  m: string;
  m2: string[];
}

function versionNumbers(version: string): number[] {
  return version.replace(/^go/, '').split('.').map(Number);
}

/** go1.25 and later name the function in `-m=2` headers and spell hops with `←`. */
function namesFunctions(version: string): boolean {
  const [major, minor] = versionNumbers(version);
  return major > 1 || minor >= 25;
}

const versions = fs
  .readdirSync(recordedRoot)
  .filter((name) => /^go\d+\.\d+\.\d+$/.test(name))
  .sort((a, b) => {
    const [x, y] = [versionNumbers(a), versionNumbers(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });

function recordingsOf(version: string): Recording[] {
  const dir = path.join(recordedRoot, version);
  const found: Recording[] = [];
  for (const [prefix, source] of [['', 'src'], ['kinds-', 'kinds']]) {
    const m = path.join(dir, `${prefix}m.txt`);
    if (!fs.existsSync(m)) continue;
    const m2 = [`${prefix}m2.txt`, `${prefix}m2-defer.txt`].map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file));
    found.push({ version, sourceDir: path.join(dir, source), m, m2 });
  }
  return found;
}

const recordings = versions.flatMap(recordingsOf);

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function label(file: string): string {
  return path.relative(recordedRoot, file);
}

const locatedLine = /^(.+?):(\d+)(?::(\d+))?: (.*)$/;
// Deliberately not the parser's vocabulary: what a person grepping `-m` output calls a heap verdict.
const heapVerdict = /^(?:moved to heap: .+|.+ escapes to heap|leaking param(?: content)?: .+)$/;

/** `abs/file.go:line:col: message` of every heap verdict line of `-m` output, read with a plain regexp. */
function referenceVerdicts(output: string, cwd: string): string[] {
  const lines: string[] = [];
  for (const text of output.split(/\r?\n/)) {
    const match = locatedLine.exec(text);
    if (!match || !match[3] || !heapVerdict.test(match[4])) continue;
    lines.push(`${path.resolve(cwd, match[1])}:${match[2]}:${match[3]}: ${match[4]}`);
  }
  return lines.sort();
}

function parsedVerdicts(parsed: ParsedCompilerText): string[] {
  return parsed.facts
    .filter((fact) => heapVerdictKinds.has(fact.kind))
    .map((fact) => `${fact.file}:${fact.line}:${fact.column}: ${fact.message}`)
    .sort();
}

/**
 * Every non-empty line of the output is a `# pkg` header, a fact, an
 * explanation header, an explanation step, generated code (no file), or
 * listed in `unrecognized` —
 * counted independently, so a line the parser drops silently breaks the tally.
 */
function assertEveryLineAccounted(output: string, cwd: string, parsed: ParsedCompilerText, name: string): void {
  const unrecognized = new Map<string, number>();
  for (const line of parsed.unrecognized) unrecognized.set(line.raw, (unrecognized.get(line.raw) ?? 0) + 1);
  const factKeys = new Set(parsed.facts.map((fact) => `${fact.file}\u0000${fact.line}\u0000${fact.column}\u0000${fact.message}`));
  let headers = 0;
  let steps = 0;
  const lost: string[] = [];
  for (const raw of output.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('# ')) continue;
    const listed = unrecognized.get(raw) ?? 0;
    if (listed > 0) {
      unrecognized.set(raw, listed - 1);
      continue;
    }
    const match = locatedLine.exec(raw);
    // Generated code (`<autogenerated>:1: …`, e.g. method value wrappers) has no file to show a fact on: skipped by design.
    if (match && (match[1] === '<autogenerated>' || match[1] === '_testmain.go')) continue;
    const file = match ? resolveCompilerPath(match[1], cwd) : undefined;
    if (!match || !file) {
      lost.push(raw);
      continue;
    }
    const message = match[4];
    if (factKeys.has(`${file}\u0000${match[2]}\u0000${match[3] ?? 0}\u0000${message}`)) continue;
    if (message.startsWith(' ')) steps++;
    else if (/(?: escapes to heap(?: in .+)?| with derefs=-?\d+):$/.test(message)) headers++;
    else lost.push(raw);
  }
  assert.deepEqual(lost, [], `${name}: lines neither parsed nor listed as unrecognized`);
  assert.equal(parsed.explanations.length, headers, `${name}: explanation headers`);
  const parsedSteps = parsed.explanations.reduce((sum, entry) => sum + entry.explanation.steps.length, 0);
  assert.equal(parsedSteps, steps, `${name}: explanation steps`);
  for (const line of parsed.unrecognized) {
    assert.ok(!heapVerdict.test(line.message) && classifyMessage(line.message) === undefined, `${name}: a verdict was left unrecognized: ${line.raw}`);
  }
}

test('the recordings cover go1.22 to go1.27, each with its source and both outputs', () => {
  for (const version of [...requiredVersions, 'go1.26.8']) assert.ok(versions.includes(version), `missing recorded/${version}`);
  for (const version of requiredVersions) {
    const own = recordingsOf(version);
    assert.deepEqual(own.map((recording) => path.basename(recording.sourceDir)), ['src', 'kinds'], version);
    for (const recording of own) {
      assert.ok(recording.m2.length > 0, `${version}: no -m=2 output`);
      assert.ok(fs.readdirSync(recording.sourceDir).some((name) => name.endsWith('.go')), `${version}: no Go source next to the outputs`);
    }
    assert.match(read(path.join(recordedRoot, version, 'README.md')), new RegExp(`GOTOOLCHAIN=${version.replace(/\./g, '\\.')} go build`));
  }
  // The sources are copies: the same verdict lines must come out of the same text.
  assert.equal(read(path.join(recordedRoot, 'go1.22.12', 'src', 'source.go')), read(path.join(recordedRoot, 'go1.26.8', 'src', 'source.go')));
});

for (const recording of recordings) {
  const { version, sourceDir } = recording;

  test(`${label(recording.m)}: every heap verdict is parsed exactly once, at its line:column, with its text`, () => {
    const output = read(recording.m);
    const parsed = parseCompilerText(output, { cwd: sourceDir });
    const expected = referenceVerdicts(output, sourceDir);
    assert.ok(expected.length >= 9, `only ${expected.length} heap verdicts in ${label(recording.m)}`);
    assert.equal(new Set(expected).size, expected.length, 'the recording repeats a verdict line');
    assert.deepEqual(parsedVerdicts(parsed), expected);
    assert.ok(parsed.facts.every((fact) => path.dirname(fact.file) === sourceDir && fact.origin === 'text'));
    assert.equal(parsed.packages.length, 1);
    assert.deepEqual(parsed.unrecognized, []);
    assertEveryLineAccounted(output, sourceDir, parsed, label(recording.m));
  });

  for (const m2 of recording.m2) {
    test(`${label(m2)}: the same verdicts as -m, each with its flow, no line lost`, () => {
      const output = read(m2);
      const parsed = parseCompilerText(output, { cwd: sourceDir });
      assert.deepEqual(parsedVerdicts(parsed), referenceVerdicts(read(recording.m), sourceDir));
      assert.deepEqual(parsed.unrecognized, []);
      assertEveryLineAccounted(output, sourceDir, parsed, label(m2));

      const unexplained = parsed.facts.filter(
        (fact) => heapVerdictKinds.has(fact.kind) && !fact.explanations.some((explanation) => explanation.steps.some((step) => step.kind === 'flow')),
      );
      assert.deepEqual(unexplained.map((fact) => `${fact.line}:${fact.column} ${fact.message}`), [], 'heap verdicts without a flow');
      const explanations = parsed.facts.flatMap((fact) => fact.explanations);
      for (const explanation of explanations) {
        assert.match(explanation.headline, /^(?:.+ escapes to heap|parameter .+ leaks to .+ with derefs=-?\d+)$/);
        // Older releases print `flow: dst = src:`; the parser gives every release's hop the `←` spelling.
        for (const step of explanation.steps.filter((candidate) => candidate.kind === 'flow')) assert.match(step.text, /^flow: .+ ← .+:$/, step.text);
        for (const step of explanation.steps) assert.equal(path.dirname(step.at.file), sourceDir, step.text);
      }
      // go1.24 and older do not name the function in the header; go1.25+ do, on every header.
      const named = explanations.filter((explanation) => explanation.functionName !== undefined).length;
      assert.equal(named, namesFunctions(version) ? explanations.length : 0, `${version}: explanations naming their function`);

      const defers = parsed.facts.filter((fact) => fact.kind === 'defer');
      if (m2.endsWith('-defer.txt')) assert.ok(defers.length >= 2 && defers.every((fact) => fact.deferAllocation !== undefined));
      else assert.deepEqual(defers, []);
    });
  }
}

test('the flow of one verdict reads the same on every release', () => {
  // newPoint's `p`: go1.22 prints `p escapes to heap:` / `flow: ~r0 = &p:`, go1.26 `… in newPoint:` / `flow: ~r0 ← &p:`.
  const steps = (version: string) => {
    const src = path.join(recordedRoot, version, 'src');
    const parsed = parseCompilerText(read(path.join(recordedRoot, version, 'm2-defer.txt')), { cwd: src });
    const fact = parsed.facts.find((candidate) => candidate.line === 11 && candidate.kind === 'moved-to-heap');
    assert.ok(fact, version);
    return fact.explanations.map((explanation) => ({
      headline: explanation.headline,
      steps: explanation.steps.map((step) => `${step.kind} ${step.text} @${step.at.line}:${step.at.column}`),
    }));
  };
  const expected = [
    {
      headline: 'p escapes to heap',
      steps: ['flow flow: ~r0 ← &p: @12:9', 'from from &p (address-of) @12:9', 'from from return &p (return) @12:2'],
    },
  ];
  for (const version of versions) assert.deepEqual(steps(version), expected, version);
});

test('append escapes to heap: reported from go1.25 on, and by nothing older', () => {
  for (const version of requiredVersions) {
    const kinds = path.join(recordedRoot, version, 'kinds');
    const appends = parseCompilerText(read(path.join(recordedRoot, version, 'kinds-m.txt')), { cwd: kinds })
      .facts.filter((fact) => fact.message === 'append escapes to heap')
      .map((fact) => `${path.basename(fact.file)}:${fact.line}:${fact.column}`);
    assert.deepEqual(appends, namesFunctions(version) ? ['kinds.go:99:47', 'kinds.go:107:7'] : [], version);
  }
});

test('explanation headers and hops of both spellings', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['p escapes to heap in newPoint:', 'p escapes to heap', 'newPoint'],
    ['p escapes to heap:', 'p escapes to heap', undefined],
    ['parameter xs leaks to ~r0 for Pick[go.shape.struct { x int }] with derefs=0:', 'parameter xs leaks to ~r0 with derefs=0', 'Pick[go.shape.struct { x int }]'],
    ['parameter xs leaks to ~r0 with derefs=0:', 'parameter xs leaks to ~r0 with derefs=0', undefined],
    // The target has its own ` for ` (recorded: go1.24.13/kinds-m2-defer.txt, kinds.go:55:14).
    ['parameter values leaks to {storage for values} with derefs=0:', 'parameter values leaks to {storage for values} with derefs=0', undefined],
    ['parameter values leaks to {storage for values} for Variadic with derefs=0:', 'parameter values leaks to {storage for values} with derefs=0', 'Variadic'],
    ['parameter p leaks to {storage for []point{...}} for F with derefs=-1:', 'parameter p leaks to {storage for []point{...}} with derefs=-1', 'F'],
  ];
  for (const [message, headline, functionName] of cases) {
    const header = parseExplanationHeader(message);
    assert.equal(header?.headline, headline, message);
    assert.equal(header?.functionName, functionName, message);
    assert.equal(classifyMessage(message), undefined, message);
  }
  assert.equal(parseExplanationHeader('p escapes to heap'), undefined);
  assert.equal(normalizeFlowHop('flow: ~r0 = &p:'), 'flow: ~r0 ← &p:');
  assert.equal(normalizeFlowHop('flow: ~r0 ← &p:'), 'flow: ~r0 ← &p:');
  assert.equal(normalizeFlowHop('flow: {storage for "a = b"} = .autotmp_1:'), 'flow: {storage for "a = b"} ← .autotmp_1:');
  assert.equal(normalizeFlowHop('flow: .autotmp_1 = &{storage for "x = y"}:'), 'flow: .autotmp_1 ← &{storage for "x = y"}:');
  assert.equal(normalizeFlowHop('from x = y (assign) at ./a.go:1:2'), 'from x = y (assign) at ./a.go:1:2');
  assert.equal(normalizeFlowHop('flow: no hop here:'), 'flow: no hop here:');
});

interface CliFinding {
  file: string;
  range: { start: { line: number; column: number } };
  message: string;
  source: string;
  related: Array<{ file: string; line: number; column: number; message: string }>;
}

test('goinsight escapes --stdin --format json reads every release\'s output', async () => {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run npm run build`);
  const runs = recordings.flatMap((recording) => [recording.m, ...recording.m2].map((file) => ({ recording, file })));
  await Promise.all(
    runs.map(async ({ recording, file }) => {
      const child = runFile(process.execPath, [cli, 'escapes', '--stdin', '--format', 'json'], { cwd: recording.sourceDir, encoding: 'utf8' });
      child.child.stdin?.end(read(file));
      const { stdout } = await child;
      const findings = (JSON.parse(stdout) as { findings: CliFinding[] }).findings;
      assert.ok(findings.every((finding) => finding.source === 'compiler' && !path.isAbsolute(finding.file)), label(file));
      const verdicts = findings
        .filter((finding) => heapVerdict.test(finding.message))
        .map((finding) => `${path.resolve(recording.sourceDir, finding.file)}:${finding.range.start.line}:${finding.range.start.column}: ${finding.message}`)
        .sort();
      assert.deepEqual(verdicts, referenceVerdicts(read(recording.m), recording.sourceDir), label(file));
      const withFlow = findings.filter((finding) => heapVerdict.test(finding.message) && finding.related.some((step) => step.message.startsWith('flow: ')));
      assert.equal(withFlow.length, file === recording.m ? 0 : verdicts.length, `${label(file)}: verdicts with their flow in related`);
    }),
  );
  assert.ok(runs.length >= 20, `only ${runs.length} recordings`);
});

/** The recorded `-json` logs of a release's `source` (src or kinds), with their absolute paths put back, as the engine reads them. */
function recordedJsonLog(version: string, source: string) {
  const recorded = path.join(recordedRoot, version, 'json', source);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-recorded-json-'));
  try {
    for (const packageDir of fs.readdirSync(recorded)) {
      fs.mkdirSync(path.join(copy, packageDir));
      for (const name of fs.readdirSync(path.join(recorded, packageDir))) {
        const text = read(path.join(recorded, packageDir, name)).replaceAll('RECORDED_DIR', path.join(recordedRoot, version));
        fs.writeFileSync(path.join(copy, packageDir, name), text);
      }
    }
    return readCompilerJsonDir(copy);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

test('go1.27.3 -json logs: every heap verdict\'s flow reads as in the -m=2 text, step by step', () => {
  const version = 'go1.27.3';
  let compared = 0;
  for (const [source, textFile] of [['src', 'm2-defer.txt'], ['kinds', 'kinds-m2-defer.txt']]) {
    const log = recordedJsonLog(version, source);
    assert.equal(log.goVersion, version);
    assert.deepEqual(log.problems, []);
    const sourceDir = path.join(recordedRoot, version, source);
    const text = parseCompilerText(read(path.join(recordedRoot, version, textFile)), { cwd: sourceDir });
    const steps = (explanation: { steps: Array<{ kind: string; text: string; at: { line: number; column: number } }> }) =>
      explanation.steps.map((step) => `${step.kind} ${step.text} @${step.at.line}:${step.at.column}`);
    for (const fact of text.facts.filter((candidate) => heapVerdictKinds.has(candidate.kind) && path.dirname(candidate.file) === sourceDir)) {
      const fromJson = log.explanations.filter((entry) => pointKey(entry.at) === pointKey(fact)).map((entry) => steps(entry.explanation));
      const label = `${source}/${path.basename(fact.file)}:${fact.line}:${fact.column} ${fact.message}`;
      assert.ok(fromJson.length > 0, `${label}: no flow in the JSON log`);
      for (const explanation of fact.explanations) assert.ok(fromJson.some((candidate) => candidate.join('\n') === steps(explanation).join('\n')), `${label}: ${steps(explanation).join(' | ')}`);
      compared++;
    }
  }
  assert.ok(compared >= 20, `only ${compared} verdicts compared`);
});
