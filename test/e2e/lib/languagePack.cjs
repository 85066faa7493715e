// A stand-in language pack for the editor tests: the smallest extension that
// declares the zh-cn display language (`contributes.localizations`), built
// into the run's temp dir as a .vsix. With it installed and `"locale": "zh-cn"`
// in the profile's argv.json (code-server reads USER_DATA/User/argv.json), VS Code reports its language as zh-cn, so the
// extension and the server speak Simplified Chinese, while the workbench's own
// menus (which the pack does not translate) stay in English. Nothing of it is
// committed, and nothing is downloaded.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const LOCALE = 'zh-cn';

/** Writes the pack's sources under `dir`, packs them with the repository's vsce, and returns the .vsix path. */
function buildLanguagePack(root, dir) {
  const source = path.join(dir, 'source');
  fs.mkdirSync(path.join(source, 'translations'), { recursive: true });
  const manifest = {
    name: 'e2e-language-pack-zh-cn',
    displayName: 'Stand-in zh-cn language pack (editor tests)',
    description: 'Declares the zh-cn display language so that extensions run in Simplified Chinese.',
    version: '0.0.1',
    publisher: 'goinsight-e2e',
    license: 'MIT',
    engines: { vscode: '^1.80.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        {
          languageId: LOCALE,
          languageName: 'Chinese Simplified',
          localizedLanguageName: '中文(简体)',
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify(manifest, null, 2));
  // No translated workbench strings: only the declaration of the language matters here.
  fs.writeFileSync(path.join(source, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(source, 'README.md'), '# Stand-in zh-cn language pack\n\nBuilt by the Go Insight editor tests; it translates nothing.\n');
  const vsix = path.join(dir, 'language-pack-zh-cn.vsix');
  execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: source,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120000,
  });
  return vsix;
}

/** The profile's argv.json, where code-server reads the display language. */
function writeLocaleArgv(userData) {
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'argv.json'), JSON.stringify({ locale: LOCALE }, null, 2));
}

module.exports = { LOCALE, buildLanguagePack, writeLocaleArgv };
