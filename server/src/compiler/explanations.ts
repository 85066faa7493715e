// Joins verdicts (`moved to heap: u`) with the explanation blocks that say why
// (`u escapes to heap` + flow). The compiler prints them separately, keyed only
// by the position and the name, and the JSON log (which has no verdict text)
// keeps them in a different place again, so both parsers meet here.
import type { EscapeFact, EscapeFactKind, Explanation, SourcePoint } from './escapeFacts';

export interface LocatedExplanation {
  at: SourcePoint;
  subject: string;
  explanation: Explanation;
  /** The JSON log's positions inside inlined code for the point itself. */
  inlinedFrom?: SourcePoint[];
}

const escapeVerdicts: ReadonlySet<EscapeFactKind> = new Set(['moved-to-heap', 'escapes-to-heap', 'func-literal-escapes']);
const leakVerdicts: ReadonlySet<EscapeFactKind> = new Set(['leaking-param', 'leaking-param-content', 'leaking-param-to-result']);

/** Identity of a position, the join key of verdicts and explanations. */
export function pointKey(point: SourcePoint): string {
  return `${point.file}\u0000${point.line}\u0000${point.column}`;
}

function leakTarget(headline: string): string | undefined {
  return /^parameter .+? leaks to (.+) with derefs=-?\d+$/.exec(headline)?.[1];
}

function explanationKey(explanation: Explanation): string {
  return JSON.stringify([explanation.headline, explanation.steps.map((step) => [step.text, pointKey(step.at)])]);
}

export interface AttachOptions {
  /**
   * Leave facts that already have explanations as they are: the second of
   * two sources (the text flows after the JSON log's) only fills the gaps.
   */
  keepExisting?: boolean;
}

/**
 * Sets `fact.explanations` on every heap verdict that has matching
 * explanations, replacing what it had. Returns how many facts got one.
 */
export function attachExplanations(facts: EscapeFact[], explanations: readonly LocatedExplanation[], options: AttachOptions = {}): number {
  if (explanations.length === 0) return 0;
  const byPoint = new Map<string, LocatedExplanation[]>();
  for (const entry of explanations) {
    const key = pointKey(entry.at);
    const list = byPoint.get(key);
    if (list) list.push(entry);
    else byPoint.set(key, [entry]);
  }
  const resultsLeakedAt = new Map<string, Set<string>>();
  for (const fact of facts) {
    if (fact.kind === 'leaking-param-to-result' && fact.result) {
      const key = `${pointKey(fact)}\u0000${fact.subject ?? ''}`;
      const results = resultsLeakedAt.get(key) ?? new Set<string>();
      results.add(fact.result);
      resultsLeakedAt.set(key, results);
    }
  }

  let attached = 0;
  for (const fact of facts) {
    const isEscape = escapeVerdicts.has(fact.kind);
    const isLeak = leakVerdicts.has(fact.kind);
    if (!isEscape && !isLeak) continue;
    if (options.keepExisting && fact.explanations.length > 0) continue;
    const here = byPoint.get(pointKey(fact)) ?? [];
    let candidates = here.filter(
      (entry) => entry.explanation.headline.startsWith('parameter ') === isLeak && entry.subject === fact.subject,
    );
    // Inlined or renamed subjects (`sync.d` vs `d`) still sit on the same point; take the lone explanation there.
    if (candidates.length === 0) {
      const sameFamily = here.filter((entry) => entry.explanation.headline.startsWith('parameter ') === isLeak);
      if (new Set(sameFamily.map((entry) => entry.subject)).size === 1) candidates = sameFamily;
    }
    if (isLeak) {
      const results = resultsLeakedAt.get(`${pointKey(fact)}\u0000${fact.subject ?? ''}`) ?? new Set<string>();
      const toResults = candidates.filter((entry) => results.has(leakTarget(entry.explanation.headline) ?? ''));
      const elsewhere = candidates.filter((entry) => !results.has(leakTarget(entry.explanation.headline) ?? ''));
      if (fact.kind === 'leaking-param-to-result') {
        const own = toResults.filter((entry) => leakTarget(entry.explanation.headline) === fact.result);
        candidates = own.length > 0 ? own : candidates;
      } else if (elsewhere.length > 0) {
        candidates = elsewhere;
      }
    }
    // A lone candidate has nothing to be a duplicate of: spare it the key.
    const chosen = candidates.length === 1 ? [candidates[0].explanation] : distinctExplanations(candidates);
    if (chosen.length > 0) {
      fact.explanations = chosen;
      const inlined = candidates.find((entry) => entry.inlinedFrom && entry.inlinedFrom.length > 0)?.inlinedFrom;
      if (inlined) fact.inlinedFrom = inlined;
      attached++;
    }
  }
  return attached;
}

/** The candidates' explanations, each distinct one once (generic code repeats them per instantiation). */
function distinctExplanations(candidates: readonly LocatedExplanation[]): Explanation[] {
  const seen = new Set<string>();
  const chosen: Explanation[] = [];
  for (const entry of candidates) {
    const key = explanationKey(entry.explanation);
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(entry.explanation);
  }
  return chosen;
}
