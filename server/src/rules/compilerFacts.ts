// Descriptions of the facts the Go compiler reports (escape analysis,
// inlining, bounds and nil checks, defer allocation): the compiler finds
// them, these texts explain them. Rule ids match compiler/factToFinding.ts.
import type { RuleDescription } from './rule';

export const compilerFactDescriptions: readonly RuleDescription[] = [];
