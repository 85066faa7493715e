// Every quick fix of the defer rules, applied to its fixture, must still
// compile with the real Go toolchain (go build with the fixed file as an
// overlay), not only parse: a fix that leaves an unused label or redeclares
// `err` parses fine and does not compile. (Not go vet: the fixtures keep
// their other, deliberate bugs, which vet's own analyzers report.)
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeFixture, fixturesRoot } from '../support/analysisTest';
import { applyFix, buildWithFixedFile } from '../support/applyFix';

const fixtures = [
  ...fs.readdirSync(path.join(fixturesRoot, 'rules/defer')).map((dir) => `rules/defer/${dir}/positive.go`),
  'rules-go121/defer/loop-var-capture/positive.go',
].filter((file) => fs.existsSync(path.join(fixturesRoot, file)));

const hasGo = spawnSync('go', ['version']).status === 0;

test('defer quick fixes compile (go build)', { skip: hasGo ? false : 'no go toolchain on PATH' }, async () => {
  const failures: string[] = [];
  let checked = 0;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-fix-'));
  try {
    for (const fixture of fixtures) {
      const { findings, text, file } = await analyzeFixture(fixture);
      for (const finding of findings.filter((candidate) => candidate.rule.startsWith('defer/'))) {
        for (const fix of finding.fixes) {
          checked++;
          const { buildErrors } = buildWithFixedFile(file, applyFix(text, fix), scratch);
          if (buildErrors !== undefined) failures.push(`${fixture}:${finding.range.start.line + 1} ${finding.rule} "${fix.title}":\n${buildErrors}`);
        }
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  assert.ok(checked >= 20, `only ${checked} fixes found`);
  assert.deepEqual(failures, []);
});
