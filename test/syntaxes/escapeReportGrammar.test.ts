// The TextMate grammar of the escape report must match what the server
// renders: report headers, file headings, verdict lines and flow steps, with
// the location captures the highlighting (and the client's links) rely on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runEscapeAnalysis, findGo } from '../../server/src/compiler';
import { renderEscapeReport } from '../../server/src/features/escapeReport';
import { fixturesRoot } from '../support/analysisTest';
import { repositoryRoot } from '../support/lspClient';

interface Rule {
  match?: string;
  begin?: string;
  patterns?: { include?: string; match?: string }[];
}

const grammar = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'syntaxes', 'escape-report.tmLanguage.json'), 'utf8')) as {
  scopeName: string;
  repository: Record<string, Rule>;
};

const pattern = (name: string) => new RegExp((grammar.repository[name].match ?? grammar.repository[name].begin) as string);

test('the grammar is registered under the scope the manifest names, and every regex compiles', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
    contributes: { grammars: { scopeName: string; path: string; language: string }[]; languages: { id: string }[] };
  };
  const entry = manifest.contributes.grammars.find((candidate) => candidate.language === 'goinsight-escape-report');
  assert.equal(entry?.scopeName, grammar.scopeName);
  assert.ok(manifest.contributes.languages.some((language) => language.id === 'goinsight-escape-report'));
  for (const [name, rule] of Object.entries(grammar.repository)) {
    for (const source of [rule.match, rule.begin, ...(rule.patterns ?? []).map((inner) => inner.match)]) {
      if (source) assert.doesNotThrow(() => new RegExp(source), `${name}: ${source}`);
    }
  }
});

test('every line of a real report is recognised by exactly the rule meant for it', async () => {
  const go = findGo();
  assert.ok(go.found, 'the tests need go');
  const result = await runEscapeAnalysis({ packageDir: path.join(fixturesRoot, 'escape-protocol', 'shapes'), goPath: go.path });
  const lines = renderEscapeReport(result, 'en').split('\n').filter(Boolean);
  const kinds = lines.map((line) => {
    if (pattern('fileHeading').test(line)) return 'file';
    if (pattern('reportHeader').test(line)) return 'header';
    if (pattern('verdict').test(line)) return 'verdict';
    if (pattern('flowStep').test(line)) return 'flow';
    return `unrecognised: ${line}`;
  });
  assert.deepEqual(kinds.filter((kind) => kind.startsWith('unrecognised')), []);
  assert.deepEqual(kinds.slice(0, 3), ['header', 'header', 'file']);
  assert.ok(kinds.filter((kind) => kind === 'verdict').length >= 4);
  assert.ok(kinds.filter((kind) => kind === 'flow').length >= 6);
  const location = pattern('location').exec('shapes.go:9:2: moved to heap: p');
  assert.deepEqual(location?.slice(1), ['shapes.go', '9', '2']);
});
