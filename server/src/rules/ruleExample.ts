// A rule's explanation as the user reads it: the prose of the locale, then
// the rule's one Go example with its comments in that locale, under the
// locale's Before/After headings. The hover, the rule docs and SARIF all
// render it here, so the example is written once for every language.
import { localize } from '../l10n/serverText';
import { ruleText, type Locale, type RuleDescription } from './rule';

/** Fills each `// {key}` comment from the locale's example comments, falling back to English. */
function withComments(code: string, rule: RuleDescription, locale: Locale): string {
  const comments = ruleText(rule, locale).exampleComments ?? {};
  const english = rule.text.en.exampleComments ?? {};
  return code.replace(/\/\/ \{(\w+)\}/g, (whole, key: string) => `// ${comments[key] ?? english[key] ?? whole.slice(3)}`);
}

function heading(rule: RuleDescription, locale: Locale, which: 'before' | 'after'): string {
  const caption = ruleText(rule, locale).exampleComments?.[which] ?? rule.text.en.exampleComments?.[which];
  if (!caption) return `// ${localize(locale, which === 'before' ? 'exampleBefore' : 'exampleAfter')}`;
  return `// ${localize(locale, which === 'before' ? 'exampleBeforeCaptioned' : 'exampleAfterCaptioned', { caption })}`;
}

/** The rule's example as one fenced Go block in the locale. */
export function renderExample(rule: RuleDescription, locale: Locale): string {
  const example = rule.example;
  const parts =
    'code' in example
      ? [example.code]
      : [...(example.shared ? [example.shared] : []), `${heading(rule, locale, 'before')}\n${example.before}`, `${heading(rule, locale, 'after')}\n${example.after}`];
  return ['```go', withComments(parts.join('\n\n'), rule, locale), '```'].join('\n');
}

/** The rule's whole explanation in the locale: its prose, then its example. */
export function ruleExplanation(rule: RuleDescription, locale: Locale): string {
  return `${ruleText(rule, locale).explanation}\n\n${renderExample(rule, locale)}`;
}
