// The view a package rule works on: the package, the file whose findings are
// asked for, the package's lock summaries (shared by every rule, kept across
// versions of the package: LockSummaries.of) and a `report` that turns a place
// in a function into a Finding in that function's file. A rule reads the whole
// package but reports only in the file asked for: after a keystroke, only that
// file is checked again.
import type { Finding, Range } from '../engine/finding';
import { LockSummaries } from '../packageModel/lockSummaries';
import type { GoPackage, PackageFunction } from '../packageModel/goPackage';
import type { PackageReport, PackageRule, PackageSite } from './packageRule';
import { ruleMessage, runIsolated, type Locale } from './rule';

export class PackageRuleContext {
  readonly findings: Finding[] = [];
  readonly locks: LockSummaries;
  private currentRule: PackageRule | undefined;

  constructor(
    readonly pkg: GoPackage,
    /** The file the findings are for (absolute path). */
    readonly file: string,
    readonly locale: Locale,
  ) {
    this.locks = LockSummaries.of(pkg);
  }

  /** The functions of the file the findings are for: where a rule looks for what to report. */
  functionsToCheck(): readonly PackageFunction[] {
    return this.pkg.functionsIn(this.file);
  }

  /** Runs one rule; a rule that throws loses only its own findings. */
  run(rule: PackageRule): Error | undefined {
    this.currentRule = rule;
    try {
      return runIsolated(this.findings, () => rule.checkPackage(this));
    } finally {
      this.currentRule = undefined;
    }
  }

  rangeOf(site: PackageSite): Range {
    return site.fn.file.lines.rangeOf(site.fn.start + site.at[0], site.fn.start + site.at[1]);
  }

  /** The 1-based line of a site, for messages. */
  lineOf(site: PackageSite): number {
    return this.rangeOf(site).start.line + 1;
  }

  message(key: string, values: Record<string, string | number> = {}): string {
    return ruleMessage(this.requireRule(), this.locale, key, values);
  }

  report(options: PackageReport): void {
    const rule = this.requireRule();
    const file = options.at.fn.file.file;
    const finding: Finding = {
      rule: rule.id,
      category: rule.category,
      severity: options.severity ?? rule.defaultSeverity,
      presentation: rule.presentation,
      range: this.rangeOf(options.at),
      message: this.message(options.messageKey, options.values),
      source: 'goinsight',
      related: (options.related ?? []).map((related) => ({
        ...(related.at.fn.file.file === file ? {} : { file: related.at.fn.file.file }),
        range: this.rangeOf(related.at),
        message: this.message(related.messageKey, related.values),
      })),
      fixes: (options.fixes ?? []).map((fix) => ({ title: this.message(fix.titleKey, fix.values), edits: fix.edits.map((edit) => ({ range: this.rangeOf(edit.at), newText: edit.newText })) })),
    };
    if (file !== this.file) throw new Error(`a package rule reported in ${file}, not in the file asked for`);
    this.findings.push(finding);
  }

  private requireRule(): PackageRule {
    if (!this.currentRule) throw new Error('report() called outside a rule check');
    return this.currentRule;
  }
}
