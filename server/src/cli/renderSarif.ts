// SARIF 2.1.0 output for code-scanning services. Rule metadata (titles, help
// text, documentation links) comes from the same rule texts as the hovers.
// SARIF counts columns in UTF-16 code units by default, so regions use the
// finding's own positions (1-based) rather than the UTF-8 columns of --format json.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Range, Severity } from '../engine/finding';
import { plainText } from '../engine/plainText';
import { allRuleDescriptions } from '../rules/allRules';
import { explanationLead, ruleText, type Locale, type RuleDescription } from '../rules/rule';
import { ruleExplanation } from '../rules/ruleExample';
import type { AnalyzedFile } from './renderFindings';

const sarifLevel: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function region(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function artifactLocation(file: string, cwd: string) {
  const relative = path.relative(cwd, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(file).toString() };
  return { uri: encodeURI(relative.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
}

/** The explanation's first paragraph, as plain text: SARIF viewers show it as the rule's summary. */
function firstParagraph(markdown: string): string {
  return explanationLead(markdown).replace(/[`*]/g, '').trim();
}

function ruleDescriptor(rule: RuleDescription, locale: Locale) {
  const text = ruleText(rule, locale);
  const explanation = ruleExplanation(rule, locale);
  return {
    id: rule.id,
    name: rule.id.replace(/^[a-z]+\//, '').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toUpperCase()),
    shortDescription: { text: text.title },
    fullDescription: { text: firstParagraph(text.explanation) },
    help: { text: explanation, markdown: explanation },
    ...(rule.documentation ? { helpUri: rule.documentation } : {}),
    defaultConfiguration: { level: sarifLevel[rule.defaultSeverity] },
    properties: { category: rule.category, tags: [rule.category] },
  };
}

function result(finding: Finding, analyzed: AnalyzedFile, cwd: string, ruleIndex: number) {
  return {
    ruleId: finding.rule,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: sarifLevel[finding.severity],
    // SARIF viewers that render Markdown take `markdown`; the rest show `text`, where code spans read as quotes.
    message: { text: plainText(finding.message), markdown: finding.message },
    // Findings from running the tests say so, as the JSON output's `source` does.
    ...(finding.source === 'runtime' ? { properties: { source: finding.source } } : {}),
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(analyzed.file, cwd), region: region(finding.range) } }],
    ...(finding.related.length > 0
      ? {
          relatedLocations: finding.related.map((related, index) => ({
            id: index,
            message: { text: plainText(related.message), markdown: related.message },
            physicalLocation: { artifactLocation: artifactLocation(related.file ?? analyzed.file, cwd), region: region(related.range) },
          })),
        }
      : {}),
    ...(finding.fixes.length > 0
      ? {
          fixes: finding.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: [
              {
                artifactLocation: artifactLocation(analyzed.file, cwd),
                replacements: fix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
              },
            ],
          })),
        }
      : {}),
  };
}

export function renderSarif(files: readonly AnalyzedFile[], cwd: string, locale: Locale, version: string) {
  const descriptions = allRuleDescriptions();
  const rules = descriptions.map((rule) => ruleDescriptor(rule, locale));
  const indexOf = new Map(descriptions.map((rule, index) => [rule.id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'goinsight', fullName: 'Go Insight', version, semanticVersion: version, language: locale, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : `${cwd}${path.sep}`).toString() } },
        columnKind: 'utf16CodeUnits',
        results: files.flatMap((file) => file.findings.map((finding) => result(finding, file, cwd, indexOf.get(finding.rule) ?? -1))),
      },
    ],
  };
}
