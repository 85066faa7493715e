// One file of `goinsight check`: read, parse, run the rules (the file's own,
// and the package rules over its package), present the compiler's facts. The
// same function runs on the main thread (--jobs 1) and inside the worker
// threads, so its input and output are plain data that survive postMessage
// (no LineIndex, no tree, no Error objects).
import type { Parser, Tree } from 'web-tree-sitter';
import type { LineIndex } from '../engine/lineIndex';
import { toFinding, type EscapeFact } from '../compiler';
import { analyzeTree, type RuleSetting } from '../engine/analyzeFile';
import { anyPackageRuleEnabled, packageFindings, textsPackageRulesRequire } from '../engine/analyzePackage';
import { factsOfTree, type PackageWorkspace } from '../packageModel/packageWorkspace';
import { compareFindings, type Category, type Finding } from '../engine/finding';
import type { Locale } from '../rules/rule';
import { attachDeferAllocations, presentCompilerFindings } from '../workspace/compilerFindings';
import { readGoFile } from '../engine/readGoFile';

/** What every file of one run shares (sent to a worker once, when it starts). */
export interface CheckSettings {
  locale: Locale;
  /** --rules. */
  onlyRules?: ReadonlySet<string>;
  includeGenerated: boolean;
  /** Categories of compiler facts that stay hidden unless --rules names them (as in the editor). */
  disabledCategories?: ReadonlySet<Category>;
}

export interface FileCheck {
  /** Absolute path. */
  file: string;
  /** The `go` directive of the file's module. */
  goVersion?: string;
  /** The project file's per-rule settings. */
  ruleSettings?: Readonly<Record<string, RuleSetting>>;
  /** The compiler's facts for the file, already narrowed to those the CLI shows. */
  facts: readonly EscapeFact[];
}

export type FileOutcome =
  | { kind: 'skipped'; reason: string }
  /** The parser gave no tree; nothing is said, as before there were threads. */
  | { kind: 'unparsed' }
  | {
      kind: 'analyzed';
      lineCount: number;
      findings: Finding[];
      failures: { rule: string; message: string }[];
      /** Set when the rules were skipped for bracket nesting deeper than this. */
      nestingLimit?: number;
      /** The text the findings' positions refer to; only sent when there are findings to render. */
      text?: string;
    };

/**
 * The package rules' findings in the file. The package's other files are read
 * (or taken from earlier files of the same run) by the workspace; this file's
 * facts come from the tree already parsed.
 */
function packageRuleFindings(parser: Parser, packages: PackageWorkspace, settings: CheckSettings, request: FileCheck, tree: Tree, text: string, lines: LineIndex) {
  const options = { locale: settings.locale, onlyRules: settings.onlyRules, ruleSettings: request.ruleSettings, includeGenerated: settings.includeGenerated };
  if (!anyPackageRuleEnabled(options)) return { findings: [], failures: [] };
  const required = textsPackageRulesRequire(options);
  if (required && !packages.directoryMentions(request.file, required)) return { findings: [], failures: [] };
  packages.provideDiskFacts(request.file, () => factsOfTree(request.file, tree, text, lines, parser));
  const pkg = packages.packageOf(request.file);
  if (!pkg) return { findings: [], failures: [] };
  return packageFindings(pkg, request.file, options);
}

export function checkFile(parser: Parser, settings: CheckSettings, request: FileCheck, packages: PackageWorkspace): FileOutcome {
  const read = readGoFile(request.file);
  if ('skipped' in read) return { kind: 'skipped', reason: read.skipped };
  const tree = packages.takeParsedTree(request.file, read.text) ?? parser.parse(read.text);
  if (!tree) return { kind: 'unparsed' };
  try {
    const result = analyzeTree(tree, read.text, {
      locale: settings.locale,
      filePath: request.file,
      goVersion: request.goVersion,
      onlyRules: settings.onlyRules,
      ruleSettings: request.ruleSettings,
      includeGenerated: settings.includeGenerated,
      // Each file is analyzed once: nothing to re-use, so nothing to remember.
      incremental: false,
    });
    const fromCompiler = presentCompilerFindings(
      request.facts.map((fact) => toFinding(fact, result.lines, { locale: settings.locale })),
      undefined,
      tree,
      result.lines,
      settings.locale,
      { onlyRules: settings.onlyRules, ruleSettings: request.ruleSettings, disabledCategories: settings.disabledCategories, includeGenerated: settings.includeGenerated },
    );
    const inPackage = result.tooDeeplyNested ? { findings: [], failures: [] } : packageRuleFindings(parser, packages, settings, request, tree, read.text, result.lines);
    // Hover-only context (e.g. the defer sequence at a closing brace) has no place in a report.
    const findings = attachDeferAllocations([...result.findings, ...inPackage.findings], fromCompiler, settings.locale)
      .filter((finding) => finding.presentation !== 'hover')
      .sort(compareFindings);
    return {
      kind: 'analyzed',
      lineCount: result.lines.lineCount,
      findings,
      failures: [...result.failures, ...inPackage.failures].map((failure) => ({ rule: failure.rule, message: failure.error.message })),
      ...(result.tooDeeplyNested ? { nestingLimit: result.tooDeeplyNested.limit } : {}),
      ...(findings.length > 0 ? { text: read.text } : {}),
    };
  } finally {
    tree.delete();
  }
}
