// The compiler names a single point (line and column); the user thinks in
// expressions. For "X escapes to heap" the compiler prints X itself (eliding
// long parts as "..."), so the range widens to the innermost expression around
// that point whose text is X — `&T{…}`, `make([]byte, n)` — and the inlay
// hint moves right after it (a function literal keeps its `func` keyword).
// Calls are reported at their "(", and some messages name only the callee
// (`append escapes to heap`): then the call is meant. A fact at a call's "("
// that names code from an inlined callee (`string(bufio.s.token)`, `moved to
// heap: p` inside newPoint) covers the call. Anything else keeps the
// compiler's identifier-sized range: a wrong underline is worse than a short
// one.
import type { Node, Tree } from 'web-tree-sitter';
import type { Finding } from './finding';
import type { LineIndex } from './lineIndex';

const escapesSuffix = ' escapes to heap';

/** Matches the compiler's printed expression, where "..." stands for elided source. */
function printedExpressionPattern(printed: string): RegExp {
  const parts = printed.split('...').map((part) => part.replace(/\s+/g, ' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`);
}

const statementLevel: ReadonlySet<string> = new Set(['block', 'source_file', 'function_declaration', 'method_declaration', 'expression_statement', 'short_var_declaration', 'assignment_statement', 'return_statement', 'go_statement', 'defer_statement']);

/** The expressions around the offset, innermost first, up to the statement that holds them. */
function enclosingExpressions(tree: Tree, offset: number): Node[] {
  const chain: Node[] = [];
  for (let node = tree.rootNode.descendantForIndex(offset, offset); node && !statementLevel.has(node.type); node = node.parent) {
    if (node.isNamed) chain.push(node);
  }
  return chain;
}

const normalized = (node: Node) => node.text.replace(/\s+/g, ' ');

/** The call whose argument list opens exactly at the offset: where the compiler places facts from inlined calls. */
function callOpeningAt(chain: readonly Node[], offset: number): Node | undefined {
  return chain.find((node) => node.type === 'call_expression' && node.childForFieldName('arguments')?.startIndex === offset);
}

function expressionNamed(message: string, tree: Tree, offset: number): Node | undefined {
  const chain = enclosingExpressions(tree, offset);
  // Facts from an inlined callee name code that is not in this file (string(bufio.s.token)); the call stands for it.
  if (!message.endsWith(escapesSuffix)) return callOpeningAt(chain, offset);
  const printed = message.slice(0, -escapesSuffix.length);
  if (printed === 'func literal') return chain.find((node) => node.type === 'func_literal' && node.startIndex === offset);
  const pattern = printedExpressionPattern(printed);
  const named = chain.find((node) => {
    if (pattern.test(normalized(node))) return true;
    const callee = node.type === 'call_expression' ? node.childForFieldName('function') : null;
    return callee !== null && callee.endIndex <= offset && pattern.test(normalized(callee));
  });
  return named ?? callOpeningAt(chain, offset);
}

export function widenToExpression(finding: Finding, tree: Tree, lines: LineIndex): Finding {
  if (finding.source !== 'compiler') return finding;
  const expression = expressionNamed(finding.message, tree, lines.offsetAt(finding.range.start));
  if (!expression || expression.hasError) return finding;
  if (expression.type === 'func_literal') return onFunctionKeyword(finding, expression, lines);
  const range = lines.rangeOf(expression.startIndex, expression.endIndex);
  return { ...finding, range, inlay: finding.inlay ? { ...finding.inlay, position: range.end } : undefined };
}

/**
 * A function literal spans its whole body, and a finding over it would follow
 * the cursor into every line of a `go func() {…}()` (its hover, its "ignore"
 * fix): the `func` keyword stands for it. The hint goes after the signature,
 * before the body, so that it splits neither `func()` nor the types.
 */
function onFunctionKeyword(finding: Finding, literal: Node, lines: LineIndex): Finding {
  const range = lines.rangeOf(literal.startIndex, literal.startIndex + 'func'.length);
  const signatureEnd = literal.childForFieldName('result') ?? literal.childForFieldName('parameters');
  const hintAt = signatureEnd ? lines.positionAt(signatureEnd.endIndex) : range.end;
  return { ...finding, range, inlay: finding.inlay ? { ...finding.inlay, position: hintAt } : undefined };
}
