// Parses the goinsight command line (see DESIGN.md's CLI contract) into
// options, or a usage error with a one-line message.
import type { Severity } from '../engine/finding';
import type { Locale } from '../rules/rule';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CheckOptions {
  command: 'check';
  paths: string[];
  format: OutputFormat;
  rules?: Set<string>;
  noCompiler: boolean;
  includeGenerated: boolean;
  failOn: Exclude<Severity, 'hint'>;
  locale: Locale;
  goPath?: string;
  /** Threads that check files (--jobs); unset means one per CPU. 1 checks on the main thread. */
  jobs?: number;
}

export interface EscapesOptions {
  command: 'escapes';
  paths: string[];
  /** sarif only with --since: the new facts. */
  format: OutputFormat;
  /** Read `go build -gcflags=-m` output from stdin instead of running the compiler. */
  stdin: boolean;
  /** Also inlining, bounds, nil-check and defer facts, not only escape analysis. */
  all: boolean;
  goPath?: string;
  /** --tags: build tags, comma-separated, for the go command. */
  tags?: string;
  /** --since: the git revision to compare with. */
  since?: string;
  /** --fail-on-new: exit 1 when a new heap allocation appears since the revision. */
  failOnNew: boolean;
  locale: Locale;
}

export interface LeaksOptions {
  command: 'leaks';
  paths: string[];
  format: OutputFormat;
  locale: Locale;
  /** go test -run. */
  run?: string;
  /** go test -count: iterations inside one test process. */
  count: number;
  /** Whole runs, results merged. */
  repeat: number;
  /** A package's tests still running after this long count as hung. */
  timeoutMs: number;
  race: boolean;
  /** Use the plain goroutine dump even where the leak profile exists. */
  noLeakProfile: boolean;
  goPath?: string;
}

export type ParsedArguments = CheckOptions | EscapesOptions | LeaksOptions | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {}

export const usage = `Usage:
  goinsight check [PATH...] [--format text|json|sarif] [--rules LIST] [--no-compiler]
                  [--fail-on error|warning|info] [--lang en|zh-cn] [--go PATH]
                  [--include-generated] [--jobs N]
  goinsight escapes [PATH...] [--format text|json] [--all] [--go PATH] [--tags LIST]
  goinsight escapes [PATH...] --since REF [--fail-on-new] [--format text|json|sarif]
                  [--go PATH] [--tags LIST] [--lang en|zh-cn]
  goinsight escapes --stdin [--format text|json]    # reads go build -gcflags=-m output
  goinsight leaks [PATH...] [--run REGEX] [--count N] [--repeat K] [--timeout D]
                  [--race] [--format text|json|sarif] [--lang en|zh-cn] [--go PATH]
                  [--no-leak-profile]

PATH is a Go file, a directory (its own .go files), or DIR/... (recursively,
skipping vendor, testdata and hidden directories); the default is ./...

Exit status: 0 no findings at or above --fail-on (default error), 1 findings,
2 usage or setup error. escapes --since REF compares the heap facts with
those of the git revision REF (a branch, tag, HEAD~1, or A... for the merge
base of A and HEAD), built from a private copy; --fail-on-new exits 1 when
a new heap allocation appears. Files marked "// Code generated ... DO NOT EDIT."
are skipped unless --include-generated is given. --jobs N checks files on N
worker threads (default: one per CPU; --jobs 1: on the main thread only); the
output is the same, in the same order, whatever N is.

leaks runs the packages' tests (go test) with Go's goroutine leak profile
(Go 1.26 with GOEXPERIMENT=goroutineleakprofile, whose first run builds the
runtime once; built in from Go 1.27) and reports goroutines blocked forever,
at the blocking operation, and tests that failed or hung, at their func line.
--count N is go test's -count; --repeat K runs everything K times and merges
the results; --timeout D (default 60s; e.g. 90s, 5m) is how long a package's
tests may run before they count as hung. Without the leak profile (older Go,
or --no-leak-profile) goroutines still blocked at the end are reported, with
lower confidence. Exit status: 1 when something leaked or a test failed or
hung.`;

function localeFromEnvironment(environment: NodeJS.ProcessEnv): Locale {
  const value = environment.LC_ALL || environment.LC_MESSAGES || environment.LANG || '';
  return value.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`${flag} needs a value (${allowed.join('|')})`);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function parseArguments(argv: readonly string[], environment: NodeJS.ProcessEnv = process.env): ParsedArguments {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'version' || command === '--version') return { command: 'version' };
  if (command === 'escapes') return parseEscapesArguments(rest, environment);
  if (command === 'leaks') return parseLeaksArguments(rest, environment);
  if (command !== 'check') throw new UsageError(`unknown command "${command}" (expected check, escapes or leaks)`);

  const options: CheckOptions = {
    command: 'check',
    paths: [],
    format: 'text',
    noCompiler: false,
    includeGenerated: false,
    failOn: 'error',
    locale: localeFromEnvironment(environment),
  };
  const walked = walkArguments(rest, options.paths, (flag, value) => {
    switch (flag) {
      case '--format':
        options.format = oneOf(flag, value(), ['text', 'json', 'sarif'] as const);
        return true;
      case '--rules': {
        const list = value();
        if (!list) throw new UsageError('--rules needs a comma-separated list of rule ids');
        options.rules = new Set(list.split(',').map((id) => id.trim()).filter(Boolean));
        return true;
      }
      case '--no-compiler':
        options.noCompiler = true;
        return true;
      case '--include-generated':
        options.includeGenerated = true;
        return true;
      case '--fail-on':
        options.failOn = oneOf(flag, value(), ['error', 'warning', 'info'] as const);
        return true;
      case '--lang':
        options.locale = oneOf(flag, value()?.toLowerCase(), ['en', 'zh-cn'] as const);
        return true;
      case '--go':
        options.goPath = goBinary(value());
        return true;
      case '--jobs':
        options.jobs = jobCount(value());
        return true;
      default:
        return false;
    }
  });
  if (walked === 'help') return { command: 'help' };
  if (options.paths.length === 0) options.paths.push('./...');
  return options;
}

function jobCount(value: string | undefined): number {
  if (value === undefined) throw new UsageError('--jobs needs a number of threads (1 or more)');
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`--jobs: "${value}" is not a number of threads (1 or more)`);
  return count;
}

/**
 * Walks a command's arguments: `--flag value` and `--flag=value` both work;
 * `apply` takes the flags it knows (pulling a value through `value()`) and
 * returns false for others, which are usage errors; the rest are PATHs.
 * Returns 'help' when help was asked for.
 */
function walkArguments(
  rest: readonly string[],
  paths: string[],
  apply: (flag: string, value: () => string | undefined) => boolean,
): 'help' | undefined {
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    const [flag, inlineValue] = splitFlag(argument);
    if (flag === '--help' || flag === '-h') return 'help';
    if (apply(flag, () => inlineValue ?? rest[++index])) continue;
    if (argument.startsWith('-')) throw new UsageError(`unknown flag ${argument}`);
    paths.push(argument);
  }
  return undefined;
}

/** A path that cannot be mistaken for a flag by the go command. */
function goBinary(value: string | undefined): string {
  if (!value || value.startsWith('-')) throw new UsageError('--go needs the path of a go binary');
  return value;
}

function splitFlag(argument: string): [string, string | undefined] {
  if (!argument.startsWith('--') || !argument.includes('=')) return [argument, undefined];
  return [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)];
}

function parseEscapesArguments(rest: readonly string[], environment: NodeJS.ProcessEnv): ParsedArguments {
  const options: EscapesOptions = { command: 'escapes', paths: [], format: 'text', stdin: false, all: false, failOnNew: false, locale: localeFromEnvironment(environment) };
  const walked = walkArguments(rest, options.paths, (flag, value) => {
    switch (flag) {
      case '--format':
        options.format = oneOf(flag, value(), ['text', 'json', 'sarif'] as const);
        return true;
      case '--since': {
        const revision = value();
        if (!revision) throw new UsageError('--since needs a git revision (a branch, a tag, HEAD~1, main...)');
        options.since = revision;
        return true;
      }
      case '--fail-on-new':
        options.failOnNew = true;
        return true;
      case '--tags': {
        const tags = value();
        if (tags === undefined || tags.startsWith('-')) throw new UsageError('--tags needs a comma-separated list of build tags');
        options.tags = tags;
        return true;
      }
      case '--lang':
        options.locale = oneOf(flag, value()?.toLowerCase(), ['en', 'zh-cn'] as const);
        return true;
      case '--stdin':
        options.stdin = true;
        return true;
      case '--all':
        options.all = true;
        return true;
      case '--go':
        options.goPath = goBinary(value());
        return true;
      default:
        return false;
    }
  });
  if (walked === 'help') return { command: 'help' };
  if (options.stdin && options.paths.length > 0) throw new UsageError('--stdin reads compiler output; it takes no PATH');
  if (options.stdin && (options.since !== undefined || options.tags !== undefined)) throw new UsageError('--stdin reads compiler output; --since and --tags need the compiler');
  if (options.all && options.since !== undefined) throw new UsageError('--all does not go with --since, which compares heap facts only');
  if (options.failOnNew && options.since === undefined) throw new UsageError('--fail-on-new needs --since REF');
  if (options.format === 'sarif' && options.since === undefined) throw new UsageError('--format sarif needs --since REF (it lists the new heap allocations)');
  if (options.paths.length === 0) options.paths.push('./...');
  return options;
}

function positiveCount(flag: string, value: string | undefined): number {
  const count = value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`${flag} needs a whole number, 1 or more${value === undefined ? '' : ` (got "${value}")`}`);
  return count;
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go-style duration (`500ms`, `90s`, `5m`, `1h`), in milliseconds. */
function duration(flag: string, value: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value ?? '');
  const milliseconds = match ? Number(match[1]) * durationUnits[match[2]] : 0;
  if (milliseconds < 1) throw new UsageError(`${flag} needs a duration such as 90s or 5m${value === undefined ? '' : ` (got "${value}")`}`);
  return milliseconds;
}

function parseLeaksArguments(rest: readonly string[], environment: NodeJS.ProcessEnv): ParsedArguments {
  const options: LeaksOptions = {
    command: 'leaks',
    paths: [],
    format: 'text',
    locale: localeFromEnvironment(environment),
    count: 1,
    repeat: 1,
    timeoutMs: 60_000,
    race: false,
    noLeakProfile: false,
  };
  const walked = walkArguments(rest, options.paths, (flag, value) => {
    switch (flag) {
      case '--format':
        options.format = oneOf(flag, value(), ['text', 'json', 'sarif'] as const);
        return true;
      case '--lang':
        options.locale = oneOf(flag, value()?.toLowerCase(), ['en', 'zh-cn'] as const);
        return true;
      case '--run': {
        const pattern = value();
        if (!pattern) throw new UsageError('--run needs a regular expression');
        options.run = pattern;
        return true;
      }
      case '--count':
        options.count = positiveCount(flag, value());
        return true;
      case '--repeat':
        options.repeat = positiveCount(flag, value());
        return true;
      case '--timeout':
        options.timeoutMs = duration(flag, value());
        return true;
      case '--race':
        options.race = true;
        return true;
      case '--no-leak-profile':
        options.noLeakProfile = true;
        return true;
      case '--go':
        options.goPath = goBinary(value());
        return true;
      default:
        return false;
    }
  });
  if (walked === 'help') return { command: 'help' };
  if (options.paths.length === 0) options.paths.push('./...');
  return options;
}
