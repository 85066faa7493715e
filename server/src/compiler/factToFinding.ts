// Turns a compiler fact into the project's Finding: rule id, category, the
// compiler's own message, an inlay label, the flow as related locations, and
// positions converted from byte columns to UTF-16. The range is the point the
// compiler printed widened to the identifier there; features that have the
// syntax tree can widen it further to the whole expression.
import type { Category, Finding, Position, Range, RelatedLocation } from '../engine/finding';
import { readableShapes } from './compilerMessages';
import type { EscapeFact, EscapeFactKind, SourcePoint } from './escapeFacts';
import { LineIndex } from '../engine/lineIndex';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

interface KindPresentation {
  rule: string;
  category: Category;
  label: string;
  presentation: Finding['presentation'];
}

export const kindPresentation: Record<EscapeFactKind, KindPresentation> = {
  'moved-to-heap': { rule: 'escape/moved-to-heap', category: 'escape', label: '⇡heap', presentation: 'diagnostic' },
  'escapes-to-heap': { rule: 'escape/escapes-to-heap', category: 'escape', label: '⇡heap', presentation: 'diagnostic' },
  'func-literal-escapes': { rule: 'escape/func-literal-escapes', category: 'escape', label: '⇡heap closure', presentation: 'diagnostic' },
  'leaking-param': { rule: 'escape/leaking-param', category: 'escape', label: '⇢leaks', presentation: 'diagnostic' },
  'leaking-param-content': { rule: 'escape/leaking-param-content', category: 'escape', label: '⇢content leaks', presentation: 'diagnostic' },
  'leaking-param-to-result': { rule: 'escape/leaking-param-to-result', category: 'escape', label: '⇢result', presentation: 'diagnostic' },
  'does-not-escape': { rule: 'escape/does-not-escape', category: 'escape', label: '↓stack', presentation: 'annotation' },
  'captured-by-reference': { rule: 'escape/captured-by-reference', category: 'escape', label: '&captured', presentation: 'annotation' },
  'captured-by-value': { rule: 'escape/captured-by-value', category: 'escape', label: 'captured', presentation: 'annotation' },
  'inline-can': { rule: 'inline/can-inline', category: 'inline', label: 'inlinable', presentation: 'annotation' },
  'inline-cannot': { rule: 'inline/cannot-inline', category: 'inline', label: 'not inlinable', presentation: 'annotation' },
  'inline-call': { rule: 'inline/inlined-call', category: 'inline', label: 'inlined', presentation: 'annotation' },
  devirtualized: { rule: 'inline/devirtualized', category: 'inline', label: 'devirtualized', presentation: 'annotation' },
  bounds: { rule: 'bounds/bounds-check', category: 'bounds', label: 'bounds check', presentation: 'diagnostic' },
  nil: { rule: 'bounds/nil-check', category: 'bounds', label: 'nil check', presentation: 'diagnostic' },
  defer: { rule: 'defer/allocation', category: 'defer', label: 'defer', presentation: 'annotation' },
};

const deferLabels = { 'open-coded': 'open-coded', stack: 'stack defer', heap: '⇡heap defer' } as const;

export interface ToFindingOptions {
  /** Text of other files, to place flow steps that lie elsewhere; without it their byte column is used as is. */
  textOf?: (file: string) => string | undefined;
  /** The language of the words added to the compiler's own message (the compiler's verdicts stay as it prints them). */
  locale?: Locale;
}

/** A document's position converter: build one per document when converting many facts. */
export function positionMapper(documentText: string): LineIndex {
  return new LineIndex(documentText);
}

const identifier = /^[\p{L}_][\p{L}\p{Nd}_]*/u;

/** The identifier at the point, or a zero-width range when none starts there. */
/**
 * The document position of a compiler position, clamped to the document's last
 * line: damaged or stale output can name any line (fuzzing found facts far
 * past the end), and a range outside the document breaks LSP clients.
 */
function positionIn(mapper: LineIndex, point: SourcePoint): Position {
  return mapper.positionFromUtf8(Math.min(point.line, mapper.lineCount), point.column || 1);
}

function rangeAt(mapper: LineIndex, point: SourcePoint, subject: string | undefined): Range {
  const start = positionIn(mapper, point);
  const rest = mapper.lineText(start.line).slice(start.character);
  let length = 0;
  if (subject && rest.startsWith(subject)) length = subject.length;
  else length = identifier.exec(rest)?.[0].length ?? 0;
  return { start, end: { line: start.line, character: start.character + length } };
}

function relatedPosition(point: SourcePoint, ownFile: string, mapper: LineIndex, options: ToFindingOptions): Position {
  if (point.file === ownFile) return positionIn(mapper, point);
  const text = options.textOf?.(point.file);
  if (text !== undefined) return new LineIndex(text).positionFromUtf8(point.line, point.column || 1);
  return { line: Math.max(0, point.line - 1), character: Math.max(0, point.column - 1) };
}

export function toFinding(fact: EscapeFact, document: string | LineIndex, options: ToFindingOptions = {}): Finding {
  const mapper = typeof document === 'string' ? new LineIndex(document) : document;
  const shown = kindPresentation[fact.kind];
  const range = rangeAt(mapper, fact, fact.kind === 'func-literal-escapes' ? 'func' : fact.subject);

  const related: RelatedLocation[] = [];
  for (const explanation of fact.explanations) {
    for (const step of explanation.steps) {
      // Inside inlined code the step's own point is the call site; the innermost inlined position is where it really is.
      const where = step.inlined?.[step.inlined.length - 1] ?? step.at;
      const position = relatedPosition(where, fact.file, mapper, options);
      const location: RelatedLocation = { range: { start: position, end: position }, message: readableShapes(step.text) };
      if (where.file !== fact.file) location.file = where.file;
      related.push(location);
    }
  }

  const finding: Finding = {
    rule: shown.rule,
    category: shown.category,
    severity: 'hint',
    presentation: shown.presentation,
    range,
    message: fact.message,
    source: 'compiler',
    related,
    fixes: [],
    inlay: {
      label: fact.kind === 'defer' && fact.deferAllocation ? deferLabels[fact.deferAllocation] : shown.label,
      position: range.end,
      paddingLeft: true,
    },
  };
  const details: string[] = [];
  if (fact.readableMessage) details.push(`\`${fact.readableMessage}\``);
  // A headline that repeats the message (`x escapes to heap`) would show the compiler's words twice.
  const headlines = [...new Set(fact.explanations.map((explanation) => readableShapes(explanation.headline)))].filter(
    (headline) => headline !== fact.message && headline !== fact.readableMessage,
  );
  // The compiler's own words, in any language: code, like the verdict above.
  if (headlines.length > 0) details.push(headlines.map((headline) => `- \`${headline}\``).join('\n'));
  if (fact.inlinedFrom?.length) {
    const inner = fact.inlinedFrom[fact.inlinedFrom.length - 1];
    const locale = options.locale ?? 'en';
    details.push(inner.file === fact.file ? localize(locale, 'inlinedFromLine', { line: inner.line }) : localize(locale, 'inlinedFromFile', { line: inner.line, file: inner.file }));
  }
  if (details.length > 0) finding.details = details.join('\n\n');
  return finding;
}
