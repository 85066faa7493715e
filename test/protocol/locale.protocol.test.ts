// The server speaks the client's language: an initialize with locale zh-cn
// gets Chinese messages and hovers; any other locale gets English.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hover, InlayHint } from 'vscode-languageserver-protocol';
import type { AnalyzedParams, RuleDocumentationResult, StatusParams } from '../../server/src/protocol/customMessages';
import { TestLspClient } from '../support/lspClient';

const uri = 'file:///tmp/goinsight-locale/main.go';
const text = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tdefer fmt.Println("a")\n\tdefer fmt.Println("b")\n}\n';

async function hoverAndHints(locale: string | undefined) {
  const client = TestLspClient.start();
  try {
    await client.initialize({ trusted: true }, locale);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    await client.waitFor<AnalyzedParams>('goinsight/analyzed', (params) => params.uri === uri);
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 5, character: 2 },
    })) as Hover;
    const hints = (await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
    })) as InlayHint[];
    return { hover: (hover.contents as { value: string }).value, tooltip: (hints[0].tooltip as { value: string }).value };
  } finally {
    await client.stop();
  }
}

test('locale zh-cn: Chinese messages, sequence and explanation', async () => {
  const { hover, tooltip } = await hoverAndHints('zh-cn');
  assert.match(hover, /\*\*延迟调用的执行顺序\*\*/);
  assert.match(hover, /main 返回时第 2 个执行（共 2 个延迟调用）/);
  assert.match(hover, /1\. `fmt\.Println\("b"\)` \(第 7 行\)\n2\. `fmt\.Println\("a"\)` \(第 6 行\) ← 当前这条/);
  assert.match(hover, /后进先出/);
  assert.match(hover, /\[Go 文档\]\(https:\/\/go\.dev\/ref\/spec#Defer_statements\)/);
  assert.equal(tooltip, 'main 返回时第 2 个执行（共 2 个延迟调用）');
});

test('other locales: English', async () => {
  const { hover } = await hoverAndHints('de');
  assert.match(hover, /\*\*Defer execution order\*\*/);
  assert.match(hover, /runs 2nd of 2 deferred calls when main returns/);
  assert.doesNotMatch(hover, /[\u4e00-\u9fff]/);
});

test('rule documentation request: the list of rules, and one rule page in the client language', async () => {
  const client = TestLspClient.start();
  try {
    await client.initialize({ trusted: true }, 'zh-cn');
    const list = (await client.connection.sendRequest('goinsight/ruleDocumentation', {})) as RuleDocumentationResult;
    assert.ok(list.rules.some((rule) => rule.id === 'defer/order' && rule.title === '延迟调用的执行顺序' && rule.category === 'defer'));
    assert.equal(list.markdown, undefined);
    const page = (await client.connection.sendRequest('goinsight/ruleDocumentation', { rule: 'defer/order' })) as RuleDocumentationResult;
    assert.match(page.markdown ?? '', /^# 延迟调用的执行顺序\n\n`defer\/order`\n\n`defer` 语句会立即求值/);
    const unknown = (await client.connection.sendRequest('goinsight/ruleDocumentation', { rule: 'no/such' })) as RuleDocumentationResult;
    assert.equal(unknown.markdown, undefined);
  } finally {
    await client.stop();
  }
});

test('locale zh-cn: a go binary that is not there is said in Chinese, in the notice and in the status tooltip', async () => {
  const client = TestLspClient.start();
  client.configuration = { goPath: '/nonexistent/goinsight/go' };
  try {
    await client.initialize({ trusted: true }, 'zh-cn');
    await client.waitFor<StatusParams>('goinsight/status', (params) => params.state === 'ready');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
    const notice = await client.waitFor<{ message: string }>('window/showMessage', (params) => params.message.includes('goinsight.goPath'));
    assert.equal(notice.message, 'Go Insight 提示：goinsight.goPath 设为“/nonexistent/goinsight/go”，但它本身和其中的 go（或 bin/go）都不是可执行文件。请修正或清空这个设置。');
    const status = await client.waitFor<StatusParams>('goinsight/status', (params) => params.state === 'warning');
    assert.equal(status.text, '未找到 go');
    assert.match(status.tooltip, /^goinsight\.goPath 设为“\/nonexistent\/goinsight\/go”/);
  } finally {
    await client.stop();
  }
});
