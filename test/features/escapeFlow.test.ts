// The escape flow in plain words, on findings built from the real compiler's
// output for test/fixtures/escapeflow (return &local, closure capture, fmt
// interface conversion, append growth, a too-large array), in both languages;
// plus the rendering rules that need no compiler (unknown reasons, paths,
// links), and the hover that shows it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { allFacts, runEscapeAnalysis, toFinding } from '../../server/src/compiler';
import type { Finding, RelatedLocation } from '../../server/src/engine/finding';
import { escapeFlowMarkdown, escapeFlowText, knownFlowReasons, type EscapeFlowOptions } from '../../server/src/features/escapeFlow';
import { hoverMarkdown } from '../../server/src/features/hover';
import { goPath } from '../compiler/compilerTestSupport';

const fixtureDir = path.resolve(__dirname, '../../../test/fixtures/escapeflow');
const flowFile = path.join(fixtureDir, 'flow.go');
const documentUri = pathToFileURL(flowFile).toString();
const options: EscapeFlowOptions = { documentUri, uriOf: (file) => pathToFileURL(file).toString() };

let findings: Finding[] = [];

before(async () => {
  const result = await runEscapeAnalysis({ packageDir: fixtureDir, goPath });
  assert.equal(result.buildFailed, undefined, result.buildFailed?.message);
  const text = fs.readFileSync(flowFile, 'utf8');
  findings = allFacts(result).map((fact) => toFinding(fact, text));
});

function finding(message: string): Finding {
  const found = findings.find((candidate) => candidate.message === message);
  assert.ok(found, `no finding "${message}" among: ${findings.map((candidate) => candidate.message).join(' | ')}`);
  return found;
}

function render(message: string, locale: 'en' | 'zh-cn', extra: Partial<EscapeFlowOptions> = {}): string {
  const markdown = escapeFlowMarkdown(finding(message), locale, { ...options, ...extra });
  assert.ok(markdown, `no flow rendered for "${message}"`);
  return markdown;
}

const at = (line: number) => `(${documentUri}#L${line})`;

test('return &u: address taken, returned, outlives the call (English)', () => {
  assert.equal(
    render('moved to heap: u', 'en'),
    [
      "**Why** — the compiler's escape flow, step by step:",
      '',
      `1. \`u\` has its address taken (\`&u\`) — [line 13]${at(13)}`,
      `2. It is returned (\`return &u\`) — [line 13]${at(13)}`,
      '',
      '→ `u` outlives the function call',
    ].join('\n'),
  );
});

test('return &u in Chinese, and with the function name known', () => {
  assert.equal(
    render('moved to heap: u', 'zh-cn', { functionName: 'NewUser' }),
    [
      '**原因**——编译器给出的逃逸路径，逐步说明：',
      '',
      `1. \`u\` 被取地址（\`&u\`） —— [第 13 行]${at(13)}`,
      `2. 它被返回（\`return &u\`） —— [第 13 行]${at(13)}`,
      '',
      '→ `u` 的生命周期超出了 `NewUser`',
    ].join('\n'),
  );
  assert.match(render('moved to heap: u', 'en', { functionName: 'NewUser' }), /\n→ `u` outlives `NewUser`$/);
});

test('closure capturing by reference: both languages', () => {
  assert.equal(
    render('moved to heap: count', 'en'),
    [
      "**Why** — the compiler's escape flow, step by step:",
      '',
      `1. \`count\` is captured by a closure — [line 20]${at(20)}`,
      `2. The closure holds a reference to it, not a copy — [line 20]${at(20)}`,
      '',
      '→ so `count` lives as long as the closure',
    ].join('\n'),
  );
  assert.equal(
    render('moved to heap: count', 'zh-cn'),
    [
      '**原因**——编译器给出的逃逸路径，逐步说明：',
      '',
      `1. \`count\` 被闭包捕获 —— [第 20 行]${at(20)}`,
      `2. 闭包持有它的引用，而不是副本 —— [第 20 行]${at(20)}`,
      '',
      '→ 因此 `count` 的生命周期与闭包相同',
    ].join('\n'),
  );
  assert.match(render('func literal escapes to heap', 'en'), /1\. The closure gets memory of its own.*\n2\. It is returned \(`return func literal`\)[^\n]*\n\n→ the closure outlives the function call$/);
});

test('too large for stack: one step, straight to the heap', () => {
  assert.equal(
    render('moved to heap: buf', 'en'),
    ["**Why** — the compiler's escape flow, step by step:", '', `1. \`buf\` is too large for the stack — [line 41]${at(41)}`, '', '→ so `buf` has to live on the heap'].join('\n'),
  );
  assert.equal(
    render('moved to heap: buf', 'zh-cn'),
    ['**原因**——编译器给出的逃逸路径，逐步说明：', '', `1. \`buf\` 太大，放不进栈 —— [第 41 行]${at(41)}`, '', '→ 因此 `buf` 必须分配在堆上'].join('\n'),
  );
});

test('fmt.Println(n): interface storage, the ... argument slice, and a step inside fmt linked to its own file', () => {
  const english = render('n escapes to heap', 'en');
  const steps = english.split('\n').filter((line) => /^\d+\. /.test(line));
  assert.match(steps[0], /^1\. `n` gets memory of its own, reached through a pointer — \[line 27\]/);
  assert.ok(steps.some((step) => step.includes('It is put into the slice that holds the `...` arguments')), english);
  // fmt.Println is inlined: the call that lets the slice escape is inside fmt's source, linked there.
  const last = steps[steps.length - 1];
  assert.match(last, /It is passed to a call \(`fmt\.Fprintln\(os\.Stdout, fmt\.a\.\.\.\)`\) — \[print\.go:\d+\]\(file:\/\/\/.*\/fmt\/print\.go#L\d+\)$/);
  assert.match(english, /\n→ so `n` has to live on the heap$/);

  const chinese = render('n escapes to heap', 'zh-cn');
  assert.match(chinese, /它被放入存放 `\.\.\.` 可变参数的切片/);
  assert.match(chinese, /\[print\.go 第 \d+ 行\]\(file:\/\/\/.*print\.go#L\d+\)/);
  assert.match(chinese, /\n→ 因此 `n` 必须分配在堆上$/);
});

test('append growth: the backing array is stored, returned, and outlives the call', () => {
  const english = render('append escapes to heap', 'en');
  assert.match(english, /1\. The backing array of `append\(out, i \* i\)` gets memory of its own/);
  assert.match(english, /2\. It is stored in `out` \(`out = append\(out, i \* i\)`\)/);
  assert.ok(english.includes(`3. It is returned (\`return out\`) — [line 36]${at(36)}`), english);
  assert.match(english, /\n→ the backing array of `append\(out, i \* i\)` outlives the function call$/);
  assert.match(render('append escapes to heap', 'zh-cn'), /\n→ `append\(out, i \* i\)` 的底层数组的生命周期超出了这次函数调用$/);
});

// go1.26 -m=2 on a caller: `remember(&x)` moves x (what p points to) to the heap; `pickFirst(arr[:])`
// with a leaking param content keeps arr on the caller's stack and moves only the Item its element points to.
test('a leaking parameter stays where it is: what it points to must be on the heap, in every caller', () => {
  assert.match(render('leaking param: name', 'en'), /1\. `name` becomes a field of a struct literal \(`User\{\.\.\.\}`\)[^\n]*\n2\. It is stored in `u` \(`u := User\{\.\.\.\}`\)[^\n]*\n\n→ so `name` itself stays where it is, but whatever it points to must already live on the heap: a caller’s local passed here \(`&x`, `buf\[:\]`\) is moved to the heap$/);
  assert.match(render('leaking param: name', 'zh-cn'), /\n→ 因此 `name` 本身留在原处，但它所指向的数据必须已经在堆上：调用方传入的局部变量（`&x`、`buf\[:\]`）会被移到堆上$/);
  for (const locale of ['en', 'zh-cn'] as const) assert.doesNotMatch(render('leaking param: name', locale), /must be allocated|has to live on the heap|必须分配在堆上/);
});

test('a leaking parameter content: the parameter and its memory stay, the pointers stored there point to the heap', () => {
  assert.match(render('leaking param content: users', 'en'), /\n→ so `users` and the memory it points to stay where they are, but the pointers stored there must point to the heap: a caller’s local stored in it \(`&x`\) is moved to the heap$/);
  assert.match(render('leaking param content: users', 'zh-cn'), /\n→ 因此 `users` 和它指向的内存都留在原处，但其中保存的指针必须指向堆：调用方存进去的局部变量（`&x`）会被移到堆上$/);
});

test('a parameter leaking to a result: what it points to lives as long as the result', () => {
  assert.match(render('leaking param: u to result ~r0 level=0', 'en'), /\n→ so whatever `u` points to lives as long as the result; `u` itself stays where it is$/);
  assert.match(render('leaking param: u to result ~r0 level=0', 'zh-cn'), /\n→ 因此 `u` 所指向的数据与返回值活得一样久；`u` 本身留在原处$/);
});

test('a method call on a field through a pointer takes a pointer into what the pointer points to, not the pointer\'s address', () => {
  // go1.26.8 -m=2: `from g.mu (dot of pointer)` then `from g.mu (address-of)` for g.mu.Take().
  const english = render('leaking param: g', 'en');
  assert.match(english, /1\. A field is reached through the pointer \(`g\.mu`\)[^\n]*\n2\. A pointer into `\*g` is taken \(`g\.mu`\)[^\n]*\n3\. It is passed to a call/);
  assert.doesNotMatch(english, /`g` has its address taken/);
  assert.match(render('leaking param: g', 'zh-cn'), /\n2\. 取得了指向 `\*g` 内部的指针（`g\.mu`）/);
  // A plain &u still says u's own address is taken.
  assert.match(render('moved to heap: u', 'en'), /`u` has its address taken \(`&u`\)/);
});

// Rendering rules that need no compiler: findings written by hand.

function point(line: number, message: string, file?: string): RelatedLocation {
  const location: RelatedLocation = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, message };
  if (file) location.file = file;
  return location;
}

function compilerFinding(related: RelatedLocation[], source: Finding['source'] = 'compiler'): Finding {
  return {
    rule: 'escape/moved-to-heap', category: 'escape', severity: 'hint', presentation: 'diagnostic',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    message: 'moved to heap: x', source, related, fixes: [],
  };
}

test('unknown reasons and lines fall back to the compiler\'s own words', () => {
  const markdown = escapeFlowMarkdown(
    compilerFinding([point(4, 'flow: {heap} ← &x:'), point(4, 'from x (brand-new reason)'), point(5, 'something else entirely')]),
    'en',
    options,
  );
  assert.equal(
    markdown,
    [
      "**Why** — the compiler's escape flow, step by step:",
      '',
      `1. \`from x (brand-new reason)\` — [line 5]${at(5)}`,
      `2. \`something else entirely\` — [line 6]${at(6)}`,
      '',
      '→ so `x` has to live on the heap',
    ].join('\n'),
  );
});

test('hops that do not connect start another path; every path gets its own list and conclusion', () => {
  const markdown = escapeFlowMarkdown(
    compilerFinding([
      point(2, 'flow: {heap} ← &x:'),
      point(2, 'from g = &x (assign)'),
      point(3, 'flow: ~r0 ← &x:'),
      point(3, 'from &x (address-of)'),
      point(3, 'from return &x (return)'),
    ]),
    'en',
    { ...options, documentUri: undefined },
  );
  assert.equal(
    markdown,
    [
      "**Why** — the compiler's escape flow, step by step:",
      '',
      '1. `x` is stored in the heap (`g = &x`) — line 3',
      '',
      '→ so `x` has to live on the heap',
      '',
      '**Another path:**',
      '',
      '1. `x` has its address taken (`&x`) — line 4',
      '2. It is returned (`return &x`) — line 4',
      '',
      '→ `x` outlives the function call',
    ].join('\n'),
  );
});

test('connected hops stay one path; expressions with backticks stay valid code spans', () => {
  const markdown = escapeFlowMarkdown(
    compilerFinding([
      point(1, 'flow: s ← &{storage for `raw`}:'),
      point(1, 'from `raw` (spill)'),
      point(1, 'flow: {heap} ← s:'),
      point(9, 'from sink(s) (call parameter)', '/elsewhere/other.go'),
    ]),
    'en',
    { ...options, uriOf: (file) => `mapped:${file}` },
  );
  assert.ok(markdown);
  assert.ok(!markdown.includes('Another path'), markdown);
  assert.ok(markdown.includes('1. `` `raw` `` gets memory of its own'), markdown);
  assert.ok(markdown.includes('2. It is passed to a call (`sink(s)`) — [other.go:10](mapped:/elsewhere/other.go#L10)'), markdown);
  assert.match(markdown, /→ so `` `raw` `` has to live on the heap$/);
});

test('no flow for syntactic findings or compiler facts without one', () => {
  assert.equal(escapeFlowMarkdown(compilerFinding([point(1, 'flow: {heap} ← &x:')], 'goinsight'), 'en', options), undefined);
  assert.equal(escapeFlowMarkdown(compilerFinding([]), 'en', options), undefined);
});

test('the hover of a compiler finding shows the flow between the details and the explanation, with links', () => {
  const markdown = hoverMarkdown(finding('moved to heap: u'), 'zh-cn', { documentUri });
  const flowAt = markdown.indexOf('**原因**');
  assert.ok(markdown.startsWith('**变量逃逸到堆上（moved to heap）**：`moved to heap: u`'), markdown);
  assert.ok(flowAt > markdown.indexOf('moved to heap: u'), markdown);
  assert.ok(flowAt < markdown.indexOf('---'), markdown);
  assert.ok(markdown.includes(`[第 13 行]${at(13)}`), markdown);
  // Without the document's URI the steps still read, unlinked.
  assert.ok(hoverMarkdown(finding('moved to heap: u'), 'en').includes('2. It is returned (`return &u`) — line 13'));
});

test('the flow texts exist in both languages with the same placeholders', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort().join();
  assert.deepEqual(Object.keys(escapeFlowText['zh-cn']).sort(), Object.keys(escapeFlowText.en).sort());
  for (const [key, english] of Object.entries(escapeFlowText.en)) {
    const chinese = escapeFlowText['zh-cn'][key as keyof typeof escapeFlowText.en];
    assert.equal(placeholders(chinese), placeholders(english), key);
    // Templates that are only punctuation around placeholders (stepAt) have nothing to translate.
    if (/[a-z]/i.test(english.replace(/\{\w+\}/g, ''))) assert.match(chinese, /[\u4e00-\u9fff]/, `${key} is not translated`);
  }
});

test('every reason the installed compiler can print is translated', () => {
  // The reasons are string literals in cmd/compile/internal/escape: the `why`
  // of note/addr/deref/assignHeap/assignList calls and HeapAllocReason's results.
  const goroot = spawnSync(goPath, ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  const escapeDir = path.join(goroot, 'src', 'cmd', 'compile', 'internal', 'escape');
  const printed = new Set<string>();
  for (const name of fs.readdirSync(escapeDir).filter((entry) => entry.endsWith('.go') && !entry.endsWith('_test.go'))) {
    const source = fs.readFileSync(path.join(escapeDir, name), 'utf8');
    for (const match of source.matchAll(/\.(?:note|addr|deref|dotType|assignHeap|assignList)\([^\n]*?"([^"\n]+)"/g)) printed.add(match[1]);
    for (const match of source.matchAll(/return "((?:too|zero)[^"]+)"/g)) printed.add(match[1]);
  }
  assert.ok(printed.has('address-of') && printed.has('too large for stack'), `reading ${escapeDir} found: ${[...printed].join(', ')}`);
  const missing = [...printed].filter((reason) => !knownFlowReasons.includes(reason));
  assert.deepEqual(missing, [], 'reasons to add to server/src/features/escapeFlow.ts');
});

test('every reason in the recorded outputs of older compilers (go1.22-1.25) is translated', () => {
  const recorded = path.resolve(__dirname, '../../../test/fixtures/escape/recorded');
  const printed = new Set<string>();
  for (const version of fs.readdirSync(recorded)) {
    const dir = path.join(recorded, version);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).filter((entry) => entry.endsWith('.txt'))) {
      for (const match of fs.readFileSync(path.join(dir, name), 'utf8').matchAll(/^\S+:\s+from .* \(([^()]+)\) at \S+$/gm)) printed.add(match[1]);
    }
  }
  assert.ok(printed.has('non-constant size'), [...printed].join(', '));
  assert.deepEqual([...printed].filter((reason) => !knownFlowReasons.includes(reason)), []);
});
