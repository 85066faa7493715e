// analysistest for package rules: a fixture is a directory of Go files (one
// package, or several packages side by side); every `// want "regexp"` line
// of every file must get exactly the findings it names from the rules under
// test, and no other line any.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import type { Finding } from '../../server/src/engine/finding';
import { createGoParser } from '../../server/src/parse/goParser';
import { diskPackageSources } from '../../server/src/packageModel/diskSources';
import { PackageWorkspace } from '../../server/src/packageModel/packageWorkspace';
import { fixturesRoot, parseWants } from './analysisTest';

export async function packageWorkspace(): Promise<PackageWorkspace> {
  return new PackageWorkspace(await createGoParser(), diskPackageSources);
}

/** The findings of the package rules in every file of a fixture directory, by file. */
export async function analyzePackageFixture(relativeDirectory: string, rules: string[]): Promise<Map<string, Finding[]>> {
  const directory = path.join(fixturesRoot, relativeDirectory);
  const workspace = await packageWorkspace();
  const byFile = new Map<string, Finding[]>();
  for (const file of diskPackageSources.listGoFiles(directory)) {
    const pkg = workspace.packageOf(file);
    if (!pkg) continue;
    const { findings, failures } = packageFindings(pkg, file, { locale: 'en', onlyRules: new Set(rules) });
    assert.deepEqual(failures, [], `package rules threw on ${file}`);
    byFile.set(file, findings);
  }
  return byFile;
}

export async function checkPackageFixture(relativeDirectory: string, rules: string[]): Promise<Map<string, Finding[]>> {
  const byFile = await analyzePackageFixture(relativeDirectory, rules);
  const problems: string[] = [];
  let wanted = 0;
  for (const [file, findings] of byFile) {
    const relative = path.relative(fixturesRoot, file);
    const unmatched = [...findings];
    for (const want of parseWants(fs.readFileSync(file, 'utf8'))) {
      wanted++;
      const index = unmatched.findIndex((finding) => finding.range.start.line === want.line && want.pattern.test(finding.message));
      if (index < 0) problems.push(`${relative}:${want.line + 1}: no finding matches ${want.pattern}`);
      else unmatched.splice(index, 1);
    }
    for (const finding of unmatched) problems.push(`${relative}:${finding.range.start.line + 1}: unexpected ${finding.rule}: ${finding.message}`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.ok(byFile.size > 0, `no Go files in ${relativeDirectory}`);
  return byFile;
}
