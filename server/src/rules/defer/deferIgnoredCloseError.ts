// defer/ignored-close-error: `defer f.Close()` on something written to loses
// the error Close reports, and for written files and compressors that error is
// often the only sign the data did not make it (delayed write errors, a
// gzip/zip trailer that failed). Recognised writers: os.Create/CreateTemp,
// os.OpenFile with a write flag, and the compress/archive writers. Functions
// that also call Close explicitly (and check it), sync it last (the fsync
// idiom) or never write to it are left alone. A warning where the written
// data is the function's product (it returns an error) or a compressor's
// trailer; info in tests, main and helpers that cannot report an error. When
// the function returns an error, the fix folds the Close error into it, and
// the error of a deferred Flush of a bufio.Writer on the same file too (that
// Flush runs first, and it is where buffered data reaches the file).
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../../engine/finding';
import { callArguments, isPackageCall, methodCall } from '../../syntax/calls';
import { deferSites, lineIndentOf, type DeferSite } from '../../syntax/defers';
import { isTestOrProcessSetup } from '../../syntax/functionContext';
import { importNames, type ImportNames } from '../../syntax/imports';
import { LocalNamesCache, type LocalDeclaration, type LocalNames } from '../../syntax/localNames';
import { enclosingStatement } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';

const writerConstructors: readonly { path: string; names: readonly string[] }[] = [
  { path: 'os', names: ['Create', 'CreateTemp'] },
  { path: 'compress/gzip', names: ['NewWriter', 'NewWriterLevel'] },
  { path: 'compress/zlib', names: ['NewWriter', 'NewWriterLevel', 'NewWriterLevelDict'] },
  { path: 'compress/flate', names: ['NewWriter', 'NewWriterDict'] },
  { path: 'compress/lzw', names: ['NewWriter'] },
  { path: 'archive/zip', names: ['NewWriter'] },
  { path: 'archive/tar', names: ['NewWriter'] },
];

// O_RDWR alone is left out: such files are mostly read back or used as devices.
const writeFlags = /\bO_(WRONLY|APPEND|CREATE|TRUNC)\b/;

/** The call that initialises the variable, when it is the first one declared and set from a call. */
function initialCall(declaration: LocalDeclaration): Node | undefined {
  const node = declaration.declaringNode;
  if (node.type !== 'short_var_declaration' && node.type !== 'var_spec') return undefined;
  const left = node.type === 'var_spec' ? node.childrenForFieldName('name') : (node.childForFieldName('left')?.namedChildren ?? []);
  if (left[0]?.id !== declaration.identifier.id) return undefined;
  const value = node.childForFieldName(node.type === 'var_spec' ? 'value' : 'right')?.namedChild(0);
  return value?.type === 'call_expression' ? value : undefined;
}

/** The constructor call when the variable was made by one that yields something written to. */
function writerOrigin(declaration: LocalDeclaration, imports: ImportNames, names: LocalNames): Node | undefined {
  const value = initialCall(declaration);
  if (!value) return undefined;
  if (writerConstructors.some((writer) => isPackageCall(value, writer.path, writer.names, imports, names))) return value;
  if (isPackageCall(value, 'os', ['OpenFile'], imports, names) && writeFlags.test(callArguments(value)[1]?.text ?? '')) return value;
  return undefined;
}

/**
 * True when the function closes the value somewhere else too (typically
 * `if err := f.Close(); err != nil`), reads it back, or removes it: a scratch
 * file whose contents are thrown away has no write to lose.
 */
function closedElsewhereOrScratch(declaration: LocalDeclaration, site: DeferSite, names: LocalNames): boolean {
  return names.references(declaration).some((reference) => {
    if (reference.startIndex >= site.statement.startIndex && reference.endIndex <= site.statement.endIndex) return false;
    const selector = reference.parent;
    if (selector?.type !== 'selector_expression') return false;
    const field = selector.childForFieldName('field')?.text;
    // Closed explicitly, or read back in place (a scratch file, not output).
    if (field === 'Close' || field === 'Seek' || field === 'Read' || field === 'ReadAt') return true;
    // os.Remove(f.Name()) / os.RemoveAll(f.Name())
    const argumentList = selector.parent?.parent;
    const outer = argumentList?.type === 'argument_list' ? argumentList.parent : null;
    return field === 'Name' && /^os\.Remove(All)?$/.test(outer?.childForFieldName('function')?.text ?? '');
  });
}

// Uses of a file that neither write to it nor hand it to something that may.
const nonWritingMethods: ReadonlySet<string> = new Set(['Close', 'Name', 'Sync', 'Stat', 'Fd', 'Chmod', 'Chown', 'Seek']);

/** The other references of the value than the deferred Close. */
function otherReferences(declaration: LocalDeclaration, site: DeferSite, names: LocalNames): Node[] {
  return names.references(declaration).filter((reference) => reference.startIndex < site.statement.startIndex || reference.endIndex > site.statement.endIndex);
}

function methodAt(reference: Node): string | undefined {
  return reference.parent?.type === 'selector_expression' ? reference.parent.childForFieldName('field')?.text : undefined;
}

/** True when nothing ever writes to the value (a file created only for its name): there is no write to lose. */
function neverWritten(references: Node[]): boolean {
  return references.every((reference) => {
    const method = methodAt(reference);
    return method !== undefined && nonWritingMethods.has(method);
  });
}

/**
 * True when every write discards its error on purpose (`_, _ = io.Copy(f, r)`):
 * the author does not care whether the data arrives (a troubleshooting dump).
 */
function writeErrorsDiscarded(references: Node[]): boolean {
  const writes = references.filter((reference) => !nonWritingMethods.has(methodAt(reference) ?? ''));
  return writes.length > 0 && writes.every((reference) => {
    const statement = enclosingStatement(reference);
    const left = statement?.type === 'assignment_statement' ? statement.childForFieldName('left') : null;
    return !!left && left.namedChildren.every((target) => target?.text === '_');
  });
}

/**
 * The fsync idiom: the last use before the deferred Close is a checked
 * `Sync()`, so a failed write has already been reported.
 */
function checkedSyncLast(references: Node[]): boolean {
  const last = references.filter((reference) => methodAt(reference) !== 'Close').pop();
  const call = last?.parent?.parent;
  if (!last || methodAt(last) !== 'Sync' || call?.type !== 'call_expression') return false;
  return call.parent?.type !== 'expression_statement';
}

interface ErrorResult {
  name: string;
  /** Edit naming the results, when they were unnamed. */
  rename?: TextEdit;
}

/** True when the function's last result is an `error`. */
function returnsError(fn: Node): boolean {
  const result = fn.childForFieldName('result');
  if (result?.type === 'type_identifier') return result.text === 'error';
  const parameters = result?.type === 'parameter_list' ? result.namedChildren.filter((child) => child?.type === 'parameter_declaration') : [];
  return parameters[parameters.length - 1]?.childForFieldName('type')?.text === 'error';
}

/** How the fix can assign the function's error result: its name, or `err` after naming the results. */
function errorResult(context: RuleContext, site: DeferSite, names: LocalNames): ErrorResult | undefined {
  const result = site.fn.childForFieldName('result');
  if (!result) return undefined;
  if (result.type === 'type_identifier') {
    if (result.text !== 'error') return undefined;
    return canNameErr(site, names) ? { name: 'err', rename: { range: context.rangeOf(result), newText: '(err error)' } } : undefined;
  }
  if (result.type !== 'parameter_list') return undefined;
  const parameters = result.namedChildren.filter((child): child is Node => child?.type === 'parameter_declaration');
  const last = parameters[parameters.length - 1];
  if (!last || last.childForFieldName('type')?.text !== 'error') return undefined;
  const lastNames = last.childrenForFieldName('name');
  if (lastNames.length > 0) {
    const name = lastNames[lastNames.length - 1]?.text;
    if (!name || name === '_') return undefined;
    const resolved = names.resolveNameAt(name, site.statement);
    return resolved?.kind === 'result' && resolved.scope.id === site.fn.id ? { name } : undefined;
  }
  if (!canNameErr(site, names)) return undefined;
  const types = parameters.map((parameter) => parameter.childForFieldName('type')?.text ?? '');
  const named = types.map((type, index) => (index === types.length - 1 ? `err ${type}` : `_ ${type}`)).join(', ');
  return { name: 'err', rename: { range: context.rangeOf(result), newText: `(${named})` } };
}

/** Naming the result `err` must not clash with an `err` of the body's top level or shadow it at the defer. */
function canNameErr(site: DeferSite, names: LocalNames): boolean {
  const body = site.fn.childForFieldName('body');
  if (!body) return false;
  const atDefer = names.resolveNameAt('err', site.statement);
  if (atDefer && atDefer.scope.id !== body.id) return false;
  for (const statement of body.descendantsOfType(['short_var_declaration', 'var_spec'])) {
    if (!statement || statement.parent?.parent?.id !== body.id && statement.parent?.parent?.parent?.id !== body.id) continue;
    const declared =
      statement.type === 'var_spec'
        ? statement.childrenForFieldName('name').map((name) => name?.text)
        : (statement.childForFieldName('left')?.namedChildren.map((name) => name?.text) ?? []);
    if (!declared.includes('err')) continue;
    // `var err` or `err := …` alone would redeclare the named result.
    if (statement.type === 'var_spec' || declared.every((name) => name === 'err' || name === '_')) return false;
  }
  return true;
}

/**
 * The deferred `w.Flush()` of a `bufio.Writer` made on the closed file in the
 * same function, when the result can be assigned there as at the Close.
 */
function deferredFlushOf(file: LocalDeclaration, close: DeferSite, result: ErrorResult, sites: readonly DeferSite[], locals: LocalNamesCache, imports: ImportNames): DeferSite | undefined {
  return sites.find((site) => {
    const call = methodCall(site.call);
    if (site.fn.id !== close.fn.id || call?.method !== 'Flush' || call.receiver.type !== 'identifier' || callArguments(site.call).length > 0) return false;
    const names = locals.for(site.statement);
    const writer = names?.resolve(call.receiver);
    const made = writer ? initialCall(writer) : undefined;
    if (!names || !made || !isPackageCall(made, 'bufio', ['NewWriter', 'NewWriterSize'], imports, names)) return false;
    const target = callArguments(made)[0];
    if (target?.type !== 'identifier' || names.resolve(target)?.identifier.id !== file.identifier.id) return false;
    // The result's name must mean the same at both defers (not shadowed at one of them).
    const atClose = locals.for(close.statement)?.resolveNameAt(result.name, close.statement);
    return names.resolveNameAt(result.name, site.statement)?.identifier.id === atClose?.identifier.id;
  });
}

/** `func() { if xerr := receiver.Method(); xerr != nil && err == nil { err = xerr } }()` at the deferred call. */
function errorKeepingCall(context: RuleContext, site: DeferSite, call: string, local: string, result: ErrorResult): TextEdit {
  const indent = lineIndentOf(context.text, site.statement);
  const closure = [
    'func() {',
    `${indent}\tif ${local} := ${call}; ${local} != nil && ${result.name} == nil {`,
    `${indent}\t\t${result.name} = ${local}`,
    `${indent}\t}`,
    `${indent}}()`,
  ].join('\n');
  return { range: context.rangeOf(site.call), newText: closure };
}

function namedResultFix(context: RuleContext, site: DeferSite, receiver: string, result: ErrorResult, flush: DeferSite | undefined): Fix {
  const closeEdit = errorKeepingCall(context, site, `${receiver}.Close()`, 'cerr', result);
  const flushEdits = flush ? [errorKeepingCall(context, flush, flush.call.text, 'ferr', result)] : [];
  return {
    title: context.message(flush ? 'fixNamedResultFlush' : 'fixNamedResult', { name: result.name }),
    edits: [...(result.rename ? [result.rename] : []), closeEdit, ...flushEdits],
  };
}

export const deferIgnoredCloseError: Rule = {
  id: 'defer/ignored-close-error',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/os#File.Close',
  example: {
    before: [
      'func save(name string, data []byte) error {',
      '\tf, err := os.Create(name)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\tdefer f.Close()',
      '\t_, err = f.Write(data)',
      '\treturn err',
      '}',
    ].join('\n'),
    after: [
      'func save(name string, data []byte) (err error) {',
      '\tf, err := os.Create(name)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\tdefer func() {',
      '\t\tif cerr := f.Close(); cerr != nil && err == nil {',
      '\t\t\terr = cerr',
      '\t\t}',
      '\t}()',
      '\t_, err = f.Write(data)',
      '\treturn err',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Error of a deferred Close is lost',
      messages: {
        ignored: '`{name}` is written to, but the error of the deferred `{name}.Close()` is discarded: a failed write may go unnoticed',
        openedHere: 'opened for writing here',
        fixNamedResult: 'Return the Close error through the result `{name}`',
        fixNamedResultFlush: 'Return the Flush and Close errors through the result `{name}`',
      },
      explanation: [
        'For something written to, `Close` is where the last errors surface: a file system may report a failed write only on close, and `gzip.Writer`, `zip.Writer` or `tar.Writer` write their trailer in `Close`. `defer f.Close()` throws that error away, so the function can report success for a file that is incomplete.',
        '',
        'Return the error: name the error result and set it from a deferred function when nothing else failed first. With a `bufio.Writer` on top of the file, the data reaches the file only in `Flush`: call `Flush` explicitly before returning and check its error, since a deferred `Flush` loses it just the same. When the function defers that `Flush`, the quick fix keeps its error too: the `Flush` still runs first, then the `Close`, and the first error is returned.',
        '',
        '**When it is deliberate.** A file synced with a checked `Sync()` after its last write, or never written at all, is not reported. It is a warning where the written data is the function\'s product (the function returns an `error`) or where a compressor\'s `Close` writes the last bytes; in tests, `main` and helpers that cannot report an error it is only info. To keep a plain `defer f.Close()` on purpose, write `//goinsight:ignore defer/ignored-close-error reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '延迟调用 Close 的错误被丢弃',
      messages: {
        ignored: '向 `{name}` 写入了数据，但 defer 的 `{name}.Close()` 返回的错误被丢弃：写入失败可能无人察觉',
        openedHere: '在此以写方式打开',
        fixNamedResult: '通过返回值 `{name}` 返回 Close 的错误',
        fixNamedResultFlush: '通过返回值 `{name}` 返回 Flush 和 Close 的错误',
      },
      explanation: [
        '对写入过数据的文件或 Writer 来说，`Close` 是最后一次报告错误的机会：有些文件系统（如 NFS）直到关闭时才报告写入失败，`gzip.Writer`、`zip.Writer`、`tar.Writer` 也是在 `Close` 中才写入尾部数据。`defer f.Close()` 丢弃了这个错误，文件不完整时函数却可能返回成功。',
        '',
        '应当把这个错误返回：给错误返回值命名（如 `err`），在延迟函数中调用 `Close`；如果此前没有出错，就把 `Close` 的错误赋给它。如果文件外面还套了一层 `bufio.Writer`，数据要到 `Flush` 时才真正写进文件：应在返回前显式调用 `Flush` 并检查错误，defer 的 `Flush` 同样会丢掉这个错误。如果函数 defer 了这个 `Flush`，快速修复会把它的错误也保留下来：仍然先执行 `Flush`，再执行 `Close`，返回最先出现的那个错误。',
        '',
        '**有意为之的情况。** 在最后一次写入之后用 `Sync()` 同步并检查了错误的文件，或者根本没写过的文件，不会被报告。当写入的数据是函数的产出（函数返回 `error`），或压缩器的 `Close` 要写出最后的字节时，这是警告；在测试、`main` 以及无法返回错误的辅助函数中只作为 info 报告。如果确实要保留简单的 `defer f.Close()`，可以在该行或上一行写 `//goinsight:ignore defer/ignored-close-error 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    const root = context.tree.rootNode;
    const imports = importNames(root);
    if (![...imports.values()].some((path) => writerConstructors.some((writer) => writer.path === path))) return;
    const locals = new LocalNamesCache();
    const sites = deferSites(root);
    for (const site of sites) {
      const call = methodCall(site.call);
      if (call?.method !== 'Close' || call.receiver.type !== 'identifier' || callArguments(site.call).length > 0) continue;
      const names = locals.for(site.statement);
      const declaration = names?.resolve(call.receiver);
      const origin = names && declaration ? writerOrigin(declaration, imports, names) : undefined;
      if (!names || !declaration || !origin || closedElsewhereOrScratch(declaration, site, names)) continue;
      const references = otherReferences(declaration, site, names);
      if (neverWritten(references) || checkedSyncLast(references)) continue;
      const result = errorResult(context, site, names);
      // What a function returning an error writes is its product, and a compressor's Close writes the
      // last bytes: those are warnings. Elsewhere (tests, main, helpers that cannot report) the loss is rarely read.
      const product = returnsError(site.fn);
      const compressor = !isPackageCall(origin, 'os', ['Create', 'CreateTemp', 'OpenFile'], imports, names);
      const severity = !isTestOrProcessSetup(context.filePath, site.fn) && (product || compressor) && !writeErrorsDiscarded(references) ? undefined : 'info';
      context.report({
        severity,
        at: site.statement,
        messageKey: 'ignored',
        values: { name: declaration.name },
        related: [{ range: context.rangeOf(origin), message: context.message('openedHere') }],
        fixes: result ? [namedResultFix(context, site, declaration.name, result, deferredFlushOf(declaration, site, result, sites, locals, imports))] : [],
      });
    }
  },
};
