// defer/exit-skips-defers: `os.Exit` and `log.Fatal*` end the process at once;
// deferred calls registered earlier in the function never run. Reported only
// for defers whose effect the operating system does not redo at exit
// (flushing, removing temp files, stopping a profile, closing a compressor…):
// unlocking, cancelling, or closing a plain file is lost harmlessly, so those
// alone stay quiet, and so do panic handlers and calls already made by hand
// before the exit. In tests an exit ends a failed run (info), except in
// TestMain. runtime.Goexit is not included: it does run deferred calls.
import type { Node } from 'web-tree-sitter';
import { listSeparator } from '../../l10n/serverText';
import { isPackageCall, methodCall, rootIdentifier, statementCall } from '../../syntax/calls';
import { deferSites, type DeferSite } from '../../syntax/defers';
import { descendantsSpelling, functionNodeTypes, isInsideError, ownDescendants } from '../../syntax/functions';
import { isTestFile, testEntryKind } from '../../syntax/functionContext';
import { importNames, type ImportNames } from '../../syntax/imports';
import { LocalNamesCache, type LocalNames } from '../../syntax/localNames';
import { enclosingStatement, statementsOf } from '../../syntax/statements';
import type { Rule } from '../rule';
import { deferredCallText } from './deferOrder';

const exitCalls: readonly { path: string; names: readonly string[] }[] = [
  { path: 'os', names: ['Exit'] },
  { path: 'syscall', names: ['Exit'] },
  { path: 'log', names: ['Fatal', 'Fatalf', 'Fatalln'] },
];

/** Cleanups whose loss at process exit does no harm: the OS releases the resource anyway. */
// Rollback: a transaction left open is rolled back by the server when the connection drops.
const harmlessMethods: ReadonlySet<string> = new Set(['Unlock', 'RUnlock', 'Done', 'Stop', 'Release', 'Cancel', 'Rollback']);

/** Constructors of writers whose Close writes data (a trailer, a footer, buffered bytes). */
const writerConstructors = /^(NewWriter|NewWriterLevel|NewWriterSize|NewWriterDict|NewEncoder)$/;

function declaredByWriterConstructor(receiver: Node, names: LocalNames): boolean {
  const root = rootIdentifier(receiver);
  const declaration = root && receiver.type === 'identifier' ? names.resolve(root) : undefined;
  if (!declaration || (declaration.kind !== 'short-var' && declaration.kind !== 'var')) return false;
  const value = declaration.declaringNode.childForFieldName(declaration.kind === 'var' ? 'value' : 'right')?.namedChild(0);
  const callee = value?.type === 'call_expression' ? value.childForFieldName('function') : null;
  const field = callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
  return field !== undefined && writerConstructors.test(field);
}

/** Cancel functions, and panic handlers (they matter only while panicking, never at exit). */
const harmlessFunctionNames = /^(cancel|stop)|(Cancel|Stop)$|[Pp]anic|[Rr]ecover/;

function isHarmlessCall(call: Node, names: LocalNames): boolean {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') return harmlessFunctionNames.test(callee.text);
  if (callee?.type === 'selector_expression' && /[Pp]anic|[Rr]ecover/.test(callee.childForFieldName('field')?.text ?? '')) return true;
  const method = methodCall(call);
  if (!method) return false;
  if (harmlessMethods.has(method.method)) return true;
  if (method.method === 'Close') return !declaredByWriterConstructor(method.receiver, names);
  return false;
}

/** True when the deferred call does only things the process exit makes moot. */
function isHarmlessDefer(site: DeferSite, names: LocalNames, imports: ImportNames): boolean {
  // A deferred exit (a test helper's `defer os.Exit(0)`) loses nothing when an earlier exit wins.
  if (isExitCall(site.call, imports, names)) return true;
  const callee = site.call.childForFieldName('function');
  if (callee?.type !== 'func_literal') return isHarmlessCall(site.call, names);
  const calls = callee.descendantsOfType('call_expression').filter((call): call is Node => call !== null);
  // A literal that only handles a panic (calls recover), or whose calls only
  // release harmless things and report their errors (`if err := f.Close(); err != nil { log.Fatal(err) }`).
  if (calls.some((call) => call.childForFieldName('function')?.text === 'recover')) return true;
  return calls.every((call) => isHarmlessCall(call, names) || isExitCall(call, imports, names) || isPackageCall(call, 'log', loggingNames, imports, names) || isPackageCall(call, 'fmt', loggingNames, imports, names));
}

const loggingNames = ['Print', 'Printf', 'Println', 'Fprint', 'Fprintf', 'Fprintln', 'Errorf'];

/** True when the deferred call is also made explicitly before the exit, in the exit's own block: it is done already. */
function calledBeforeExit(site: DeferSite, exit: Node): boolean {
  const list = enclosingStatement(exit)?.parent;
  if (!list) return false;
  const deferred = site.call.text;
  return statementsOf(list).some((earlier) => earlier.endIndex <= exit.startIndex && earlier.type === 'expression_statement' && earlier.namedChild(0)?.text === deferred);
}

function isExitCall(call: Node, imports: ImportNames, names: LocalNames | undefined): boolean {
  return exitCalls.some((exit) => isPackageCall(call, exit.path, exit.names, imports, names));
}

/** Defers registered on every path that reaches the node: earlier statements of an enclosing statement list. */
function registeredBefore(node: Node, defers: DeferSite[]): DeferSite[] {
  return defers.filter((site) => {
    const list = site.statement.parent;
    if (!list || site.statement.endIndex > node.startIndex) return false;
    return list.startIndex <= node.startIndex && node.endIndex <= list.endIndex;
  });
}

export const deferExitSkipsDefers: Rule = {
  id: 'defer/exit-skips-defers',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/os#Exit',
  example: {
    before: [
      'func main() {',
      '\tw := bufio.NewWriter(os.Stdout)',
      '\tdefer w.Flush()',
      '\tif err := run(w); err != nil {',
      '\t\tlog.Fatal(err) // {wIsNeverFlushed}',
      '\t}',
      '}',
    ].join('\n'),
    after: [
      'func main() {',
      '\tif err := run(); err != nil {',
      '\t\tlog.Fatal(err)',
      '\t}',
      '}',
      '',
      'func run() error {',
      '\tw := bufio.NewWriter(os.Stdout)',
      '\tdefer w.Flush()',
      '\treturn write(w)',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Exit skips deferred calls',
      messages: {
        skips: '`{exit}` ends the program without running the deferred {calls}',
        deferredHere: 'deferred here; never runs after {exit}',
      },
      exampleComments: {
        wIsNeverFlushed: 'w is never flushed',
      },
      explanation: [
        '`os.Exit` stops the program immediately, and `log.Fatal`, `log.Fatalf` and `log.Fatalln` call `os.Exit(1)` after printing. Deferred calls are **not** run: buffers are not flushed, temporary files are not removed, CPU profiles are not written, compressed streams lose their trailer.',
        '',
        'Return an error (or an exit code) to the caller instead, and call `os.Exit` only in `main`, in a function that has no pending defers.',
        '',
        '**When it is deliberate.** In a test, `log.Fatal` ends a run that has already failed and `os.Exit` in a helper process ends only that child, so both are only info; `os.Exit(m.Run())` in `TestMain` after a `defer` stays a warning, because it skips the cleanup on every run. A cleanup already called by hand just before the exit is not reported. If losing the deferred work is acceptable, write `//goinsight:ignore defer/exit-skips-defers reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '退出会跳过延迟调用',
      messages: {
        skips: '`{exit}` 直接结束程序，不会执行前面 defer 的 {calls}',
        deferredHere: '在此 defer；{exit} 之后永远不会执行',
      },
      exampleComments: {
        wIsNeverFlushed: 'w 永远不会被刷新',
      },
      explanation: [
        '`os.Exit` 会立即终止程序，`log.Fatal`、`log.Fatalf`、`log.Fatalln` 在打印日志后也会调用 `os.Exit(1)`。延迟调用**不会**执行：缓冲区不会被刷新，临时文件不会被删除，CPU profile 不会写出，压缩流会缺少结尾。',
        '',
        '应当把错误（或退出码）返回给调用者，只在没有待执行延迟调用的函数（通常是 `main`）里调用 `os.Exit`。',
        '',
        '**有意为之的情况。** 在测试中，`log.Fatal` 结束的是一次已经失败的运行，辅助子进程里的 `os.Exit` 也只结束那个子进程，所以两者都只作为 info 报告；而 `TestMain` 里在 `defer` 之后调用 `os.Exit(m.Run())` 仍是警告，因为每次运行都会跳过清理。在退出前已经手动调用过的清理不会被报告。如果丢掉这些延迟工作可以接受，可以在该行或上一行写 `//goinsight:ignore defer/exit-skips-defers 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    const root = context.tree.rootNode;
    const imports = importNames(root);
    if (![...imports.values()].some((path) => exitCalls.some((exit) => exit.path === path))) return;
    const locals = new LocalNamesCache();
    const byFunction = new Map<number, DeferSite[]>();
    for (const site of deferSites(root)) {
      const list = byFunction.get(site.fn.id) ?? [];
      list.push(site);
      byFunction.set(site.fn.id, list);
    }
    // An exit call spells one of the exit names: a function whose text has none needs no walk over its calls.
    const exitNames = exitCalls.flatMap((exit) => exit.names);
    for (const fn of descendantsSpelling(root, 'defer', [...functionNodeTypes])) {
      const defers = byFunction.get(fn.id);
      if (!defers) continue;
      const source = fn.text;
      if (!exitNames.some((name) => source.includes(name))) continue;
      const names = locals.for(fn);
      if (!names) continue;
      for (const call of ownDescendants(fn, 'call_expression')) {
        if (isInsideError(call) || !isExitCall(call, imports, names)) continue;
        const skipped = registeredBefore(call, defers).filter((site) => !isHarmlessDefer(site, names, imports) && !calledBeforeExit(site, call));
        if (skipped.length === 0) continue;
        // In a test, an exit ends a run that has already failed (or a helper process); in TestMain
        // (`os.Exit(m.Run())`) it ends every run.
        const severity = isTestFile(context.filePath) && testEntryKind(fn) !== 'main' ? 'info' : undefined;
        const exit = call.childForFieldName('function')?.text ?? 'os.Exit';
        const calls = skipped.map((site) => `\`${deferredCallText(site.statement)}\``).join(listSeparator(context.locale));
        context.report({
          at: call,
          severity,
          messageKey: 'skips',
          values: { exit, calls },
          related: skipped.map((site) => ({
            range: context.rangeOf(statementCall(site.statement) ?? site.statement),
            message: context.message('deferredHere', { exit }),
          })),
        });
      }
    }
  },
};
