// Reads the compiler's `-json=0,DIR` optimization log (what gopls reads).
// Layout confirmed on go1.26 (cmd/compile/internal/logopt):
//
//   DIR/<url-escaped package path>/<url-escaped file base name>.json
//   line 1: {"version":0,"package":"example.com/a","goos":…,"gc_version":"go1.26.8","file":"/abs/a.go"}
//   then one LSP-like diagnostic per line: range (1-based line, 1-based UTF-8
//   byte column, despite the LSP field name `character`), severity 3, code
//   (escape, escapes, leak, canInlineFunction, cannotInlineFunction,
//   cannotInlineCall, isInBounds, isSliceInBounds, nilcheck, copy), message,
//   relatedInformation = the escape flow (`escflow:    flow: …`,
//   `escflow:      from … (why)`), each optionally followed by `inlineLoc`
//   entries giving the position inside inlined code.
//
// Traps: the file name is only the base name, and every file of a package that
// gets records (generic instantiations of sync/atomic's type.go included) is
// written with os.Create into the package's directory, so `type.go` of your
// package and sync/atomic's `type.go` overwrite each other; and all `package
// main` packages share the directory `main`. Only the header's `file` says
// whose records a JSON file holds. The log has no verdict text (`moved to
// heap: u` is logged as `u escapes to heap`) and nothing for "does not
// escape", so verdicts come from the text output and this log supplies the
// flows (with inlined positions), bounds checks and nil checks.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { headlineSubject, normalizeFlowHop } from './compilerMessages';
import { compareFacts, factKey, type EscapeFact, type FlowStep, type SourcePoint } from './escapeFacts';
import type { LocatedExplanation } from './explanations';

export interface JsonLogHeader {
  version: number;
  package: string;
  goos: string;
  goarch: string;
  gc_version: string;
  file: string;
}

interface JsonPosition {
  line: number;
  character: number;
}

interface JsonRelated {
  location: { uri: string; range: { start: JsonPosition; end: JsonPosition } };
  message: string;
}

export interface JsonLogRecord {
  range: { start: JsonPosition; end: JsonPosition };
  severity: number;
  code: string;
  source: string;
  message: string;
  relatedInformation?: JsonRelated[];
}

export interface ParsedJsonFile {
  header: JsonLogHeader;
  records: JsonLogRecord[];
  /** Lines that were not JSON objects of the expected shape. */
  badLines: number;
}

export interface ParsedJsonLog {
  /** Absolute source files whose records were read (from the headers). */
  files: Set<string>;
  facts: EscapeFact[];
  explanations: LocatedExplanation[];
  goVersion?: string;
  problems: string[];
}

const jsonOnlyFacts: Record<string, { kind: EscapeFact['kind']; message: string }> = {
  // Spelled as the same compiler prints them under -d=ssa/check_bce/debug=1 and -d=nil.
  isInBounds: { kind: 'bounds', message: 'Found IsInBounds' },
  isSliceInBounds: { kind: 'bounds', message: 'Found IsSliceInBounds' },
  nilcheck: { kind: 'nil', message: 'generated nil check' },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is JsonPosition {
  return isObject(value) && typeof value.line === 'number' && typeof value.character === 'number';
}

function isRange(value: unknown): value is { start: JsonPosition; end: JsonPosition } {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

function isRecord(value: unknown): value is JsonLogRecord {
  return isObject(value) && isRange(value.range) && typeof value.code === 'string';
}

function isRelated(value: unknown): value is JsonRelated {
  return isObject(value) && typeof value.message === 'string' && isObject(value.location) && typeof value.location.uri === 'string' && isRange(value.location.range);
}

function isHeader(value: unknown): value is JsonLogHeader {
  return isObject(value) && typeof value.file === 'string' && typeof value.version === 'number';
}

/** Parses one JSON log file; undefined when its first line is not a header. */
export function parseCompilerJsonFile(content: string): ParsedJsonFile | undefined {
  const lines = content.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    return undefined;
  }
  if (!isHeader(header)) return undefined;
  const records: JsonLogRecord[] = [];
  let badLines = 0;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      badLines++;
      continue;
    }
    if (isRecord(value)) {
      // Related entries of another shape are dropped one by one (fuzzing found null entries crashing the flow reader).
      // The parsed object is ours alone, so it is corrected in place rather than copied.
      const related: unknown = value.relatedInformation;
      value.relatedInformation = Array.isArray(related) ? (related.every(isRelated) ? related : related.filter(isRelated)) : undefined;
      if (typeof value.message !== 'string') value.message = '';
      records.push(value);
    } else {
      badLines++;
    }
  }
  return { header, records, badLines };
}

/**
 * The compiler builds these URIs by hand (`file` + the slash-converted path),
 * so a Windows path can come out as `file://C:/x/a.go`; accept every spelling.
 */
export function pathOfCompilerUri(uri: string): string {
  let rest = uri.startsWith('file://') ? uri.slice('file://'.length) : uri;
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // A stray `%` in a file name: keep the raw text rather than lose the step.
  }
  if (/^\/[A-Za-z]:[\\/]/.test(rest)) rest = rest.slice(1);
  if (/^[A-Za-z]:\//.test(rest)) rest = rest.replace(/\//g, '\\');
  return rest;
}

/** Header files are absolute, except for the test main's `_testmain.go` and `<autogenerated>`. */
function isRealFile(file: string): boolean {
  return path.posix.isAbsolute(file) || path.win32.isAbsolute(file);
}

function pointOf(file: string, position: JsonPosition): SourcePoint {
  return { file, line: position.line, column: position.character };
}

/** pathOfCompilerUri remembering each URI: a log names few files in thousands of flow steps. */
function cachedUriPaths(): (uri: string) => string {
  const paths = new Map<string, string>();
  return (uri) => {
    let file = paths.get(uri);
    if (file === undefined) {
      file = pathOfCompilerUri(uri);
      paths.set(uri, file);
    }
    return file;
  };
}

const flowPrefix = 'escflow:';

// A step the compiler has no position for (e.g. the hop into a method value's
// receiver) is logged at `file://__unnamed__` line 0; the text output prints it
// at the record's own position, and so does this parser.
const unnamedFile = '__unnamed__';

/** Splits relatedInformation into the record's own inlined positions and its flow steps. */
function flowOf(related: readonly JsonRelated[], pathOf: (uri: string) => string, own: SourcePoint): { inlinedFrom: SourcePoint[]; steps: FlowStep[] } {
  const inlinedFrom: SourcePoint[] = [];
  const steps: FlowStep[] = [];
  const relatedPoint = (entry: JsonRelated) => {
    const file = pathOf(entry.location.uri);
    return file === unnamedFile ? { ...own } : pointOf(file, entry.location.range.start);
  };
  for (const entry of related) {
    if (entry.message === 'inlineLoc') {
      const last = steps[steps.length - 1];
      if (last) (last.inlined ??= []).push(relatedPoint(entry));
      else inlinedFrom.push(relatedPoint(entry));
      continue;
    }
    // go1.22–1.24 write hops as "flow: a = b:"; one spelling (←) reaches the hover.
    const message = entry.message.startsWith(flowPrefix) ? entry.message.slice(flowPrefix.length) : entry.message;
    const text = normalizeFlowHop(message.trim());
    const kind: FlowStep['kind'] = text.startsWith('flow:') ? 'flow' : text.startsWith('from ') ? 'from' : 'note';
    steps.push({ kind, text, at: relatedPoint(entry) });
  }
  return { inlinedFrom, steps };
}

/**
 * Turns parsed JSON files, one after the other, into facts and explanations.
 * Reading a file's records as soon as it is parsed lets its records (most of
 * the log's memory) go before the next file is parsed.
 */
class JsonLogInterpreter {
  private readonly result: ParsedJsonLog = { files: new Set(), facts: [], explanations: [], problems: [] };
  private readonly seen = new Set<string>();
  private readonly pathOf = cachedUriPaths();

  add({ header, records, badLines }: ParsedJsonFile): void {
    const result = this.result;
    result.goVersion ??= header.gc_version;
    if (badLines > 0) result.problems.push(`${badLines} unreadable line(s) in the compiler's JSON log for ${header.file}`);
    if (!isRealFile(header.file)) return;
    result.files.add(header.file);
    for (const record of records) {
      const explains = record.code === 'escape' || record.code === 'escapes' || record.code === 'leak';
      const known = jsonOnlyFacts[record.code];
      // Inlining and copy records are not read: their flows would be thrown away.
      if (!explains && !known) continue;
      // The compiler also logs a bare `escape` record (empty message) per heap allocation; its explained twin carries the flow.
      const subject = explains ? headlineSubject(record.message) : undefined;
      if (explains && !subject) continue;
      const at = pointOf(header.file, record.range.start);
      const { inlinedFrom, steps } = flowOf(record.relatedInformation ?? [], this.pathOf, at);
      if (subject) {
        const entry: LocatedExplanation = { at, subject, explanation: { headline: record.message, steps, origin: 'json' } };
        if (inlinedFrom.length > 0) entry.inlinedFrom = inlinedFrom;
        result.explanations.push(entry);
        continue;
      }
      const fact: EscapeFact = { ...at, kind: known.kind, message: known.message, explanations: [], origin: 'json' };
      if (inlinedFrom.length > 0) fact.inlinedFrom = inlinedFrom;
      const key = factKey(fact);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      result.facts.push(fact);
    }
  }

  finish(): ParsedJsonLog {
    this.result.facts.sort(compareFacts);
    return this.result;
  }
}

/** Turns parsed JSON files into facts and explanations. Pure, for tests. */
export function interpretJsonFiles(parsed: readonly ParsedJsonFile[]): ParsedJsonLog {
  const interpreter = new JsonLogInterpreter();
  for (const file of parsed) interpreter.add(file);
  return interpreter.finish();
}

/**
 * Reads every `*.json` the compiler wrote under `dir` (one folder per package,
 * one file per source file). Synchronously: the files sit in our private temp
 * directory, just written; through the thread pool the reads of a large
 * package's dozens of files took tens of milliseconds on a busy machine.
 */
export function readCompilerJsonDir(dir: string): ParsedJsonLog {
  const interpreter = new JsonLogInterpreter();
  const problems: string[] = [];
  const headersSeen = new Map<string, string>();
  let packageDirs: string[];
  try {
    packageDirs = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    packageDirs = [];
  }
  const logs = packageDirs.sort().flatMap((packageDir) =>
    readdirSync(path.join(dir, packageDir))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => path.join(packageDir, name)),
  );
  const contents = logs.map((log) => readFileSync(path.join(dir, log), 'utf8'));
  logs.forEach((log, index) => {
    const file = parseCompilerJsonFile(contents[index]);
    contents[index] = '';
    if (!file) {
      problems.push(`unreadable compiler JSON log ${log}`);
      return;
    }
    const earlier = isRealFile(file.header.file) ? headersSeen.get(file.header.file) : undefined;
    if (earlier) problems.push(`compiler JSON logs ${earlier} and ${log} both describe ${file.header.file}`);
    headersSeen.set(file.header.file, log);
    interpreter.add(file);
  });
  const log = interpreter.finish();
  log.problems.unshift(...problems);
  return log;
}
