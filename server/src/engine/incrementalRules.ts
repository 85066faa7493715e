// Runs the rules over a file, re-using the findings of top-level declarations
// whose text did not change since the last run on the same file. A keystroke
// changes one function; re-running thirty rules over a 4,000-line file for it
// costs hundreds of milliseconds, over the one function a few.
//
// Correctness rests on locality: a rule's findings inside a declaration depend
// only on that declaration and the file's package clause and imports (a change
// there re-runs everything). test/engine/incrementalRules.test.ts checks this
// per rule on real files. Rules that look across declarations say so with
// `crossDeclarationReads` (see `fileWideRules` for the weaker contract they keep).
import type { Tree } from 'web-tree-sitter';
import { allRules } from '../rules/allRules';
import type { CrossDeclarationReads, Locale, Rule } from '../rules/rule';
import { RuleContext } from '../rules/ruleContext';
import { FileDeclarations, type TopLevelNode } from '../syntax/fileDeclarations';
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
  /** The file's declarations (see declarationsFor). */
  declarations: FileDeclarations;
  lines: LineIndex;
  rules: readonly Rule[];
  locale: Locale;
  goVersion: string | undefined;
  filePath: string | undefined;
}

/**
 * Rules whose findings in one declaration depend on other declarations (found
 * by comparing per-declaration runs with whole-file runs on GOROOT and the
 * fixtures): those with `crossDeclarationReads`, which says what each reads.
 * `defer/recover-misuse` accepts `defer helper()` when the function `helper`
 * calls recover(); `defer/value-receiver` reads the receivers of the file's
 * methods and `defer/call-chain` which functions and methods return a
 * function; `goroutine/range-never-closed`, `goroutine/unbuffered-send-leak`
 * and `goroutine/wait-before-close` follow calls into the file's functions.
 *
 * Their contract, which makes them incremental too: a finding lies in the
 * declaration whose analysis produced it, and depends on another declaration
 * only through a name the first one mentions (a callee, a method, a helper),
 * and only on that declaration's own text, or on its signature when the rule
 * gives one (one level: no rule follows a callee into its callees). So after
 * an edit each re-runs on the changed declarations and on those that mention
 * a name it follows (see followedNames): typing in the body of a method
 * `Close` re-checks no other declaration for `defer/value-receiver` (its
 * receiver did not change) nor for `defer/recover-misuse` (which reads only
 * functions). test/engine/incrementalRules.test.ts checks the contract on the
 * fixtures.
 */
export const fileWideRules: ReadonlySet<string> = new Set(allRules.filter((rule) => rule.crossDeclarationReads).map((rule) => rule.id));

/**
 * The names, declared by the declarations that changed or went away, that the
 * rules reading `reads` follow. A function or method of a kind they do not
 * read does not count; one whose signature (what they read of it) is the same
 * before and after does not either. Types, variables and constants always do.
 */
function followedNames(reads: CrossDeclarationReads, changes: readonly DeclarationChange[], declarations: FileDeclarations): Set<string> {
  const byDeclared = new Map<string, { names: string[]; before: string[]; after: string[] }>();
  for (const change of changes) {
    const isCallable = change.type === 'function_declaration' || change.type === 'method_declaration';
    if (isCallable && !reads.kinds.has(change.type)) continue;
    const key = `${change.type}\u0000${change.names.join(',')}`;
    const entry = byDeclared.get(key) ?? { names: change.names, before: [], after: [] };
    byDeclared.set(key, entry);
    // Without a signature (or for non-callables), any change counts: two sides that can never match.
    const signature = isCallable ? reads.signature : undefined;
    if (change.removed) entry.before.push(signature ? (change.removed.signatures.get(reads) ?? '\u0000unknown') : '\u0000before');
    else if (change.declaration) entry.after.push(signature ? signature(declarations, change.declaration) : '\u0000after');
  }
  const names = new Set<string>();
  for (const { names: declared, before, after } of byDeclared.values()) {
    if (before.sort().join('\u0001') !== after.sort().join('\u0001')) for (const name of declared) names.add(name);
  }
  names.delete('_');
  return names;
}

/**
 * Declarations whose findings are kept between runs. Everything else at top
 * level (package clause, imports, parse errors; comments are left out) is small and is
 * analyzed on every run.
 */
const cacheable: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'var_declaration', 'const_declaration', 'type_declaration']);

/** Top-level nodes every declaration's findings may depend on: a change to one re-runs everything. */
const fileContext: ReadonlySet<string> = new Set(['package_clause', 'import_declaration']);

interface CachedUnit {
  text: string;
  start: Position;
  end: Position;
  /** Findings of the rules that read only this declaration. */
  findings: Finding[];
  /** Whether the findings may move with the declaration (see canMove). */
  movable: boolean;
  /**
   * Findings of the file-wide rules produced by this declaration's analysis.
   * Those that cannot move (see canMove) point into another declaration, which
   * moving would leave them stale: their rules re-run here on every run.
   */
  wideFindings: Finding[];
  /** The package-level names the declaration declares. */
  declares: string[];
  /** The declaration's node type. */
  type: string;
  /** What the file-wide rules read of it, per CrossDeclarationReads with a signature (see followedNames). */
  signatures: Map<CrossDeclarationReads, string>;
}

/** A declaration that changed (its new version) or went away (its last cached version). */
interface DeclarationChange {
  type: string;
  names: string[];
  declaration?: TopLevelNode;
  removed?: CachedUnit;
}

interface FileState {
  /** Everything besides the declarations' own text that findings depend on. */
  key: string;
  units: CachedUnit[];
  /** Facts about the declarations, handed to the next analysis of the file (see FileDeclarations). */
  declarations: FileDeclarations;
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

interface DeclarationUnit extends Unit {
  declaration: TopLevelNode;
}

interface FileUnits {
  /** Top-level nodes analyzed on every run (package clause, imports, statements and errors the parser left at top level). */
  always: DeclarationUnit[];
  cacheable: DeclarationUnit[];
}

// Comments are no units: they hold no findings, and a file has hundreds, so
// scoping every rule's queries to each would cost more than it saves.
function fileUnits(input: RuleRunInput, declarations: FileDeclarations): FileUnits {
  const always: DeclarationUnit[] = [];
  const cached: DeclarationUnit[] = [];
  for (const declaration of declarations.all) {
    const { node, text } = declaration;
    const unit = { node, text, declaration, start: input.lines.positionAt(node.startIndex), end: input.lines.positionAt(node.endIndex) };
    // Parse errors at top level are analyzed every time, like imports.
    (cacheable.has(declaration.type) ? cached : always).push(unit);
  }
  return { always, cacheable: cached };
}

function stateKey(input: RuleRunInput, units: FileUnits): string {
  const context = units.always.filter((unit) => fileContext.has(unit.declaration.type)).map((unit) => unit.text);
  return [input.locale, input.goVersion ?? '', input.filePath ?? '', input.rules.map((rule) => rule.id).join(','), ...context].join('\u0000');
}

/** The names a top-level declaration declares (a superset is fine: it only re-runs more). */
function declaredNames(declarations: FileDeclarations, declaration: TopLevelNode): string[] {
  const name = declarations.nameOf(declaration);
  if (name !== undefined) return [name];
  return declarations.fact(declaration, 'declares', (node) => {
    const names: string[] = [];
    for (const spec of node.descendantsOfType(['type_spec', 'type_alias', 'var_spec', 'const_spec'])) {
      for (const identifier of spec?.childrenForFieldName('name') ?? []) if (identifier) names.push(identifier.text);
    }
    return names;
  });
}

function runOn(tree: Tree, input: RuleRunInput, rules: readonly Rule[], run: RuleRun): void {
  const context = new RuleContext(tree, input.text, input.lines, input.locale, input.goVersion, input.filePath, input.tree, input.declarations);
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

function inSourceOrder<T extends Unit>(units: readonly T[]): T[] {
  return [...units].sort((a, b) => a.node.startIndex - b.node.startIndex);
}

function isWide(finding: Finding): boolean {
  return fileWideRules.has(finding.rule);
}

function computedUnit(declarations: FileDeclarations, unit: DeclarationUnit, findings: Finding[], wideFindings: Finding[], rules: readonly Rule[]): CachedUnit {
  const signatures = new Map<CrossDeclarationReads, string>();
  for (const rule of rules) {
    const reads = rule.crossDeclarationReads;
    if (reads?.signature && reads.kinds.has(unit.declaration.type) && !signatures.has(reads)) signatures.set(reads, reads.signature(declarations, unit.declaration));
  }
  return {
    text: unit.text,
    start: unit.start,
    end: unit.end,
    findings,
    movable: canMove(findings, unit),
    wideFindings,
    declares: declaredNames(declarations, unit.declaration),
    type: unit.declaration.type,
    signatures,
  };
}

function fullRun(input: RuleRunInput, units: FileUnits, key: string): RuleRun {
  const { declarations } = input;
  const run: RuleRun = { findings: [], failures: [] };
  runOn(input.tree, input, input.rules, run);
  if (input.filePath === undefined) return run;
  const all = inSourceOrder([...units.always, ...units.cacheable]);
  const local = groupByUnit(run.findings.filter((finding) => !isWide(finding)), all);
  const wide = groupByUnit(run.findings.filter(isWide), all);
  // A rule that threw loses its findings for the whole file; nothing to re-use from that.
  if (run.failures.length > 0 || !local || !wide) {
    states.delete(input.filePath);
    return run;
  }
  const cachedUnits: CachedUnit[] = [];
  all.forEach((unit, index) => {
    if (cacheable.has(unit.declaration.type)) cachedUnits.push(computedUnit(declarations, unit, local[index], wide[index], input.rules));
  });
  remember(input.filePath, { key, units: cachedUnits, declarations });
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

/** The file's top-level declarations, with the facts of an earlier analysis of the same file carried over when `incremental`. */
export function declarationsFor(tree: Tree, text: string, filePath: string | undefined, incremental: boolean): FileDeclarations {
  // The file rules and the package model ask for the same tree one after the other: one store serves both.
  const known = storesByTree.get(tree);
  if (known) return known;
  const previous = incremental && filePath !== undefined ? states.get(filePath)?.declarations : undefined;
  const declarations = new FileDeclarations(tree.rootNode, text, previous);
  storesByTree.set(tree, declarations);
  return declarations;
}

const storesByTree = new WeakMap<Tree, FileDeclarations>();

/**
 * The rules' findings (unsorted, before the user's choices), computed only for
 * the declarations that changed since the last run on `input.filePath` (and,
 * for the file-wide rules, those that mention what changed).
 * With `incremental: false` (or no file path) everything is computed afresh
 * and nothing is remembered.
 */
export function runRules(input: RuleRunInput, incremental = true): RuleRun {
  if (!incremental || input.filePath === undefined) {
    const run: RuleRun = { findings: [], failures: [] };
    runOn(input.tree, input, input.rules, run);
    return run;
  }
  const previous = states.get(input.filePath);
  const { declarations } = input;
  const units = fileUnits(input, declarations);
  const key = stateKey(input, units);
  if (!previous || previous.key !== key) return fullRun(input, units, key);

  const pool = new Map<string, CachedUnit[]>();
  for (const cached of previous.units) {
    const list = pool.get(cached.text);
    if (list) list.push(cached);
    else pool.set(cached.text, [cached]);
  }
  const kept: { unit: DeclarationUnit; cached: CachedUnit }[] = [];
  const changed: DeclarationUnit[] = [];
  for (const unit of units.cacheable) {
    const cached = takeCached(pool, unit);
    if (cached) kept.push({ unit, cached });
    else changed.push(unit);
  }
  // What the file-wide rules may have read from the declarations that changed or went away.
  const changes: DeclarationChange[] = [
    ...changed.map((unit) => ({ type: unit.declaration.type, names: declaredNames(declarations, unit.declaration), declaration: unit.declaration })),
    ...[...pool.values()].flat().map((cached) => ({ type: cached.type, names: cached.declares, removed: cached })),
  ];
  const mentionsAny = (unit: DeclarationUnit, names: ReadonlySet<string>) => {
    if (names.size === 0) return false;
    const identifiers = declarations.identifiers(unit.declaration);
    for (const name of names) if (identifiers.has(name)) return true;
    return false;
  };

  const localScope = inSourceOrder([...units.always, ...changed]);
  const run: RuleRun = { findings: [], failures: [] };
  runOn(scopedTree(input.tree, localScope.map((unit) => unit.node)), input, input.rules.filter((rule) => !fileWideRules.has(rule.id)), run);
  const local = groupByUnit(run.findings, localScope);
  if (run.failures.length > 0 || !local) return fullRun(input, units, key);
  const localOf = new Map<Unit, Finding[]>(localScope.map((unit, index) => [unit, local[index]]));

  // Each file-wide rule re-runs on the changed declarations and on the kept ones that mention a name it follows
  // (or where its findings cannot move); rules with the same declarations to re-check run together.
  const groups = new Map<string, { again: DeclarationUnit[]; rules: Set<string> }>();
  for (const rule of input.rules) {
    const reads = rule.crossDeclarationReads;
    if (!reads) continue;
    const names = followedNames(reads, changes, declarations);
    const again = kept
      .filter(({ unit, cached }) => !canMove(cached.wideFindings.filter((finding) => finding.rule === rule.id), cached) || mentionsAny(unit, names))
      .map(({ unit }) => unit);
    const scopeKey = again.map((unit) => unit.node.startIndex).join(',');
    const group = groups.get(scopeKey) ?? { again, rules: new Set<string>() };
    group.rules.add(rule.id);
    groups.set(scopeKey, group);
  }
  const wideOf = new Map<Unit, Finding[]>();
  const rerunWide = new Map<Unit, Set<string>>();
  for (const { again, rules } of groups.values()) {
    const scope = inSourceOrder([...units.always, ...changed, ...again]);
    const groupRun: RuleRun = { findings: [], failures: [] };
    runOn(scopedTree(input.tree, scope.map((unit) => unit.node)), input, input.rules.filter((rule) => rules.has(rule.id)), groupRun);
    const grouped = groupByUnit(groupRun.findings, scope);
    // Failures are per whole file in a full run, which a partial run cannot reproduce; a finding outside
    // the declarations analyzed would break the contract above. Both fall back to a full run.
    if (groupRun.failures.length > 0 || !grouped) return fullRun(input, units, key);
    scope.forEach((unit, index) => {
      wideOf.set(unit, [...(wideOf.get(unit) ?? []), ...grouped[index]]);
      rerunWide.set(unit, new Set([...(rerunWide.get(unit) ?? []), ...rules]));
    });
  }

  const next: CachedUnit[] = changed.map((unit) => computedUnit(declarations, unit, localOf.get(unit) ?? [], wideOf.get(unit) ?? [], input.rules));
  for (const { unit, cached } of kept) {
    const lines = unit.start.line - cached.start.line;
    const findings = moveFindings(cached.findings, lines);
    const rerun = rerunWide.get(unit);
    // The groups that re-ran here replace their findings; the others' move with the declaration.
    const wideFindings = [...(wideOf.get(unit) ?? []), ...moveFindings(rerun ? cached.wideFindings.filter((finding) => !rerun.has(finding.rule)) : cached.wideFindings, lines)];
    run.findings.push(...findings, ...wideFindings);
    // Keep the current text (not the old one) so the cache holds on to one version of the document.
    next.push({ ...cached, text: unit.text, start: unit.start, end: unit.end, findings, wideFindings });
  }
  for (const unit of localScope) run.findings.push(...(wideOf.get(unit) ?? []));
  remember(input.filePath, { key, units: next, declarations });
  return run;
}
