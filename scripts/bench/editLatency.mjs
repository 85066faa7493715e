// Section 1: edit latency through the real server over stdio. Types 300
// single-character edits into function bodies of a large file (30 bursts: an
// Enter with auto-indent, then nine characters) and times, for each, didChange
// → `goinsight/analyzed` for that version (sent after the diagnostics are
// published) and the inlay-hint request for the visible range around the edit.
// While typing, the package rules wait for a pause (their earlier findings are
// carried meanwhile): after each burst the bench waits for that pause and
// times the last keystroke → the analysis with the package rules' own
// findings (the pause included), so the server CPU per edit includes them.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { compiled, processCpuMs, processSettled, summarize } from './common.mjs';

const burstText = '_ = a+bcd';
const bursts = 30;

/** Lines inside function bodies (not the braces' own lines), from the tree. */
async function bodyLines(text) {
  const { createGoParser } = compiled('server/src/parse/goParser');
  const parser = await createGoParser();
  const tree = parser.parse(text);
  const lines = [];
  for (const fn of tree.rootNode.descendantsOfType(['function_declaration', 'method_declaration'])) {
    const body = fn?.childForFieldName('body');
    if (!body) continue;
    for (let line = body.startPosition.row + 1; line < body.endPosition.row; line++) lines.push(line);
  }
  tree.delete();
  parser.delete();
  return lines;
}

/** A seeded choice of `count` distinct statement lines (ending like a statement), bottom first so edits never move later targets. */
function chooseLines(candidates, textLines, count) {
  const { seededRandom } = compiled('test/support/seededRandom');
  const random = seededRandom(8);
  const usable = candidates.filter((line) => /[\w)\]"]\s*$/.test(textLines[line]) && !/^\s*(case|default)\b/.test(textLines[line]));
  const chosen = new Set();
  while (chosen.size < Math.min(count, usable.length)) chosen.add(usable[Math.floor(random() * usable.length)]);
  // A file with few function bodies (generated tables) gets several bursts on the same lines.
  const lines = [...chosen];
  while (lines.length > 0 && lines.length < count) lines.push(lines[lines.length % chosen.size]);
  return lines.sort((a, b) => b - a);
}

export async function measureEditLatency({ file, label, configuration }) {
  const { TestLspClient } = compiled('test/support/lspClient');
  const text = fs.readFileSync(file, 'utf8');
  const textLines = text.split('\n');
  const targets = chooseLines(await bodyLines(text), textLines, bursts);
  const client = TestLspClient.start();
  client.configuration = configuration;
  const uri = pathToFileURL(file).toString();
  try {
    await client.initialize();
    const openMark = client.mark();
    const openStarted = performance.now();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    await client.waitFor('goinsight/analyzed', (params) => params.uri === uri && params.version === 1, 120_000, openMark);
    const openMs = performance.now() - openStarted;
    // The package's other files are read in the background after the open: typing starts once that is done,
    // so every edit is measured in the same steady state (and the CPU per edit is the edits' own).
    await processSettled(client.pid);
    const cpuBefore = processCpuMs(client.pid);
    const analyzed = [];
    const hints = [];
    const total = [];
    const afterPause = [];
    let version = 1;
    for (const line of targets) {
      const lineText = textLines[line].replace(/\r$/, '');
      const indent = /^\s*/.exec(lineText)[0];
      const edits = [{ at: { line, character: lineText.length }, text: `\n${indent}` }];
      for (let index = 0; index < burstText.length; index++) edits.push({ at: { line: line + 1, character: indent.length + index }, text: burstText[index] });
      let lastStarted = 0;
      let lastState = 'current';
      for (const edit of edits) {
        version++;
        const mark = client.mark();
        const started = performance.now();
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: edit.at, end: edit.at }, text: edit.text }],
        });
        const expected = version;
        lastState = (await client.waitFor('goinsight/analyzed', (params) => params.uri === uri && params.version === expected, 60_000, mark)).packageFindings;
        lastStarted = started;
        const analyzedAt = performance.now();
        await client.connection.sendRequest('textDocument/inlayHint', {
          textDocument: { uri },
          range: { start: { line: Math.max(0, line - 30), character: 0 }, end: { line: line + 30, character: 0 } },
        });
        const done = performance.now();
        analyzed.push(analyzedAt - started);
        hints.push(done - analyzedAt);
        total.push(done - started);
      }
      if (lastState === 'carried') {
        const expected = version;
        await client.waitFor('goinsight/analyzed', (params) => params.uri === uri && params.version === expected && params.packageFindings === 'current', 60_000);
        afterPause.push(performance.now() - lastStarted);
      }
    }
    const cpuAfter = processCpuMs(client.pid);
    const serverCpuPerEditMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / total.length;
    return { label, file, lines: textLines.length, edits: total.length, openMs, analyzed: summarize(analyzed), inlayHints: summarize(hints), total: summarize(total), afterPause: afterPause.length > 0 ? summarize(afterPause) : undefined, serverCpuPerEditMs };
  } finally {
    await client.stop();
  }
}
