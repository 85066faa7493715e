// `goinsight escapes`: the compiler's facts with positions exactly as the
// compiler printed them (1-based line, 1-based UTF-8 byte column) and its own
// message, as JSON (DESIGN.md's object, "source": "compiler") or as text in
// the compiler's own `file:line:col: message` form.
import { utf8Length } from '../engine/lineIndex';
import { kindPresentation, type EscapeFact } from '../compiler';
import { displayPath } from './renderFindings';

/** Byte length of the identifier or expression the fact names, when the source line starts with it there. */
function subjectBytes(fact: EscapeFact, lineText: string | undefined): number {
  if (lineText === undefined || !fact.subject) return 0;
  const rest = Buffer.from(lineText, 'utf8').subarray(fact.column - 1).toString('utf8');
  return rest.startsWith(fact.subject) ? utf8Length(fact.subject) : 0;
}

export function factToJson(fact: EscapeFact, cwd: string, lineOf: (file: string, line: number) => string | undefined) {
  const shown = kindPresentation[fact.kind];
  const start = { line: fact.line, column: fact.column };
  const steps = fact.explanations.flatMap((explanation) => explanation.steps);
  return {
    file: displayPath(fact.file, cwd),
    range: { start, end: { line: fact.line, column: fact.column + subjectBytes(fact, lineOf(fact.file, fact.line)) } },
    rule: shown.rule,
    category: shown.category,
    severity: 'hint',
    message: fact.message,
    source: 'compiler',
    related: steps.map((step) => ({ file: displayPath(step.at.file, cwd), line: step.at.line, column: step.at.column, message: step.text })),
    fixes: [],
  };
}

export function factToText(fact: EscapeFact, cwd: string): string {
  return `${displayPath(fact.file, cwd)}:${fact.line}:${fact.column}: ${fact.message}`;
}
