// What a rule is: an id, a category, a default severity, its texts (title,
// message templates, hover explanation) and a check over one parsed file.
// Rules are pure: they read the tree and report; they never touch LSP or I/O.
import type { Category, Presentation, Severity } from '../engine/finding';
import type { FileDeclarations, TopLevelNode } from '../syntax/fileDeclarations';
import type { RuleContext } from './ruleContext';

export type Locale = 'en' | 'zh-cn';

export interface RuleText {
  /** Short name shown as the hover heading and in docs. */
  title: string;
  /** Message templates by key; `{name}` placeholders are filled by the rule. */
  messages: Record<string, string>;
  /** Markdown: what happens at run time, why it matters, how to fix. The Go example is not here: see `RuleExample`. */
  explanation: string;
  /** The words of the rule's example in this language: the `before`/`after` captions and each `// {key}` comment. */
  exampleComments?: Record<string, string>;
}

/**
 * A rule's Go example, one for every language, so that the code can never
 * differ between them. Comments that need words are written `// {key}` and
 * filled from each language's `exampleComments` (like message placeholders),
 * so a Chinese reader gets Chinese comments in the same code. Rendered under
 * localized headings by `ruleExplanation` (rules/ruleExample.ts), which the
 * hover, the docs and SARIF use.
 *
 * Adding a rule: write the prose in `explanation` without a Go block, the
 * code here, and the captions (`before`, `after`) and comments in each
 * language's `exampleComments`.
 */
export type RuleExample =
  /** A mistake and its fix; `shared` is code both use (a type, a helper), shown above them. */
  | { shared?: string; before: string; after: string }
  /** Code that is not a mistake (the defer order, an inlined call): there is nothing to rewrite. */
  | { code: string };

/**
 * Everything the user reads about a kind of finding. Syntactic rules add a
 * `check`; the compiler's fact kinds (escape/moved-to-heap, …) are only
 * described, since the compiler finds them.
 */
export interface RuleDescription {
  id: string;
  category: Category;
  defaultSeverity: Severity;
  presentation: Presentation;
  /** English is required; other locales fall back to it key by key. */
  text: { en: RuleText } & Partial<Record<Locale, RuleText>>;
  /** Go documentation that explains the underlying behaviour. */
  documentation?: string;
  example: RuleExample;
}

/**
 * What a rule reads of the file's other declarations (see
 * engine/incrementalRules for the contract this promises): the kinds it looks
 * up by name, and what it reads of one.
 */
export interface CrossDeclarationReads {
  /** Node types of the declarations looked up by name: function_declaration, method_declaration. */
  kinds: ReadonlySet<string>;
  /**
   * Everything the rule reads of such a declaration, as a string (facts of
   * its own text only). When absent, any change of its text counts.
   */
  signature?: (declarations: FileDeclarations, declaration: TopLevelNode) => string;
}

export interface Rule extends RuleDescription {
  check(context: RuleContext): void;
  /** Set on rules whose findings in one declaration depend on others of the file. */
  crossDeclarationReads?: CrossDeclarationReads;
}

export const readsFunctions: CrossDeclarationReads = { kinds: new Set(['function_declaration']) };

/** Reads only the file's types, variables and constants (a change to any of those always counts). */
export const readsTypesAndValues: CrossDeclarationReads = { kinds: new Set() };

export function ruleText(rule: RuleDescription, locale: Locale): RuleText {
  return rule.text[locale] ?? rule.text.en;
}

/** An explanation's first paragraph (up to the first blank line): its summary in hovers and SARIF. */
export function explanationLead(explanation: string): string {
  return explanation.split(/\n[ \t]*\n/)[0];
}

/** A rule's message by key in the locale (falling back to English, then to the key), placeholders filled. */
export function ruleMessage(rule: RuleDescription, locale: Locale, key: string, values: Record<string, string | number> = {}): string {
  return formatMessage(ruleText(rule, locale).messages[key] ?? rule.text.en.messages[key] ?? key, values);
}

/**
 * Runs one rule's check over a context's findings list: a rule that throws
 * loses only its own findings (those it pushed before throwing), and the
 * error is returned for the caller to log.
 */
export function runIsolated(findings: unknown[], check: () => void): Error | undefined {
  const before = findings.length;
  try {
    check();
    return undefined;
  } catch (error) {
    findings.length = before;
    return error instanceof Error ? error : new Error(String(error));
  }
}

const han = /\p{Script=Han}/u;

/**
 * Fills `{name}` placeholders; unknown names are left visible rather than dropped.
 * Chinese templates put a space between a placeholder and Chinese text, as
 * between Chinese and a Go name; when the value is itself Chinese (第 3 行的函数字面量),
 * that space is dropped, since Chinese words are not separated by spaces.
 */
export function formatMessage(template: string, values: Record<string, string | number>): string {
  return template.replace(/( ?)\{(\w+)\}( ?)/g, (whole, before: string, name: string, after: string, offset: number) => {
    if (!(name in values)) return whole;
    const value = String(values[name]);
    const previous = template[offset - 1] ?? '';
    const next = template[offset + whole.length] ?? '';
    const keepBefore = before && !(han.test(previous) && han.test(value.at(0) ?? '')) ? before : '';
    const keepAfter = after && !(han.test(next) && han.test(value.at(-1) ?? '')) ? after : '';
    return `${keepBefore}${value}${keepAfter}`;
  });
}
