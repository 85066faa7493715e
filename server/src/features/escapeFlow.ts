// The compiler's escape flow in plain words. A compiler finding carries the
// `-m=2` / `-json` explanation as related locations: `flow: dst ← src:` lines
// (one hop through the escape graph) followed by `from EXPR (reason)` lines
// (the expressions the hop goes through). This renders them as numbered steps
// in the user's language, each linked to its line, and ends each path with what
// it means ("`u` outlives `NewUser`"). Reasons this file does not know (a newer
// compiler may add some) are shown in the compiler's own words.
//
// The reason vocabulary is the one cmd/compile/internal/escape prints as of
// go1.26 (the `note`/`addr`/`deref` calls and HeapAllocReason).
import * as path from 'node:path';
import type { Finding, RelatedLocation } from '../engine/finding';
import { formatMessage, type Locale } from '../rules/rule';

const english = {
  heading: '**Why** — the compiler\'s escape flow, step by step:',
  anotherPath: '**Another path:**',
  lineLink: 'line {line}',
  otherFileLink: '{file}:{line}',
  stepAt: '{step} — {link}',
  // Steps. {value}: what flows (the hop's source); {expr}: the expression the
  // compiler points at; {target}: where the hop goes.
  addressOf: '{value} has its address taken ({expr})',
  // `from s.mu (dot of pointer)` then `from s.mu (address-of)`: the address taken is of a field of *s, not of s.
  addressInsidePointee: 'a pointer into {value} is taken ({expr})',
  indirection: 'it is dereferenced ({expr})',
  dot: 'a field of it is used ({expr})',
  dotOfPointer: 'a field is reached through the pointer ({expr})',
  arrayIndex: 'an element of the array is used ({expr})',
  slice: 'it is sliced, and the slice points into it ({expr})',
  sliceToArray: 'a slice is converted to an array or array pointer ({expr})',
  interfaceConverted: 'it is converted to an interface value ({expr}): a pointer is stored in the interface as it is, any other value is copied into memory the interface points to',
  spill: '{expr} gets memory of its own, reached through a pointer',
  arrayLiteralElement: 'it becomes an element of an array literal ({expr})',
  sliceLiteralElement: 'it becomes an element of a slice literal ({expr})',
  variadicElement: 'it is put into the slice that holds the `...` arguments',
  structLiteralElement: 'it becomes a field of a struct literal ({expr})',
  mapLiteralKey: 'it becomes a key of a map literal ({expr})',
  mapLiteralValue: 'it becomes a value of a map literal ({expr})',
  mapKeyPut: 'it is used as a key when storing into a map ({expr})',
  send: 'it is sent on a channel ({expr})',
  assign: 'it is stored in {target} ({expr})',
  assignTypeAssertion: 'it is stored in {target} by a type assertion ({expr})',
  assignMapRead: 'it is stored in {target} by a map lookup ({expr})',
  assignReceive: 'it is stored in {target} by a channel receive ({expr})',
  return: 'it is returned ({expr})',
  callParameter: 'it is passed to a call ({expr})',
  calleeOperand: 'it is the function value being called ({expr})',
  appendee: 'it is the slice being appended to ({expr})',
  appended: 'its elements are appended to another slice ({expr})',
  copied: 'its elements are copied into another slice ({expr})',
  range: 'it is ranged over, and its elements go to the loop variable ({expr})',
  rangeDeref: 'it is ranged over through a pointer ({expr})',
  switchCase: 'it is bound to the variable of a type switch case ({expr})',
  capturedByClosure: '{value} is captured by a closure (used as {expr} inside it)',
  capturedByReference: 'the closure holds a reference to it, not a copy ({expr})',
  tooLarge: '{value} is too large for the stack ({expr})',
  tooAligned: '{value} needs more alignment than the stack provides ({expr})',
  zeroSized: '{value} has zero-sized elements, which the compiler always sends to the heap, although no memory is allocated for them ({expr})',
  nonConstantSize: '{value}’s size is only known at run time ({expr})',
  unsafePointer: 'it is converted to `unsafe.Pointer` ({expr})',
  uintptrEscapes: 'it is passed as a `uintptr` to a function marked `//go:uintptrescapes` ({expr})',
  reflectHeaderData: 'it is stored in the `Data` field of a reflect slice or string header ({expr})',
  // Conclusions, after the last step of a path.
  outlivesFunction: '→ {value} outlives {function}',
  outlivesCall: '→ {value} outlives the function call',
  toHeap: '→ so {value} has to live on the heap',
  pointeeToHeap: '→ so {value} itself stays where it is, but whatever it points to must already live on the heap: a caller’s local passed here (`&x`, `buf[:]`) is moved to the heap',
  contentToHeap: '→ so {value} and the memory it points to stay where they are, but the pointers stored there must point to the heap: a caller’s local stored in it (`&x`) is moved to the heap',
  pointeeToResult: '→ so whatever {value} points to lives as long as the result; {value} itself stays where it is',
  livesAsLongAs: '→ so {value} lives as long as {target}',
  // How the compiler's pseudo-locations read.
  heap: 'the heap',
  temporary: 'a compiler temporary',
  result: 'the result',
  variadicSlice: 'the slice of `...` arguments',
  closure: 'the closure',
  backingArray: 'the backing array of {expr}',
} as const;

type FlowTextKey = keyof typeof english;

const chinese: Record<FlowTextKey, string> = {
  heading: '**原因**——编译器给出的逃逸路径，逐步说明：',
  anotherPath: '**另一条路径：**',
  lineLink: '第 {line} 行',
  otherFileLink: '{file} 第 {line} 行',
  stepAt: '{step} —— {link}',
  addressOf: '{value} 被取地址（{expr}）',
  addressInsidePointee: '取得了指向 {value} 内部的指针（{expr}）',
  indirection: '它被解引用（{expr}）',
  dot: '使用了它的字段（{expr}）',
  dotOfPointer: '通过指针访问字段（{expr}）',
  arrayIndex: '使用了数组中的元素（{expr}）',
  slice: '它被切片，得到的切片指向它（{expr}）',
  sliceToArray: '切片被转换为数组或数组指针（{expr}）',
  interfaceConverted: '它被转换为接口值（{expr}）：指针类型直接存入接口，其他类型的值会被复制到接口所指向的内存中',
  spill: '{expr} 需要一块独立的内存，通过指针访问',
  arrayLiteralElement: '它成为数组字面量的元素（{expr}）',
  sliceLiteralElement: '它成为切片字面量的元素（{expr}）',
  variadicElement: '它被放入存放 `...` 可变参数的切片',
  structLiteralElement: '它成为结构体字面量的字段（{expr}）',
  mapLiteralKey: '它成为 map 字面量的键（{expr}）',
  mapLiteralValue: '它成为 map 字面量的值（{expr}）',
  mapKeyPut: '它作为键写入 map（{expr}）',
  send: '它被发送到通道（{expr}）',
  assign: '它被赋值给 {target}（{expr}）',
  assignTypeAssertion: '它通过类型断言赋值给 {target}（{expr}）',
  assignMapRead: '它通过读取 map 赋值给 {target}（{expr}）',
  assignReceive: '它通过从通道接收赋值给 {target}（{expr}）',
  return: '它被返回（{expr}）',
  callParameter: '它作为实参传入函数调用（{expr}）',
  calleeOperand: '它是被调用的函数值（{expr}）',
  appendee: '它是被 append 的目标切片（{expr}）',
  appended: '它的元素被 append 到另一个切片（{expr}）',
  copied: '它的元素被 copy 到另一个切片（{expr}）',
  range: '它被 range 遍历，元素赋给循环变量（{expr}）',
  rangeDeref: '它通过指针被 range 遍历（{expr}）',
  switchCase: '它绑定到类型 switch 分支的变量（{expr}）',
  capturedByClosure: '{value} 被闭包捕获（在闭包内以 {expr} 的形式使用）',
  capturedByReference: '闭包持有它的引用，而不是副本（{expr}）',
  tooLarge: '{value} 太大，放不进栈（{expr}）',
  tooAligned: '{value} 的对齐要求超出了栈所能提供的（{expr}）',
  zeroSized: '{value} 的元素大小为零，编译器总是把它交给堆分配，但实际上不占用内存（{expr}）',
  nonConstantSize: '{value} 的大小要到运行时才知道（{expr}）',
  unsafePointer: '它被转换为 `unsafe.Pointer`（{expr}）',
  uintptrEscapes: '它作为 `uintptr` 传给标记了 `//go:uintptrescapes` 的函数（{expr}）',
  reflectHeaderData: '它被存入 reflect 切片或字符串头的 `Data` 字段（{expr}）',
  outlivesFunction: '→ {value} 的生命周期超出了 {function}',
  outlivesCall: '→ {value} 的生命周期超出了这次函数调用',
  toHeap: '→ 因此 {value} 必须分配在堆上',
  pointeeToHeap: '→ 因此 {value} 本身留在原处，但它所指向的数据必须已经在堆上：调用方传入的局部变量（`&x`、`buf[:]`）会被移到堆上',
  contentToHeap: '→ 因此 {value} 和它指向的内存都留在原处，但其中保存的指针必须指向堆：调用方存进去的局部变量（`&x`）会被移到堆上',
  pointeeToResult: '→ 因此 {value} 所指向的数据与返回值活得一样久；{value} 本身留在原处',
  livesAsLongAs: '→ 因此 {value} 的生命周期与 {target} 相同',
  heap: '堆',
  temporary: '编译器生成的临时变量',
  result: '返回值',
  variadicSlice: '存放 `...` 可变参数的切片',
  closure: '闭包',
  backingArray: '{expr} 的底层数组',
};

/** Both languages, for the parity test: same keys, same placeholders. */
export const escapeFlowText: Record<Locale, Record<FlowTextKey, string>> = { en: english, 'zh-cn': chinese };

/** The reasons the compiler prints in parentheses after `from EXPR`. */
const reasonKeys: Readonly<Record<string, FlowTextKey>> = {
  'address-of': 'addressOf',
  indirection: 'indirection',
  dot: 'dot',
  'dot of pointer': 'dotOfPointer',
  'fixed-array-index-of': 'arrayIndex',
  slice: 'slice',
  'slice-to-array': 'sliceToArray',
  'interface-converted': 'interfaceConverted',
  spill: 'spill',
  'array literal element': 'arrayLiteralElement',
  'slice-literal-element': 'sliceLiteralElement',
  'struct literal element': 'structLiteralElement',
  'map literal key': 'mapLiteralKey',
  'map literal value': 'mapLiteralValue',
  'key of map put': 'mapKeyPut',
  send: 'send',
  assign: 'assign',
  'assign-pair': 'assign',
  'assign-pair-dot-type': 'assignTypeAssertion',
  'assign-pair-mapr': 'assignMapRead',
  'assign-pair-receive': 'assignReceive',
  return: 'return',
  'call parameter': 'callParameter',
  'callee operand': 'calleeOperand',
  'appendee slice': 'appendee',
  'appended slice...': 'appended',
  'copied slice': 'copied',
  range: 'range',
  'range-deref': 'rangeDeref',
  'switch case': 'switchCase',
  'captured by a closure': 'capturedByClosure',
  reference: 'capturedByReference',
  'too large for stack': 'tooLarge',
  'too aligned for stack': 'tooAligned',
  'zero-sized element': 'zeroSized',
  'non-constant size': 'nonConstantSize',
  'conversion to unsafe.Pointer': 'unsafePointer',
  '//go:uintptrescapes': 'uintptrEscapes',
  'reflect.Header.Data': 'reflectHeaderData',
};

/** The reasons this file translates (for tests and for whoever extends the list). */
export const knownFlowReasons: readonly string[] = Object.keys(reasonKeys);

export interface EscapeFlowOptions {
  /** The finding's own document; its steps link there. Without it they show the line unlinked. */
  documentUri?: string;
  /** The URI of another file a step lies in (e.g. GOROOT sources of inlined code). */
  uriOf: (file: string) => string;
  /** The function the finding is in, when the caller knows it: "`u` outlives `NewUser`". */
  functionName?: string;
}

interface Hop {
  kind: 'hop';
  destination: string;
  source: string;
  at: RelatedLocation;
}

interface Note {
  kind: 'note';
  expression: string;
  reason: string;
  at: RelatedLocation;
}

interface Unknown {
  kind: 'unknown';
  text: string;
  at: RelatedLocation;
}

type FlowLine = Hop | Note | Unknown;

interface FlowPath {
  hops: Hop[];
  lines: Array<Note | Unknown>;
  /** The hop each line belongs to (its index in `hops`), -1 before the first hop. */
  hopOf: number[];
}

function parseLine(at: RelatedLocation): FlowLine {
  const text = at.message.trim();
  const hop = /^flow: (.+?) ← (.*):$/.exec(text);
  if (hop) return { kind: 'hop', destination: hop[1], source: hop[2], at };
  // The reason never contains parentheses; the expression may (`f(x) (call parameter)`).
  const note = /^from (.+) \(([^()]+)\)$/.exec(text);
  if (note) return { kind: 'note', expression: note[1], reason: note[2], at };
  return { kind: 'unknown', text, at };
}

/** `&x`, `*x`, `**x` → `x`: the dereference count matters to the compiler, not to the reader. */
function withoutOperators(location: string): string {
  return location.replace(/^[&*]+/, '');
}

/**
 * Splits the lines into paths. Each explanation is a chain whose hops connect
 * (one hop's destination is the next one's source); a hop that does not
 * connect starts the next explanation.
 */
function splitPaths(lines: readonly FlowLine[]): FlowPath[] {
  const paths: FlowPath[] = [];
  let current: FlowPath | undefined;
  for (const line of lines) {
    if (line.kind === 'hop') {
      const previous = current?.hops[current.hops.length - 1];
      if (!current || (previous && previous.destination !== withoutOperators(line.source))) {
        current = { hops: [], lines: [], hopOf: [] };
        paths.push(current);
      }
      current.hops.push(line);
      continue;
    }
    if (!current) {
      current = { hops: [], lines: [], hopOf: [] };
      paths.push(current);
    }
    current.lines.push(line);
    current.hopOf.push(current.hops.length - 1);
  }
  return paths;
}

/** A Markdown code span that survives backticks inside the code. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const padding = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

class FlowWords {
  constructor(private readonly locale: Locale) {}

  text(key: FlowTextKey, values: Record<string, string | number> = {}, template = escapeFlowText[this.locale][key]): string {
    const text = formatMessage(template, values);
    // Chinese puts no space between Chinese words; the templates keep spaces
    // around placeholders for code spans, so drop those next to Chinese phrases.
    return this.locale === 'zh-cn' ? text.replace(/(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])/g, '') : text;
  }

  /** An expression as the compiler printed it, with its implicit ones in words. */
  expression(expression: string): string {
    if (expression === '... argument') return this.text('variadicSlice');
    if (expression === 'func literal') return this.text('closure');
    if (expression.startsWith('append(')) return this.text('backingArray', { expr: code(expression) });
    return code(expression);
  }

  /** A location of the escape graph (`u`, `~r0`, `{heap}`, `{storage for &T{...}}`). */
  location(location: string): string {
    const name = withoutOperators(location);
    if (name === '{heap}') return this.text('heap');
    if (name === '{temp}') return this.text('temporary');
    if (/^~[rb]\d+$/.test(name)) return this.text('result');
    const storage = /^\{storage for (.+)\}$/.exec(name);
    if (storage) return this.expression(storage[1]);
    return code(name);
  }
}

function capitalized(text: string, locale: Locale): string {
  return locale === 'en' ? text.replace(/^[a-z]/, (first) => first.toUpperCase()) : text;
}

/** The name inside a location: `&u` → `u`, `{storage for n}` → `n`. */
function locationName(location: string): string {
  const name = withoutOperators(location);
  return /^\{storage for (.+)\}$/.exec(name)?.[1] ?? name;
}

/** A parenthesized `{expr}` in a template, with the space before it: `(`x`)`, `（`x`）`, `(used as {expr} inside it)`. */
const expressionAside = /\s*[(（][^()（）]*\{expr\}[^()（）]*[)）]/;

/** A step's subject when the sentence starts with "it": the first step of a path names what flows. */
const leadingIt: Record<Locale, [RegExp, string]> = { en: [/^it\b/, '{value}'], 'zh-cn': [/^它/, '{value} '] };

/** An address taken right after a field was reached through the pointer: of memory *p points to (`&p.f`, `p.mu.Lock()`). */
function takesAddressInsidePointee(line: Note, previous: Note | Unknown | undefined): boolean {
  return line.reason === 'address-of' && previous?.kind === 'note' && previous.reason === 'dot of pointer' && line.expression.replace(/^&/, '') === previous.expression;
}

function stepText(line: Note | Unknown, hop: Hop | undefined, firstOfPath: boolean, words: FlowWords, locale: Locale, previous?: Note | Unknown): string {
  if (line.kind === 'unknown') return code(line.text);
  if (hop && takesAddressInsidePointee(line, previous)) {
    return words.text('addressInsidePointee', { value: code(`*${locationName(hop.source)}`), expr: words.expression(line.expression) });
  }
  const key: FlowTextKey | undefined =
    line.reason === 'slice-literal-element' && line.expression === '... argument' ? 'variadicElement' : reasonKeys[line.reason];
  if (!key) return code(line.at.message.trim());
  const value = hop ? words.location(hop.source) : code(line.expression);
  let template = escapeFlowText[locale][key];
  // `buf (too large for stack)` points at buf itself: "`buf` is too large (`buf`)" says nothing twice.
  if (hop && locationName(hop.source) === line.expression) template = template.replace(expressionAside, '');
  if (firstOfPath) template = template.replace(...leadingIt[locale]);
  return words.text(key, { value, expr: words.expression(line.expression), target: hop ? words.location(hop.destination) : words.text('result') }, template);
}

function lineLink(at: RelatedLocation, options: EscapeFlowOptions, words: FlowWords): string {
  const line = at.range.start.line + 1;
  if (at.file) return `[${words.text('otherFileLink', { file: path.basename(at.file), line })}](${options.uriOf(at.file)}#L${line})`;
  const label = words.text('lineLink', { line });
  return options.documentUri ? `[${label}](${options.documentUri}#L${line})` : label;
}

/**
 * What a leak says about a parameter (go1.26, -m=2): the parameter itself
 * stays in its register or stack slot; for `leaking param: p` what p points
 * to must be on the heap (a caller's `&x` moves x there), for `leaking param
 * content` only what the pointed-to memory points to (a caller's slice of
 * pointers stays on its stack, the pointees move), and for a leak to a
 * result what p points to lives as long as the result.
 */
const leakConclusions: Readonly<Record<string, FlowTextKey>> = {
  'escape/leaking-param': 'pointeeToHeap',
  'escape/leaking-param-content': 'contentToHeap',
  'escape/leaking-param-to-result': 'pointeeToResult',
};

function conclusion(flowPath: FlowPath, options: EscapeFlowOptions, words: FlowWords, leak: FlowTextKey | undefined): string | undefined {
  const first = flowPath.hops[0];
  const last = flowPath.hops[flowPath.hops.length - 1];
  if (!first || !last) return undefined;
  const value = words.location(first.source);
  if (leak) return words.text(leak, { value });
  const destination = withoutOperators(last.destination);
  if (destination === '{heap}') return words.text('toHeap', { value });
  if (/^~[rb]\d+$/.test(destination)) {
    return options.functionName
      ? words.text('outlivesFunction', { value, function: code(options.functionName) })
      : words.text('outlivesCall', { value });
  }
  return words.text('livesAsLongAs', { value, target: words.location(last.destination) });
}

/**
 * The finding's flow as Markdown, or undefined when it has none (not a
 * compiler finding, or a fact the compiler explains without a flow).
 */
export function escapeFlowMarkdown(finding: Finding, locale: Locale, options: EscapeFlowOptions): string | undefined {
  if (finding.source !== 'compiler' || finding.related.length === 0) return undefined;
  const words = new FlowWords(locale);
  const leak = leakConclusions[finding.rule];
  const paths = splitPaths(finding.related.map(parseLine)).filter((flowPath) => flowPath.lines.length > 0 || flowPath.hops.length > 0);
  if (paths.length === 0) return undefined;
  const parts = [words.text('heading')];
  paths.forEach((flowPath, pathIndex) => {
    if (pathIndex > 0) parts.push(words.text('anotherPath'));
    const steps = flowPath.lines.map((line, index) => {
      const hop = flowPath.hops[flowPath.hopOf[index]];
      const previous = index > 0 && flowPath.hopOf[index - 1] === flowPath.hopOf[index] ? flowPath.lines[index - 1] : undefined;
      const step = capitalized(stepText(line, hop, index === 0, words, locale, previous), locale);
      return `${index + 1}. ${words.text('stepAt', { step, link: lineLink(line.at, options, words) })}`;
    });
    if (steps.length > 0) parts.push(steps.join('\n'));
    const end = conclusion(flowPath, options, words, leak);
    if (end) parts.push(end);
  });
  return parts.join('\n\n');
}

/**
 * The step that makes the value outlive its place (the last step of the
 * compiler's first path that lies in the finding's file), in one line:
 * "it is returned (`return &p`) — line 12".
 * Undefined when the finding carries no flow.
 */
export function escapeFlowReason(finding: Finding, locale: Locale): string | undefined {
  if (finding.source !== 'compiler') return undefined;
  const words = new FlowWords(locale);
  const first = splitPaths(finding.related.map(parseLine)).find((flowPath) => flowPath.lines.length > 0);
  if (!first) return undefined;
  // The last step in the finding's own file: a step inside inlined library code says less about this change.
  const own = first.lines.map((line) => line.at.file === undefined).lastIndexOf(true);
  const index = own >= 0 ? own : first.lines.length - 1;
  const line = first.lines[index];
  const previous = index > 0 && first.hopOf[index - 1] === first.hopOf[index] ? first.lines[index - 1] : undefined;
  const step = stepText(line, first.hops[first.hopOf[index]], index === 0, words, locale, previous);
  const lineNumber = line.at.range.start.line + 1;
  const where = line.at.file ? words.text('otherFileLink', { file: path.basename(line.at.file), line: lineNumber }) : words.text('lineLink', { line: lineNumber });
  return words.text('stepAt', { step, link: where });
}
