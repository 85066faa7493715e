// Which packages `goinsight leaks` tests: `go list` over the requested
// patterns, run in the module that holds them (go resolves patterns relative
// to the main module), keeping the fields the harness needs.
import * as path from 'node:path';
import { runProcess } from '../compiler/runCompiler';

export interface TestPackage {
  importPath: string;
  /** Absolute directory. */
  dir: string;
  /** The package clause of its non-test files. */
  name: string;
  /** Absolute paths of its `_test.go` files in the package itself and in the external `_test` package. */
  testFiles: string[];
  hasExternalTests: boolean;
  /** Root of its module; frames under it are "the user's code". */
  moduleDir: string;
}

interface ListedPackage {
  ImportPath: string;
  Dir: string;
  Name: string;
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  Module?: { Dir?: string };
  Error?: { Err: string };
}

/** go list -json prints indented objects one after another; each closes with `}` alone on a line. */
function splitObjects(output: string): ListedPackage[] {
  return output
    .split(/^\}$/m)
    .filter((part) => part.trim())
    .map((part) => JSON.parse(`${part}}`) as ListedPackage);
}

export interface ListResult {
  packages: TestPackage[];
  /** Packages go could not load, as `import/path: message`. */
  problems: string[];
}

export async function listTestPackages(goPath: string, moduleDir: string, patterns: readonly string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<ListResult> {
  const result = await runProcess({ command: goPath, args: ['list', '-e', '-json=ImportPath,Dir,Name,TestGoFiles,XTestGoFiles,Module,Error', ...patterns], cwd: moduleDir, env, signal });
  if (result.exitCode !== 0) throw new Error(`go list failed: ${result.stderr.trim() || `exit status ${result.exitCode}`}`);
  const packages: TestPackage[] = [];
  const problems: string[] = [];
  for (const listed of splitObjects(result.stdout)) {
    if (listed.Error) problems.push(`${listed.ImportPath}: ${listed.Error.Err}`);
    const tests = listed.TestGoFiles ?? [];
    const xtests = listed.XTestGoFiles ?? [];
    if (listed.Error || tests.length + xtests.length === 0) continue;
    packages.push({
      importPath: listed.ImportPath,
      dir: listed.Dir,
      name: listed.Name,
      testFiles: [...tests, ...xtests].map((file) => path.join(listed.Dir, file)),
      hasExternalTests: xtests.length > 0,
      moduleDir: listed.Module?.Dir || moduleDir,
    });
  }
  return { packages, problems };
}
