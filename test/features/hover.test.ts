// The composed hover: the verdicts of everything at the cursor first (most
// severe first, then the narrowest), the defer order near the top, each
// rule's explanation once and cut to its first paragraph, with a link to the
// rule's heading in docs/rules.md (or rules.zh-cn.md) that really exists.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ruleDocFiles } from '../../server/src/docs/ruleDocLinks';
import type { Finding } from '../../server/src/engine/finding';
import { hoverAt, hoverMarkdown } from '../../server/src/features/hover';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import { ruleText, type Locale } from '../../server/src/rules/rule';
import { analyzeFixture } from '../support/analysisTest';
import { repositoryRoot } from '../support/lspClient';

const closeFixture = 'rules/defer/ignored-close-error/positive.go';

/** The hover on the `defer` of `defer f.Close()` in save: an ignored-close-error warning and the defer order. */
async function deferCloseHover(locale: Locale): Promise<{ markdown: string; findings: Finding[] }> {
  const { text, findings } = await analyzeFixture(closeFixture, { locale });
  const line = text.split('\n').findIndex((source) => source.includes('defer f.Close()'));
  const hover = hoverAt(findings, { line, character: 2 }, locale);
  assert.ok(hover, 'a hover on the defer');
  return { markdown: (hover.contents as { value: string }).value, findings };
}

test('two findings on one line: verdicts first, most severe first, the defer order near the top, short', async () => {
  const { markdown } = await deferCloseHover('en');
  const close = markdown.indexOf('**Error of a deferred Close is lost**: `f` is written to');
  const order = markdown.indexOf('**Defer execution order**: the only deferred call of save: runs when it returns');
  const sequence = markdown.indexOf('1. `f.Close()` (line 15) ← this one');
  const separator = markdown.indexOf('\n---\n');
  assert.equal(close, 0, markdown);
  assert.ok(close < order && order < sequence && sequence < separator, markdown);
  // Each explanation once, cut to its first paragraph: no Go examples, no "When it is deliberate".
  assert.doesNotMatch(markdown, /```|When it is deliberate/);
  // When each finding appended its full explanation, this hover had 49 non-empty lines (67 in all).
  const lines = markdown.split('\n').filter((line) => line.trim() !== '');
  assert.ok(lines.length <= 12, `${lines.length} lines:\n${markdown}`);
});

test('the same in Chinese: full-width colon after the title, the links in Chinese', async () => {
  const { markdown } = await deferCloseHover('zh-cn');
  assert.ok(markdown.startsWith('**延迟调用 Close 的错误被丢弃**：'), markdown);
  assert.match(markdown, /\[完整说明\]\(file:\/\/[^)]+\/docs\/rules\.zh-cn\.md#L\d+\)/);
  assert.match(markdown, /\[Go 文档\]\(https:\/\/pkg\.go\.dev\/os#File\.Close\)/);
});

function finding(rule: string, severity: Finding['severity'], startCharacter: number, endCharacter: number, message: string): Finding {
  return {
    rule,
    category: 'channel',
    severity,
    presentation: 'diagnostic',
    range: { start: { line: 3, character: startCharacter }, end: { line: 3, character: endCharacter } },
    message,
    source: 'goinsight',
    related: [],
    fixes: [],
  };
}

test('order: severity first, then the narrowest range around the cursor; one explanation per rule', () => {
  const wide = finding('channel/double-close', 'warning', 0, 30, 'wide warning');
  const narrow = finding('channel/double-close', 'warning', 10, 14, 'narrow warning');
  const error = finding('channel/send-after-close', 'error', 0, 40, 'the error');
  const hint = finding('channel/nil-channel', 'info', 11, 12, 'an info');
  const markdown = hoverMarkdown([hint, wide, error, narrow], 'en');
  const at = (text: string) => markdown.indexOf(text);
  assert.ok(at('the error') < at('narrow warning') && at('narrow warning') < at('wide warning') && at('wide warning') < at('an info'), markdown);
  const doubleClose = allRuleDescriptions().find((rule) => rule.id === 'channel/double-close');
  assert.ok(doubleClose);
  const firstParagraph = ruleText(doubleClose, 'en').explanation.split('\n\n')[0];
  assert.equal(markdown.split(firstParagraph).length - 1, 1, 'the double-close explanation once');
  // Several explanations say whose they are.
  assert.ok(markdown.includes(`**${ruleText(doubleClose, 'en').title}**: ${firstParagraph}`), markdown);
});

test('a stale result says so right under its verdict, before the details', () => {
  const stale: Finding = { ...finding('goroutine/leaked', 'warning', 0, 5, 'blocked forever'), stale: true, details: 'the goroutine’s stack' };
  const markdown = hoverMarkdown(stale, 'en');
  assert.match(markdown, /^\*\*[^*]+\*\*: blocked forever\n\n⚠ Stale: [^\n]+\n\nthe goroutine’s stack/);
  assert.match(hoverMarkdown(stale, 'zh-cn'), /\n\n⚠ 可能已过时：/);
});

test('every documentation link a hover makes opens the shipped docs at that rule\'s heading', () => {
  let checked = 0;
  for (const locale of ['en', 'zh-cn'] as const) {
    const docFile = path.join(repositoryRoot, ruleDocFiles[locale]);
    // The shipped file is the generated one (test/docs keeps them equal); read what the link will open.
    const lines = fs.readFileSync(docFile, 'utf8').split('\n');
    for (const rule of allRuleDescriptions()) {
      const markdown = hoverMarkdown({ ...finding(rule.id, rule.defaultSeverity, 0, 1, 'x'), category: rule.category }, locale);
      const links = [...markdown.matchAll(/\]\((file:\/\/[^)\s]+)\)/g)].map((match) => match[1]);
      assert.ok(links.length <= 1, `${rule.id}: ${links.join(' ')}`);
      for (const link of links) {
        const url = new URL(link);
        assert.equal(fileURLToPath(url), docFile, link);
        const line = Number(/^#L(\d+)$/.exec(url.hash)?.[1]);
        assert.equal(lines[line - 1], `### ${rule.id}`, `${link}: line ${line} is not ${rule.id}'s heading`);
        checked++;
      }
    }
  }
  // Almost every explanation is longer than a paragraph: the check is not vacuous.
  assert.ok(checked > allRuleDescriptions().length, `${checked} links checked`);
});
