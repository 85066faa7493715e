// The .vsix must carry the bundles and both .wasm files (the server loads them
// from beside itself), the rule documentation the hovers link to, and nothing else. "Nothing else" is an allowlist: every
// packaged path must match one of a few exact shapes, so a new file reaching
// the package (a source map, a test fixture, a stray build output) fails here
// until someone decides it belongs there.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/lspClient';

/** Every path the package may contain. Translations, grammars and README images may grow; the bundles may not. */
const allowedPaths: readonly RegExp[] = [
  /^LICENSE$/,
  /^README\.md$/,
  /^package\.json$/,
  /^package\.nls\.json$/,
  /^package\.nls\.[a-z]{2}(-[a-z]{2})?\.json$/,
  /^l10n\/bundle\.l10n\.[a-z]{2}(-[a-z]{2})?\.json$/,
  /^dist\/(cli|client|server)\.js$/,
  /^dist\/tree-sitter(-go)?\.wasm$/,
  /^syntaxes\/[a-z-]+\.tmLanguage\.json$/,
  /^images\/[a-z0-9-]+\.png$/,
  /^docs\/rules(\.zh-cn)?\.md$/,
];

const required = [
  'LICENSE',
  'README.md',
  'dist/cli.js',
  'dist/client.js',
  'dist/server.js',
  'dist/tree-sitter-go.wasm',
  'dist/tree-sitter.wasm',
  'docs/rules.md',
  'docs/rules.zh-cn.md',
  'images/vscode-defer-order-and-escapes.png',
  'l10n/bundle.l10n.zh-cn.json',
  'package.json',
  'package.nls.json',
  'package.nls.zh-cn.json',
  'syntaxes/escape-report.tmLanguage.json',
];

const unexpected = (files: readonly string[]) => files.filter((file) => !allowedPaths.some((allowed) => allowed.test(file)));

test('the allowlist admits the files the extension needs and refuses sources, maps, tests and look-alikes', () => {
  assert.deepEqual(unexpected(required), []);
  const strays = [
    'dist/server.js.map',
    'dist/server.test.js',
    'server/src/server.ts',
    'test/fixtures/escape/main.go',
    'node_modules/web-tree-sitter/tree-sitter.wasm',
    'docs/rules.ja.md',
    'docs/rule-notes.md',
    'goinsight.vsix',
    '.vscodeignore',
    'images/screenshot.gif',
    'l10n/bundle.l10n.zh-cn.json.orig',
    'README.md.bak',
  ];
  assert.deepEqual(unexpected(strays), strays);
});

test('the packaged extension contains the bundles, the wasm files, the manifest, translations, grammar and README image, and nothing else', () => {
  const vsce = path.join(repositoryRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repositoryRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const files = result.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  for (const file of required) assert.ok(files.includes(file), `${file} is missing from the package: ${files.join(', ')}`);
  assert.deepEqual(unexpected(files), [], 'files outside the allowlist are packaged (see .vscodeignore)');
});
