// The hovers' Markdown renders as meant in a CommonMark client: no bold or
// italic marker stays literal, next to Chinese punctuation least of all. Run
// over the composed hovers of every rule fixture (each position that has
// findings, both languages), a hover of every rule, and the generated rule
// documentation the hovers link to.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { renderRuleDocs } from '../../server/src/docs/ruleDocs';
import { hoverAt, hoverMarkdown } from '../../server/src/features/hover';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import { analyzeFixture, fixturesRoot } from '../support/analysisTest';
import { literalEmphasisMarkers } from '../support/renderMarkdown';

const locales = ['en', 'zh-cn'] as const;

test('the check sees the asterisks CommonMark leaves, and only those', () => {
  assert.deepEqual(literalEmphasisMarkers('按**后进先出（LIFO）**的顺序执行').length, 2);
  assert.deepEqual(literalEmphasisMarkers('按后进先出（**LIFO**）的顺序执行'), []);
  assert.deepEqual(literalEmphasisMarkers('**运行时**：编译器 `*p` 与\n\n```go\nx := *p\n```'), []);
  assert.deepEqual(literalEmphasisMarkers('when (*cache).get returns, (*cache).set runs'), []);
  assert.equal(literalEmphasisMarkers('按*后进先出（LIFO）*的顺序').length, 2);
  assert.deepEqual(literalEmphasisMarkers('写入 *之前*。再'), []);
});

test('composed hovers on every rule fixture render their emphasis, in both languages', async () => {
  const problems = new Set<string>();
  const rulesDirectory = path.join(fixturesRoot, 'rules');
  const files = fs
    .readdirSync(rulesDirectory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.go'))
    .map((entry) => path.relative(fixturesRoot, path.join(entry.parentPath, entry.name)));
  let hovers = 0;
  for (const locale of locales) {
    for (const file of files) {
      const { findings } = await analyzeFixture(file, { locale });
      for (const finding of findings) {
        const hover = hoverAt(findings, finding.range.start, locale);
        const markdown = (hover?.contents as { value: string } | undefined)?.value ?? '';
        hovers++;
        for (const marker of literalEmphasisMarkers(markdown)) problems.add(`${locale} ${finding.rule}: “${marker}”`);
      }
    }
  }
  assert.ok(hovers > 200, `${hovers} hovers`);
  assert.deepEqual([...problems], [], [...problems].join('\n'));
});

test('a hover of every rule, and the documentation it links to, render their emphasis', () => {
  const problems: string[] = [];
  for (const locale of locales) {
    for (const rule of allRuleDescriptions()) {
      const finding = { rule: rule.id, category: rule.category, severity: rule.defaultSeverity, presentation: rule.presentation, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', source: 'goinsight' as const, related: [], fixes: [] };
      for (const marker of literalEmphasisMarkers(hoverMarkdown(finding, locale))) problems.push(`${locale} hover ${rule.id}: “${marker}”`);
    }
    for (const marker of literalEmphasisMarkers(renderRuleDocs(locale))) problems.push(`${locale} docs: “${marker}”`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});
