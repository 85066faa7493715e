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
import { promises as fs } from 'node:fs';
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
  for (const line of lines.slice(1)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      badLines++;
      continue;
    }
    if (isRecord(value)) {
      // Related entries of another shape are dropped one by one (fuzzing found null entries crashing the flow reader).
      const related = Array.isArray(value.relatedInformation) ? value.relatedInformation.filter(isRelated) : undefined;
      records.push({ ...value, message: typeof value.message === 'string' ? value.message : '', relatedInformation: related });
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

function relatedPoint(related: JsonRelated): SourcePoint {
  return pointOf(pathOfCompilerUri(related.location.uri), related.location.range.start);
}

/** Splits relatedInformation into the record's own inlined positions and its flow steps. */
function flowOf(related: readonly JsonRelated[]): { inlinedFrom: SourcePoint[]; steps: FlowStep[] } {
  const inlinedFrom: SourcePoint[] = [];
  const steps: FlowStep[] = [];
  for (const entry of related) {
    if (entry.message === 'inlineLoc') {
      const last = steps[steps.length - 1];
      if (last) (last.inlined ??= []).push(relatedPoint(entry));
      else inlinedFrom.push(relatedPoint(entry));
      continue;
    }
    // go1.22–1.24 write hops as "flow: a = b:"; one spelling (←) reaches the hover.
    const text = normalizeFlowHop(entry.message.replace(/^escflow:/, '').trim());
    const kind: FlowStep['kind'] = text.startsWith('flow:') ? 'flow' : text.startsWith('from ') ? 'from' : 'note';
    steps.push({ kind, text, at: relatedPoint(entry) });
  }
  return { inlinedFrom, steps };
}

/** Turns parsed JSON files into facts and explanations. Pure, for tests. */
export function interpretJsonFiles(parsed: readonly ParsedJsonFile[]): ParsedJsonLog {
  const result: ParsedJsonLog = { files: new Set(), facts: [], explanations: [], problems: [] };
  const seen = new Set<string>();
  for (const { header, records, badLines } of parsed) {
    result.goVersion ??= header.gc_version;
    if (badLines > 0) result.problems.push(`${badLines} unreadable line(s) in the compiler's JSON log for ${header.file}`);
    if (!isRealFile(header.file)) continue;
    result.files.add(header.file);
    for (const record of records) {
      const at = pointOf(header.file, record.range.start);
      const { inlinedFrom, steps } = flowOf(record.relatedInformation ?? []);
      if (record.code === 'escape' || record.code === 'escapes' || record.code === 'leak') {
        const subject = headlineSubject(record.message);
        // The compiler also logs a bare `escape` record (empty message) per heap allocation; its explained twin carries the flow.
        if (!subject) continue;
        const entry: LocatedExplanation = { at, subject, explanation: { headline: record.message, steps, origin: 'json' } };
        if (inlinedFrom.length > 0) entry.inlinedFrom = inlinedFrom;
        result.explanations.push(entry);
        continue;
      }
      const known = jsonOnlyFacts[record.code];
      if (!known) continue;
      const fact: EscapeFact = { ...at, kind: known.kind, message: known.message, explanations: [], origin: 'json' };
      if (inlinedFrom.length > 0) fact.inlinedFrom = inlinedFrom;
      const key = factKey(fact);
      if (seen.has(key)) continue;
      seen.add(key);
      result.facts.push(fact);
    }
  }
  result.facts.sort(compareFacts);
  return result;
}

/** Reads every `*.json` under the log directory (one level of package directories). */
export async function readCompilerJsonDir(dir: string): Promise<ParsedJsonLog> {
  const parsed: ParsedJsonFile[] = [];
  const problems: string[] = [];
  const headersSeen = new Map<string, string>();
  let packageDirs: string[];
  try {
    packageDirs = (await fs.readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    packageDirs = [];
  }
  for (const packageDir of packageDirs.sort()) {
    const names = (await fs.readdir(path.join(dir, packageDir))).filter((name) => name.endsWith('.json')).sort();
    for (const name of names) {
      const jsonPath = path.join(dir, packageDir, name);
      const file = parseCompilerJsonFile(await fs.readFile(jsonPath, 'utf8'));
      if (!file) {
        problems.push(`unreadable compiler JSON log ${path.join(packageDir, name)}`);
        continue;
      }
      const earlier = isRealFile(file.header.file) ? headersSeen.get(file.header.file) : undefined;
      if (earlier) problems.push(`compiler JSON logs ${earlier} and ${path.join(packageDir, name)} both describe ${file.header.file}`);
      headersSeen.set(file.header.file, path.join(packageDir, name));
      parsed.push(file);
    }
  }
  const log = interpretJsonFiles(parsed);
  log.problems.unshift(...problems);
  return log;
}
