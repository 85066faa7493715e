// Where a rule's full text lives: its heading in docs/rules.md (or the
// Chinese twin), a file the extension ships next to its bundles. Hovers show
// a rule's first paragraph and link here for the rest. The link is a file URI
// with the heading's line (`#L42`), which VS Code opens at that line: it works
// offline, in any fork, and always matches the installed version's rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locale } from '../rules/rule';

/** Where `npm run docs` writes each language's rule documentation, relative to the repository (and the package). */
export const ruleDocFiles: Record<Locale, string> = { en: 'docs/rules.md', 'zh-cn': 'docs/rules.zh-cn.md' };

/** The anchor a Markdown renderer (GitHub's, VS Code's) gives the heading `### escape/moved-to-heap`. */
export function ruleAnchor(ruleId: string): string {
  return ruleId.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

/** A language's documentation file and the 1-based line of each rule's heading in it. */
interface RuleDocIndex {
  file: string;
  headingLines: Map<string, number>;
}

const indexes = new Map<Locale, RuleDocIndex | undefined>();

/**
 * The documentation file of the installed extension: the bundle runs from `dist/`, the compiled tests from
 * `out/server/src/docs/`, so the nearest ancestor holding the file is the extension's (or repository's) root.
 */
function findDocFile(locale: Locale): string | undefined {
  let directory = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(directory, ruleDocFiles[locale]);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return undefined;
}

function ruleDocIndex(locale: Locale): RuleDocIndex | undefined {
  if (!indexes.has(locale)) {
    let index: RuleDocIndex | undefined;
    const file = findDocFile(locale);
    try {
      if (file) {
        const headingLines = new Map<string, number>();
        fs.readFileSync(file, 'utf8').split('\n').forEach((line, lineIndex) => {
          const heading = /^### (\S+)$/.exec(line);
          if (heading) headingLines.set(heading[1], lineIndex + 1);
        });
        index = { file, headingLines };
      }
    } catch {
      // An unreadable file means no link, never a failed hover.
    }
    indexes.set(locale, index);
  }
  return indexes.get(locale);
}

/** A link to the rule's section of the shipped documentation, or undefined where that file or section is missing. */
export function ruleDocumentationUrl(ruleId: string, locale: Locale): string | undefined {
  const index = ruleDocIndex(locale);
  const line = index?.headingLines.get(ruleId);
  return index && line ? `${pathToFileURL(index.file).toString()}#L${line}` : undefined;
}
