// The `goinsight.*` settings as the server uses them, with defaults, and a
// tolerant reader: a wrong type in the user's settings falls back to the
// default for that key instead of breaking the server.
import type { RuleSetting } from './engine/analyzeFile';
import type { Category } from './engine/finding';

export const allCategories: readonly Category[] = ['escape', 'inline', 'bounds', 'defer', 'channel', 'goroutine', 'sync'];

export interface Settings {
  enable: boolean;
  /** Categories the user switched off (all are on unless set to false). */
  disabledCategories: Set<Category>;
  inlayHints: { enable: boolean; deferOrder: boolean };
  analyzeGeneratedFiles: boolean;
  rules: Record<string, RuleSetting>;
  /** Above this many characters only cheap features run. */
  maxFileSize: number;
  goPath: string;
}

export const defaultSettings: Settings = {
  enable: true,
  disabledCategories: new Set(),
  inlayHints: { enable: true, deferOrder: true },
  analyzeGeneratedFiles: false,
  rules: {},
  maxFileSize: 2_000_000,
  goPath: '',
};

const ruleSettingValues: ReadonlySet<string> = new Set(['off', 'error', 'warning', 'info', 'hint']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  const flag = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
  return {
    enable: flag(section.enable, defaultSettings.enable),
    disabledCategories: new Set(allCategories.filter((category) => categories[category] === false)),
    inlayHints: {
      enable: flag(inlay.enable, defaultSettings.inlayHints.enable),
      deferOrder: flag(inlay.deferOrder, defaultSettings.inlayHints.deferOrder),
    },
    analyzeGeneratedFiles: flag(section.analyzeGeneratedFiles, defaultSettings.analyzeGeneratedFiles),
    rules,
    maxFileSize:
      typeof section.maxFileSize === 'number' && section.maxFileSize >= 10_000
        ? section.maxFileSize
        : defaultSettings.maxFileSize,
    goPath: typeof section.goPath === 'string' ? section.goPath : defaultSettings.goPath,
  };
}
