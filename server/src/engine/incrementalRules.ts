// Runs the rules over a file, re-using the findings of top-level declarations
// whose text did not change since the last run on the same file. A keystroke
// changes one function; re-running thirty rules over a 4,000-line file for it
// costs hundreds of milliseconds, over the one function a few.
//
// Correctness rests on locality: a rule's findings inside a declaration depend
// only on that declaration and the file's package clause and imports (which
// are analyzed on every run). test/engine/incrementalRules.test.ts checks this
// per rule on real files; rules that look across declarations are listed in
// `fileWideRules` and always run over the whole file.
import type { Node, Tree } from 'web-tree-sitter';
import type { Locale, Rule } from '../rules/rule';
import { RuleContext } from '../rules/ruleContext';
import type { Finding, Position } from './finding';
import type { LineIndex } from './lineIndex';
import { scopedTree } from './scopedTree';
import { canMove, moveFindings, unitAt, type Unit } from './unitFindings';

export interface RuleRun {
  findings: Finding[];
  failures: { rule: string; error: Error }[];
}

export interface RuleRunInput {
  tree: Tree;
  text: string;
  lines: LineIndex;
  rules: readonly Rule[];
  locale: Locale;
  goVersion: string | undefined;
  filePath: string | undefined;
}

/**
 * Rules whose findings in one declaration depend on other declarations (found
 * by comparing per-declaration runs with whole-file runs on GOROOT and the
 * fixtures): `defer/recover-misuse` accepts `defer helper()` when `helper`
 * calls recover(); `defer/value-receiver` and `defer/call-chain` read the
 * receivers and results of methods and functions declared anywhere in the file;
 * `goroutine/range-never-closed`, `goroutine/unbuffered-send-leak` and
 * `goroutine/wait-before-close` follow calls into the file's other functions.
 */
export const fileWideRules: ReadonlySet<string> = new Set(['defer/recover-misuse', 'defer/value-receiver', 'defer/call-chain', 'goroutine/range-never-closed', 'goroutine/unbuffered-send-leak', 'goroutine/wait-before-close']);

/**
 * Declarations whose findings are kept between runs. Everything else at top
 * level (package clause, imports, parse errors; comments are left out) is small and is
 * analyzed on every run: other declarations' rules read the imports.
 */
const cacheable: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'var_declaration', 'const_declaration', 'type_declaration']);

interface CachedUnit {
  text: string;
  start: Position;
  end: Position;
  findings: Finding[];
  /** Whether the findings may move with the declaration (see canMove). */
  movable: boolean;
}

interface FileState {
  /** Everything besides the declarations' own text that findings depend on. */
  key: string;
  units: CachedUnit[];
}

/** Open documents are few; bounded so a long session (or the CLI) cannot grow it. */
const maxFiles = 32;
const states = new Map<string, FileState>();

/** Drops what is remembered about a file (or every file). */
export function forgetFile(filePath?: string): void {
  if (filePath === undefined) states.clear();
  else states.delete(filePath);
}

function remember(filePath: string, state: FileState): void {
  states.delete(filePath);
  states.set(filePath, state);
  while (states.size > maxFiles) {
    const oldest = states.keys().next().value;
    if (oldest === undefined) break;
    states.delete(oldest);
  }
}

interface FileUnits {
  /** Every top-level named node as a unit, in source order. */
  all: Unit[];
  always: Unit[];
  cacheable: Unit[];
}

function fileUnits(input: RuleRunInput): FileUnits {
  const all: Unit[] = [];
  const always: Unit[] = [];
  const cached: Unit[] = [];
  for (const node of input.tree.rootNode.namedChildren) {
    // Comments hold no findings, and a file has hundreds: scoping every rule's queries to each would cost more than it saves.
    if (!node || node.type === 'comment') continue;
    const unit: Unit = {
      node,
      text: input.text.slice(node.startIndex, node.endIndex),
      start: input.lines.positionAt(node.startIndex),
      end: input.lines.positionAt(node.endIndex),
    };
    all.push(unit);
    // Parse errors at top level are analyzed every time, like imports.
    (cacheable.has(node.type) ? cached : always).push(unit);
  }
  return { all, always, cacheable: cached };
}

function stateKey(input: RuleRunInput, units: FileUnits): string {
  return [input.locale, input.goVersion ?? '', input.filePath ?? '', input.rules.map((rule) => rule.id).join(','), ...units.always.map((unit) => unit.text)].join('\u0000');
}

function runOn(tree: Tree, input: RuleRunInput, rules: readonly Rule[], run: RuleRun): void {
  const context = new RuleContext(tree, input.text, input.lines, input.locale, input.goVersion, input.filePath);
  for (const rule of rules) {
    const error = context.run(rule);
    if (error) run.failures.push({ rule: rule.id, error });
  }
  run.findings.push(...context.findings);
}

/** The findings of `units` grouped per unit; undefined when one lies outside them all. */
function groupByUnit(findings: readonly Finding[], units: readonly Unit[]): Finding[][] | undefined {
  const groups = units.map((): Finding[] => []);
  for (const finding of findings) {
    const index = unitAt(units, finding.range.start);
    if (index < 0) return undefined;
    groups[index].push(finding);
  }
  return groups;
}

/** Stores the per-declaration findings of a run for the next one (or forgets the file when they cannot be attributed). */
function store(filePath: string, key: string, units: FileUnits, findings: readonly Finding[], reused: readonly CachedUnit[], computed: readonly Unit[]): void {
  const local = findings.filter((finding) => !fileWideRules.has(finding.rule));
  const sorted = [...units.always, ...computed].sort((a, b) => a.node.startIndex - b.node.startIndex);
  const groups = groupByUnit(local, sorted);
  if (!groups) {
    states.delete(filePath);
    return;
  }
  const cachedUnits: CachedUnit[] = [...reused];
  sorted.forEach((unit, index) => {
    if (!cacheable.has(unit.node.type)) return;
    cachedUnits.push({ text: unit.text, start: unit.start, end: unit.end, findings: groups[index], movable: canMove(groups[index], unit) });
  });
  remember(filePath, { key, units: cachedUnits });
}

function fullRun(input: RuleRunInput, units: FileUnits, key: string): RuleRun {
  const run: RuleRun = { findings: [], failures: [] };
  runOn(input.tree, input, input.rules, run);
  if (input.filePath === undefined) return run;
  // A rule that threw loses its findings for the whole file; nothing to re-use from that.
  if (run.failures.length > 0) states.delete(input.filePath);
  else store(input.filePath, key, units, run.findings, [], units.cacheable);
  return run;
}

/** Takes from `pool` the cached result for a declaration with the same text that can stand at `unit`'s place. */
function takeCached(pool: Map<string, CachedUnit[]>, unit: Unit): CachedUnit | undefined {
  const candidates = pool.get(unit.text);
  if (!candidates) return undefined;
  const fits = (cached: CachedUnit) => cached.start.character === unit.start.character && (cached.start.line === unit.start.line || cached.movable);
  const index = Math.max(
    candidates.findIndex((cached) => cached.start.line === unit.start.line && fits(cached)),
    candidates.findIndex(fits),
  );
  if (index < 0) return undefined;
  const [cached] = candidates.splice(index, 1);
  return cached;
}

/**
 * The rules' findings (unsorted, before the user's choices), computed only for
 * the declarations that changed since the last run on `input.filePath`.
 * With `incremental: false` (or no file path) everything is computed afresh
 * and nothing is remembered.
 */
export function runRules(input: RuleRunInput, incremental = true): RuleRun {
  if (!incremental || input.filePath === undefined) {
    const run: RuleRun = { findings: [], failures: [] };
    runOn(input.tree, input, input.rules, run);
    return run;
  }
  const units = fileUnits(input);
  const key = stateKey(input, units);
  const previous = states.get(input.filePath);
  if (!previous || previous.key !== key) return fullRun(input, units, key);

  const pool = new Map<string, CachedUnit[]>();
  for (const cached of previous.units) {
    const list = pool.get(cached.text);
    if (list) list.push(cached);
    else pool.set(cached.text, [cached]);
  }
  const reused: CachedUnit[] = [];
  const changed: Unit[] = [];
  for (const unit of units.cacheable) {
    const cached = takeCached(pool, unit);
    if (!cached) {
      changed.push(unit);
      continue;
    }
    const findings = moveFindings(cached.findings, unit.start.line - cached.start.line);
    // Keep the current text (not the old one) so the cache holds on to one version of the document.
    reused.push({ text: unit.text, start: unit.start, end: unit.end, findings, movable: cached.movable });
  }

  const scope: Node[] = [...units.always, ...changed].sort((a, b) => a.node.startIndex - b.node.startIndex).map((unit) => unit.node);
  const run: RuleRun = { findings: [], failures: [] };
  runOn(scopedTree(input.tree, scope), input, input.rules.filter((rule) => !fileWideRules.has(rule.id)), run);
  // Failures are per whole file in a full run; a partial run cannot reproduce that.
  if (run.failures.length > 0) return fullRun(input, units, key);
  store(input.filePath, key, units, run.findings, reused, changed);
  runOn(input.tree, input, input.rules.filter((rule) => fileWideRules.has(rule.id)), run);
  for (const cached of reused) run.findings.push(...cached.findings);
  return run;
}
