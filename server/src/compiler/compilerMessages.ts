// The vocabulary of the Go compiler's optimization messages (the text after
// `file:line:col: ` in `-m`, `-m=2` and `-d=defer` output), checked against
// cmd/compile/internal/{escape,inline,ssagen} of go1.26. Both parsers share it
// so a message means the same whichever output it came from.
//
// Older releases (recorded: go1.22–go1.24, test/fixtures/escape/recorded) spell
// the `-m=2` explanation differently: the headers lack the function
// (`p escapes to heap:`, `parameter xs leaks to ~r0 with derefs=0:`) and a
// flow hop is `flow: ~r0 = &p:` instead of `flow: ~r0 ← &p:`. Both are read
// here; hops are normalized to the `←` spelling (`normalizeFlowHop`).
import type { DeferAllocation, EscapeFactKind } from './escapeFacts';

export interface ClassifiedMessage {
  kind: EscapeFactKind;
  subject?: string;
  deferAllocation?: DeferAllocation;
  inlineCost?: number;
  result?: string;
  level?: number;
}

/** Header of a `-m=2` explanation block: `u escapes to heap in NewUser:` / `parameter p leaks to {heap} for F with derefs=0:`. */
export interface ExplanationHeader {
  subject: string;
  /** The headline as the JSON log spells it (without ` in F:` / ` for F`). */
  headline: string;
  /** Absent before go1.25, whose headers do not name the function. */
  functionName?: string;
}

// Each pattern comes with a plain-text test every line it matches passes
// (`-m=2` output of a large package is tens of thousands of lines, most of
// which would otherwise run the backtracking patterns one after another).
const verdictPatterns: Array<[(message: string) => boolean, RegExp, (match: RegExpExecArray) => ClassifiedMessage]> = [
  [(m) => m.startsWith('moved to heap: '), /^moved to heap: (.+)$/, (m) => ({ kind: 'moved-to-heap', subject: m[1] })],
  [(m) => m.startsWith('leaking param: '), /^leaking param: (.+) to result (\S+) level=(\d+)$/, (m) => ({
    kind: 'leaking-param-to-result', subject: m[1], result: m[2], level: Number(m[3]),
  })],
  [(m) => m.startsWith('leaking param content: '), /^leaking param content: (.+)$/, (m) => ({ kind: 'leaking-param-content', subject: m[1] })],
  [(m) => m.startsWith('leaking param: '), /^leaking param: (.+)$/, (m) => ({ kind: 'leaking-param', subject: m[1] })],
  [(m) => m === 'func literal escapes to heap', /^func literal escapes to heap$/, () => ({ kind: 'func-literal-escapes', subject: 'func literal' })],
  // `append escapes to heap` is the compiler's spelling for an escaping append.
  [(m) => m.endsWith(' escapes to heap'), /^(.+) escapes to heap$/, (m) => ({ kind: 'escapes-to-heap', subject: m[1] })],
  [(m) => m.includes(' does not escape'), /^(.+) does not escape(?:, mutate, or call)?$/, (m) => ({ kind: 'does-not-escape', subject: m[1] })],
  [(m) => m.includes(' capturing by ref: '), /^\S.* capturing by ref: (\S+) \(addr=\w+ assign=\w+ width=\d+\)$/, (m) => ({ kind: 'captured-by-reference', subject: m[1] })],
  [(m) => m.includes(' capturing by value: '), /^\S.* capturing by value: (\S+) \(addr=\w+ assign=\w+ width=\d+\)$/, (m) => ({ kind: 'captured-by-value', subject: m[1] })],
  [(m) => m.startsWith('can inline '), /^can inline (.+?) with cost (\d+) as: /, (m) => ({ kind: 'inline-can', subject: m[1], inlineCost: Number(m[2]) })],
  [(m) => m.startsWith('can inline '), /^can inline (.+)$/, (m) => ({ kind: 'inline-can', subject: m[1] })],
  [(m) => m.startsWith('cannot inline '), /^cannot inline (.+?): (.+)$/, (m) => ({ kind: 'inline-cannot', subject: m[1] })],
  [(m) => m.startsWith('inlining call to '), /^inlining call to (.+?)(?: with score -?\d+)?$/, (m) => ({ kind: 'inline-call', subject: m[1] })],
  [(m) => m.startsWith('devirtualizing '), /^devirtualizing (.+) to (.+)$/, (m) => ({ kind: 'devirtualized', subject: m[1] })],
  [(m) => m.endsWith(' defer'), /^open-coded defer$/, () => ({ kind: 'defer', deferAllocation: 'open-coded' })],
  [(m) => m.endsWith(' defer'), /^stack-allocated defer$/, () => ({ kind: 'defer', deferAllocation: 'stack' })],
  [(m) => m.endsWith(' defer'), /^heap-allocated defer$/, () => ({ kind: 'defer', deferAllocation: 'heap' })],
  [(m) => m.startsWith('Found Is'), /^Found Is(?:Slice)?InBounds$/, () => ({ kind: 'bounds' })],
  [(m) => m === 'generated nil check', /^generated nil check$/, () => ({ kind: 'nil' })],
];

/** The kind of a verdict message, or undefined for messages this engine does not model. */
export function classifyMessage(message: string): ClassifiedMessage | undefined {
  // `-m=2` explanation headers end in `:` and must not be read as verdicts.
  if (parseExplanationHeader(message)) return undefined;
  return classifyVerdict(message);
}

/** classifyMessage for a message already known not to be an explanation header. */
export function classifyVerdict(message: string): ClassifiedMessage | undefined {
  for (const [plausible, pattern, build] of verdictPatterns) {
    if (!plausible(message)) continue;
    const match = pattern.exec(message);
    if (match) return build(match);
  }
  return undefined;
}

export function parseExplanationHeader(message: string): ExplanationHeader | undefined {
  // Every header form ends in `:`; most lines do not.
  if (!message.endsWith(':')) return undefined;
  let match = /^(.+) escapes to heap in (.+):$/.exec(message);
  if (match) return { subject: match[1], headline: `${match[1]} escapes to heap`, functionName: match[2] };
  // go1.24 and older: no ` in F`.
  match = /^(.+) escapes to heap:$/.exec(message);
  if (match) return { subject: match[1], headline: `${match[1]} escapes to heap` };
  // ` for F` is absent before go1.25. The target is `{heap}`, `{storage for x}` (which has its own ` for `) or a name.
  match = /^parameter (.+?) leaks to (\{.*?\}|\S+)(?: for (.+))? with derefs=(-?\d+):$/.exec(message);
  if (match) {
    const header: ExplanationHeader = {
      subject: match[1],
      headline: `parameter ${match[1]} leaks to ${match[2]} with derefs=${match[4]}`,
    };
    if (match[3] !== undefined) header.functionName = match[3];
    return header;
  }
  return undefined;
}

/**
 * `flow: dst = src:` (go1.24 and older) → `flow: dst ← src:` (go1.25+), so
 * readers of the flow see one spelling. The split is at the first ` = `
 * outside braces and string literals (`{storage for "a = b"}` is one
 * location); anything else is returned unchanged.
 */
export function normalizeFlowHop(text: string): string {
  if (!text.startsWith('flow: ')) return text;
  const hop = /^flow: (.*):$/.exec(text);
  if (!hop || hop[1].includes(' ← ')) return text;
  const body = hop[1];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === '`' || char === "'") {
      quote = char;
    } else if (char === '{' || char === '(' || char === '[') {
      depth++;
    } else if (char === '}' || char === ')' || char === ']') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0 && body.startsWith(' = ', i)) {
      return `flow: ${body.slice(0, i)} ← ${body.slice(i + 3)}:`;
    }
  }
  return text;
}

/** The subject of a JSON log headline (`x escapes to heap`, `parameter p leaks to … with derefs=N`). */
export function headlineSubject(headline: string): string | undefined {
  const escapes = /^(.+) escapes to heap$/.exec(headline);
  if (escapes) return escapes[1];
  const leaks = /^parameter (.+?) leaks to .+ with derefs=-?\d+$/.exec(headline);
  return leaks?.[1];
}

/**
 * Generic code is compiled once per GC shape, so the compiler names
 * instantiations `G[go.shape.int]` or `Pointer[go.shape.struct { main.n int }]`
 * (older releases add `_0` suffixes). People wrote `G[int]`: drop the prefix.
 */
export function readableShapes(text: string): string {
  if (!text.includes('go.shape.')) return text;
  return text.replace(/go\.shape\.([*\w.]+?)_\d+\b/g, '$1').replace(/go\.shape\./g, '');
}
