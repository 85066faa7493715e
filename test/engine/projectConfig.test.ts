import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { GoModuleLocator } from '../../server/src/engine/goModule';
import { globToRegExp, isExcluded, parseProjectConfig, ProjectConfigError, ProjectConfigLocator } from '../../server/src/engine/projectConfig';
import { fixturesRoot } from '../support/analysisTest';

test('globs: ** spans directories, * and ? stay within one', () => {
  const cases: [string, string, boolean][] = [
    ['gen/**', 'gen/a.go', true],
    ['gen/**', 'gen/deep/b.go', true],
    ['gen/**', 'other/gen/a.go', false],
    ['**/*_mock.go', 'store_mock.go', true],
    ['**/*_mock.go', 'a/b/store_mock.go', true],
    ['*.go', 'a/b.go', false],
    ['a?.go', 'ab.go', true],
    ['a?.go', 'a/.go', false],
    ['file.name.go', 'fileXname.go', false],
  ];
  for (const [glob, candidate, expected] of cases) assert.equal(globToRegExp(glob).test(candidate), expected, `${glob} vs ${candidate}`);
});

test('a broken project file says what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['{', /x\.json: not valid JSON/],
    ['[]', /expected a JSON object/],
    ['{"rulez": {}}', /unknown key “rulez”/],
    ['{"rules": {"a/b": "loud"}}', /rule “a\/b”: expected one of “off”, “error”, “warning”, “info”, “hint”/],
    ['{"exclude": "gen"}', /“exclude” must be an array/],
  ];
  for (const [text, expected] of cases) {
    assert.throws(() => parseProjectConfig(text, 'x.json'), (error: unknown) => error instanceof ProjectConfigError && expected.test(error.message));
  }
});

test('the locator finds the file at the module root and applies excludes relative to it', () => {
  const locator = new ProjectConfigLocator(new GoModuleLocator());
  const root = path.join(fixturesRoot, 'projectconfig');
  const config = locator.forFile(path.join(root, 'app', 'app.go'));
  assert.ok(config && !(config instanceof ProjectConfigError));
  assert.deepEqual(config.rules, { 'defer/order': 'info' });
  assert.equal(isExcluded(config, path.join(root, 'app', 'app.go')), false);
  assert.equal(isExcluded(config, path.join(root, 'app', 'store_mock.go')), true);
  assert.equal(isExcluded(config, path.join(root, 'gen', 'gen.go')), true);
  const broken = locator.forFile(path.join(fixturesRoot, 'projectconfig-broken', 'broken.go'));
  assert.ok(broken instanceof ProjectConfigError);
  assert.equal(locator.forFile(path.join(fixturesRoot, 'cli', 'tree', 'file.go')), undefined);
});
