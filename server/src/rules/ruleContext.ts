// The per-file view a rule works on: the tree, positions, the Go version of
// the module, and a `report` that turns a syntax node into a Finding.
// `tree` is what the rule reports in: the whole file, or (in an incremental
// run) a view of only the declarations to re-analyze; `wholeTree` is always
// the whole file, for the rules that read other declarations.
import type { Node, Tree } from 'web-tree-sitter';
import type { Finding, Fix, InlayLabel, Presentation, Range, RelatedLocation, Severity } from '../engine/finding';
import { LineIndex } from '../engine/lineIndex';
import { markLine } from '../engine/lineReferences';
import { localize } from '../l10n/serverText';
import { FileDeclarations } from '../syntax/fileDeclarations';
import { functionDisplayName } from '../syntax/functions';
import { ruleMessage, runIsolated, type Locale, type Rule } from './rule';

export interface ReportOptions {
  /** Where the finding is: a node, or an explicit range. */
  at: Node | Range;
  messageKey: string;
  values?: Record<string, string | number>;
  related?: RelatedLocation[];
  details?: string;
  fixes?: Fix[];
  inlay?: InlayLabel;
  /** Overrides the rule's presentation for this finding (e.g. hover-only context). */
  presentation?: Presentation;
  /**
   * Overrides the rule's default severity for this finding, when its context
   * makes it less serious (a test, package main); the user's per-rule setting
   * still wins over both.
   */
  severity?: Severity;
}

export class RuleContext {
  readonly findings: Finding[] = [];
  private currentRule: Rule | undefined;

  constructor(
    readonly tree: Tree,
    readonly text: string,
    readonly lines: LineIndex,
    readonly locale: Locale,
    /** The `go` directive of the nearest go.mod, when known. */
    readonly goVersion: string | undefined,
    /** Absolute path of the file, when it has one. */
    readonly filePath: string | undefined,
    readonly wholeTree: Tree = tree,
    private knownDeclarations?: FileDeclarations,
  ) {}

  /** The whole file's top-level declarations (see syntax/fileDeclarations). */
  get declarations(): FileDeclarations {
    this.knownDeclarations ??= new FileDeclarations(this.wholeTree.rootNode, this.text);
    return this.knownDeclarations;
  }

  /** Runs one rule, attributing its reports to it; a rule that throws loses only its own findings. */
  run(rule: Rule): Error | undefined {
    this.currentRule = rule;
    try {
      return runIsolated(this.findings, () => rule.check(this));
    } finally {
      this.currentRule = undefined;
    }
  }

  /**
   * The 1-based line of the node for a message ("closed on line {line}"),
   * marked so the number moves with the finding (engine/lineReferences).
   */
  lineNumber(node: Node): string {
    return markLine(this.lines.positionAt(node.startIndex).line + 1);
  }

  /**
   * How a message names a function: its Go name (`main`, `(*Server).Close`),
   * or, for a function literal, which has none, "the function literal on line N"
   * in the message's language.
   */
  functionName(fn: Node): string {
    if (fn.type !== 'func_literal') return functionDisplayName(fn);
    return localize(this.locale, 'functionLiteralOnLine', { line: this.lineNumber(fn) });
  }

  rangeOf(node: Node): Range {
    return this.lines.rangeOf(node.startIndex, node.endIndex);
  }

  message(key: string, values: Record<string, string | number> = {}): string {
    return ruleMessage(this.requireRule(), this.locale, key, values);
  }

  report(options: ReportOptions): void {
    const rule = this.requireRule();
    const range = 'startIndex' in options.at ? this.rangeOf(options.at) : options.at;
    this.findings.push({
      rule: rule.id,
      category: rule.category,
      severity: options.severity ?? rule.defaultSeverity,
      presentation: options.presentation ?? rule.presentation,
      range,
      message: this.message(options.messageKey, options.values),
      source: 'goinsight',
      related: options.related ?? [],
      details: options.details,
      fixes: options.fixes ?? [],
      inlay: options.inlay,
    });
  }

  private requireRule(): Rule {
    if (!this.currentRule) throw new Error('report() called outside a rule check');
    return this.currentRule;
  }
}
