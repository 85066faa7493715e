// Section 5: `goinsight escapes --since` on a medium package, next to what a
// person would otherwise run: two bare `go build -gcflags=-m` (the revision's
// copy and the working tree), each cold for the package (a -json directory
// never used before makes the go command recompile it; dependencies come from
// the build cache in both). The package is a copy of GOROOT's encoding/json
// (non-test files) in a throwaway git repository with two commits: the
// second adds a line at the top of every file, so every fact moves.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { percentile, repositoryRoot, timedRun } from './common.mjs';

const rounds = 3;

function git(cwd, ...args) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

function median(samples) {
  return percentile([...samples].sort((a, b) => a - b), 0.5);
}

/** A throwaway repository: encoding/json committed, then every file moved down a line (committed too). */
function repositoryOfJson(goRoot) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-bench-since-'));
  const source = path.join(goRoot, 'src', 'encoding', 'json');
  const files = fs.readdirSync(source).filter((name) => name.endsWith('.go') && !name.endsWith('_test.go'));
  for (const name of files) fs.copyFileSync(path.join(source, name), path.join(dir, name));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/json\n\ngo 1.22\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'add', '-A');
  git(dir, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-q', '-m', 'json');
  for (const name of files) fs.writeFileSync(path.join(dir, name), `// moved\n${fs.readFileSync(path.join(dir, name), 'utf8')}`);
  git(dir, '-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-q', '-am', 'moved');
  return { dir, files: files.length };
}

async function bareBuild(dir, timeoutMs) {
  const jsonDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-bench-'));
  try {
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' };
    return await timedRun('go', ['build', '-o', os.devNull, `-gcflags=-m -json=0,${jsonDir}`, '.'], { cwd: dir, env, timeoutMs });
  } finally {
    fs.rmSync(jsonDir, { recursive: true, force: true });
  }
}

export async function measureSince({ goRoot, timeoutMs }) {
  const { dir, files } = repositoryOfJson(goRoot);
  const previous = fs.mkdtempSync(path.join(os.tmpdir(), 'goinsight-bench-since-old-'));
  try {
    // The first commit's files, for the second bare build.
    spawnSync('git', ['--work-tree', previous, 'checkout', 'HEAD~1', '--', '.'], { cwd: dir });
    git(dir, 'reset', '-q', '--hard');
    const cli = path.join(repositoryRoot, 'dist', 'cli.js');
    const bare = [];
    const since = [];
    let last;
    for (let round = 0; round < rounds; round++) {
      const before = await bareBuild(previous, timeoutMs);
      const after = await bareBuild(dir, timeoutMs);
      bare.push(before.ms + after.ms);
      last = await timedRun(process.execPath, [cli, 'escapes', '--since', 'HEAD~1', '--format', 'json'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' }, timeoutMs });
      since.push(last.ms);
    }
    let counts;
    try {
      counts = JSON.parse(last.stdout).since;
    } catch {
      counts = undefined;
    }
    return { label: `medium: encoding/json copy (${files} files, every line moved)`, bareTwoBuilds: median(bare), since: median(since), counts, exitCode: last.code };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(previous, { recursive: true, force: true });
  }
}
