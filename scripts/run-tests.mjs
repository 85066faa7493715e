// Runs every compiled test file (out/test/**/*.test.js) with Node's built-in
// test runner. Node 20 cannot expand globs itself, and handing it the whole
// out/test folder would also run helper modules as tests.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, found) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) collect(full, found);
    else if (name.endsWith('.test.js')) found.push(full);
  }
  return found;
}

const filter = process.argv[2];
const files = collect('out/test', []).filter((file) => !filter || file.includes(filter));
if (files.length === 0) {
  console.error(`no test files found under out/test${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
// No test may hang the suite: one that runs past five minutes fails (tests that wait on a child set shorter limits).
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-timeout=300000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
