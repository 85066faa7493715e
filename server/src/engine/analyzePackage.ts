// Runs the package rules over one package of the package model and hands
// each file its findings, with the user's choices applied as for the file
// rules. A package's findings are computed once per version of the package
// and options: every open file of the package (and every CLI file of it)
// asks, and only an edit in one of its files makes them stale.
import type { GoPackage } from '../packageModel/goPackage';
import { allPackageRules } from '../rules/allRules';
import type { PackageRule } from '../rules/packageRule';
import { PackageRuleContext } from '../rules/packageRuleContext';
import { applyUserChoices, type AnalysisOptions, type RuleFailure } from './analyzeFile';
import type { Finding } from './finding';

export type PackageAnalysisOptions = Pick<AnalysisOptions, 'locale' | 'ruleSettings' | 'onlyRules' | 'disabledCategories' | 'includeGenerated'>;

interface PackageRun {
  generation: number;
  rules: string;
  locale: string;
  findings: Map<string, Finding[]>;
  failures: RuleFailure[];
}

const runs = new WeakMap<GoPackage, PackageRun>();

function isEnabled(rule: PackageRule, options: PackageAnalysisOptions): boolean {
  if (options.onlyRules && !options.onlyRules.has(rule.id)) return false;
  if (options.disabledCategories?.has(rule.category)) return false;
  return options.ruleSettings?.[rule.id] !== 'off';
}

function runPackageRules(pkg: GoPackage, options: PackageAnalysisOptions): PackageRun {
  const enabled = allPackageRules.filter((rule) => isEnabled(rule, options));
  const key = enabled.map((rule) => rule.id).join(',');
  const known = runs.get(pkg);
  if (known && known.generation === pkg.generation && known.rules === key && known.locale === options.locale) return known;
  const context = new PackageRuleContext(pkg, options.locale);
  const failures: RuleFailure[] = [];
  for (const rule of enabled) {
    const error = context.run(rule);
    if (error) failures.push({ rule: rule.id, error });
  }
  const run = { generation: pkg.generation, rules: key, locale: options.locale, findings: context.findings, failures };
  runs.set(pkg, run);
  return run;
}

/** The package rules' findings in one file of the package (sorted, user choices applied), and the rules that threw. */
export function packageFindings(pkg: GoPackage, file: string, options: PackageAnalysisOptions): { findings: Finding[]; failures: RuleFailure[] } {
  const facts = pkg.fileFacts(file);
  if (!facts || (facts.generated && !options.includeGenerated)) return { findings: [], failures: [] };
  const run = runPackageRules(pkg, options);
  return { findings: applyUserChoices(run.findings.get(file) ?? [], facts.lines, options), failures: run.failures };
}
