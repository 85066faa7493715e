// Counts the findings of `goinsight check --format json` runs per rule and
// severity, with test files (_test.go) and the rest apart, as Markdown tables
// for test/precision/realworld.md. Usage:
//   node scripts/precision/count-findings.mjs NAME=FILE.json [NAME=FILE.json…]
// Each FILE is the output of `node dist/cli.js check --no-compiler --format json ./...`
// run inside the repository NAME.
import fs from 'node:fs';

const runs = process.argv.slice(2).map((argument) => {
  const [name, file] = argument.includes('=') ? argument.split('=') : [argument, argument];
  return { name, report: JSON.parse(fs.readFileSync(file, 'utf8')) };
});
if (runs.length === 0) {
  console.error('usage: count-findings.mjs NAME=FILE.json …');
  process.exit(2);
}

const severities = ['error', 'warning', 'info', 'hint'];
const isTest = (finding) => finding.file.endsWith('_test.go');

/** rule → { tests, other, bySeverity } over every run. */
const byRule = new Map();
for (const { report } of runs) {
  for (const finding of report.findings) {
    if (finding.source !== 'goinsight') continue;
    const row = byRule.get(finding.rule) ?? { tests: 0, other: 0, bySeverity: Object.fromEntries(severities.map((s) => [s, 0])) };
    if (isTest(finding)) row.tests++;
    else row.other++;
    row.bySeverity[finding.severity]++;
    byRule.set(finding.rule, row);
  }
}

// Hints are annotations (the defer order), not problems: counted apart.
const isLoud = (finding) => finding.severity === 'warning' || finding.severity === 'error';
console.log('| repository | files | lines | warning+error | of which in tests | info | hints |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { name, report } of runs) {
  const own = report.findings.filter((finding) => finding.source === 'goinsight');
  const loud = own.filter(isLoud);
  const count = (severity) => own.filter((finding) => finding.severity === severity).length;
  console.log(`| ${name} | ${report.stats.files} | ${report.stats.lines} | ${loud.length} | ${loud.filter(isTest).length} | ${count('info')} | ${count('hint')} |`);
}
console.log('');
console.log(`| rule | non-test | test | ${severities.join(' | ')} |`);
console.log(`| --- | ---: | ---: | ${severities.map(() => '---:').join(' | ')} |`);
for (const [rule, row] of [...byRule].sort((a, b) => b[1].tests + b[1].other - (a[1].tests + a[1].other) || a[0].localeCompare(b[0]))) {
  console.log(`| \`${rule}\` | ${row.other} | ${row.tests} | ${severities.map((s) => row.bySeverity[s]).join(' | ')} |`);
}
