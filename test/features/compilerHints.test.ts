// The compiler facts as the editor shows them, on the real compiler's output
// for test/fixtures/escape/hints: a closure's finding sits on its `func`
// keyword (not over its body) with the hint after the signature; equal hints
// on one line merge into `⇡heap ×2`; every compiler hint has a tooltip with
// the verdict and the reason, in the user's language.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, after, test } from 'node:test';
import type { InlayHint, MarkupContent } from 'vscode-languageserver';
import type { Tree } from 'web-tree-sitter';
import { allFacts, runEscapeAnalysis } from '../../server/src/compiler/escapeAnalysis';
import { toFinding } from '../../server/src/compiler/factToFinding';
import type { Finding } from '../../server/src/engine/finding';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { widenToExpression } from '../../server/src/engine/widenToExpression';
import { hoverAt } from '../../server/src/features/hover';
import { toInlayHints } from '../../server/src/features/inlayHints';
import { isShownFact } from '../../server/src/workspace/compilerFindings';
import { createGoParser } from '../../server/src/parse/goParser';
import type { Locale } from '../../server/src/rules/rule';
import { fixture, goPath } from '../compiler/compilerTestSupport';
import { literalEmphasisMarkers } from '../support/renderMarkdown';

const packageDir = fixture('hints');
const file = path.join(packageDir, 'hints.go');
const text = fs.readFileSync(file, 'utf8');
const lines = new LineIndex(text);
const sourceLines = text.split('\n');
let tree: Tree;
let findings: Finding[] = [];

before(async () => {
  const result = await runEscapeAnalysis({ packageDir, goPath });
  assert.equal(result.buildFailed, undefined, result.buildFailed?.message);
  const parser = await createGoParser();
  const parsed = parser.parse(text);
  assert.ok(parsed);
  tree = parsed;
  // What the editor shows by default: the escape category (inlining is off), without "does not escape" and captures.
  findings = allFacts(result)
    .filter((fact) => fact.file === file && isShownFact(fact, { showDoesNotEscape: false, showClosureCaptures: false }))
    .map((fact) => widenToExpression(toFinding(fact, lines), tree, lines))
    .filter((finding) => finding.category === 'escape');
});

after(() => tree?.delete());

/** 0-based line of the first source line containing the text. */
function lineOf(needle: string): number {
  const line = sourceLines.findIndex((source) => source.includes(needle));
  assert.ok(line >= 0, needle);
  return line;
}

function hints(locale: Locale = 'en'): InlayHint[] {
  return toInlayHints(findings, { start: { line: 0, character: 0 }, end: { line: sourceLines.length, character: 0 } }, () => true, locale);
}

function tooltip(hint: InlayHint | undefined): string {
  return (hint?.tooltip as MarkupContent | undefined)?.value ?? '';
}

test('a closure escaping to the heap: the finding is its `func` keyword, the hint follows the signature', () => {
  const start = lineOf('go func() {');
  const closures = findings.filter((finding) => finding.rule === 'escape/func-literal-escapes');
  const started = closures.find((finding) => finding.range.start.line === start);
  assert.ok(started, 'the started closure escapes');
  const keyword = sourceLines[start].indexOf('func');
  assert.deepEqual(started.range, { start: { line: start, character: keyword }, end: { line: start, character: keyword + 4 } });
  // `go func() ⇡heap closure {`: after the `)` of `func()`, not between `func` and `()`.
  assert.deepEqual(started.inlay?.position, { line: start, character: sourceLines[start].indexOf(') {') + 1 });

  // With a result type the hint goes after the result: `func(x int) int ⇡heap closure {`.
  const adder = lineOf('return func(x int) int {');
  const returned = closures.find((finding) => finding.range.start.line === adder);
  assert.deepEqual(returned?.inlay?.position, { line: adder, character: sourceLines[adder].indexOf(' {') });

  // Inside the body nothing of the closure is under the cursor; on `func` its verdict is.
  const body = lineOf('ch <- x');
  assert.equal(hoverAt(findings, { line: body, character: sourceLines[body].indexOf('ch') + 1 }, 'en'), null);
  const onKeyword = hoverAt(findings, { line: start, character: keyword + 1 }, 'en');
  assert.match((onKeyword?.contents as MarkupContent).value, /^\*\*Closure escapes to the heap\*\*: `func literal escapes to heap`/);
});

test('equal hints on one line merge into one, after the rightmost, whose tooltip lists each', () => {
  const shown = hints();
  const keep = lineOf('func Keep(');
  const show = lineOf('fmt.Println(a, b)');
  const onLine = (line: number) => shown.filter((hint) => hint.position.line === line);
  assert.deepEqual(onLine(keep).map((hint) => [hint.label, hint.position.character]), [['⇢leaks ×2', sourceLines[keep].indexOf('b *Config') + 1]]);
  assert.deepEqual(onLine(show).map((hint) => [hint.label, hint.position.character]), [['⇡heap ×2', sourceLines[show].indexOf('b)') + 1]]);
  const leaks = tooltip(onLine(keep)[0]);
  assert.match(leaks, /^2 on this line:\n\n- \*\*Parameter leaks\*\*: `leaking param: a`\n\n {2}Why: `a` is stored in the heap \(`last = a`\)/);
  assert.match(leaks, /\n- \*\*Parameter leaks\*\*: `leaking param: b`\n\n {2}Why: `b` is stored in the heap \(`other = b`\)/);
  // Lines with one hint of a kind keep the plain label.
  assert.deepEqual(onLine(lineOf('go func() {')).map((hint) => hint.label), ['⇡heap closure']);
});

test('a compiler hint explains itself on hover: verdict and reason, localized', () => {
  const started = lineOf('func Start(');
  const english = hints().find((hint) => hint.position.line === started);
  assert.equal(english?.label, '⇢leaks');
  assert.equal(tooltip(english), '**Parameter leaks**: `leaking param: ch`\n\nWhy: `ch` is captured by a closure — line 16');
  const chinese = hints('zh-cn').find((hint) => hint.position.line === started);
  assert.equal(tooltip(chinese), '**参数泄漏**：`leaking param: ch`\n\n原因：`ch` 被闭包捕获 —— 第 16 行');
  // Every compiler hint has one.
  for (const hint of hints()) assert.notEqual(tooltip(hint), '', `${hint.label} at ${hint.position.line}:${hint.position.character}`);
});

test('hints of the rules never merge: two `⟲1` on one line belong to different functions', () => {
  const deferHint = (character: number): Finding => ({
    rule: 'defer/order',
    category: 'defer',
    severity: 'hint',
    presentation: 'annotation',
    range: { start: { line: 0, character }, end: { line: 0, character: character + 5 } },
    message: 'runs',
    source: 'goinsight',
    related: [],
    fixes: [],
    inlay: { label: '⟲1', position: { line: 0, character }, tooltip: 'runs' },
  });
  const shown = toInlayHints([deferHint(20), deferHint(2)], { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, () => true, 'en');
  assert.deepEqual(shown.map((hint) => [hint.label, hint.position.character]), [['⟲1', 2], ['⟲1', 20]]);
});

test('the hover quotes the compiler once: the verdict, not again as the flow\'s headline', () => {
  const show = lineOf('fmt.Println(a, b)');
  const hover = hoverAt(findings, { line: show, character: sourceLines[show].indexOf('a, b') }, 'en');
  const markdown = (hover?.contents as MarkupContent).value;
  assert.equal(markdown.split('a escapes to heap').length - 1, 1, markdown);
  assert.ok(markdown.startsWith('**Value escapes to the heap**: `a escapes to heap`'), markdown);
  assert.match(markdown, /\*\*Why\*\*/);
});

test('the compiler facts\' hovers and hint tooltips render as CommonMark, in both languages', () => {
  const problems: string[] = [];
  for (const locale of ['en', 'zh-cn'] as const) {
    for (const hint of hints(locale)) problems.push(...literalEmphasisMarkers(tooltip(hint)).map((marker) => `${locale} hint ${hint.label}: ${marker}`));
    for (const finding of findings) {
      const markdown = (hoverAt(findings, finding.range.start, locale)?.contents as MarkupContent).value;
      problems.push(...literalEmphasisMarkers(markdown).map((marker) => `${locale} hover ${finding.message}: ${marker}`));
    }
  }
  assert.deepEqual(problems, []);
});
