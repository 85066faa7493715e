// The package rules' findings after edits, as the server makes them (one
// package kept across versions, unchanged declarations keeping their facts,
// summaries, index parts and findings), against those of a package built
// fresh from the same texts. Seeded edits of the kinds typing makes: a
// statement copied from elsewhere in the package into a body, a line
// deleted, a word typed into, a struct field added, a buffer closed (its
// text back to the disk's). Any cache kept past what it depends on shows up
// here as a finding that differs, appears or goes missing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { packageFindings, type PackageAnalysisOptions } from '../../server/src/engine/analyzePackage';
import type { GoPackage } from '../../server/src/packageModel/goPackage';
import { fixturesRoot } from '../support/analysisTest';
import { editablePackages } from '../support/packageTest';
import { seededRandom } from '../support/seededRandom';

/** The rule fixtures of the package rules: each directory holds one package or a few side by side. */
const fixtureDirectories = [
  'rules/channel/no-counterpart/multifile',
  'rules/channel/no-counterpart/positive',
  'rules/channel/no-counterpart/negative',
  'rules/goroutine/lost-cancel-stored/positive',
  'rules/goroutine/lost-cancel-stored/negative',
  'rules/goroutine/unguarded-blocking-op/multifile',
  'rules/goroutine/unguarded-blocking-op/positive',
  'rules/goroutine/unguarded-blocking-op/negative',
  'rules/goroutine/wg-add-inside-started/multifile',
  'rules/goroutine/wg-add-inside-started/positive',
  'rules/sync/blocking-under-lock/multifile',
  'rules/sync/blocking-under-lock/positive',
  'rules/sync/blocking-under-lock/negative',
  'rules/sync/lock-order-inversion/multifile',
  'rules/sync/lock-order-inversion/positive',
  'rules/sync/relock-through-call/multifile',
  'rules/sync/relock-through-call/positive',
];

/** Packages of the standard library with many locks, channels and goroutines across files. */
const standardPackages = ['database/sql', 'net/rpc', 'os/signal'];

const options: PackageAnalysisOptions = { locale: 'en' };

function goFilesOf(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(directory).sort()) {
    if (name.endsWith('.go')) files[path.join(directory, name)] = fs.readFileSync(path.join(directory, name), 'utf8');
  }
  return files;
}

/** Every file's findings, as text that shows what differs. */
function findingsOf(pkg: (file: string) => GoPackage | undefined, files: readonly string[]): Map<string, string> {
  const byFile = new Map<string, string>();
  for (const file of files) {
    const found = pkg(file);
    if (!found) {
      byFile.set(file, 'no package');
      continue;
    }
    const { findings, failures } = packageFindings(found, file, options);
    // One line per finding, so a difference reads as the lines that differ.
    byFile.set(file, [...failures.map((failure) => `threw: ${JSON.stringify(failure)}`), ...findings.map((finding) => JSON.stringify(finding))].join('\n'));
  }
  return byFile;
}

const statementLine = /^\t+[^\s/{}][^{}]*[\w)\]"]$/;
const fieldLine = /^\t[a-zA-Z_]\w*\s+[\w.*[\]]+[\w\]]$/;

/** One seeded edit of a text, and what it did; undefined when the text offers no place for it. */
function edited(text: string, donors: readonly string[], random: () => number): { text: string; edit: string } | undefined {
  const lines = text.split('\n');
  const pick = <T>(items: readonly T[]): T | undefined => (items.length > 0 ? items[Math.floor(random() * items.length)] : undefined);
  const indexes = (pattern: RegExp) => lines.flatMap((line, index) => (pattern.test(line) ? [index] : []));
  const kind = random();
  let edit: string;
  if (kind < 0.45) {
    // A statement of the package typed after another statement.
    const at = pick(indexes(statementLine));
    const donor = pick(donors);
    if (at === undefined || donor === undefined) return undefined;
    const indent = /^\t*/.exec(lines[at])![0];
    lines.splice(at + 1, 0, indent + donor.trim());
    edit = `inserted \`${donor.trim()}\` as line ${at + 2}`;
  } else if (kind < 0.65) {
    const at = pick(indexes(statementLine));
    if (at === undefined) return undefined;
    edit = `deleted line ${at + 1} \`${lines[at].trim()}\``;
    lines.splice(at, 1);
  } else if (kind < 0.85) {
    // A word typed into: an identifier grows by a letter (a call, a field, a channel renamed).
    // Not the package clause: a file leaving its package is not this test's subject.
    const at = pick(indexes(/^(?!package )\w|^\s+\w/));
    if (at === undefined) return undefined;
    const words = [...lines[at].matchAll(/[A-Za-z_]\w*/g)];
    const word = pick(words);
    if (!word || word.index === undefined) return undefined;
    const end = word.index + word[0].length;
    lines[at] = `${lines[at].slice(0, end)}x${lines[at].slice(end)}`;
    edit = `typed x after \`${word[0]}\` on line ${at + 1}`;
  } else {
    // A struct field typed in, copying a field of the package (a mutex or a channel, often).
    const at = pick(indexes(fieldLine));
    if (at === undefined) return undefined;
    const [, name, type] = /^\t(\w+)\s+(.*)$/.exec(lines[at])!;
    lines.splice(at + 1, 0, `\t${name}2 ${type}`);
    edit = `added field \`${name}2 ${type}\` as line ${at + 2}`;
  }
  return { text: lines.join('\n'), edit };
}

/** How many files' findings were compared, and how many of those had findings (a comparison of nothing proves little). */
async function checkEdits(label: string, disk: Readonly<Record<string, string>>, steps: number, seed: number): Promise<{ compared: number; withFindings: number }> {
  const files = Object.keys(disk);
  const random = seededRandom(seed);
  const { workspace, open } = await editablePackages(disk);
  const current: Record<string, string> = { ...disk };
  const donors = Object.values(disk).flatMap((text) => text.split('\n').filter((line) => statementLine.test(line)));
  let compared = 0;
  let withFindings = 0;
  for (let step = 0; step < steps; step++) {
    const file = files[Math.floor(random() * files.length)];
    let description: string;
    if (random() < 0.1 && current[file] !== disk[file]) {
      workspace.closeFile(file);
      current[file] = disk[file];
      description = `closed ${path.basename(file)}`;
    } else {
      const change = edited(current[file], donors, random);
      if (change === undefined) continue;
      current[file] = change.text;
      open(file, change.text);
      description = `${path.basename(file)}: ${change.edit}`;
    }
    // As the server asks: mostly the edited file; now and then every file of the directory.
    const asked = random() < 0.3 ? files : [file];
    const kept = findingsOf((each) => workspace.packageOf(each), asked);
    const fresh = await editablePackages(current);
    const expected = findingsOf((each) => fresh.workspace.packageOf(each), asked);
    for (const each of asked) {
      assert.equal(kept.get(each), expected.get(each), `${label}, step ${step} (${description}): findings in ${path.basename(each)} differ from a fresh package's`);
      compared++;
      if (kept.get(each)) withFindings++;
    }
  }
  return { compared, withFindings };
}

test('incremental package rules: after seeded edits of the rule fixtures, findings equal a fresh package’s', async () => {
  let compared = 0;
  let withFindings = 0;
  for (const [index, relative] of fixtureDirectories.entries()) {
    const run = await checkEdits(relative, goFilesOf(path.join(fixturesRoot, relative)), 40, 1000 + index);
    compared += run.compared;
    withFindings += run.withFindings;
  }
  assert.ok(compared >= fixtureDirectories.length * 30, `only ${compared} comparisons`);
  assert.ok(withFindings >= compared / 3, `only ${withFindings} of ${compared} comparisons had findings`);
});

test('incremental package rules: after seeded edits of standard-library packages, findings equal a fresh package’s', async (t) => {
  const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim();
  if (!goroot) return t.skip('no go command: the packages are GOROOT/src');
  let compared = 0;
  let withFindings = 0;
  for (const [index, relative] of standardPackages.entries()) {
    const run = await checkEdits(relative, goFilesOf(path.join(goroot, 'src', relative)), 25, 2000 + index);
    compared += run.compared;
    withFindings += run.withFindings;
  }
  assert.ok(compared >= 40, `only ${compared} comparisons`);
  assert.ok(withFindings > 0, 'no comparison had findings: it would prove little');
});
