// The escape report: one read-only document per package listing every
// compiler verdict in the compiler's own `file:line:col: message` form, grouped
// by file, with the flow under each heap verdict. The client highlights it with
// syntaxes/escape-report.tmLanguage.json and makes the locations clickable.
import * as path from 'node:path';
import { heapVerdictKinds, type EscapeFact, type PackageEscapeResult } from '../compiler';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

function relativeTo(packageDir: string, file: string): string {
  const relative = path.relative(packageDir, file);
  return relative.startsWith('..') ? file : relative;
}

function factLines(fact: EscapeFact, packageDir: string): string[] {
  const lines = [`${relativeTo(packageDir, fact.file)}:${fact.line}:${fact.column}: ${fact.readableMessage ?? fact.message}`];
  if (!heapVerdictKinds.has(fact.kind)) return lines;
  for (const explanation of fact.explanations) {
    for (const step of explanation.steps) {
      const indent = step.kind === 'flow' ? '    ' : '      ';
      lines.push(`${indent}${step.text}  (${relativeTo(packageDir, step.at.file)}:${step.at.line}:${step.at.column})`);
    }
  }
  return lines;
}

/** The facts the last heap comparison found new in this package, and the revision it compared with. */
export interface NewSince {
  revision: string;
  facts: ReadonlyArray<{ file: string; line: number; column: number; message: string }>;
}

export function renderEscapeReport(result: PackageEscapeResult, locale: Locale, newSince?: NewSince): string {
  const facts = [...result.files.values(), ...result.outside.values()].flat();
  const heap = facts.filter((fact) => heapVerdictKinds.has(fact.kind)).length;
  const header = [
    `# ${localize(locale, 'reportHeading', { package: result.packageDir })}`,
    `# ${localize(locale, 'reportSummary', { heap, facts: facts.length, seconds: (result.durationMs / 1000).toFixed(2), go: result.goVersion ?? 'go' })}`,
  ];
  if (result.buildFailed) header.push(`# ${localize(locale, 'compilerBuildFailed', { error: result.buildFailed.message })}`);
  const sections: string[] = [];
  if (newSince) {
    sections.push(
      `## ${localize(locale, 'reportNewSince', { revision: newSince.revision, count: newSince.facts.length })}`,
      ...newSince.facts.map((fact) => `${relativeTo(result.packageDir, fact.file)}:${fact.line}:${fact.column}: ${fact.message}`),
      '',
    );
  }
  const byFile = new Map<string, EscapeFact[]>();
  for (const fact of facts) byFile.set(fact.file, [...(byFile.get(fact.file) ?? []), fact]);
  for (const [file, fileFacts] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    sections.push(`## ${relativeTo(result.packageDir, file)}`, ...fileFacts.flatMap((fact) => factLines(fact, result.packageDir)), '');
  }
  return `${[...header, '', ...sections].join('\n').trimEnd()}\n`;
}
