// The compiler session with the real go toolchain and a recording host: facts
// belong to the document version they were computed for, are carried through
// edits to later versions, and a run whose text was edited while it ran
// publishes nothing for that text (not even under the newer version); the
// run modes decide when the go command starts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { defaultSettings, type CompilerSettings } from '../../server/src/settings';
import type { TextChange } from '../../server/src/engine/textChange';
import { CompilerSession, type CompilerDocument, type CompilerRunReport } from '../../server/src/workspace/compilerSession';
import { fixturesRoot } from '../support/analysisTest';

const shapesFile = path.join(fixturesRoot, 'escape-protocol', 'shapes', 'shapes.go');
const shapesDir = path.dirname(shapesFile);
const shapesText = fs.readFileSync(shapesFile, 'utf8');
const uri = pathToFileURL(shapesFile).toString();
const compileTimeout = 120_000;

/** A host with one open document whose version and text the test sets; it records what the session tells. */
class RecordingHost {
  document: CompilerDocument = { uri, filePath: shapesFile, version: 1, text: shapesText };
  readonly reports: CompilerRunReport[] = [];
  readonly busyCalls: boolean[] = [];
  readonly logs: string[] = [];
  readonly locale = 'en';

  documentsIn = (packageDir: string) => (packageDir === shapesDir ? [{ ...this.document }] : []);
  currentVersion = (documentUri: string) => (documentUri === uri ? this.document.version : undefined);
  log = (message: string) => void this.logs.push(message);
  warnUser = (message: string) => assert.fail(`unexpected warning: ${message}`);
  timedOut = () => assert.fail('unexpected timeout');
  busy = (_packageDir: string, running: boolean) => void this.busyCalls.push(running);
  published = (report: CompilerRunReport) => void this.reports.push(report);

  /** The document edited to a new version; returns the change as the LSP sent it. */
  edit(session: CompilerSession, change: TextChange, text: string): void {
    this.document = { ...this.document, version: this.document.version + 1, text };
    session.documentChanged({ ...this.document }, [change]);
  }
}

function settings(overrides: Partial<CompilerSettings>): CompilerSettings {
  return { ...defaultSettings.compiler, ...overrides };
}

/** Heap facts of a version as [0-based line, rule]. */
function heapLines(session: CompilerSession, version: number): [number, string][] {
  return session
    .findingsFor(uri, version)
    .findings.filter((finding) => finding.rule === 'escape/moved-to-heap' || finding.rule === 'escape/escapes-to-heap')
    .map((finding) => [finding.range.start.line, finding.rule]);
}

const originalLines: [number, string][] = [[8, 'escape/moved-to-heap'], [14, 'escape/escapes-to-heap'], [19, 'escape/escapes-to-heap']];
const twoLinesDown: [number, string][] = originalLines.map(([line, rule]) => [line + 2, rule]);
const twoLines = '// one\n// two\n';
const insertTwoLines: TextChange = { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: twoLines };
const deleteTwoLines: TextChange = { range: { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }, text: '' };
const withTwoLines = shapesText.replace('\n', `\n${twoLines}`);

test('facts belong to the version they were computed for and are carried through later edits', { timeout: compileTimeout }, async () => {
  const host = new RecordingHost();
  const session = new CompilerSession(host, settings({ run: 'manual' }), '', true);
  try {
    const report = await session.run(shapesDir);
    assert.deepEqual(report?.documents, [{ uri, version: 1 }]);
    assert.deepEqual(heapLines(session, 1), originalLines);

    host.edit(session, insertTwoLines, withTwoLines);
    assert.deepEqual(heapLines(session, 2), twoLinesDown, 'carried two lines down');
    assert.deepEqual(session.findingsFor(uri, 1).findings, [], 'the old version is gone');
    assert.deepEqual(session.findingsFor(uri, 3).findings, [], 'nothing for a version not seen yet');
  } finally {
    session.dispose();
  }
});

test('a run whose text is edited while it runs publishes nothing for it; the carried facts stay', { timeout: compileTimeout }, async () => {
  const host = new RecordingHost();
  const session = new CompilerSession(host, settings({ run: 'manual' }), '', true);
  try {
    await session.run(shapesDir);
    host.edit(session, insertTwoLines, withTwoLines);

    // A run of version 2 starts (it reads the documents at once); version 3 removes the two lines before it ends.
    const running = session.run(shapesDir);
    host.edit(session, deleteTwoLines, shapesText);
    const report = await running;
    assert.deepEqual(report?.documents, [], 'no document is published for a text that is gone');
    // Version 2's facts would sit two lines too low on version 3: what is shown is version 1's, carried twice.
    assert.deepEqual(heapLines(session, 3), originalLines);
  } finally {
    session.dispose();
  }
});

test('run modes: manual never compiles on open or save, onSave not while typing, onType after the pause', { timeout: compileTimeout }, async () => {
  const pause = 20;
  for (const run of ['manual', 'onSave'] as const) {
    const host = new RecordingHost();
    const session = new CompilerSession(host, settings({ run, typingDelayMs: pause }), '', true);
    try {
      if (run === 'manual') {
        session.documentOpened(host.document);
        session.documentSaved(host.document);
      }
      host.edit(session, insertTwoLines, withTwoLines);
      await new Promise((resolve) => setTimeout(resolve, pause * 15));
      assert.deepEqual(host.busyCalls, [], `run: ${run} started the compiler`);
    } finally {
      session.dispose();
    }
  }

  const host = new RecordingHost();
  const session = new CompilerSession(host, settings({ run: 'onType', typingDelayMs: pause }), '', true);
  try {
    host.edit(session, insertTwoLines, withTwoLines);
    assert.deepEqual(host.busyCalls, [], 'not before the pause');
    while (host.reports.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(host.reports[0].documents, [{ uri, version: 2 }]);
    assert.deepEqual(heapLines(session, 2), twoLinesDown);
  } finally {
    session.dispose();
  }
});

test('an untrusted session never runs the go command', async () => {
  const host = new RecordingHost();
  const session = new CompilerSession(host, settings({}), '', false);
  try {
    session.documentOpened(host.document);
    assert.equal(await session.run(shapesDir), undefined);
    assert.deepEqual(host.busyCalls, []);
  } finally {
    session.dispose();
  }
});
