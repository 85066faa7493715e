// Shared by the fuzz tests: how many cases to run (a fixed number in CI, more
// with GOINSIGHT_FUZZ_CASES for a long local run), the seed (GOINSIGHT_FUZZ_SEED
// replays another sequence), the text mutators, and saving a failing input so
// it can be turned into a regression fixture.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seededRandom } from '../support/seededRandom';

export const fuzzFixtures = path.resolve(__dirname, '../../../test/fixtures/fuzz');

/** Cases per test: `ciCases` unless GOINSIGHT_FUZZ_CASES says otherwise. */
export function caseCount(ciCases: number): number {
  const fromEnvironment = Number(process.env.GOINSIGHT_FUZZ_CASES);
  return Number.isInteger(fromEnvironment) && fromEnvironment > 0 ? fromEnvironment : ciCases;
}

export function fuzzSeed(fallback: number): number {
  const fromEnvironment = Number(process.env.GOINSIGHT_FUZZ_SEED);
  return Number.isInteger(fromEnvironment) ? fromEnvironment : fallback;
}

/** Hangs are what this guards against, never ordinary slowness: only something absurd fails. */
export const absurdMs = 5_000;

export class Fuzzer {
  readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  int(limit: number): number {
    return Math.floor(this.random() * limit);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  /** A random span [start, end) of the text, biased to short ones. */
  span(text: string): [number, number] {
    const start = this.int(text.length + 1);
    const length = Math.min(text.length - start, Math.floor(Math.pow(this.random(), 3) * 200));
    return [start, start + length];
  }

  insertAt(text: string, insert: string): string {
    const at = this.int(text.length + 1);
    return text.slice(0, at) + insert + text.slice(at);
  }

  /** Byte-level damage as a file on disk can have it: flipped bits, stray bytes (decoded as U+FFFD, as a file reader would). */
  flipBytes(text: string, flips: number): string {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 0) return text;
    for (let index = 0; index < flips; index++) bytes[this.int(bytes.length)] ^= 1 << this.int(8);
    return bytes.toString('utf8');
  }

  truncate(text: string): string {
    return text.slice(0, this.int(text.length + 1));
  }

  shuffleLines(text: string): string {
    const lines = text.split('\n');
    for (let index = lines.length - 1; index > 0; index--) {
      if (!this.chance(0.3)) continue;
      const other = this.int(index + 1);
      [lines[index], lines[other]] = [lines[other], lines[index]];
    }
    return lines.join('\n');
  }

  deleteSpan(text: string): string {
    const [start, end] = this.span(text);
    return text.slice(0, start) + text.slice(end);
  }

  duplicateSpan(text: string): string {
    const [start, end] = this.span(text);
    return text.slice(0, end) + text.slice(start, end) + text.slice(end);
  }

  /** Applies `count` mutations picked from `mutators`. */
  mutate(text: string, mutators: readonly ((text: string) => string)[], count: number): string {
    let result = text;
    for (let index = 0; index < count; index++) result = this.pick(mutators)(result);
    return result;
  }
}

/** Writes a failing input next to the OS temp files and returns the path, for the assertion message. */
export function saveFailingInput(name: string, content: string): string {
  const file = path.join(os.tmpdir(), `goinsight-fuzz-failure-${name}-${process.pid}`);
  fs.writeFileSync(file, content);
  return file;
}

/** Files under `dir` (recursively) whose name ends with one of `suffixes`, sorted. */
export function filesUnder(dir: string, suffixes: readonly string[]): string[] {
  const found: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) found.push(full);
    }
  }
  return found.sort();
}
