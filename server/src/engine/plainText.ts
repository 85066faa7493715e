// Findings' messages are written for Markdown: names and code in code spans
// (`c.mu.Lock()`), which hovers render. The Problems panel, the findings list,
// the CLI's text report and SARIF's `text` show plain text, where backticks
// stay raw; there a code span reads as a quoted name instead. The quotes are
// the same in English and Chinese (“”), which both set code apart that way.

/** A Chinese character or full-width punctuation: no space sits between it and Chinese quotes. */
const chinese = '[\\p{Script=Han}，。：；、（）！？]';
const spaceBeforeQuote = new RegExp(`(${chinese}) “`, 'gu');
const spaceAfterQuote = new RegExp(`” (?=${chinese})`, 'gu');

/** The message with each `code span` shown as “code”. */
export function plainText(markdown: string): string {
  const quoted = markdown.replace(/`([^`\n]+)`/g, '“$1”');
  // Chinese text keeps a space around a code span (as between Chinese and Latin words); around quotes it has none.
  return quoted.replace(spaceBeforeQuote, '$1“').replace(spaceAfterQuote, '”');
}
