// Locates the `go` binary the way other Go tooling does (vscode-go, gopls):
// the explicit setting, then PATH, then $GOROOT/bin, then the usual install
// locations. It reports the path *and why*, plus everything it tried, so a
// "go not found" message can say exactly what was looked at.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

export type GoLocationSource = 'setting' | 'PATH' | 'GOROOT' | 'default location';

export interface TriedLocation {
  path: string;
  source: GoLocationSource;
  /** Why it was not used (or `found`). */
  outcome: string;
}

export interface GoFound {
  found: true;
  path: string;
  source: GoLocationSource;
  /** A sentence for logs and the status tooltip. */
  reason: string;
  tried: TriedLocation[];
}

export interface GoNotFound {
  found: false;
  /** A sentence saying what was tried and how to fix it. */
  message: string;
  tried: TriedLocation[];
}

export type FindGoResult = GoFound | GoNotFound;

export interface FindGoOptions {
  /** The `goinsight.goPath` setting: a go binary, a directory holding one, or a command name looked up on PATH. */
  setting?: string;
  /** Where a relative setting is resolved (the workspace folder); relative settings are refused without it. */
  baseDir?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homeDir?: string;
  /** Replaces the file system check in tests. */
  isExecutable?: (file: string) => boolean;
  /** Replaces directory listing in tests (used for ~/sdk/go*). */
  listDir?: (dir: string) => string[];
  /** The language of the not-found message (default English). */
  locale?: Locale;
}

function defaultIsExecutable(platform: NodeJS.Platform): (file: string) => boolean {
  return (file) => {
    try {
      if (!fs.statSync(file).isFile()) return false;
      if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}

function defaultListDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Newest first by the numbers in `go1.22.3`-style names. */
function compareGoDirNames(a: string, b: string): number {
  const numbers = (name: string) => (name.match(/\d+/g) ?? []).map(Number);
  const left = numbers(a);
  const right = numbers(b);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (right[index] ?? -1) - (left[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function findGo(options: FindGoOptions = {}): FindGoResult {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.homeDir ?? os.homedir();
  const flavor = platform === 'win32' ? path.win32 : path.posix;
  const isExecutable = options.isExecutable ?? defaultIsExecutable(platform);
  const listDir = options.listDir ?? defaultListDir;
  const exe = platform === 'win32' ? 'go.exe' : 'go';
  const tried: TriedLocation[] = [];
  const locale = options.locale ?? 'en';

  const pathDirs = (env.PATH ?? env.Path ?? '').split(flavor.delimiter).filter((dir) => dir !== '');
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];

  const check = (candidate: string, source: GoLocationSource): boolean => {
    const ok = isExecutable(candidate);
    tried.push({ path: candidate, source, outcome: ok ? 'found' : 'not an executable file' });
    return ok;
  };
  const found = (candidate: string, source: GoLocationSource, reason: string): GoFound => ({
    found: true,
    path: candidate,
    source,
    reason,
    tried,
  });
  const searchPath = (command: string, source: GoLocationSource): string | undefined => {
    const names = platform === 'win32' && !/\.[^\\/]+$/.test(command) ? extensions.map((ext) => command + ext.toLowerCase()) : [command];
    for (const dir of pathDirs) {
      for (const name of names) {
        const candidate = flavor.join(dir, name);
        if (isExecutable(candidate)) {
          tried.push({ path: candidate, source, outcome: 'found' });
          return candidate;
        }
      }
    }
    tried.push({ path: `${command} on PATH`, source, outcome: pathDirs.length ? `not in any of ${pathDirs.length} PATH directories` : 'PATH is empty' });
    return undefined;
  };

  const setting = options.setting?.trim();
  if (setting) {
    // The value becomes the program we run; a leading `-` could only be a mistake or an attempt at an option.
    if (setting.startsWith('-')) {
      tried.push({ path: setting, source: 'setting', outcome: 'refused: starts with "-"' });
      return { found: false, message: localize(locale, 'goPathIsOption', { setting }), tried };
    }
    let value = setting;
    if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) value = flavor.join(home, value.slice(1));
    const hasSeparator = /[\\/]/.test(value);
    if (!hasSeparator) {
      const onPath = searchPath(value, 'setting');
      if (onPath) return found(onPath, 'setting', `goinsight.goPath names "${value}", found on PATH at ${onPath}`);
      return { found: false, message: localize(locale, 'goPathNotOnPath', { value }), tried };
    }
    if (!flavor.isAbsolute(value)) {
      if (!options.baseDir) {
        tried.push({ path: value, source: 'setting', outcome: 'refused: relative path without a workspace folder' });
        return { found: false, message: localize(locale, 'goPathRelative', { value }), tried };
      }
      value = flavor.resolve(options.baseDir, value);
    }
    for (const candidate of [value, flavor.join(value, exe), flavor.join(value, 'bin', exe)]) {
      if (check(candidate, 'setting')) return found(candidate, 'setting', `goinsight.goPath is set to ${setting}`);
    }
    return {
      found: false,
      message: localize(locale, 'goPathNotExecutable', { setting, exe }),
      tried,
    };
  }

  const onPath = searchPath('go', 'PATH');
  if (onPath) return found(onPath, 'PATH', `"go" found on PATH at ${onPath}`);

  if (env.GOROOT) {
    const candidate = flavor.join(env.GOROOT, 'bin', exe);
    if (check(candidate, 'GOROOT')) return found(candidate, 'GOROOT', `GOROOT is ${env.GOROOT}`);
  }

  const defaults: string[] = [];
  if (platform === 'win32') {
    const programFiles = env.ProgramFiles ?? 'C:\\Program Files';
    defaults.push(flavor.join(programFiles, 'Go', 'bin', exe), 'C:\\Go\\bin\\go.exe');
    if (env.LOCALAPPDATA) defaults.push(flavor.join(env.LOCALAPPDATA, 'Programs', 'Go', 'bin', exe));
  } else {
    defaults.push('/usr/local/go/bin/go', '/usr/local/bin/go', '/opt/homebrew/bin/go', '/usr/bin/go', '/usr/lib/go/bin/go', '/snap/bin/go');
  }
  defaults.push(flavor.join(home, 'go', 'bin', exe), flavor.join(home, '.go', 'bin', exe));
  const sdk = flavor.join(home, 'sdk');
  for (const name of listDir(sdk).filter((entry) => /^go\d/.test(entry)).sort(compareGoDirNames)) {
    defaults.push(flavor.join(sdk, name, 'bin', exe));
  }
  for (const candidate of defaults) {
    if (check(candidate, 'default location')) return found(candidate, 'default location', `"go" is not on PATH; using ${candidate}`);
  }

  return {
    found: false,
    message: localize(locale, env.GOROOT ? 'goNotFoundWithGoroot' : 'goNotFound', { count: defaults.length }),
    tried,
  };
}
