// analysistest for package rules: a fixture is a directory of Go files (one
// package, or several packages side by side); every `// want "regexp"` line
// of every file must get exactly the findings it names from the rules under
// test, and no other line any.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageFindings } from '../../server/src/engine/analyzePackage';
import type { Finding } from '../../server/src/engine/finding';
import { LineIndex } from '../../server/src/engine/lineIndex';
import type { Tree } from 'web-tree-sitter';
import { createGoParser } from '../../server/src/parse/goParser';
import { fileFacts } from '../../server/src/packageModel/declarationFacts';
import { diskPackageSources } from '../../server/src/packageModel/diskSources';
import { TreeLease } from '../../server/src/packageModel/lazyFunctionFacts';
import type { GoPackage, PackageFunction } from '../../server/src/packageModel/goPackage';
import { PackageWorkspace, type PackageSources } from '../../server/src/packageModel/packageWorkspace';
import { FileDeclarations } from '../../server/src/syntax/fileDeclarations';
import { fixturesRoot, parseWants } from './analysisTest';

export async function packageWorkspace(): Promise<PackageWorkspace> {
  return new PackageWorkspace(await createGoParser(), diskPackageSources);
}

/**
 * A workspace over in-memory files (path → text) and `open`, which opens or
 * edits a buffer as the server does (unchanged declarations keep their facts;
 * new ones are read lazily, from the buffer's tree until the buffer changes
 * again, then from their text) and returns its package.
 */
export async function editablePackages(files: Readonly<Record<string, string>>): Promise<{ workspace: PackageWorkspace; open: (file: string, text: string) => GoPackage }> {
  const sources: PackageSources = {
    listGoFiles: (directory) => Object.keys(files).filter((file) => file.startsWith(`${directory}/`)).sort(),
    readGoFile: (file) => files[file],
  };
  const parser = await createGoParser();
  const workspace = new PackageWorkspace(parser, sources);
  const stores = new Map<string, FileDeclarations>();
  const buffers = new Map<string, { tree: Tree; lease: TreeLease }>();
  const open = (file: string, text: string): GoPackage => {
    const tree = parser.parse(text);
    assert.ok(tree);
    const previous = buffers.get(file);
    if (previous) {
      previous.lease.end();
      previous.tree.delete();
    }
    const lease = new TreeLease(tree);
    buffers.set(file, { tree, lease });
    const declarations = new FileDeclarations(tree.rootNode, text, stores.get(file));
    stores.set(file, declarations);
    workspace.setOpenFile(fileFacts(file, tree, text, new LineIndex(text), declarations, parser, lease));
    const pkg = workspace.packageOf(file);
    assert.ok(pkg);
    return pkg;
  };
  return { workspace, open };
}

/** The package's function (or method, `Type.name`) of this name; the test fails without one. */
export function functionNamed(pkg: GoPackage, name: string): PackageFunction {
  const found = pkg.functions().find((each) => each.qualifiedName === name);
  assert.ok(found, `no ${name}`);
  return found;
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
