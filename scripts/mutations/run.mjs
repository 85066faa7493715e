// `npm run test:mutations [ID...]`: breaks each promise of the README on
// purpose, one at a time, in a temporary copy of the repository, and runs the
// tests that should notice. A mutation that no test notices is a survivor: a
// promise the next refactor could break silently. The list is in
// mutations.mjs next to this file; grow it when a promise is added.
//
// Each mutation replaces exact pieces of source text (each must occur
// exactly once, so a refactor that moves it is reported, not skipped). The
// copy is built once; per mutation only the bundles (esbuild, seconds) and the
// mutated module of the compiled tests are rebuilt, then restored.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { mutations } from './mutations.mjs';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** One test file gets this long before its mutation counts as caught by a hang (the suite itself has per-test timeouts). */
const testRunLimitMs = 10 * 60_000;

function run(command, args, cwd, timeoutMs) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, timedOut: result.error?.code === 'ETIMEDOUT', output: `${result.stdout ?? ''}${result.stderr ?? ''}`, ms: Date.now() - started };
}

function copyRepository() {
  const copy = mkdtempSync(join(tmpdir(), 'goinsight-mutations-'));
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repository, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(repository, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repository, file), join(copy, file));
  }
  symlinkSync(join(repository, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

function testFiles(copy, filters) {
  const found = [];
  const collect = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) collect(full);
      else if (name.endsWith('.test.js') && filters.some((filter) => full.includes(filter))) found.push(relative(copy, full));
    }
  };
  collect(join(copy, 'out', 'test'));
  return found;
}

/** The compiled test tree's copy of a source module, rebuilt from the (mutated) TypeScript. */
function compiledModule(copy, sourceFile) {
  return join(copy, 'out', sourceFile.replace(/\.ts$/, '.js'));
}

function transpile(copy, sourceFile) {
  const source = readFileSync(join(copy, sourceFile), 'utf8');
  const { code } = transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: sourceFile });
  writeFileSync(compiledModule(copy, sourceFile), code);
}

function firstFailure(output) {
  const lines = output.split('\n');
  const index = lines.findIndex((line) => /^\s*✖/.test(line));
  if (index < 0) return lines.filter((line) => /Error|error/.test(line)).slice(0, 1).join(' ').trim().slice(0, 160);
  const detail = lines.slice(index + 1, index + 8).find((line) => /\S/.test(line) && !/^\s*(at |\{|\})/.test(line)) ?? '';
  return `${lines[index].trim()} — ${detail.trim()}`.slice(0, 200);
}

function main() {
  const wanted = process.argv.slice(2);
  const selected = wanted.length > 0 ? mutations.filter((mutation) => wanted.includes(mutation.id)) : mutations;
  if (selected.length === 0) {
    console.error(`no mutation with id ${wanted.join(', ')}; known: ${mutations.map((mutation) => mutation.id).join(', ')}`);
    process.exit(2);
  }
  const copy = copyRepository();
  console.log(`copy of the repository: ${copy}`);
  try {
    for (const [command, args] of [
      ['node', ['scripts/build.mjs']],
      [join(copy, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.test.json']],
    ]) {
      const built = run(command, args, copy, testRunLimitMs);
      if (built.status !== 0) throw new Error(`${command} failed in the copy:\n${built.output}`);
    }
    const results = [];
    for (const mutation of selected) results.push(check(copy, mutation));
    console.log('\n| id | promise | result | caught by |\n| --- | --- | --- | --- |');
    for (const { mutation, verdict, detail } of results) console.log(`| ${mutation.id} | ${mutation.promise} | ${verdict} | ${detail.replace(/\|/g, '\\|')} |`);
    const survivors = results.filter((result) => result.verdict !== 'caught');
    console.log(`\n${results.length - survivors.length} of ${results.length} mutations caught${survivors.length ? `; not caught: ${survivors.map((result) => result.mutation.id).join(', ')}` : ''}`);
    process.exitCode = survivors.length > 0 ? 1 : 0;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** A mutation's edits: most replace one piece of one file; a promise held twice (defence in depth) needs both broken. */
const editsOf = (mutation) => mutation.edits ?? [{ file: mutation.file, from: mutation.from, to: mutation.to }];

function check(copy, mutation) {
  const edits = editsOf(mutation);
  const originals = new Map(edits.map((edit) => [edit.file, readFileSync(join(copy, edit.file), 'utf8')]));
  const mutated = new Map(originals);
  for (const edit of edits) {
    const text = mutated.get(edit.file);
    const occurrences = text.split(edit.from).length - 1;
    if (occurrences !== 1) return { mutation, verdict: 'does not apply', detail: `the text to replace occurs ${occurrences} times in ${edit.file}` };
    mutated.set(edit.file, text.replace(edit.from, () => edit.to));
  }
  // Only TypeScript modules have a compiled copy; other files (.vscodeignore, the manifest) are read as they are.
  const compiledFiles = [...originals.keys()].filter((file) => file.endsWith('.ts'));
  for (const file of compiledFiles) copyFileSync(compiledModule(copy, file), `${compiledModule(copy, file)}.unmutated`);
  process.stdout.write(`${mutation.id} … `);
  try {
    for (const [file, text] of mutated) {
      writeFileSync(join(copy, file), text);
      if (compiledFiles.includes(file)) transpile(copy, file);
    }
    const bundled = run('node', ['scripts/build.mjs'], copy, testRunLimitMs);
    if (bundled.status !== 0) return { mutation, verdict: 'does not build', detail: firstFailure(bundled.output) };
    const files = testFiles(copy, mutation.tests);
    if (files.length === 0) return { mutation, verdict: 'no tests', detail: `no compiled test matches ${mutation.tests.join(', ')}` };
    const tested = run('node', ['--test', '--test-reporter=spec', '--test-timeout=300000', ...files], copy, testRunLimitMs);
    const seconds = (tested.ms / 1000).toFixed(0);
    const verdict = tested.timedOut ? 'hangs' : tested.status === 0 ? 'SURVIVES' : 'caught';
    const detail = tested.timedOut ? `hung for ${seconds} s (no per-test timeout)` : tested.status === 0 ? `${files.length} test files pass (${seconds} s)` : `${firstFailure(tested.output)} (${seconds} s)`;
    console.log(`${verdict} (${seconds} s)`);
    return { mutation, verdict, detail };
  } finally {
    for (const [file, text] of originals) writeFileSync(join(copy, file), text);
    for (const file of compiledFiles) {
      copyFileSync(`${compiledModule(copy, file)}.unmutated`, compiledModule(copy, file));
      rmSync(`${compiledModule(copy, file)}.unmutated`);
    }
  }
}

main();
