// defer/order: shows, on every `defer`, where it falls in the order deferred
// calls run when the function returns (last registered runs first), and lists
// the whole sequence on hover. Source order is registration order for
// structured Go code, so the run order is the reverse of source order; defers
// in loops repeat per iteration and defers in branches run only if reached.
import type { Node } from 'web-tree-sitter';
import { descendantsSpelling, functionNodeTypes, ownDescendants } from '../../syntax/functions';
import type { Locale, Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

type DeferPlacement = 'always' | 'loop' | 'branch' | 'loop-branch';

interface DeferSite {
  statement: Node;
  keyword: Node;
  callText: string;
  placement: DeferPlacement;
}

const conditionalParents: ReadonlySet<string> = new Set([
  'if_statement',
  'expression_case',
  'default_case',
  'type_case',
  'communication_case',
]);

function placementOf(statement: Node, functionBody: Node): DeferPlacement {
  let inLoop = false;
  let inBranch = false;
  for (let current = statement.parent; current && current.id !== functionBody.id; current = current.parent) {
    if (current.type === 'for_statement') inLoop = true;
    else if (conditionalParents.has(current.type)) inBranch = true;
  }
  if (inLoop && inBranch) return 'loop-branch';
  return inLoop ? 'loop' : inBranch ? 'branch' : 'always';
}

/** The deferred call as a short one-line snippet (function literal bodies elided). */
export function deferredCallText(statement: Node): string {
  const call = statement.namedChildren.find((child) => child !== null && child.type !== 'comment');
  if (!call) return '';
  let text = call.text;
  const literal = call.type === 'call_expression' ? call.childForFieldName('function') : null;
  if (literal?.type === 'func_literal') {
    const argumentsText = call.childForFieldName('arguments')?.text ?? '()';
    text = `func() { … }${argumentsText}`;
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** "1st" in English, "第 1 个" in Chinese. */
export function ordinal(position: number, locale: Locale = 'en'): string {
  if (locale === 'zh-cn') return `第 ${position} 个`;
  const lastTwo = position % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${position}th`;
  return `${position}${['th', 'st', 'nd', 'rd'][position % 10] ?? 'th'}`;
}

function collectDefers(fn: Node): DeferSite[] {
  const body = fn.childForFieldName('body');
  if (!body || body.hasError) return [];
  return ownDescendants(fn, 'defer_statement')
    .sort((a, b) => a.startIndex - b.startIndex)
    .flatMap((statement) => {
      const keyword = statement.child(0);
      if (!keyword || keyword.type !== 'defer') return [];
      return [{ statement, keyword, callText: deferredCallText(statement), placement: placementOf(statement, body) }];
    });
}

function placementNote(context: RuleContext, placement: DeferPlacement): string {
  switch (placement) {
    case 'always':
      return '';
    case 'loop':
      return context.message('noteLoop');
    case 'branch':
      return context.message('noteBranch');
    case 'loop-branch':
      return `${context.message('noteLoop')}; ${context.message('noteBranch')}`;
  }
}

const labelSuffix: Record<DeferPlacement, string> = { always: '', loop: ' ↻', branch: ' ?', 'loop-branch': ' ↻?' };

function describeSequence(context: RuleContext, heading: string, sites: DeferSite[], current: DeferSite | undefined): string {
  const lines = [context.message('sequenceHeading', { function: heading })];
  for (let index = sites.length - 1, position = 1; index >= 0; index--, position++) {
    const site = sites[index];
    const line = context.lineNumber(site.statement);
    const note = placementNote(context, site.placement);
    const marker = site === current ? ` ${context.message('thisOne')}` : '';
    lines.push(`${position}. \`${site.callText}\` (${context.message('lineReference', { line })})${note ? ` · ${note}` : ''}${marker}`);
  }
  return lines.join('\n');
}

export const deferOrder: Rule = {
  id: 'defer/order',
  category: 'defer',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: 'https://go.dev/ref/spec#Defer_statements',
  text: {
    en: {
      title: 'Defer execution order',
      messages: {
        order: 'runs {ordinal} of {count} deferred calls when {function} returns',
        closingBrace: '{function} returns here: its {count} deferred call(s) run now, last registered first',
        orderSingle: 'the only deferred call of {function}: runs when it returns',
        sequenceHeading: 'Deferred calls of {function}, in the order they run on return:',
        thisOne: '← this one',
        lineReference: 'line {line}',
        noteLoop: 'registered once per loop iteration, all run at return',
        noteBranch: 'only if this branch ran',
      },
      explanation: [
        'A `defer` statement evaluates the function value and its arguments immediately, but the call runs only when the surrounding function returns (normally or by panicking). Deferred calls run **last in, first out**: the defer registered last runs first.',
        '',
        'So cleanup written top-down runs bottom-up. That is usually what you want (release in reverse order of acquisition), but it surprises when one cleanup depends on another, e.g. a buffered writer must be flushed *before* the file under it is closed.',
        '',
        'A defer inside a loop registers one call per iteration, and none of them runs until the function returns. A defer inside a branch runs only if that branch was taken.',
        '',
        '```go',
        'f, _ := os.Create(name)',
        'defer f.Close()      // ⟲2 runs second',
        'w := bufio.NewWriter(f)',
        'defer w.Flush()      // ⟲1 runs first: flushes before the file closes',
        '```',
      ].join('\n'),
    },
    'zh-cn': {
      title: '延迟调用的执行顺序',
      messages: {
        order: '{function} 返回时{ordinal}执行（共 {count} 个延迟调用）',
        closingBrace: '{function} 在此返回：它的 {count} 个延迟调用此时执行，后注册的先执行',
        orderSingle: '{function} 中唯一的延迟调用：在函数返回时执行',
        sequenceHeading: '{function} 的延迟调用，按返回时的实际执行顺序：',
        thisOne: '← 当前这条',
        lineReference: '第 {line} 行',
        noteLoop: '每次循环迭代都会注册一次，全部在函数返回时才执行',
        noteBranch: '仅当该分支被执行时才会注册',
      },
      explanation: [
        '`defer` 语句会立即求值函数值和参数，但调用本身要等到外层函数返回（正常返回或 panic）时才执行。多个延迟调用按**后进先出**（LIFO）的顺序执行：最后注册的最先执行。',
        '',
        '因此自上而下写的清理代码，会自下而上地执行。这通常正是想要的（按获取资源的相反顺序释放），但当一个清理操作依赖另一个时就容易出错，例如带缓冲的 Writer 必须在底层文件关闭**之前**刷新（Flush）。',
        '',
        '循环里的 `defer` 每次迭代都会注册一个调用，而且它们都要等到函数返回时才执行。分支里的 `defer` 只有在该分支被执行时才会注册。',
        '',
        '```go',
        'f, _ := os.Create(name)',
        'defer f.Close()      // ⟲2 第二个执行',
        'w := bufio.NewWriter(f)',
        'defer w.Flush()      // ⟲1 最先执行：先刷新缓冲，再关闭文件',
        '```',
      ].join('\n'),
    },
  },
  check(context) {
    // Most functions defer nothing: their text says so without a walk of their body (nor of their declaration).
    for (const fn of descendantsSpelling(context.tree.rootNode, 'defer', [...functionNodeTypes])) {
      if (!fn.text.includes('defer')) continue;
      const sites = collectDefers(fn);
      if (sites.length === 0) continue;
      const functionName = context.functionName(fn);
      // The hover's heading is Markdown: a Go name is code there, a literal's description is prose.
      const heading = fn.type === 'func_literal' ? functionName : `\`${functionName}\``;
      sites.forEach((site, index) => {
        const runPosition = sites.length - index;
        const values = { ordinal: ordinal(runPosition, context.locale), count: sites.length, function: functionName };
        const note = placementNote(context, site.placement);
        const messageKey = sites.length === 1 ? 'orderSingle' : 'order';
        const message = context.message(messageKey, values);
        context.report({
          at: site.keyword,
          messageKey,
          values,
          details: describeSequence(context, heading, sites, site),
          inlay: {
            label: `⟲${runPosition}${labelSuffix[site.placement]}`,
            position: context.lines.positionAt(site.statement.startIndex),
            tooltip: note ? `${message} (${note})` : message,
            paddingRight: true,
          },
        });
      });
      // The closing brace is where the deferred calls run: hovering it shows the whole sequence.
      const closingBrace = fn.childForFieldName('body')?.lastChild;
      if (closingBrace?.type === '}') {
        context.report({
          at: closingBrace,
          messageKey: 'closingBrace',
          values: { count: sites.length, function: functionName },
          details: describeSequence(context, heading, sites, undefined),
          presentation: 'hover',
        });
      }
    }
  },
};
