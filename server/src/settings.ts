// The `goinsight.*` settings as the server uses them, with defaults, and a
// tolerant reader: a wrong type in the user's settings falls back to the
// default for that key instead of breaking the server.
import type { RuleSetting } from './engine/analyzeFile';

export interface Settings {
  enable: boolean;
  inlayHints: { deferOrder: boolean };
  rules: Record<string, RuleSetting>;
  /** Above this many characters only cheap features run. */
  maxFileSize: number;
  goPath: string;
}

export const defaultSettings: Settings = {
  enable: true,
  inlayHints: { deferOrder: true },
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
  return {
    enable: typeof section.enable === 'boolean' ? section.enable : defaultSettings.enable,
    inlayHints: {
      deferOrder: typeof inlay.deferOrder === 'boolean' ? inlay.deferOrder : defaultSettings.inlayHints.deferOrder,
    },
    rules,
    maxFileSize:
      typeof section.maxFileSize === 'number' && section.maxFileSize >= 10_000
        ? section.maxFileSize
        : defaultSettings.maxFileSize,
    goPath: typeof section.goPath === 'string' ? section.goPath : defaultSettings.goPath,
  };
}
