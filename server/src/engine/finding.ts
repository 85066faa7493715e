// The one currency between stages: every rule and every compiler fact becomes a
// Finding; LSP features and the CLI are only renderings of it. Positions are
// 0-based lines and UTF-16 code-unit characters (what tree-sitter and LSP use);
// the CLI converts to 1-based lines and UTF-8 byte columns when it prints.

export type Category = 'escape' | 'inline' | 'bounds' | 'defer' | 'channel' | 'goroutine' | 'sync';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const severityRank: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A second place that explains a finding (e.g. "first close here"). */
export interface RelatedLocation {
  /** Absolute file path; omitted when it is the finding's own file. */
  file?: string;
  range: Range;
  message: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply with "auto fix" (at most one per finding). */
  isPreferred?: boolean;
}

export interface InlayLabel {
  label: string;
  position: Position;
  /** Markdown shown when hovering the hint itself. */
  tooltip?: string;
  /** Whether the label sits before (left of) the position's text. */
  paddingLeft?: boolean;
  paddingRight?: boolean;
}

/**
 * `diagnostic`: a problem, shown as a diagnostic (and maybe an inlay hint).
 * `annotation`: a fact about the code (e.g. the order defers run in), shown
 * as an inlay hint and on hover but never in the Problems list.
 * `hover`: extra context for one place (e.g. a function's closing brace lists
 * its defers), shown only on hover: the CLI does not print it.
 */
export type Presentation = 'diagnostic' | 'annotation' | 'hover';

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  presentation: Presentation;
  range: Range;
  message: string;
  source: 'goinsight' | 'compiler' | 'runtime';
  related: RelatedLocation[];
  /** Markdown specific to this occurrence (concrete names, lists), shown on hover above the rule's explanation. */
  details?: string;
  fixes: Fix[];
  inlay?: InlayLabel;
  /** Its lines were edited after it was found (a test run's result): it may no longer hold, and the hover says so. */
  stale?: boolean;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return comparePositions(a.range.start, b.range.start) || a.rule.localeCompare(b.rule);
}
