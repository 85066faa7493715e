// `.goinsight.json` at a module root (next to go.mod): the team's choices,
// read by the language server and the CLI alike:
//   { "rules": { "defer/in-loop": "off", "channel/double-close": "error" },
//     "exclude": ["gen/**", "**/*_mock.go"] }
// Paths in `exclude` are globs relative to the file's directory (`**` spans
// directories, `*` and `?` stay within one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleSetting } from './analyzeFile';
import type { GoModuleLocator } from './goModule';
import { plainText } from './plainText';
import { listSeparator, localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

export const projectConfigFileName = '.goinsight.json';

export interface ProjectConfig {
  /** Absolute path of the .goinsight.json file. */
  file: string;
  rules: Record<string, RuleSetting>;
  exclude: RegExp[];
}

type ProjectConfigProblem = 'configNotJson' | 'configNotObject' | 'configUnknownKey' | 'configRulesNotObject' | 'configBadSetting' | 'configBadExclude' | 'configUnreadable' | 'configInvalid';

/** What is wrong with a project file, as plain text: `message` is English, `describe` says it in the user's language. */
export class ProjectConfigError extends Error {
  constructor(
    readonly problem: ProjectConfigProblem,
    readonly values: Record<string, string>,
    /** Names quoted in the message (unknown keys), joined as the language lists them. */
    readonly names: readonly string[] = [],
  ) {
    super('');
    this.message = this.describe('en');
  }

  describe(locale: Locale): string {
    const names = this.names.map((name) => `\`${name}\``).join(listSeparator(locale));
    return plainText(localize(locale, this.problem, { ...this.values, names }));
  }
}

const ruleSettings: ReadonlySet<string> = new Set(['off', 'error', 'warning', 'info', 'hint']);

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index];
    if (character === '*' && glob[index + 1] === '*') {
      // "**/" matches zero or more whole directories; a trailing "**" matches everything below.
      const slashFollows = glob[index + 2] === '/';
      source += slashFollows ? '(?:.*/)?' : '.*';
      index += slashFollows ? 2 : 1;
    } else if (character === '*') {
      source += '[^/]*';
    } else if (character === '?') {
      source += '[^/]';
    } else {
      source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Parses and validates the file's text; throws ProjectConfigError with what is wrong. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ProjectConfigError('configNotJson', { file, error: (error as Error).message });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ProjectConfigError('configNotObject', { file });
  const { rules = {}, exclude = [], ...unknown } = raw as { rules?: unknown; exclude?: unknown };
  const unknownKeys = Object.keys(unknown);
  if (unknownKeys.length > 0) throw new ProjectConfigError('configUnknownKey', { file }, unknownKeys);
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new ProjectConfigError('configRulesNotObject', { file });
  const checkedRules: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(rules)) {
    if (typeof value !== 'string' || !ruleSettings.has(value)) {
      throw new ProjectConfigError('configBadSetting', { file, rule: id });
    }
    checkedRules[id] = value as RuleSetting;
  }
  if (!Array.isArray(exclude) || exclude.some((item) => typeof item !== 'string')) {
    throw new ProjectConfigError('configBadExclude', { file });
  }
  return { file, rules: checkedRules, exclude: (exclude as string[]).map(globToRegExp) };
}

export function isExcluded(config: ProjectConfig, filePath: string): boolean {
  const relative = path.relative(path.dirname(config.file), filePath).split(path.sep).join('/');
  return config.exclude.some((pattern) => pattern.test(relative));
}

/** Finds the project file at the root of the module a file belongs to; cached per module. */
export class ProjectConfigLocator {
  private readonly byModuleRoot = new Map<string, ProjectConfig | ProjectConfigError | undefined>();

  constructor(private readonly modules: GoModuleLocator) {}

  /** The config for a file, a ProjectConfigError when the file is broken, or undefined when there is none. */
  forFile(filePath: string): ProjectConfig | ProjectConfigError | undefined {
    const module = this.modules.find(path.dirname(filePath));
    if (!module) return undefined;
    const root = path.dirname(module.goModPath);
    if (!this.byModuleRoot.has(root)) this.byModuleRoot.set(root, this.load(path.join(root, projectConfigFileName)));
    return this.byModuleRoot.get(root);
  }

  clear(): void {
    this.byModuleRoot.clear();
  }

  private load(file: string): ProjectConfig | ProjectConfigError | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return new ProjectConfigError('configUnreadable', { file, code: String((error as NodeJS.ErrnoException).code) });
    }
    try {
      return parseProjectConfig(text, file);
    } catch (error) {
      return error instanceof ProjectConfigError ? error : new ProjectConfigError('configInvalid', { file, error: String(error) });
    }
  }
}
