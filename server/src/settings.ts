// The `goinsight.*` settings as the server uses them, with defaults, and a
// tolerant reader: a wrong type in the user's settings falls back to the
// default for that key instead of breaking the server.
import type { RuleSetting } from './engine/analyzeFile';
import type { Category } from './engine/finding';

export const allCategories: readonly Category[] = ['escape', 'inline', 'bounds', 'defer', 'channel', 'goroutine', 'sync'];

export type CompilerRunMode = 'onSave' | 'onType' | 'manual';

/** Compiler-fed categories that are noisy for most code: off unless asked for. */
const categoriesOffByDefault: readonly Category[] = ['inline', 'bounds'];

export interface CompilerSettings {
  /** When escape analysis runs: on open and save, also while typing (debounced), or only on request. */
  run: CompilerRunMode;
  typingDelayMs: number;
  /** Extra go command flags, e.g. ["-race"]; each must start with "-". */
  buildFlags: string[];
  /** Build tags, comma-separated, passed as -tags. */
  buildTags: string;
  timeoutSeconds: number;
  showDoesNotEscape: boolean;
  /** The compiler's closure-capture details (by value / by reference). */
  showClosureCaptures: boolean;
}

export interface LeakSettings {
  /** A test binary still running after this long is treated as hung: its goroutines are dumped and it is stopped. */
  timeoutSeconds: number;
}

export interface PackageRuleSettings {
  /** While typing, the package rules run once no change has come for this long (0: with every keystroke). */
  typingDelayMs: number;
}

export interface Settings {
  enable: boolean;
  /** Categories the user switched off (all are on unless set to false). */
  disabledCategories: Set<Category>;
  inlayHints: { enable: boolean; deferOrder: boolean; escape: boolean };
  compiler: CompilerSettings;
  leaks: LeakSettings;
  packageRules: PackageRuleSettings;
  analyzeGeneratedFiles: boolean;
  rules: Record<string, RuleSetting>;
  /** Above this many characters only cheap features run. */
  maxFileSize: number;
  goPath: string;
}

export const defaultSettings: Settings = {
  enable: true,
  disabledCategories: new Set(categoriesOffByDefault),
  inlayHints: { enable: true, deferOrder: true, escape: true },
  compiler: { run: 'onType', typingDelayMs: 800, buildFlags: [], buildTags: '', timeoutSeconds: 120, showDoesNotEscape: false, showClosureCaptures: false },
  leaks: { timeoutSeconds: 60 },
  packageRules: { typingDelayMs: 300 },
  analyzeGeneratedFiles: false,
  rules: {},
  maxFileSize: 2_000_000,
  goPath: '',
};

const ruleSettingValues: ReadonlySet<string> = new Set(['off', 'error', 'warning', 'info', 'hint']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Node runs a timer set for longer than this (about 24.8 days) at once: longer delays and limits are cut to it. */
const longestTimerMs = 2 ** 31 - 1;

export function readSettings(raw: unknown): Settings {
  const section = isRecord(raw) ? raw : {};
  const inlay = isRecord(section.inlayHints) ? section.inlayHints : {};
  const rules: Record<string, RuleSetting> = {};
  if (isRecord(section.rules)) {
    for (const [id, value] of Object.entries(section.rules)) {
      if (typeof value === 'string' && ruleSettingValues.has(value)) rules[id] = value as RuleSetting;
    }
  }
  const categories = isRecord(section.categories) ? section.categories : {};
  const compiler = isRecord(section.compiler) ? section.compiler : {};
  const leaks = isRecord(section.leaks) ? section.leaks : {};
  const packageRules = isRecord(section.packageRules) ? section.packageRules : {};
  const defaults = defaultSettings.compiler;
  const flag = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
  const number = (value: unknown, fallback: number, minimum: number, maximum: number) => (typeof value === 'number' && value >= minimum ? Math.min(value, maximum) : fallback);
  const milliseconds = (value: unknown, fallback: number, minimum: number) => number(value, fallback, minimum, longestTimerMs);
  const seconds = (value: unknown, fallback: number, minimum: number) => number(value, fallback, minimum, Math.floor(longestTimerMs / 1000));
  const isOff = (category: Category) => categories[category] === false || (categories[category] !== true && categoriesOffByDefault.includes(category));
  return {
    enable: flag(section.enable, defaultSettings.enable),
    disabledCategories: new Set(allCategories.filter(isOff)),
    inlayHints: {
      enable: flag(inlay.enable, defaultSettings.inlayHints.enable),
      deferOrder: flag(inlay.deferOrder, defaultSettings.inlayHints.deferOrder),
      escape: flag(inlay.escape, defaultSettings.inlayHints.escape),
    },
    compiler: {
      run: compiler.run === 'onSave' || compiler.run === 'onType' || compiler.run === 'manual' ? compiler.run : defaults.run,
      typingDelayMs: milliseconds(compiler.typingDelayMs, defaults.typingDelayMs, 100),
      // Flags go to the go command as separate arguments, never through a shell; still, only flags are accepted.
      buildFlags: Array.isArray(compiler.buildFlags)
        ? compiler.buildFlags.filter((item): item is string => typeof item === 'string' && item.startsWith('-'))
        : defaults.buildFlags,
      buildTags: typeof compiler.buildTags === 'string' && /^[\w.,-]*$/.test(compiler.buildTags) ? compiler.buildTags : defaults.buildTags,
      timeoutSeconds: seconds(compiler.timeoutSeconds, defaults.timeoutSeconds, 5),
      showDoesNotEscape: flag(compiler.showDoesNotEscape, defaults.showDoesNotEscape),
      showClosureCaptures: flag(compiler.showClosureCaptures, defaults.showClosureCaptures),
    },
    leaks: { timeoutSeconds: seconds(leaks.timeoutSeconds, defaultSettings.leaks.timeoutSeconds, 2) },
    packageRules: { typingDelayMs: milliseconds(packageRules.typingDelayMs, defaultSettings.packageRules.typingDelayMs, 0) },
    analyzeGeneratedFiles: flag(section.analyzeGeneratedFiles, defaultSettings.analyzeGeneratedFiles),
    rules,
    maxFileSize:
      typeof section.maxFileSize === 'number' && section.maxFileSize >= 10_000
        ? section.maxFileSize
        : defaultSettings.maxFileSize,
    goPath: typeof section.goPath === 'string' ? section.goPath : defaultSettings.goPath,
  };
}
