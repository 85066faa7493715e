// Runs the package rules for one file of a package of the package model: the
// rules read the whole package and report in that file, with the user's
// choices applied as for the file rules. A file's findings are remembered
// for the version of the package they were computed on: another open file of
// the package asking, or the same file asking again, costs nothing until a
// file of the package changes.
import type { GoPackage } from '../packageModel/goPackage';
import { allPackageRules } from '../rules/allRules';
import type { PackageRule } from '../rules/packageRule';
import { PackageRuleContext } from '../rules/packageRuleContext';
import { applyUserChoices, type AnalysisOptions, type RuleFailure } from './analyzeFile';
import type { Finding } from './finding';

export type PackageAnalysisOptions = Pick<AnalysisOptions, 'locale' | 'ruleSettings' | 'onlyRules' | 'disabledCategories' | 'includeGenerated'>;

interface PackageRun {
  rules: string;
  locale: string;
  findings: Finding[];
  failures: RuleFailure[];
}

/** Per package: the generation the runs are of, and the run per file. */
const runs = new WeakMap<GoPackage, { generation: number; byFile: Map<string, PackageRun> }>();

function isEnabled(rule: PackageRule, options: PackageAnalysisOptions): boolean {
  if (options.onlyRules && !options.onlyRules.has(rule.id)) return false;
  if (options.disabledCategories?.has(rule.category)) return false;
  return options.ruleSettings?.[rule.id] !== 'off';
}

/** Whether any package rule would run: when none, callers skip building the package model. */
export function anyPackageRuleEnabled(options: PackageAnalysisOptions): boolean {
  return allPackageRules.some((rule) => isEnabled(rule, options));
}

/**
 * The texts one of which a package must contain for an enabled package rule
 * to report in it (PackageRule.requiresText); undefined when some enabled
 * rule can report in any package.
 */
export function textsPackageRulesRequire(options: PackageAnalysisOptions): string[] | undefined {
  const texts: string[] = [];
  for (const rule of allPackageRules) {
    if (!isEnabled(rule, options)) continue;
    if (rule.requiresText === undefined) return undefined;
    texts.push(...rule.requiresText);
  }
  return texts;
}

function runPackageRules(pkg: GoPackage, file: string, options: PackageAnalysisOptions): PackageRun {
  const enabled = allPackageRules.filter((rule) => isEnabled(rule, options));
  const key = enabled.map((rule) => rule.id).join(',');
  let forPackage = runs.get(pkg);
  if (forPackage?.generation !== pkg.generation) {
    forPackage = { generation: pkg.generation, byFile: new Map() };
    runs.set(pkg, forPackage);
  }
  const known = forPackage.byFile.get(file);
  if (known && known.rules === key && known.locale === options.locale) return known;
  const context = new PackageRuleContext(pkg, file, options.locale);
  const failures: RuleFailure[] = [];
  for (const rule of enabled) {
    const error = context.run(rule);
    if (error) failures.push({ rule: rule.id, error });
  }
  const run = { rules: key, locale: options.locale, findings: context.findings, failures };
  forPackage.byFile.set(file, run);
  return run;
}

/** The package rules' findings in one file of the package (sorted, user choices applied), and the rules that threw. */
export function packageFindings(pkg: GoPackage, file: string, options: PackageAnalysisOptions): { findings: Finding[]; failures: RuleFailure[] } {
  const facts = pkg.fileFacts(file);
  if (!facts || (facts.generated && !options.includeGenerated)) return { findings: [], failures: [] };
  const run = runPackageRules(pkg, file, options);
  return { findings: applyUserChoices(run.findings, facts.lines, options), failures: run.failures };
}
