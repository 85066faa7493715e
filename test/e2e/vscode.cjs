// The packaged extension in a real VS Code: code-server (VS Code in the
// browser) with the .vsix installed into a private extensions directory,
// driven through Debian's Chromium by playwright-core. Each check is one step
// in STEPS below; every step leaves a screenshot in the artifacts directory,
// and a failing step leaves a "-FAILED" screenshot and the logs.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { log, sleep, waitFor, withTimeout, freePort, startProcess, killGroup, trackGroup, goEnvironment, makeTempDir, removeTempDir } = require('./lib/harness.cjs');

const fixture = require('./lib/fixture.cjs');
const { LOCALE, buildLanguagePack, writeLocaleArgv } = require('./lib/languagePack.cjs');

const { GO_FILE } = fixture;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ------------------------------------------------------------------ page helpers

// Inlay hints are injected text: spans with a generated `dyn-rule-*` class
// inside the line. The helpers below keep them apart from the file's text, so
// lines are found by their source text however many hints the compiler adds.

/**
 * The rendered editor lines: { number, source, hints, top, height }; `source`
 * is the line's own text, `hints` the inlay labels drawn in it.
 */
/** The engine's expectation a step needs; every step is mandatory, so a missing one fails the run. */
function required(value, whyMissing) {
  if (!value) throw new Error(whyMissing);
  return value;
}

async function renderedLines(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return [];
    const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((el) => ({
      number: Number(el.textContent.trim()),
      box: el.getBoundingClientRect(),
    }));
    return [...editor.querySelectorAll('.view-lines .view-line')].map((line) => {
      const box = line.getBoundingClientRect();
      let source = '';
      const hints = [];
      for (const span of line.querySelectorAll('span')) {
        if (span.querySelector('span')) continue; // only leaf spans carry text
        const injected = /\bdyn-rule-/.test(span.className);
        const text = span.textContent.replace(/\u00a0/g, ' ');
        if (!injected) source += text;
        else if (text.trim()) hints.push(text.trim());
      }
      const gutter = numbers.find((n) => Math.abs(n.box.top - box.top) < box.height / 2);
      return { number: gutter ? gutter.number : null, source, hints, top: box.top, height: box.height };
    });
  });
}

/** The rendered line whose source text contains `needle` (or is line number `needle`), or null. */
async function renderedLine(page, needle) {
  const lines = await renderedLines(page);
  return lines.find((line) => (typeof needle === 'number' ? line.number === needle : line.source.includes(needle))) || null;
}

/**
 * Screen centre of the first `word` in the source text (not in a hint) of
 * the rendered line containing `lineNeedle`.
 */
async function wordCentre(page, lineNeedle, word) {
  return page.evaluate(
    ([lineNeedle, word]) => {
      const leaves = (line) => [...line.querySelectorAll('span')].filter((span) => !span.querySelector('span') && !/\bdyn-rule-/.test(span.className));
      for (const line of document.querySelectorAll('.editor-instance .view-lines .view-line')) {
        const spans = leaves(line);
        if (!spans.map((span) => span.textContent).join('').replace(/\u00a0/g, ' ').includes(lineNeedle)) continue;
        for (const span of spans) {
          const node = span.firstChild;
          const at = node && node.nodeType === Node.TEXT_NODE ? node.data.indexOf(word) : -1;
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const box = range.getBoundingClientRect();
          return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        }
      }
      return null;
    },
    [lineNeedle, word],
  );
}

async function statusBarText(page, needle) {
  return page.evaluate((needle) => {
    for (const item of document.querySelectorAll('.statusbar-item')) {
      const text = item.textContent.trim();
      if (text.includes(needle)) return text;
    }
    return null;
  }, needle);
}

/** The counts at the end of the Go Insight item ("… Go Insight: ready ⚠ 1 ⓘ 0"; the icons render as no text). */
function statusCounts(text) {
  const match = /(\d+)\s+(\d+)\s*$/.exec(text);
  return match ? { problems: Number(match[1]), notes: Number(match[2]) } : null;
}

/** Warnings + errors shown by the Problems item of the status bar. */
async function problemsCount(page) {
  return page.evaluate(() => {
    const item = document.getElementById('status.problems');
    if (!item) return null;
    const numbers = (item.textContent.match(/\d+/g) || []).map(Number);
    return numbers.reduce((a, b) => a + b, 0);
  });
}

/** Screen box of editor line `line` (1-based), from the gutter's line number. */
async function lineBox(page, line) {
  return page.evaluate((line) => {
    const number = [...document.querySelectorAll('.editor-instance .margin-view-overlays .line-numbers')].find((el) => el.textContent.trim() === String(line));
    if (!number) return null;
    const { top, height } = number.getBoundingClientRect();
    return { top, height };
  }, line);
}

/** Whether a diagnostic squiggle is drawn on editor line `line` (1-based), matched by the gutter's line number. */
async function squiggleOnLine(page, line) {
  return page.evaluate((line) => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return false;
    const number = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find((el) => el.textContent.trim() === String(line));
    if (!number) return false;
    const row = number.getBoundingClientRect();
    return [...editor.querySelectorAll('.view-overlays [class*="squiggly-"]')].some((el) => {
      const box = el.getBoundingClientRect();
      return box.top < row.bottom && box.bottom > row.top;
    });
  }, line);
}

/** Moves the cursor with "Go to Line/Column…" (Ctrl+G) and waits for the status bar to confirm. */
async function goToLine(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  // The status bar's "Col" is visual (a tab counts as tabSize), so only the line is compared.
  await waitFor(async () => (await statusBarText(page, `Ln ${line},`)) !== null, 10000, `the cursor on line ${line}`);
}

async function quickOpen(page, text) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(text);
  const listed = await page
    .locator(`.quick-input-list .monaco-list-row:has-text(${JSON.stringify(text)})`)
    .first()
    .waitFor({ timeout: 10000 })
    .then(() => true, () => false);
  if (listed) {
    await page.keyboard.press('Enter');
    return;
  }
  // Quick Open searches a file index that can lag behind a file added while the editor runs ("No matching
  // results" seen on a loaded machine); the Explorer lists the file from the file watcher, so open it there.
  await page.keyboard.press('Escape');
  await page.locator(`.explorer-folders-view .monaco-list-row:has-text(${JSON.stringify(text)})`).first().click({ timeout: 15000 });
}

/** Runs "Go Insight: TITLE" from the command palette (F1), as a user would, with the fixture's editor active. */
async function runCommand(page, title) {
  await runPaletteCommand(page, `Go Insight: ${title}`, GO_FILE);
}

/** Runs the command the palette lists as `title` (category included), with the editor of tab `tab` active. */
async function runPaletteCommand(page, title, tab) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    // A focused webview (the rule documentation's preview) keeps F1 from the workbench.
    await page.locator('.tabs-container .tab').filter({ hasText: tab }).first().click();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    try {
      await input.waitFor({ state: 'visible', timeout: 15000 });
      await input.fill(`>${title}`, { timeout: 5000 });
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: 15000 });
      break;
    } catch (error) {
      // The palette can close again as soon as it opened, when the workbench moves the focus (seen on a
      // shared machine right after a compile finished): open it anew, and fail on the third time.
      if (attempt === 3) throw error;
      console.log(`[e2e] the command palette closed before "${title}" was typed; opening it again (attempt ${attempt + 1})`);
    }
  }
  await page.keyboard.press('Enter');
}

/** Whether some visible text of the workbench matches `pattern` (editors, panels, tabs; not webviews). */
async function workbenchShows(page, pattern) {
  // Editors render spaces as no-break spaces.
  return page.evaluate((source) => new RegExp(source).test((document.querySelector('.monaco-workbench')?.innerText || '').replace(/\u00a0/g, ' ')), pattern.source);
}

// ------------------------------------------------------------------ expectations from the engine

/**
 * What the engine itself reports on the fixture (`goinsight check --format json`,
 * with the compiler, as the editor runs it by default): the steps find their
 * lines through it and compare the editor against the engine's own fix.
 */
function engineFindings(root, workspace) {
  let stdout;
  try {
    stdout = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'check', '--format', 'json', GO_FILE], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 120000, // the compiler may run
    });
  } catch (error) {
    if (error.status !== 1) throw new Error(`goinsight check failed on the fixture: ${error.stderr || error.message}`);
    stdout = error.stdout; // 1 = findings
  }
  return JSON.parse(stdout).findings;
}

/** Applies CLI edits (1-based lines, 1-based UTF-8 byte columns) to `text`. */
function applyCliEdits(text, edits) {
  const lineStarts = [0];
  const bytes = Buffer.from(text, 'utf8');
  bytes.forEach((byte, index) => {
    if (byte === 0x0a) lineStarts.push(index + 1);
  });
  const offset = (p) => lineStarts[p.line - 1] + p.column - 1;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = bytes;
  for (const edit of sorted) {
    out = Buffer.concat([out.subarray(0, offset(edit.range.start)), Buffer.from(edit.newText, 'utf8'), out.subarray(offset(edit.range.end))]);
  }
  return out.toString('utf8');
}

// ------------------------------------------------------------------ steps shared by both languages

/** Hovering the first defer of firstLine shows the defer order (`text.HOVER_TITLE` and the calls); the editor is the picture `shot`. */
function deferHoverStep({ name, text, shot }) {
  return {
    name,
    title: `hovering the defer keyword shows "${text.HOVER_TITLE}" and the sequence`,
    async run({ page, artifacts }) {
      const hover = page.locator('.monaco-hover:visible').filter({ hasText: text.HOVER_TITLE });
      await waitFor(
        async () => {
          // The first defer: the hover opens above it and leaves the hints below in view.
          const at = await wordCentre(page, fixture.HOVER_LINE, 'defer');
          if (!at) throw new Error(`the line "${fixture.HOVER_LINE}" is not rendered`);
          // Move off and back on: a hover opens on mouse movement over the word.
          await page.mouse.move(at.x + 200, at.y + 120);
          await page.mouse.move(at.x, at.y, { steps: 3 });
          return (await hover.count()) > 0 || (await hover.first().waitFor({ timeout: 3000 }).then(() => true, () => false));
        },
        30000,
        `a hover containing "${text.HOVER_TITLE}"`,
        200,
      );
      const shown = (await hover.first().textContent()) || '';
      const missing = [...fixture.HOVER_CALLS, ...(text.HOVER_PARTS || [])].filter((part) => !shown.includes(part));
      if (missing.length) throw new Error(`the hover does not show ${missing.join(', ')}: "${shown.slice(0, 300)}"`);
      // The editor alone, hints and hover together: the picture for the README.
      await sleep(300);
      await page.locator('.part.editor').screenshot({ path: path.join(artifacts, shot), timeout: 15000 });
      return `hover "${text.HOVER_TITLE}" listing ${fixture.HOVER_CALLS.join(', ')}`;
    },
  };
}

/**
 * Clicks the "run with leak check" code lens (`text.LENS`) over the fixture's test in main_test.go, as a user
 * would, and waits for the leak it finds: a squiggle on the blocked send and a hover showing `text.LEAK_MESSAGE`,
 * `text.LEAK_TITLE` and the goroutine's stack. The editor down to the end of the test is the picture `shot`.
 */
function leakCodeLensStep({ name, text, shot }) {
  const { file, line: sendText, test } = fixture.LEAK;
  return {
    name,
    title: `the "${text.LENS}" code lens over ${test} runs it and shows ${fixture.LEAK.code} on the blocked send in ${file}, explained on hover`,
    async run({ page, workspace, artifacts }) {
      // Pinned to the fixture's text: the lens must be over this test, the squiggle on this line, whatever the engine says.
      const sourceLines = fs.readFileSync(path.join(workspace, file), 'utf8').split('\n');
      const line = sourceLines.findIndex((source) => source.includes(sendText)) + 1;
      const testLine = sourceLines.findIndex((source) => source.startsWith(`func ${test}(`)) + 1;
      if (line === 0 || testLine === 0) throw new Error(`${file} has no line "${sendText}" or no func ${test}`);
      // The test file alone in the window (the escape report of an earlier step is beside main.go).
      await runPaletteCommand(page, 'View: Close All Editor Groups', GO_FILE);
      // The rule documentation opened earlier is an unsaved document: VS Code asks before closing it.
      const dontSave = page.locator('.monaco-dialog-box .monaco-button').filter({ hasText: "Don't Save" });
      if (await dontSave.waitFor({ timeout: 3000 }).then(() => true, () => false)) await dontSave.click();
      await quickOpen(page, file);
      await page.locator(`.editor-instance .view-lines:has-text(${JSON.stringify(sendText)})`).waitFor({ timeout: 30000 });
      // A code lens is drawn in a zone just above the line it belongs to.
      const lens = page.locator('.editor-instance .codelens-decoration a').filter({ hasText: text.LENS });
      await waitFor(async () => {
        const [box, row] = await Promise.all([lens.first().boundingBox().catch(() => null), lineBox(page, testLine)]);
        return box && row && (await lens.count()) === 1 && box.y + box.height <= row.top + 2 && box.y >= row.top - 3 * row.height;
      }, 30000, `one "${text.LENS}" code lens, just above line ${testLine} (func ${test})`);
      await lens.first().click();
      // The first run with the leak profile may build the runtime with the experiment (cached by later runs).
      await waitFor(() => squiggleOnLine(page, line), 70000, `a diagnostic squiggle on line ${line} of ${file} after the test run`);
      // The run's summary arrives with the diagnostics (unless a key press already dismissed it); cleared so the
      // picture shows the code.
      await page.locator('.notifications-toasts .notification-toast').filter({ hasText: text.LEAK_SUMMARY }).first().waitFor({ timeout: 5000 }).catch(() => {});
      await runPaletteCommand(page, 'Notifications: Clear All Notifications', file);
      if (await page.locator('.part.panel').isVisible()) await runPaletteCommand(page, 'View: Hide Panel', file);
      await goToLine(page, line, sourceLines[line - 1].indexOf(sendText) + 2); // inside the send, past the indentation
      await page.mouse.move(700, 800); // off the tab, whose tooltip would cover the code in the picture
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I'); // editor.action.showHover
      const hover = page.locator('.monaco-hover:visible').filter({ hasText: text.LEAK_MESSAGE });
      await hover.first().waitFor({ timeout: 15000 });
      // The diagnostic's part of the hover comes first; the server's (rule title, stack) follows when it answers.
      const expected = [fixture.LEAK.code, text.LEAK_TITLE, 'chan send (leaked)'];
      let shown = '';
      await waitFor(async () => {
        shown = (await hover.first().textContent()) || '';
        return expected.every((part) => shown.includes(part));
      }, 15000, `a hover showing ${expected.map((part) => `"${part}"`).join(', ')}`).catch((error) => {
        throw new Error(`${error.message}; it shows "${shown.slice(0, 300)}"`);
      });
      await sleep(300);
      // The editor down to just below the test function: the README's picture, without the empty rest.
      const editor = await page.locator('.part.editor').boundingBox();
      const below = await lineBox(page, sourceLines.length);
      const clip = { x: editor.x, y: editor.y, width: editor.width, height: Math.min(editor.height, below ? below.top + below.height - editor.y + 10 : editor.height) };
      await page.screenshot({ path: path.join(artifacts, shot), clip, timeout: 15000 });
      return `lens "${text.LENS}" over ${test}; squiggle on ${file}:${line}, hover "${text.LEAK_MESSAGE}" with the goroutine's stack`;
    },
  };
}

// ------------------------------------------------------------------ the steps

const STEPS = [
  {
    name: 'workbench',
    title: 'the workbench opens the fixture module',
    async run({ page, baseUrl, workspace }) {
      await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      await page.locator(`.explorer-folders-view .monaco-list-row:has-text("${GO_FILE}")`).first().waitFor({ timeout: 60000 });
    },
  },
  {
    name: 'open-go-file',
    title: `${GO_FILE} opens in an editor`,
    async run({ page }) {
      await page.click('.monaco-workbench .part.editor', { position: { x: 300, y: 300 } }).catch(() => {});
      await quickOpen(page, GO_FILE);
      await page.locator(`.editor-instance .view-lines:has-text(${JSON.stringify(fixture.OPENED_MARKER)})`).waitFor({ timeout: 30000 });
    },
  },
  {
    name: 'status-bar',
    title: 'the status bar shows "Go Insight", a running server and the file\'s problem count',
    async run({ page, expectations }) {
      const text = await waitFor(
        async () => {
          const t = await statusBarText(page, 'Go Insight');
          if (t && /stopped|failed/i.test(t)) throw new Error(`status bar says "${t}"`);
          const counts = t && statusCounts(t);
          return counts && counts.problems === expectations.problems ? t : null;
        },
        30000,
        `a "Go Insight: …" status bar item counting ${expectations.problems} problem(s) (errors + warnings, as goinsight check reports)`,
      );
      return `status bar: "${text}"`;
    },
  },
  {
    name: 'defer-inlay-hints',
    title: `defer-order inlay hints ${fixture.DEFER_HINTS.map(([, hint]) => hint).join(' / ')} on the defers of the fixture`,
    async run({ page }) {
      const expected = fixture.DEFER_HINTS;
      for (const [text, hint] of expected) {
        await waitFor(
          async () => {
            const line = await renderedLine(page, text);
            return line && line.hints.includes(hint);
          },
          30000,
          `inlay hint "${hint}" on the line "${text}"`,
        ).catch(async (error) => {
          const line = await renderedLine(page, text);
          throw new Error(`${error.message}; that line ${line ? `has the hints ${JSON.stringify(line.hints)}` : 'is not rendered'}`);
        });
      }
      return expected.map(([line, hint]) => `${hint} before ${line}`).join(', ');
    },
  },
  deferHoverStep({ name: 'defer-hover', text: fixture.EN, shot: 'readme-defer-hints-hover.png' }),
  {
    name: 'escape-hint',
    title: 'after the compiler has run, the escaping value has an inlay hint and its hover quotes the compiler',
    async run({ page, expectations }) {
      const finding = required(expectations.escape, 'goinsight check reports no compiler escape finding on the fixture');
      const line = finding.range.start.line;
      const hinted = await waitFor(async () => {
        const rendered = await renderedLine(page, line);
        return rendered && rendered.hints.some((hint) => !hint.startsWith('⟲')) ? rendered : null;
      }, 60000, `an inlay hint on line ${line} once the compiler has run`);
      const rendered = `${hinted.source.trim()}  [hints: ${hinted.hints.join(', ')}]`;
      await goToLine(page, line, finding.range.start.column);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I'); // editor.action.showHover
      const hover = page.locator('.monaco-hover:visible').filter({ hasText: finding.message });
      await hover.first().waitFor({ timeout: 15000 }); // left open for the screenshot; the next step closes it
      return `line ${line} renders "${rendered}", hover quotes "${finding.message}"`;
    },
  },
  {
    name: 'channel-diagnostic',
    title: 'the double close is a squiggle on its line and counts in the Problems status item',
    async run({ page, expectations, state }) {
      const line = required(expectations.doubleClose, 'goinsight check reports no double-close finding on the fixture').range.start.line;
      await page.keyboard.press('Escape');
      await waitFor(() => squiggleOnLine(page, line), 30000, `a diagnostic squiggle on line ${line}`);
      const count = await waitFor(async () => {
        const n = await problemsCount(page);
        return n && n > 0 ? n : null;
      }, 15000, 'a non-zero count in the Problems status bar item');
      state.problemsBefore = count;
      return `squiggle on line ${line} (${expectations.doubleClose.rule}), Problems count ${count}`;
    },
  },
  {
    name: 'quick-fix',
    title: 'the light bulb on the double close offers a fix; applying it edits the text as the engine says and clears the diagnostic',
    async run({ page, workspace, expectations, state, shot }) {
      const finding = required(expectations.doubleClose, 'goinsight check reports no double-close finding on the fixture');
      const file = path.join(workspace, GO_FILE);
      const before = fs.readFileSync(file, 'utf8');
      // The rule's own fix when it has one, else the "Ignore RULE on this line" action every diagnostic gets.
      const fix = finding.fixes && finding.fixes[0];
      const title = fix ? fix.title : `Ignore ${finding.rule} on this line`;
      const isExpected = fix
        ? (text) => text === applyCliEdits(before, fix.edits)
        : (text) => {
            const lines = before.split('\n');
            const ignore = new RegExp(`^\\s*//goinsight:ignore ${finding.rule.replace('/', '\\/')}\\b`);
            const after = text.split('\n');
            const inserted = after[finding.range.start.line - 1];
            after.splice(finding.range.start.line - 1, 1);
            return ignore.test(inserted || '') && after.join('\n') === lines.join('\n');
          };

      await goToLine(page, finding.range.start.line, finding.range.start.column);
      // Wait for the bulb of *this* line: one left from an earlier cursor position can linger a moment.
      const bulb = page.locator('.lightBulbWidget').first();
      await waitFor(async () => {
        const [box, row] = await Promise.all([bulb.boundingBox(), lineBox(page, finding.range.start.line)]);
        return box && row && box.height > 0 && Math.abs(box.y + box.height / 2 - (row.top + row.height / 2)) < row.height;
      }, 20000, `the light bulb on line ${finding.range.start.line}`);
      await bulb.click();
      const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first();
      await item.waitFor({ state: 'visible', timeout: 10000 }).catch(async () => {
        const offered = await page.locator('.action-widget .monaco-list-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') || row.textContent));
        throw new Error(`the light-bulb menu does not offer "${title}"; it offers ${JSON.stringify(offered)}`);
      });
      await shot('menu');
      // The menu lays an invisible pointer block over the workbench that a mouse move removes.
      const box = await item.boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 2 });
      await item.click({ timeout: 10000 });
      await page.keyboard.press('Control+S');
      await waitFor(() => isExpected(fs.readFileSync(file, 'utf8')), 15000, `the saved ${GO_FILE} to show the effect of "${title}"`);
      const count = await waitFor(async () => {
        const n = await problemsCount(page);
        return n !== null && n < state.problemsBefore ? String(n) : null;
      }, 15000, `the Problems count to drop below ${state.problemsBefore}`);
      const statusItem = await waitFor(async () => {
        const t = await statusBarText(page, 'Go Insight');
        const counts = t && statusCounts(t);
        return counts && counts.problems === expectations.problems - 1 ? t : null;
      }, 15000, `the Go Insight status item to count ${expectations.problems - 1} problem(s)`);
      return `applied "${title}", Problems count now ${count}, status item "${statusItem}"`;
    },
  },
  {
    name: 'commands',
    title: "every command the README lists runs from the command palette and does what it says",
    async run({ page }) {
      const [hintLine, hintLabel] = fixture.DEFER_HINTS[0];
      const hinted = async (present) => {
        const line = await renderedLine(page, hintLine);
        return line !== null && line.hints.includes(hintLabel) === present;
      };
      await runCommand(page, 'Toggle Inlay Hints');
      await waitFor(() => hinted(false), 15000, `the ${hintLabel} hint gone after Toggle Inlay Hints`);
      await runCommand(page, 'Toggle Inlay Hints');
      await waitFor(() => hinted(true), 15000, `the ${hintLabel} hint back after a second Toggle Inlay Hints`);

      await runCommand(page, 'Show Findings in This File');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: fixture.ESCAPE_MESSAGE }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Escape');

      await runCommand(page, 'Re-run Escape Analysis for This Package');
      await waitFor(async () => /escapes \d/.test((await statusBarText(page, 'Go Insight')) || ''), 60000, 'the status item to say how long escape analysis took');

      await runCommand(page, 'Show Escape Report for This Package');
      // Its first lines (later ones are not rendered until scrolled to): the title and the count of heap verdicts.
      // (Monaco's rendered lines are not in document order in the DOM: each is matched alone.)
      await waitFor(async () => (await workbenchShows(page, /# Escape report for /)) && workbenchShows(page, /# [1-9]\d* heap verdicts, \d+ facts in all/), 60000, 'the escape report, opened beside the file');

      await runCommand(page, 'Show Rule Documentation');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 15000 });
      await input.fill(fixture.DOUBLE_CLOSE.code);
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: fixture.DOUBLE_CLOSE.code }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      await waitFor(() => workbenchShows(page, /Preview/), 30000, 'a Markdown preview of the rule');

      await runCommand(page, 'Show Output');
      // The server logs which go it runs first ("go" found on PATH…, "go" is not on PATH; using…, goinsight.goPath is set to…).
      await waitFor(() => workbenchShows(page, /\[info\] (?:"go" |goinsight\.goPath)/), 30000, "the Go Insight output channel with the server's log");

      await runCommand(page, 'Restart Server');
      await waitFor(async () => {
        const text = await statusBarText(page, 'Go Insight');
        return text !== null && !/restarting|stopped|failed/.test(text) && (await hinted(true));
      }, 60000, `the restarted server ready, the ${hintLabel} hint shown again`);
      return 'Toggle Inlay Hints (twice), Show Findings, Re-run Escape Analysis, Show Escape Report, Show Rule Documentation, Show Output, Restart Server';
    },
  },
  leakCodeLensStep({ name: 'leak-code-lens', text: fixture.EN, shot: 'readme-leak-diagnostic-hover.png' }),
  {
    name: 'compare-heap',
    title: `"Compare Heap Allocations with…" against the committed fixture marks the allocation of a file added since as ⇡heap new`,
    async run({ page, workspace }) {
      const { file, text, line, revision } = fixture.NEW_ALLOCATION;
      fs.writeFileSync(path.join(workspace, file), text);
      await quickOpen(page, file);
      // The compiler's facts for the package with the new file: its own ⇡heap first.
      await waitFor(async () => {
        const rendered = await renderedLine(page, line);
        return rendered && rendered.hints.includes('⇡heap');
      }, 60000, `the ⇡heap hint on "${line}" of ${file} once the compiler has run`);
      await runPaletteCommand(page, 'Go Insight: Compare Heap Allocations with…', file);
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 15000 });
      await input.fill(revision);
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: revision }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      const summary = page.locator('.notifications-toasts .notification-toast').filter({ hasText: `Since ${revision}:` }).first();
      await summary.waitFor({ timeout: 60000 });
      const said = (await summary.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();
      if (!/Heap facts since main: 1 new, 0 gone, [1-9]\d* unchanged\./.test(said)) throw new Error(`the summary says "${said}"`);
      await waitFor(async () => {
        const rendered = await renderedLine(page, line);
        return rendered && rendered.hints.includes('⇡heap new');
      }, 15000, `the ⇡heap new hint on "${line}" of ${file}`);
      await waitFor(() => workbenchShows(page, /1 heap allocation \(\+1 since main\)/), 15000, 'the code lens "1 heap allocation (+1 since main)" over boxed');
      return `"${said}"; ⇡heap new on "${line}"; lens "1 heap allocation (+1 since main)"`;
    },
  },
];

// ------------------------------------------------------------------ the run

function userSettings() {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'editor.inlayHints.enabled': 'on',
    'editor.hover.delay': 200,
    'chat.commandCenter.enabled': false,
    'git.enabled': false,
    'files.autoSave': 'off',
  };
}

/**
 * The same fixture in a Simplified Chinese editor (issue #18's screenshots): a second code-server whose profile
 * says "locale": "zh-cn", with a stand-in language pack; the defer hover and the leak found through the code lens.
 */
const ZH_CN_STEPS = [
  STEPS.find((step) => step.name === 'workbench'),
  STEPS.find((step) => step.name === 'open-go-file'),
  {
    name: 'language-pack',
    title: `the stand-in ${LOCALE} language pack installs from the command palette and the reloaded window is in ${LOCALE}`,
    async run({ page, languagePack, userData }) {
      // Installed through the running editor, as a user would: only then does VS Code record the pack's language
      // (languagepacks.json in the profile), which it reads on the next load of the window.
      await runPaletteCommand(page, 'Extensions: Install from VSIX...', GO_FILE);
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 15000 });
      // The file dialog fills in its start folder by itself, a moment after it opens: a path typed before that
      // is overwritten (seen on a loaded machine). So type once it has, and try again if the dialog stays open.
      await waitFor(async () => (await input.inputValue()).startsWith('/'), 15000, "the file dialog's start folder");
      for (let attempt = 1; ; attempt++) {
        await input.fill(languagePack);
        // It lists the folder's files once it has read the typed path, but on a loaded machine the list can stay
        // at ".." for good; its Install button takes the typed path either way, so the list is only waited for a while.
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: path.basename(languagePack) }).first().waitFor({ timeout: 10000 }).catch(() => undefined);
        if ((await input.inputValue()) === languagePack) {
          await page.locator('.quick-input-widget .monaco-button').filter({ hasText: 'Install' }).first().click();
          if (await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false)) break;
        }
        if (attempt === 3) throw new Error(`the file dialog did not take the path ${languagePack}; it shows "${await input.inputValue()}"`);
      }
      const recorded = path.join(userData, 'languagepacks.json');
      await waitFor(() => fs.existsSync(recorded) && LOCALE in JSON.parse(fs.readFileSync(recorded, 'utf8')), 30000, `the ${LOCALE} pack recorded in ${recorded}`);
      await page.reload({ waitUntil: 'domcontentloaded', timeout: 60000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      // Set by the display language's messages, which the page loads first.
      const language = await page.evaluate(() => globalThis._VSCODE_NLS_LANGUAGE);
      if (language !== LOCALE) throw new Error(`the reloaded workbench's language is "${language}"`);
      return `language pack installed; the workbench's language is "${language}"`;
    },
  },
  // The reloaded window, with the file open again.
  STEPS.find((step) => step.name === 'open-go-file'),
  deferHoverStep({ name: 'defer-hover', text: fixture.ZH_CN, shot: 'readme-defer-hover-zh-cn.png' }),
  leakCodeLensStep({ name: 'leak-code-lens', text: fixture.ZH_CN, shot: 'readme-leak-hover-zh-cn.png' }),
];

/**
 * One code-server on the workspace with the profile `userData`, in a fresh browser context: runs `steps` in order
 * and returns their results; throws on the first failing step, after saving VS Code's logs.
 */
async function runSession({ name, steps, userData, browser, tools, common, env, temp, ctx, artifacts }) {
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
  const codeServerLog = path.join(artifacts, `code-server-${name}.log`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const codeServer = startProcess(
    tools.CODE_SERVER,
    [
      ...common,
      '--user-data-dir', userData,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ctx.workspace,
    ],
    { env, cwd: temp, logFile: codeServerLog },
  );
  let context;
  const results = [];
  try {
    await waitFor(async () => {
      if (codeServer.exitInfo) throw new Error(`code-server exited (${JSON.stringify(codeServer.exitInfo)}), see ${codeServerLog}`);
      const response = await fetch(`${baseUrl}/healthz`).catch(() => null);
      return response && response.ok;
    }, 60000, `code-server to answer on ${baseUrl}`);
    log(`code-server (${name}) listening on ${baseUrl}`);
    context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
    context.setDefaultTimeout(30000);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const session = { ...ctx, page, baseUrl };
    for (const [index, step] of steps.entries()) {
      const label = `vscode-${name === 'en' ? '' : `${name}-`}${String(index + 1).padStart(2, '0')}-${step.name}`;
      const t0 = Date.now();
      // An extra screenshot in the middle of a step: `${label}-${suffix}.png`.
      session.shot = (suffix) => page.screenshot({ path: path.join(artifacts, `${label}-${suffix}.png`), timeout: 15000 });
      try {
        const detail = await withTimeout(step.run(session), 90000, `step ${step.name}`);
        await sleep(150); // let hovers and hints finish painting
        await page.screenshot({ path: path.join(artifacts, `${label}.png`), timeout: 15000 });
        log(`PASS  ${name} ${step.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)${detail ? `: ${detail}` : ''}`);
        results.push({ step: `${name} ${step.name}`, status: 'passed', detail });
      } catch (error) {
        const shot = path.join(artifacts, `${label}-FAILED.png`);
        await page.screenshot({ path: shot, timeout: 15000 }).catch(() => {});
        if (pageErrors.length) log(`page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
        const failure = new Error(`VS Code (${name}) step "${step.name}" failed — expected ${step.title}: ${error.message}\n  screenshot: ${shot}`);
        failure.results = results.concat({ step: `${name} ${step.name}`, status: 'failed', detail: error.message });
        throw failure;
      }
    }
    return results;
  } catch (error) {
    // Keep what explains a failure: VS Code's logs (extension host, our server's output channel).
    try {
      fs.cpSync(path.join(userData, 'logs'), path.join(artifacts, `vscode-logs-${name}`), { recursive: true });
    } catch {
      // no logs yet
    }
    throw error;
  } finally {
    if (context) await withTimeout(context.close(), 10000, 'the browser context to close').catch(() => {});
    await codeServer.stop();
  }
}

/**
 * Runs the VS Code steps, in English and then in Simplified Chinese. `tools` comes from install.sh; `artifacts`
 * is where screenshots and logs go. Throws on the first failing step.
 */
async function runVsCode({ root, tools, vsix, artifacts, keepTemp = false }) {
  const { chromium } = require(require.resolve('playwright-core', { paths: [tools.PLAYWRIGHT_DIR] }));
  const temp = makeTempDir('goinsight-e2e-vscode-');
  const workspace = path.join(temp, 'workspace');
  fs.cpSync(fixture.DIR, workspace, { recursive: true });
  // A repository with the fixture as its one commit: what "Compare Heap Allocations with…" compares against.
  for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'fixture']]) {
    execFileSync('git', args, { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 });
  }
  const extensions = path.join(temp, 'extensions');
  const env = {
    ...process.env,
    ...goEnvironment(), // keep Go's own caches: the server may run the compiler
    HOME: path.join(temp, 'home'), // nothing of ours lands in the real home
    XDG_CONFIG_HOME: path.join(temp, 'xdg-config'),
    XDG_DATA_HOME: path.join(temp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(temp, 'xdg-cache'),
    TMPDIR: path.join(temp, 'tmp'),
  };
  fs.mkdirSync(env.HOME);
  fs.mkdirSync(env.TMPDIR);
  const common = ['--config', path.join(temp, 'config.yaml'), '--extensions-dir', extensions];

  log(`installing ${path.relative(root, vsix)} into a private extensions directory`);
  execFileSync(tools.CODE_SERVER, [...common, '--user-data-dir', path.join(temp, 'user-data'), '--install-extension', vsix, '--force'], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });

  const expectations = {};
  const findings = engineFindings(root, workspace);
  expectations.doubleClose = findings.find((f) => f.rule === fixture.DOUBLE_CLOSE.code);
  expectations.escape = findings.find((f) => f.source === 'compiler' && f.message === fixture.ESCAPE_MESSAGE);
  expectations.problems = findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
  // The places come from the engine (with its fixes and columns), but must be where the fixture's text says:
  // a wrong line shared by the CLI and the server would otherwise pass in both.
  const sourceLines = fs.readFileSync(path.join(workspace, GO_FILE), 'utf8').split('\n');
  const pinned = [
    ['double close', expectations.doubleClose, sourceLines.findLastIndex((line) => line.includes(fixture.DOUBLE_CLOSE.text)) + 1, fixture.DOUBLE_CLOSE.message],
    ['escape', expectations.escape, sourceLines.findIndex((line) => line.includes(fixture.ESCAPE_LINE)) + 1, /^moved to heap: p$/],
  ];
  for (const [what, finding, line, message] of pinned) {
    if (!finding || finding.range.start.line !== line || !message.test(finding.message)) {
      throw new Error(`goinsight check does not report the ${what} on line ${line} (${message}): ${JSON.stringify(finding && { line: finding.range.start.line, message: finding.message })}`);
    }
  }

  let browserServer;
  let browser;
  const results = [];
  try {
    // launchServer (not launch) so the Chromium process is ours to kill whatever happens.
    browserServer = await withTimeout(
      chromium.launchServer({
        executablePath: tools.CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        // Chromium's crash reporter writes under $XDG_CONFIG_HOME whatever its profile is.
        env: { ...env, XDG_CONFIG_HOME: path.join(temp, 'chromium-config'), XDG_CACHE_HOME: path.join(temp, 'chromium-cache') },
        timeout: 60000,
      }),
      70000,
      'Chromium to start',
    );
    trackGroup(browserServer.process().pid);
    browser = await withTimeout(chromium.connect(browserServer.wsEndpoint(), { timeout: 30000 }), 35000, 'connecting to Chromium');
    const ctx = { workspace, expectations, root, artifacts, state: {} };
    const session = { browser, tools, common, env, temp, ctx, artifacts };
    results.push(...(await runSession({ ...session, name: 'en', steps: STEPS, userData: path.join(temp, 'user-data') })));

    // Simplified Chinese: the stand-in language pack next to the extension, and a new profile that asks for zh-cn.
    const zhUserData = path.join(temp, `user-data-${LOCALE}`);
    writeLocaleArgv(zhUserData);
    ctx.userData = zhUserData;
    ctx.languagePack = buildLanguagePack(root, path.join(temp, 'language-pack'));
    results.push(...(await runSession({ ...session, name: LOCALE, steps: ZH_CN_STEPS, userData: zhUserData })));
    return results;
  } finally {
    if (browser) await withTimeout(browser.close(), 10000, 'Chromium to close').catch(() => {});
    if (browserServer) {
      const pid = browserServer.process().pid;
      await withTimeout(browserServer.close(), 10000, 'Chromium to exit').catch(() => {});
      killGroup(pid, 'SIGKILL'); // playwright starts Chromium in its own process group
    }
    if (!keepTemp) await removeTempDir(temp);
    else log(`kept ${temp}`);
  }
}

module.exports = { runVsCode, STEPS, ZH_CN_STEPS, applyCliEdits, engineFindings };
