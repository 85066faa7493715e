// The engine reads the compiler's two outputs selectively, for speed: the JSON
// log's flows first, the text's flows only for verdicts the log leaves
// unexplained (their steps read on demand), and the facts sorted once. Here,
// with the real go toolchain on the fixture packages, the result is compared
// with reading everything: the same command run again, its text parsed whole
// (every text flow attached to its verdict), then the JSON log's flows put in
// their place and its bounds and nil checks added.
//
// The invocation itself stays `-m=2 -d=defer` with the JSON log: the last test
// shows what `-m` alone (the bare compiler's flag) would lose.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readableShapes } from '../../server/src/compiler/compilerMessages';
import { allFacts, buildCompilerArgs, readOnlyGoFlags, runEscapeAnalysis, type PackageEscapeResult } from '../../server/src/compiler/escapeAnalysis';
import { compareFacts, heapVerdictKinds, type EscapeFact, type EscapeFactKind } from '../../server/src/compiler/escapeFacts';
import { attachExplanations } from '../../server/src/compiler/explanations';
import { writeOverlay, type Overlay } from '../../server/src/compiler/overlay';
import { readCompilerJsonDir } from '../../server/src/compiler/parseCompilerJson';
import { parseCompilerText } from '../../server/src/compiler/parseCompilerText';
import { fixture, goPath, scratchDir } from './compilerTestSupport';

interface Case {
  packageDir: string;
  mode: 'auto' | 'build';
  overlay?: Overlay;
}

const betaDir = fixture('multi', 'internal', 'beta');

const cases: Case[] = [
  ...['auto', 'build'].map((mode) => ({ packageDir: fixture('kinds'), mode: mode as Case['mode'] })),
  { packageDir: fixture('multi', 'cmd', 'one'), mode: 'auto' },
  { packageDir: fixture('multi', 'cmd', 'two'), mode: 'auto' },
  { packageDir: fixture('multi', 'internal', 'alpha'), mode: 'auto' },
  // An unsaved buffer, through -overlay.
  { packageDir: betaDir, mode: 'build', overlay: new Map([[path.join(betaDir, 'util.go'), 'package beta\n\nfunc Beta() *string {\n\tb := "b"\n\treturn &b\n}\n']]) },
  // Its util.go loses its JSON log to a same-named file: flows from the text.
  { packageDir: fixture('multi', 'internal', 'clash'), mode: 'auto' },
  { packageDir: fixture('multi', 'internal', 'testonly'), mode: 'auto' },
  // cgo.go is logged under a generated name: flows from the text.
  { packageDir: fixture('cgo'), mode: 'auto' },
  // The package compiles and its external test does not: facts of a failed build.
  { packageDir: fixture('broken', 'testfails'), mode: 'auto' },
  { packageDir: fixture('recorded', 'go1.26.8', 'src'), mode: 'build' },
];

/** The same compile again, both outputs read whole: the facts every flow of either output would give. */
async function readEverything({ packageDir, mode, overlay }: Case): Promise<EscapeFact[]> {
  const dir = scratchDir('everything');
  try {
    const jsonDir = path.join(dir, 'json');
    const written = overlay ? writeOverlay(dir, overlay) : undefined;
    const args = await buildCompilerArgs({ packageDir, goPath, mode, overlay }, jsonDir, written?.file);
    const env = { ...process.env, PWD: packageDir, GOTOOLCHAIN: 'local', GOFLAGS: readOnlyGoFlags(process.env.GOFLAGS) };
    const run = spawnSync(goPath, args, { cwd: packageDir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const stderr = written ? written.restorePaths(run.stderr) : run.stderr;
    const text = parseCompilerText(stderr, { cwd: packageDir });
    const log = readCompilerJsonDir(jsonDir);
    const facts = [...text.facts];
    attachExplanations(facts, log.explanations);
    for (const fact of log.facts) {
      const readable = readableShapes(fact.message);
      if (readable !== fact.message) fact.readableMessage = readable;
      facts.push(fact);
    }
    return facts.sort(compareFacts);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function label({ packageDir, mode, overlay }: Case): string {
  return `${path.relative(fixture(), packageDir)} (${mode}${overlay ? ', overlay' : ''})`;
}

test('reading the outputs selectively gives exactly the facts of reading them whole: kinds, positions, texts, flows', { timeout: 300_000 }, async () => {
  let textFlows = 0;
  for (const entry of cases) {
    const result = await runEscapeAnalysis({ packageDir: entry.packageDir, goPath, mode: entry.mode, overlay: entry.overlay });
    assert.ok(result.command.args.some((arg) => arg.startsWith('-gcflags=-m=2 -d=defer -json=0,')), result.command.args.join(' '));
    const engine = allFacts(result).sort(compareFacts);
    const everything = await readEverything(entry);
    assert.ok(engine.length > 0, `${label(entry)}: no facts: the case exercises nothing`);
    assert.deepEqual(engine, everything, label(entry));
    textFlows += engine.filter((fact) => fact.explanations.some((explanation) => explanation.origin === 'text')).length;
  }
  // The fallback to the text's flows is exercised, not only the JSON log's.
  assert.ok(textFlows > 0, 'no fact took its flow from the text');
});

test('why the invocation keeps -m=2 -d=defer: -m alone has the same heap verdicts but loses facts the extension shows', { timeout: 120_000 }, async () => {
  const packageDir = fixture('kinds');
  const full = await runEscapeAnalysis({ packageDir, goPath, mode: 'build' });
  const bare = await runEscapeAnalysis({ packageDir, goPath, mode: 'build', gcflags: ['-m'] });
  const heap = (result: PackageEscapeResult) => allFacts(result).filter((fact) => heapVerdictKinds.has(fact.kind)).map((fact) => `${fact.line}:${fact.column} ${fact.message}`);
  assert.deepEqual(heap(bare), heap(full));
  // The JSON log still gives -m its flows.
  assert.ok(allFacts(bare).filter((fact) => heapVerdictKinds.has(fact.kind)).some((fact) => fact.explanations[0]?.origin === 'json'));
  const kinds = (result: PackageEscapeResult) => new Set(allFacts(result).map((fact) => fact.kind));
  const lost: EscapeFactKind[] = ['captured-by-value', 'inline-cannot', 'defer'];
  for (const kind of lost) {
    assert.ok(kinds(full).has(kind), `-m=2 -d=defer gives no ${kind} fact`);
    assert.ok(!kinds(bare).has(kind), `-m gives ${kind} facts after all: the invocation could shrink`);
  }
  // Inlining verdicts lose their cost (and the body the message quotes).
  assert.ok(allFacts(full).some((fact) => fact.kind === 'inline-can' && fact.inlineCost !== undefined));
  assert.ok(allFacts(bare).every((fact) => fact.kind !== 'inline-can' || fact.inlineCost === undefined));
});
