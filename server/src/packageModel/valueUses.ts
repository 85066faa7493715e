// Every place a declaration's code touches a variable or field path, and how:
// a send, a receive, a range, close/len/cap, a call of the path itself or of
// one of its methods, a write (with what is written), or any other use of its
// value (passed, returned, stored, address taken…), which lets the value go
// where this model cannot follow it. Read per declaration text, as plain data
// (spans relative to the declaration), with the `go` statements that start a
// named function; the package model turns paths into channel, sync.Cond,
// WaitGroup and cancel-function identities (concurrencyIndex).
//
// Only declarations whose text can touch one of those are read this way; of
// the others only the words are kept, and a word that names an identity
// makes it unknown to the rules (quiet).
import type { Node } from 'web-tree-sitter';
import { callArguments, unparenthesize } from '../syntax/calls';
import { parentOf } from '../syntax/functions';
import { LocalNamesCache } from '../syntax/localNames';
import type { TypedNode } from './bodyNodes';
import { callTargetOf, type CallTarget, type Span } from './functionFacts';
import { typeExpressionOf, type TypeExpression } from './typeExpressions';
import { valuePathOf, type ValuePath } from './valuePaths';

/** What is stored by a write or a composite literal's field. */
export type WrittenValue =
  | { kind: 'make'; buffered: boolean }
  | { kind: 'nil' }
  /** The `index`th result of a call (`ctx, s.cancel = context.WithCancel(…)`). */
  | { kind: 'call'; target: CallTarget; index: number }
  | { kind: 'other' };

export type ValueUseKind = 'send' | 'receive' | 'range' | 'close' | 'inspect' | 'call' | 'write' | 'value';

export interface ValueUse {
  kind: ValueUseKind;
  /** The path used; for `x.f` on an operand that is not a path (`a[i].f`, `g().f`) only `field` is known. */
  path?: ValuePath;
  field?: string;
  /** The path's root names a variable declared in the function (or one of its literals), not a package-level name. */
  local?: boolean;
  /** The operation: the send statement, the `<-x` expression, the call, the assignment… */
  at: Span;
  /** A send or receive that is a case of a `select`, and whether that select has a `default`. */
  select?: 'case' | 'with-default';
  /** For writes. */
  written?: WrittenValue;
  /** A call made inside a function literal of the declaration (it runs when and where the literal does). */
  inLiteral?: boolean;
}

/** `go f(…)` / `go x.m(…)`: a function of the package started in a new goroutine (function literals are left out). */
export interface GoStart {
  target: CallTarget;
  at: Span;
}

/** One element of a composite literal `T{…}`: a field set by key or by position. */
export interface LiteralElement {
  /** The literal's type as spelled; undefined when elided (`[]T{{…}}`). */
  type?: TypeExpression;
  key?: string;
  index: number;
  written: WrittenValue;
  at: Span;
}

export type DeclarationUses =
  | {
      kind: 'read';
      uses: ValueUse[];
      literals: LiteralElement[];
      goStarts: GoStart[];
    }
  /** Not read (nothing in the text can touch a channel, a Cond or a cancel), or does not parse: only its words. */
  | { kind: 'words'; words: ReadonlySet<string> };

/**
 * Text that can mean a channel operation, a Cond, a WaitGroup, a goroutine
 * start, or a cancel function being made, stored or called. A `range` counts
 * only over a field path (`range s.results {`): ranges over locals and slices
 * are most of Go's loops, and an object's range in an unread declaration
 * makes it unknown, never wrongly judged.
 */
const touchesConcurrencyObject = /<-|\bclose\s*\(|\bchan\b|\brange\s+\w+(?:\.\w+)+\s*\{|\bgo\s|\.(?:Wait|Signal|Broadcast|Add|Done)\s*\(|\bCond\b|NewCond|WaitGroup|\bcancel|Cancel|\.With(?:Cancel|Timeout|Deadline)/;

const declaringParents: ReadonlySet<string> = new Set(['parameter_declaration', 'variadic_parameter_declaration', 'var_spec', 'const_spec', 'type_switch_statement']);

function writtenValue(value: Node | undefined, index: number, count: number): WrittenValue {
  if (!value) return { kind: 'other' };
  const expression = unparenthesize(value);
  if (count === 1 && index > 0) {
    const target = expression.type === 'call_expression' ? callTargetOf(expression) : undefined;
    return target ? { kind: 'call', target, index } : { kind: 'other' };
  }
  if (expression.type === 'nil') return { kind: 'nil' };
  if (expression.type === 'call_expression') {
    const callee = expression.childForFieldName('function');
    const [first, size] = callArguments(expression);
    if (callee?.type === 'identifier' && callee.text === 'make' && first?.type === 'channel_type') return { kind: 'make', buffered: size !== undefined && size.text !== '0' };
    const target = callTargetOf(expression);
    if (target) return { kind: 'call', target, index: 0 };
  }
  return { kind: 'other' };
}

function expressionList(node: Node | null): Node[] {
  if (!node) return [];
  if (node.type !== 'expression_list') return [node];
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}

/** The select a communication (send statement or `<-x`) is a case of, if any. */
function selectOf(operation: Node): 'case' | 'with-default' | undefined {
  let current: Node | null = operation;
  for (let steps = 0; current && steps < 4; steps++) {
    if (current.type === 'communication_case') {
      const select = parentOf(current);
      return select?.namedChildren.some((clause) => clause?.type === 'default_case') ? 'with-default' : 'case';
    }
    if (current.type !== 'receive_statement' && current.type !== 'unary_expression' && current.type !== 'send_statement' && current.type !== 'expression_list') return undefined;
    current = parentOf(current);
  }
  return undefined;
}

/** Whether the identifier (under `parent`, of type `parentType`) is a name being declared (`x :=`, a parameter, a `var` name…). */
function isDeclaredName(parent: Node, parentType: string): boolean {
  if (declaringParents.has(parentType)) return true;
  if (parentType !== 'expression_list') return false;
  const owner = parentOf(parent);
  if (owner?.type === 'short_var_declaration') return owner.childForFieldName('left')?.id === parent.id;
  if (owner?.type === 'range_clause' || owner?.type === 'receive_statement') return owner.childForFieldName('left')?.id === parent.id && owner.children.some((child) => child?.type === ':=');
  return false;
}

class UseCollector {
  readonly uses: ValueUse[] = [];
  readonly literals: LiteralElement[] = [];
  readonly goStarts: GoStart[] = [];
  /** The function literals of the declaration, as [start, end) offsets: asking each node for its enclosing function costs a walk through wasm. */
  private readonly literalRanges: [number, number][];

  private readonly start: number;

  constructor(declaration: Node, literals: readonly Node[]) {
    this.start = declaration.startIndex;
    this.literalRanges = literals.map((literal) => [literal.startIndex, literal.endIndex]);
  }

  private inLiteral(node: Node): boolean {
    const at = node.startIndex;
    return this.literalRanges.some(([start, end]) => start <= at && at < end);
  }

  span(node: Node): Span {
    return [node.startIndex - this.start, node.endIndex - this.start];
  }

  /** A path (its outermost node, with that node's parent) and how the code around it uses it. */
  classify({ top, parent, parentType }: PathTop, path: ValuePath | undefined, field: string | undefined, local: boolean): void {
    const use = (kind: ValueUseKind, at: Node, extra: Partial<ValueUse> = {}): void => {
      this.uses.push({ kind, path, ...(path ? {} : { field }), ...(local ? { local } : {}), at: this.span(at), ...extra });
    };
    if (!parent) return;
    switch (parentType) {
      case 'send_statement':
        if (parent.childForFieldName('channel')?.id === top.id) return use('send', parent, { select: selectOf(parent) });
        return use('value', top);
      case 'unary_expression': {
        const operator = parent.childForFieldName('operator')?.text;
        if (operator === '<-') return use('receive', parent, { select: selectOf(parent) });
        return use('value', parent);
      }
      case 'range_clause':
        return use(parent.childForFieldName('right')?.id === top.id ? 'range' : 'write', parent);
      case 'call_expression':
        if (parent.childForFieldName('function')?.id === top.id) return use('call', parent, this.inLiteral(parent) ? { inLiteral: true } : {});
        return use('value', top);
      case 'argument_list': {
        const call = parentOf(parent);
        const callee = call?.childForFieldName('function');
        if (call && callee?.type === 'identifier') {
          if (callee.text === 'close') return use('close', call);
          if (callee.text === 'len' || callee.text === 'cap') return use('inspect', call);
        }
        return use('value', top);
      }
      case 'binary_expression': {
        const operator = parent.childForFieldName('operator')?.text;
        return use(operator === '==' || operator === '!=' ? 'inspect' : 'value', top);
      }
      case 'expression_list': {
        const owner = parentOf(parent);
        if (owner?.type === 'assignment_statement' && owner.childForFieldName('left')?.id === parent.id) {
          const left = expressionList(parent);
          const right = expressionList(owner.childForFieldName('right'));
          const index = left.findIndex((node) => node.id === top.id);
          const written = right.length === left.length ? writtenValue(right[index], 0, 1) : writtenValue(right[0], index, right.length);
          return use('write', owner, { written });
        }
        return use('value', top);
      }
      case 'inc_statement':
      case 'dec_statement':
        return use('write', parent, { written: { kind: 'other' } });
      default:
        return use('value', top);
    }
  }

  literal(literal: Node): void {
    const typeNode = literal.childForFieldName('type');
    const type = typeNode ? typeExpressionOf(typeNode) : undefined;
    const body = literal.childForFieldName('body');
    let index = 0;
    for (const element of body?.namedChildren ?? []) {
      if (!element || element.type === 'comment') continue;
      if (element.type === 'keyed_element') {
        const [key, value] = element.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
        const keyName = key?.namedChild(0)?.type === 'identifier' ? key.namedChild(0)?.text : undefined;
        if (keyName) this.literals.push({ type, key: keyName, index, written: writtenValue(value?.namedChild(0) ?? undefined, 0, 1), at: this.span(element) });
      } else if (element.type === 'literal_element') {
        this.literals.push({ type, index, written: writtenValue(element.namedChild(0) ?? undefined, 0, 1), at: this.span(element) });
      }
      index++;
    }
  }
}

/** The outermost node of a path, with its parent and the parent's type (each `type` is a call into wasm: read once, used by the checks that follow). */
interface PathTop {
  top: Node;
  parent: Node | null;
  parentType: string | undefined;
}

/** The outermost node of the path a node starts: up through field selectors and parentheses (`parent` is the node's, if read already). */
function pathTop(node: Node, parent = parentOf(node), parentType = parent?.type): PathTop {
  let top = node;
  while (parent) {
    if (parentType === 'selector_expression' && parent.childForFieldName('operand')?.id === top.id) top = parent;
    else if (parentType === 'parenthesized_expression') top = parent;
    else break;
    parent = parentOf(top);
    parentType = parent?.type;
  }
  return { top, parent, parentType };
}

/** Whether the identifier (under `element`, of type `elementType`) is the key of a keyed composite-literal element (a field name, or a map key read in concurrencyIndex). */
function isLiteralKey(element: Node, elementType: string): boolean {
  if (elementType !== 'literal_element') return false;
  const keyed = parentOf(element);
  return keyed?.type === 'keyed_element' && keyed.namedChild(0)?.id === element.id;
}

function readUses(declaration: Node): DeclarationUses & { kind: 'read' } {
  // One walk for the uses and the function literals (the collector needs every literal before the first use).
  const nodes: TypedNode[] = [];
  const literals: Node[] = [];
  for (const node of declaration.descendantsOfType(['identifier', 'selector_expression', 'composite_literal', 'var_spec', 'go_statement', 'func_literal'])) {
    if (!node) continue;
    const type = node.type;
    if (type === 'func_literal') literals.push(node);
    else nodes.push({ node, type });
  }
  const collector = new UseCollector(declaration, literals);
  const cache = new LocalNamesCache();
  // Every node of a function declaration has the declaration as its outermost function: its names are looked up once.
  const ownNames = declaration.type === 'function_declaration' || declaration.type === 'method_declaration' ? cache.for(declaration) : undefined;
  const namesAt = (node: Node) => ownNames ?? cache.for(node);
  for (const { node, type } of nodes) {
    switch (type) {
      case 'identifier': {
        const parent = parentOf(node);
        const name = node.text;
        if (!parent || name === '_') break;
        const parentType = parent.type;
        if (isLiteralKey(parent, parentType) || isDeclaredName(parent, parentType)) break;
        const outer = pathTop(node, parent, parentType);
        // A bare identifier is its own path (valuePathOf would read its type and text again).
        const path = outer.top.id === node.id ? { root: name, fields: [] } : valuePathOf(outer.top);
        collector.classify(outer, path, undefined, namesAt(node)?.resolve(node) !== undefined);
        break;
      }
      case 'selector_expression': {
        // `a[i].f`, `g().f`: no path, but a use of a field named `f` of some value.
        const operand = node.childForFieldName('operand');
        if (operand && !valuePathOf(operand)) collector.classify(pathTop(node), undefined, node.childForFieldName('field')?.text, false);
        break;
      }
      case 'composite_literal':
        collector.literal(node);
        break;
      case 'go_statement': {
        const call = node.namedChildren.find((child) => child?.type === 'call_expression');
        const target = call ? callTargetOf(call) : undefined;
        if (target) collector.goStarts.push({ target, at: collector.span(node) });
        break;
      }
      case 'var_spec': {
        const names = node.childrenForFieldName('name').filter((name): name is Node => name !== null);
        const values = expressionList(node.childForFieldName('value'));
        names.forEach((name, index) => {
          if (values.length === 0) return;
          const written = values.length === names.length ? writtenValue(values[index], 0, 1) : writtenValue(values[0], index, values.length);
          collector.uses.push({ kind: 'write', path: { root: name.text, fields: [] }, at: collector.span(node), written });
        });
        break;
      }
    }
  }
  return { kind: 'read', uses: collector.uses, literals: collector.literals, goStarts: collector.goStarts };
}

/** The uses of a function or `var` declaration; `words` gives its identifiers when it is not read. */
export function declarationUses(declaration: Node, text: string, words: () => ReadonlySet<string>): DeclarationUses {
  if (declaration.hasError || !touchesConcurrencyObject.test(text)) return { kind: 'words', words: words() };
  return readUses(declaration);
}
