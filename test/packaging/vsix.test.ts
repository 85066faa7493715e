// The .vsix must carry the bundles and both .wasm files (the server loads them
// from beside itself) and nothing else: no sources, tests or maps.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/lspClient';

test('the packaged extension contains the bundles, the wasm files, the manifest, translations, grammar and README image, and nothing else', () => {
  const vsce = path.join(repositoryRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repositoryRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const files = result.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  const required = [
    'LICENSE',
    'README.md',
    'dist/cli.js',
    'dist/client.js',
    'dist/server.js',
    'dist/tree-sitter-go.wasm',
    'dist/tree-sitter.wasm',
    'images/vscode-defer-order-and-escapes.png',
    'l10n/bundle.l10n.zh-cn.json',
    'package.json',
    'package.nls.json',
    'package.nls.zh-cn.json',
    'syntaxes/escape-report.tmLanguage.json',
  ];
  for (const file of required) assert.ok(files.includes(file), `${file} is missing from the package: ${files.join(', ')}`);
  const unexpected = files.filter((file) => /(^|\/)(test|server|client|scripts|examples|node_modules)\/|\.ts$|\.map$/.test(file));
  assert.deepEqual(unexpected, []);
});
