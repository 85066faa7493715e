// A package rule: like a file rule (id, severity, texts), but its check reads
// the whole package through the package model (packageModel/). It reports in
// one file, the one asked for (engine/analyzePackage runs it per file and
// version of the package).
import type { Severity } from '../engine/finding';
import type { Span } from '../packageModel/functionFacts';
import type { PackageFunction } from '../packageModel/goPackage';
import type { RuleDescription } from './rule';
import type { PackageRuleContext } from './packageRuleContext';

export interface PackageRule extends RuleDescription {
  checkPackage(context: PackageRuleContext): void;
  /**
   * Texts one of which some file of every package this rule can report in
   * contains (a `.Lock()` call for the rules about held mutexes). When no file
   * of a package has one of the texts of any enabled rule, the CLI does not
   * read the package at all.
   */
  requiresText?: readonly string[];
}

/** A place in the package: a span of one function's declaration. */
export interface PackageSite {
  fn: PackageFunction;
  at: Span;
}

export interface PackageReport {
  at: PackageSite;
  messageKey: string;
  values?: Record<string, string | number>;
  related?: { at: PackageSite; messageKey: string; values?: Record<string, string | number> }[];
  /** Overrides the rule's default severity for this finding (e.g. a warning for a shape that deadlocks only sometimes). */
  severity?: Severity;
  /** Rewrites, each titled by one of the rule's messages; their edits are in the file reported in. */
  fixes?: { titleKey: string; values?: Record<string, string | number>; edits: { at: PackageSite; newText: string }[] }[];
}

/** The package-wide half of a file rule: its own check, with the file rule's id, texts and setting. */
export function packageHalfOf(fileRule: RuleDescription, checkPackage: PackageRule['checkPackage'], requiresText?: readonly string[]): PackageRule {
  const { id, category, defaultSeverity, presentation, text, documentation, example } = fileRule;
  return { id, category, defaultSeverity, presentation, text, documentation, example, checkPackage, requiresText };
}
