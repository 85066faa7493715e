// defer/before-error-check: `f, err := open(); defer f.Close(); if err != nil`
// defers a call on a value that is nil or invalid when the call failed
// (`resp.Body.Close()` on a nil resp panics at return). Recognised only in
// its literal shape: the defer right after the assignment, on the first
// assigned variable, before the `if err != nil` that checks the same error,
// and only when that check does not use the value (a partial result).
// The fix moves the defer below the check when the check's body always leaves.
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/finding';
import { methodCall, rootIdentifier, unparenthesize } from '../../syntax/calls';
import { deferSites, type DeferSite } from '../../syntax/defers';
import { LocalNamesCache, type LocalDeclaration, type LocalNames } from '../../syntax/localNames';
import { followingStatements, isTerminating, previousStatement } from '../../syntax/statements';
import type { Rule } from '../rule';
import type { RuleContext } from '../ruleContext';
import { deferredCallText } from './deferOrder';

interface ErrorCheckedAssignment {
  assignment: Node;
  value: LocalDeclaration;
  error: LocalDeclaration;
}

function assignedIdentifiers(statement: Node): Node[] {
  if (statement.type !== 'short_var_declaration' && statement.type !== 'assignment_statement') return [];
  if (statement.type === 'assignment_statement' && statement.childForFieldName('operator')?.type !== '=') return [];
  const right = statement.childForFieldName('right');
  if (right?.namedChildCount !== 1 || right.namedChild(0)?.type !== 'call_expression') return [];
  const left = statement.childForFieldName('left');
  return left ? left.namedChildren.filter((child): child is Node => child !== null) : [];
}

/** `x, …, err := call()` right before the defer, with the deferred call made on `x`. */
function matchAssignment(site: DeferSite, names: LocalNames): ErrorCheckedAssignment | undefined {
  const assignment = previousStatement(site.statement);
  if (!assignment) return undefined;
  const targets = assignedIdentifiers(assignment);
  if (targets.length < 2 || targets.some((target) => target.type !== 'identifier')) return undefined;
  const errorIdentifier = targets[targets.length - 1];
  const method = methodCall(site.call);
  const receiverRoot = method ? rootIdentifier(method.receiver) : null;
  if (!receiverRoot) return undefined;
  const value = names.resolve(receiverRoot);
  const error = names.resolve(errorIdentifier);
  if (!value || !error || value === error) return undefined;
  if (!targets.slice(0, -1).some((target) => names.resolve(target) === value)) return undefined;
  return { assignment, value, error };
}

function isNilCheckOf(statement: Node, error: LocalDeclaration, names: LocalNames): boolean {
  if (statement.type !== 'if_statement' || statement.childForFieldName('initializer')) return false;
  const condition = statement.childForFieldName('condition');
  if (!condition) return false;
  const comparison = unparenthesize(condition);
  if (comparison.type !== 'binary_expression' || comparison.childForFieldName('operator')?.type !== '!=') return false;
  const left = comparison.childForFieldName('left');
  const right = comparison.childForFieldName('right');
  const operand = left?.type === 'nil' ? right : right?.type === 'nil' ? left : null;
  return operand?.type === 'identifier' && names.resolve(operand) === error;
}

function mentions(statement: Node, declarations: LocalDeclaration[], names: LocalNames): boolean {
  return statement
    .descendantsOfType('identifier')
    .some((identifier) => identifier !== null && declarations.includes(names.resolve(identifier) as LocalDeclaration));
}

function lineSpan(text: string, node: Node): { start: number; end: number } {
  const start = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const newline = text.indexOf('\n', node.endIndex);
  return { start, end: newline < 0 ? text.length : newline + 1 };
}

function moveFix(context: RuleContext, defer: Node, check: Node): Fix | undefined {
  const consequence = check.childForFieldName('consequence');
  if (check.childForFieldName('alternative') || !consequence || !isTerminating(consequence)) return undefined;
  const span = lineSpan(context.text, defer);
  const lineText = context.text.slice(span.start, span.end);
  // Only a defer alone on its line (a trailing comment may follow) moves cleanly.
  if (context.text.slice(span.start, defer.startIndex).trim() !== '' || !lineText.endsWith('\n')) return undefined;
  const after = context.text.slice(defer.endIndex, span.end).trim();
  if (after !== '' && !after.startsWith('//')) return undefined;
  const checkEnd = lineSpan(context.text, check).end;
  if (context.text.slice(check.endIndex, checkEnd).trim() !== '') return undefined;
  const insertAt = context.lines.positionAt(checkEnd);
  return {
    title: context.message('fixMove'),
    isPreferred: true,
    edits: [
      { range: context.lines.rangeOf(span.start, span.end), newText: '' },
      { range: { start: insertAt, end: insertAt }, newText: lineText },
    ],
  };
}

export const deferBeforeErrorCheck: Rule = {
  id: 'defer/before-error-check',
  category: 'defer',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/blog/defer-panic-and-recover',
  example: {
    before: [
      'resp, err := http.Get(url)',
      'defer resp.Body.Close() // {panicsRightHereWhen}',
      'if err != nil {',
      '\treturn err',
      '}',
    ].join('\n'),
    after: [
      'resp, err := http.Get(url)',
      'if err != nil {',
      '\treturn err',
      '}',
      'defer resp.Body.Close()',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Defer before the error check',
      messages: {
        beforeCheck: '`{call}` is deferred before `{error}` is checked: when the call fails, `{value}` may be nil or invalid and the deferred call runs on it anyway',
        beforeCheckField: '`{call}` is deferred before `{error}` is checked: when the call fails, `{value}` may be nil, and evaluating `{call}` at the defer statement then panics before `{error}` is ever checked',
        checkHere: '`{error}` is checked only here',
        fixMove: 'Move the defer after the error check',
      },
      exampleComments: {
        panicsRightHereWhen: 'panics right here when err != nil (resp is nil)',
      },
      explanation: [
        'A deferred call is registered when the `defer` statement runs, whatever happens next. If it comes before the error check, it is registered even when the call that produced the value failed, and at return it runs on whatever was returned with the error: usually a nil pointer or a zero value.',
        '',
        'For `*os.File` that means a pointless `Close` on nil at return (returning `os.ErrInvalid`). For `resp.Body.Close()` after a failed `http.Get` it is worse: the `defer` statement evaluates the method value `resp.Body.Close` at once, and reading `resp.Body` through the nil `resp` panics **at the `defer` statement itself**, before the error is checked, so the original error is lost.',
        '',
        'Register the cleanup only once the value is known to be valid: after the `if err != nil { return … }`.',
        '',
        '**When it is deliberate.** Some calls return a usable value together with the error (a partial read) that must be released either way; when the error branch uses the value, that is assumed and nothing is reported. Moving the defer would then leak on the error path. For other deliberate cases, write `//goinsight:ignore defer/before-error-check reason` on the line or the line above.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '在错误检查之前 defer',
      messages: {
        beforeCheck: '在检查 `{error}` 之前就 defer 了 `{call}`：调用失败时 `{value}` 可能是 nil 或无效值，延迟调用照样会作用在它上面',
        beforeCheckField: '在检查 `{error}` 之前就 defer 了 `{call}`：调用失败时 `{value}` 可能是 nil，执行 defer 语句求值 `{call}` 时就会 panic，根本走不到 `{error}` 的检查',
        checkHere: '直到这里才检查 `{error}`',
        fixMove: '把 defer 移到错误检查之后',
      },
      exampleComments: {
        panicsRightHereWhen: 'err != nil 时 resp 为 nil，这一行当场 panic',
      },
      explanation: [
        '延迟调用在执行到 `defer` 语句时就注册了，与之后发生什么无关。如果它写在错误检查之前，那么即使产生该值的调用失败了，延迟调用也已注册，函数返回时会作用在随错误一起返回的值上：通常是 nil 指针或零值。',
        '',
        '对 `*os.File` 来说，只是函数返回时在 nil 上做了一次无意义的 `Close`（返回 `os.ErrInvalid`）。`resp.Body.Close()` 就严重得多：`http.Get` 失败时 `resp` 为 nil，而 `defer` 语句会立即求值方法值 `resp.Body.Close`，读取 `resp.Body` 时就触发 nil 指针 panic——**就在 `defer` 这一行**，错误检查根本来不及执行，原本的错误也随之丢失。',
        '',
        '只有在确认值有效之后才注册清理操作：放在 `if err != nil { return … }` 之后。',
        '',
        '**有意为之的情况。** 有些调用在返回错误的同时也返回一个可用的值（比如只读了一部分），无论成败都要释放它；如果错误分支里用到了这个值，就认为属于这种情况，不会报告。这时把 defer 挪到检查之后反而会在出错路径上泄漏。其他有意为之的情况，可以在该行或上一行写 `//goinsight:ignore defer/before-error-check 原因`。',
      ].join('\n'),
    },
  },
  check(context) {
    const locals = new LocalNamesCache();
    for (const site of deferSites(context.tree.rootNode)) {
      const names = locals.for(site.statement);
      const matched = names ? matchAssignment(site, names) : undefined;
      if (!names || !matched) continue;
      // The first later statement that mentions the error must be its nil check.
      let check: Node | undefined;
      let between = false;
      for (const following of followingStatements(site.statement)) {
        if (isNilCheckOf(following, matched.error, names)) {
          check = following;
          break;
        }
        if (mentions(following, [matched.error], names)) break;
        between ||= mentions(following, [matched.value], names);
      }
      if (!check) continue;
      // The error path uses the value (reports or releases a partial result): it is valid along with the
      // error, and the early defer releases it on purpose; moving it would leak on that path.
      if (mentions(check.childForFieldName('consequence') ?? check, [matched.value], names)) continue;
      const values = { call: deferredCallText(site.statement), error: matched.error.name, value: matched.value.name };
      const fix = between ? undefined : moveFix(context, site.statement, check);
      context.report({
        at: site.statement,
        // `resp.Body.Close()` reads a field through the value when the defer statement runs.
        messageKey: values.call.startsWith(`${matched.value.name}.`) && /^\w+\.\w+\.\w+\(/.test(values.call) ? 'beforeCheckField' : 'beforeCheck',
        values,
        related: [{ range: context.rangeOf(check.childForFieldName('condition') ?? check), message: context.message('checkHere', values) }],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
