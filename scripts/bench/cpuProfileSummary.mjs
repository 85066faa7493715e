// Where a V8 CPU profile (`node --cpu-prof`, or the bench's
// `--server-cpu-profile=DIR`) spends its time, without a browser:
//   node scripts/bench/cpuProfileSummary.mjs FILE [--top=40] [--match=REGEX] [--after=REGEX]
//     the functions with the most time, inclusive (itself and what it calls) and self;
//   node scripts/bench/cpuProfileSummary.mjs FILE --tree=REGEX [--depth=4] [--min-ms=20]
//     the call tree under the functions matching REGEX (`name:line` of the bundle),
//     calls of one function at one depth merged, so per-rule costs read directly;
//   --after=REGEX keeps only the samples after the last one inside a matching function,
//   --from=REGEX only those from the first one inside a matching function on.
import * as fs from 'node:fs';

const [file, ...flags] = process.argv.slice(2);
if (!file) {
  console.error('usage: cpuProfileSummary.mjs FILE [--top=N] [--match=REGEX] [--tree=REGEX [--depth=N] [--min-ms=N]]');
  process.exit(2);
}
const flag = (name) => flags.find((each) => each.startsWith(`--${name}=`))?.slice(name.length + 3);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const shortName = (node) => `${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber + 1}`;
// `--after=REGEX`: only the samples after the last one inside a function matching it (e.g. `^readFromDisk:`,
// the siblings' first load, to keep only the keystrokes that follow).
const after = flag('after') ? new RegExp(flag('after')) : undefined;
const inside = (id, pattern) => {
  for (let at = id; at !== undefined; at = parentOf.get(at)) if (pattern.test(shortName(nodeById.get(at)))) return true;
  return false;
};
// `--from=REGEX`: only the samples from the first one inside a matching function on (e.g. the didChange
// handler, to leave out the open and the first analysis).
const from = flag('from') ? new RegExp(flag('from')) : undefined;
const firstCounted = Math.max(after ? profile.samples.findLastIndex((id) => inside(id, after)) + 1 : 0, from ? Math.max(0, profile.samples.findIndex((id) => inside(id, from))) : 0);
const selfMicros = new Map();
profile.samples.forEach((id, index) => {
  if (index >= firstCounted) selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const longName = (node) => `${shortName(node)} ${node.callFrame.url.split('/').pop()}`;
const ms = (micros) => (micros / 1000).toFixed(0).padStart(7);

const tree = flag('tree');
if (tree) {
  const depth = Number(flag('depth') ?? 4);
  const minimum = Number(flag('min-ms') ?? 20) * 1000;
  const totals = new Map();
  const totalOf = (id) => {
    let total = totals.get(id);
    if (total === undefined) {
      total = (selfMicros.get(id) ?? 0) + (nodeById.get(id).children ?? []).reduce((sum, child) => sum + totalOf(child), 0);
      totals.set(id, total);
    }
    return total;
  };
  const print = (ids, level) => {
    if (level > depth) return;
    const byName = new Map();
    for (const id of ids) byName.set(shortName(nodeById.get(id)), [...(byName.get(shortName(nodeById.get(id))) ?? []), id]);
    const rows = [...byName].map(([name, group]) => ({ name, group, total: group.reduce((sum, id) => sum + totalOf(id), 0) }));
    for (const row of rows.sort((a, b) => b.total - a.total)) {
      if (row.total < minimum) continue;
      console.log(`${ms(row.total)} ms ${'  '.repeat(level)}${row.name}`);
      print(row.group.flatMap((id) => nodeById.get(id).children ?? []), level + 1);
    }
  };
  const pattern = new RegExp(tree);
  const matching = new Set(profile.nodes.filter((node) => pattern.test(shortName(node))).map((node) => node.id));
  // A recursive function counts once: only its outermost calls are roots.
  const outermost = [...matching].filter((id) => {
    for (let above = parentOf.get(id); above !== undefined; above = parentOf.get(above)) if (matching.has(above)) return false;
    return true;
  });
  print(outermost, 0);
} else {
  const top = Number(flag('top') ?? 40);
  const match = flag('match') ? new RegExp(flag('match')) : undefined;
  const inclusive = new Map();
  const self = new Map();
  for (const [id, micros] of selfMicros) {
    self.set(longName(nodeById.get(id)), (self.get(longName(nodeById.get(id))) ?? 0) + micros);
    // Each function once per sample, however deep it recurses.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const name = longName(nodeById.get(at));
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  }
  for (const [title, table] of [['inclusive', inclusive], ['self', self]]) {
    console.log(`== ${title} (ms)`);
    const rows = [...table].filter(([name]) => !match || match.test(name)).sort((a, b) => b[1] - a[1]);
    for (const [name, micros] of rows.slice(0, top)) console.log(`${ms(micros)} ${name}`);
  }
}
