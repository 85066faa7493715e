// While no test file of a package is open, the server compiles it with
// `go build` (mode 'build'): the same facts for the package's own files, none
// for its tests, and a cache entry of its own.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { EscapeAnalyzer, findGo } from '../../server/src/compiler';
import { fixturesRoot } from '../support/analysisTest';

test("mode 'build' leaves out the tests' facts and keeps the package's own; each mode is cached apart", { timeout: 120_000 }, async () => {
  const go = findGo();
  assert.ok(go.found);
  const analyzer = new EscapeAnalyzer({ goPath: go.path });
  const packageDir = path.join(fixturesRoot, 'escape', 'kinds');
  try {
    const withTests = await analyzer.analyze(packageDir, { mode: 'auto' });
    const withoutTests = await analyzer.analyze(packageDir, { mode: 'build' });
    const files = (result: typeof withTests) => [...result.result.files.keys()].map((file) => path.basename(file)).sort();
    assert.ok(files(withTests).includes('kinds_test.go'));
    assert.ok(!files(withoutTests).includes('kinds_test.go'));
    const own = (result: typeof withTests) =>
      (result.result.files.get(path.join(packageDir, 'kinds.go')) ?? []).map((fact) => `${fact.line}:${fact.column} ${fact.message}`).sort();
    assert.deepEqual(own(withoutTests), own(withTests));
    assert.equal(withoutTests.fromCache, false, 'a build-mode run is not answered from the test-mode entry');
    assert.equal((await analyzer.analyze(packageDir, { mode: 'build' })).fromCache, true);
  } finally {
    analyzer.dispose();
  }
});
