// Where a rule's full text lives on the web: its heading in docs/rules.md (or
// the Chinese twin) in the project's repository. Hovers show a rule's first
// paragraph and link here for the rest.
import type { Locale } from '../rules/rule';

/** Where `npm run docs` writes each language's rule documentation, relative to the repository. */
export const ruleDocFiles: Record<Locale, string> = { en: 'docs/rules.md', 'zh-cn': 'docs/rules.zh-cn.md' };

/** The repository as package.json's `repository.url` names it (a test keeps the two equal). */
export const repositoryUrl = 'https://example.invalid/goinsight';

/** The anchor a Markdown renderer (GitHub's, VS Code's) gives the heading `### escape/moved-to-heap`. */
export function ruleAnchor(ruleId: string): string {
  return ruleId.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

export function ruleDocumentationUrl(ruleId: string, locale: Locale): string {
  return `${repositoryUrl}/blob/main/${ruleDocFiles[locale]}#${ruleAnchor(ruleId)}`;
}
