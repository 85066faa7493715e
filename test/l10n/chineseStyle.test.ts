// The Simplified Chinese texts read as written in Chinese: full-width
// punctuation inside Chinese sentences (：，；（）“”), and one term per concept
// (goroutine, never 协程; 内嵌提示 for inlay hints, since 内联 is inlining).
// Code (spans, blocks) keeps its ASCII; comments inside Go examples are prose.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { renderRuleDocs } from '../../server/src/docs/ruleDocs';
import { escapeFlowText } from '../../server/src/features/escapeFlow';
import { hoverText } from '../../server/src/features/hoverText';
import { serverText } from '../../server/src/l10n/serverText';
import { allRuleDescriptions } from '../../server/src/rules/allRules';
import { repositoryRoot } from '../support/lspClient';

const bannedTerms = ['协程', '内联提示'];

/** The prose of a Markdown text: code spans, URLs and placeholders removed; of Go blocks, only the comments (without their string literals). */
function prose(text: string): string {
  const withoutBlocks = text.replace(/```go\n([\s\S]*?)```/g, (_, code: string) =>
    code
      .split('\n')
      .map((line) => (/\/\/(.*)$/.exec(line)?.[1] ?? '').replace(/"[\x20-\x7e]*?"/g, ' CODE '))
      .join('\n'),
  );
  return withoutBlocks
    .replace(/`[^`\n]*`/g, ' CODE ')
    .replace(/<https?:[^>]+>|https?:\/\/\S+/g, ' URL ')
    .replace(/\{\w+\}/g, ' X ')
    // VS Code's own `Category: Title` form of command names.
    .replace(/Go Insight: /g, 'Go Insight ');
}

const han = '[\\u4e00-\\u9fff]';
/** ASCII punctuation touching a Chinese character (a space between counts as touching); ASCII quotes anywhere in a Chinese line. */
const asciiNextToHan = new RegExp(`${han} ?[,;:?!()"]|[,;:?!("] ?${han}|${han}\\.(?!\\d)`, 'u');

function chineseTexts(): [string, string][] {
  const texts: [string, string][] = [['docs/rules.zh-cn.md', renderRuleDocs('zh-cn')]];
  for (const rule of allRuleDescriptions()) {
    for (const [key, text] of Object.entries(rule.text['zh-cn']?.messages ?? {})) texts.push([`${rule.id}.${key}`, text]);
  }
  for (const [key, text] of Object.entries(serverText['zh-cn'])) texts.push([`serverText.${key}`, text]);
  for (const [key, text] of Object.entries(escapeFlowText['zh-cn'])) texts.push([`escapeFlow.${key}`, text]);
  for (const [key, text] of Object.entries(hoverText['zh-cn'])) texts.push([`hoverText.${key}`, text]);
  for (const file of ['package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json']) {
    const entries = JSON.parse(fs.readFileSync(path.join(repositoryRoot, file), 'utf8')) as Record<string, string>;
    for (const [key, text] of Object.entries(entries)) texts.push([`${file} ${key}`, text]);
  }
  return texts;
}

test('Chinese texts: no ASCII punctuation inside Chinese sentences', () => {
  const problems: string[] = [];
  for (const [where, text] of chineseTexts()) {
    for (const line of prose(text).split('\n')) {
      const match = asciiNextToHan.exec(line) ?? (/[\u4e00-\u9fff]/.test(line) ? /"/.exec(line) : null);
      if (match) problems.push(`${where}: “${match[0]}” in ${line.trim().slice(0, 120)}`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('Chinese texts: one term per concept (goroutine, 内嵌提示)', () => {
  const problems: string[] = [];
  for (const [where, text] of chineseTexts()) {
    for (const term of bannedTerms) if (text.includes(term)) problems.push(`${where}: ${term}`);
  }
  assert.deepEqual(problems, []);
});

test('the punctuation check finds what it should, and leaves code alone', () => {
  assert.match(prose('按"应该发生的顺序"来写'), asciiNextToHan);
  assert.match(prose('关闭 `f` 之前, 先刷新'), asciiNextToHan);
  assert.match(prose('默认严重级别: `hint`'), asciiNextToHan);
  assert.match(prose('```go\n// 修改前: 关闭\n```'), asciiNextToHan);
  assert.doesNotMatch(prose('运行时会 panic（`close of closed channel`）'), asciiNextToHan);
  assert.doesNotMatch(prose('```go\nfmt.Println("x", y) // 打印\n```'), asciiNextToHan);
});
