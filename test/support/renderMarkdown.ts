// Renders Markdown the way a CommonMark client does (markdown-it in strict
// CommonMark mode) and reports the emphasis markers that did not become bold
// or italic: `按**后进先出（LIFO）**的顺序` keeps its asterisks, because
// CommonMark does not close `**` after punctuation when a letter follows.

interface MarkdownRenderer {
  render(markdown: string): string;
}

// markdown-it ships no type declarations; this is the one call the tests make.
const markdownIt = require('markdown-it') as (preset: 'commonmark') => MarkdownRenderer;
const renderer = markdownIt('commonmark');

/** Every `*` or `**` that stayed literal in the rendered text outside code, shown with some context. */
export function literalEmphasisMarkers(markdown: string): string[] {
  const text = renderer
    .render(markdown)
    .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<[^>]+>/g, '');
  // A lone `*` before a name, after a space or bracket, is Go's pointer written in prose (`(*server).serve`): meant literally.
  return [...text.matchAll(/\*{2,}|(?<![\s([&]|^)\*|\*(?![\p{L}_(])/gu)].map((match) => text.slice(Math.max(0, match.index - 20), match.index + match[0].length + 20).replace(/\s+/g, ' '));
}
