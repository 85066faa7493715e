// Matches the compiler's facts of two versions of the code by what they are,
// not where they are: package, owning function (closure path included), kind
// and the compiler's text with whitespace normalised. Lines only tell apart
// identical facts of one function (same source line text first, then the
// nearest line within the function).
// What is left on both sides is then paired once more when the texts differ
// only in names (`moved to heap: buf` / `moved to heap: data` in the same
// function and kind): a renamed variable is the same allocation, and a false
// "new" costs the user more than a missed one.
import type { EscapeFact, EscapeFactKind } from '../compiler';
import type { FactOwner } from './factOwners';

export interface OwnedFact {
  fact: EscapeFact;
  /** The package's directory relative to the tree's root, `/`-separated. */
  packagePath: string;
  owner: FactOwner;
  /** The text of the fact's source line, whitespace-normalised: tells apart identical facts on different statements. */
  sourceLine: string;
}

export interface FactDiff<T extends OwnedFact> {
  added: T[];
  removed: T[];
  /** Pairs (old, new) matched by identity, renames included. */
  unchanged: Array<[T, T]>;
  /** How many of `unchanged` were matched only after names were set aside. */
  renamed: number;
}

/** The kinds whose appearance means a new heap allocation (not parameter leaks, not stack verdicts). */
export const allocatingKinds: ReadonlySet<EscapeFactKind> = new Set<EscapeFactKind>(['moved-to-heap', 'escapes-to-heap', 'func-literal-escapes']);

/** A source line as `sourceLine` keeps it: without a trailing line comment, whitespace-normalised. */
export function sourceLineKey(lineText: string): string {
  return normalized(lineText.replace(/\/\/.*$/, ''));
}

function normalized(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** The text with every name replaced, so that facts differing only in names compare equal. */
function shape(message: string): string {
  return normalized(message).replace(/[\p{L}_][\p{L}\p{Nd}_]*/gu, '_');
}

function groupBy<T extends OwnedFact>(facts: readonly T[], key: (fact: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const fact of facts) {
    const name = key(fact);
    const group = groups.get(name);
    if (group) group.push(fact);
    else groups.set(name, [fact]);
  }
  return groups;
}

/** Pairs the facts of one group: same source line text first, then nearest position within the function. */
function pairNearest<T extends OwnedFact>(before: readonly T[], after: readonly T[]): Array<[T, T]> {
  const distance = (a: OwnedFact, b: OwnedFact) =>
    (a.sourceLine === b.sourceLine ? 0 : 1e12) + Math.abs(a.owner.lineInOwner - b.owner.lineInOwner) * 10_000 + Math.abs(a.fact.column - b.fact.column);
  const candidates: Array<[number, number, number]> = [];
  before.forEach((a, i) => after.forEach((b, j) => candidates.push([distance(a, b), i, j])));
  candidates.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const usedBefore = new Set<number>();
  const usedAfter = new Set<number>();
  const pairs: Array<[T, T]> = [];
  for (const [, i, j] of candidates) {
    if (usedBefore.has(i) || usedAfter.has(j)) continue;
    usedBefore.add(i);
    usedAfter.add(j);
    pairs.push([before[i], after[j]]);
  }
  return pairs;
}

function matchBy<T extends OwnedFact>(before: readonly T[], after: readonly T[], text: (message: string) => string) {
  const key = (entry: T) => [entry.packagePath, entry.owner.path, entry.fact.kind, text(entry.fact.message)].join('\u0000');
  const afterGroups = groupBy(after, key);
  const pairs: Array<[T, T]> = [];
  for (const [name, group] of groupBy(before, key)) pairs.push(...pairNearest(group, afterGroups.get(name) ?? []));
  const pairedBefore = new Set(pairs.map((pair) => pair[0]));
  const pairedAfter = new Set(pairs.map((pair) => pair[1]));
  return { pairs, restBefore: before.filter((entry) => !pairedBefore.has(entry)), restAfter: after.filter((entry) => !pairedAfter.has(entry)) };
}

export function diffFacts<T extends OwnedFact>(before: readonly T[], after: readonly T[]): FactDiff<T> {
  const exact = matchBy(before, after, normalized);
  const renames = matchBy(exact.restBefore, exact.restAfter, shape);
  return { added: renames.restAfter, removed: renames.restBefore, unchanged: [...exact.pairs, ...renames.pairs], renamed: renames.pairs.length };
}
