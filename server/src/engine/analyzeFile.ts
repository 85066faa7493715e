// Runs the syntactic rules over one parsed Go file and applies the user's
// choices: rules turned off, severities overridden, `goinsight:ignore`
// comments. Shared by the language server and the CLI.
import type { Tree } from 'web-tree-sitter';
import { allRules } from '../rules/allRules';
import type { Locale, Rule } from '../rules/rule';
import { compareFindings, type Category, type Finding, type Severity } from './finding';
import { LineIndex } from './lineIndex';
import { isGeneratedGoFile } from './generatedFile';
import { isInsideError } from '../syntax/functions';
import { declarationsFor, runRules } from './incrementalRules';
import type { FileDeclarations } from '../syntax/fileDeclarations';
import { unmarkFindings } from './lineReferences';
import { maxBracketDepth } from './nestingDepth';
import { isSuppressed } from './suppression';

export type RuleSetting = Severity | 'off';

export interface AnalysisOptions {
  locale: Locale;
  /** The `go` directive of the module the file belongs to. */
  goVersion?: string;
  filePath?: string;
  /** Per-rule overrides by id: a severity, or 'off'. */
  ruleSettings?: Readonly<Record<string, RuleSetting>>;
  /** When given, only these rules run (the CLI's --rules). */
  onlyRules?: ReadonlySet<string>;
  /** Categories the user turned off. */
  disabledCategories?: ReadonlySet<Category>;
  /** Analyze files marked `// Code generated … DO NOT EDIT.` (off by default: nobody edits them by hand). */
  includeGenerated?: boolean;
  /**
   * Re-use the findings of declarations unchanged since the last analysis of
   * the same `filePath` (default true; the results are the same either way).
   */
  incremental?: boolean;
  /** The text's line index, when the caller keeps one (see DocumentTree.lines). */
  lines?: LineIndex;
}

export interface RuleFailure {
  rule: string;
  error: Error;
}

export interface FileAnalysis {
  findings: Finding[];
  lines: LineIndex;
  /** Rules that threw on this file; their findings are dropped, the others kept. */
  failures: RuleFailure[];
  /**
   * Set when the syntactic rules were skipped because brackets nest deeper
   * than `maxNestingDepth` (their cost grows steeply with depth); callers tell
   * the user, as for files above the size limit.
   */
  tooDeeplyNested?: { depth: number; limit: number };
}

/**
 * Bracket nesting above which the syntactic rules do not run. GOROOT (go1.26,
 * generated files included) never nests deeper than 15; at 100 the slowest
 * rule shapes still finish well under a second.
 */
export const maxNestingDepth = 100;

function isEnabled(rule: Rule, options: AnalysisOptions): boolean {
  if (options.onlyRules && !options.onlyRules.has(rule.id)) return false;
  if (options.disabledCategories?.has(rule.category)) return false;
  return options.ruleSettings?.[rule.id] !== 'off';
}

export function analyzeTree(tree: Tree, text: string, options: AnalysisOptions): FileAnalysis {
  const lines = options.lines ?? new LineIndex(text);
  if (!options.includeGenerated && isGeneratedGoFile(text)) return { findings: [], lines, failures: [] };
  const incremental = options.incremental !== false;
  const declarations = declarationsFor(tree, text, options.filePath, incremental);
  const depth = deepestNesting(declarations);
  if (depth > maxNestingDepth) return { findings: [], lines, failures: [], tooDeeplyNested: { depth, limit: maxNestingDepth } };
  const rules = allRules.filter((rule) => isEnabled(rule, options));
  const { findings, failures } = runRules({ tree, text, declarations, lines, rules, locale: options.locale, goVersion: options.goVersion, filePath: options.filePath }, incremental);
  // One read of hasError (a call into wasm on a new root object each time), not one per finding.
  const outsideErrors = tree.rootNode.hasError ? findings.filter((finding) => !inParseError(finding, tree, lines)) : findings;
  return { findings: applyUserChoices(unmarkFindings(outsideErrors), lines, options), lines, failures };
}

/**
 * The deepest bracket nesting of the file's top-level nodes (each one's
 * brackets balance unless it is a parse error, which is a node of its own),
 * scanned once per declaration text: on a keystroke only the changed one.
 */
function deepestNesting(declarations: FileDeclarations): number {
  let deepest = 0;
  for (const declaration of declarations.all) {
    deepest = Math.max(deepest, declarations.fact(declaration, 'bracketDepth', () => maxBracketDepth(declaration.text, maxNestingDepth)));
    if (deepest > maxNestingDepth) break;
  }
  return deepest;
}

/**
 * Whether the smallest node around the finding's range sits inside an ERROR
 * (or MISSING) node. Tree-sitter wraps code it cannot place in ERROR nodes
 * (e.g. statements left at top level when a `func` line is deleted), and
 * what is inside reads differently once the user finishes typing: findings
 * there would be invented. One check here instead of one per rule (fuzzing
 * found rules reporting inside such wrappers).
 */
function inParseError(finding: Finding, tree: Tree, lines: LineIndex): boolean {
  const start = lines.offsetAt(finding.range.start);
  const end = lines.offsetAt(finding.range.end);
  const node = tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
  return node !== null && isInsideError(node);
}

/**
 * The user's choices applied to findings from any source (rules or the
 * compiler): rules and categories turned off, severities overridden,
 * `goinsight:ignore` comments; the result is sorted by position.
 */
export function applyUserChoices(findings: readonly Finding[], lines: LineIndex, options: Omit<AnalysisOptions, 'locale'>): Finding[] {
  return findings
    .filter((finding) => options.ruleSettings?.[finding.rule] !== 'off' && !options.disabledCategories?.has(finding.category))
    .filter((finding) => !options.onlyRules || options.onlyRules.has(finding.rule))
    .filter((finding) => !isSuppressed(finding, lines))
    .map((finding) => {
      const override = options.ruleSettings?.[finding.rule];
      return override && override !== 'off' ? { ...finding, severity: override } : finding;
    })
    .sort(compareFindings);
}
