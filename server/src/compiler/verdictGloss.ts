// A short Chinese gloss after the compiler's verbatim verdict in a zh-cn
// hover (“moved to heap: wg（变量 wg 逃逸到堆上）”). The verdict stays as the
// compiler prints it, since that is what users search for and what `-m`
// shows them; the gloss says what it means. English needs none, and only the
// hover shows it: the Problems panel, the CLI and JSON keep the compiler's
// message alone.
import type { Locale } from '../rules/rule';
import { formatMessage } from '../rules/rule';
import { classifyVerdict } from './compilerMessages';
import type { DeferAllocation, EscapeFactKind } from './escapeFacts';

const chinese: Record<Exclude<EscapeFactKind, 'defer'>, string> = {
  'moved-to-heap': '变量 {subject} 逃逸到堆上',
  'escapes-to-heap': '这个值逃逸到堆上',
  'func-literal-escapes': '函数字面量逃逸到堆上',
  'leaking-param': '参数 {subject} 指向的数据会被保留，因此必须在堆上',
  'leaking-param-content': '参数 {subject} 间接指向的数据会被保留，因此必须在堆上',
  'leaking-param-to-result': '参数 {subject} 指向的数据会随返回值 {result} 流出',
  'does-not-escape': '{subject} 没有逃逸',
  'captured-by-reference': '闭包按引用捕获 {subject}',
  'captured-by-value': '闭包按值捕获 {subject}',
  'inline-can': '{subject} 可以内联',
  'inline-cannot': '{subject} 不能内联',
  'inline-call': '此处内联了对 {subject} 的调用',
  devirtualized: '接口方法调用 {subject} 被改成了直接调用',
  bounds: '此处有一次边界检查',
  nil: '此处有一次 nil 检查',
};

const chineseDefer: Record<DeferAllocation, string> = {
  'open-coded': '开放编码的 defer',
  stack: '栈上分配的 defer',
  heap: '堆上分配的 defer',
};

/**
 * The compiler's message followed by its gloss in the locale (only the message when there is none);
 * `show` renders the verbatim message (the hover shows it as code).
 */
export function glossedVerdict(message: string, locale: Locale, show: (verbatim: string) => string = (verbatim) => verbatim): string {
  const verdict = locale === 'zh-cn' ? classifyVerdict(message) : undefined;
  const template = !verdict ? undefined : verdict.kind === 'defer' ? (verdict.deferAllocation ? chineseDefer[verdict.deferAllocation] : undefined) : chinese[verdict.kind];
  if (!verdict || !template) return show(message);
  return `${show(message)}（${formatMessage(template, { subject: verdict.subject ?? '', result: verdict.result ?? '' })}）`;
}
