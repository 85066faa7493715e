// Local name resolution inside one top-level function, from the tree alone:
// which declaration an identifier refers to (parameters, results, receivers,
// `:=`, `var`, `const`, range and type-switch variables, select receives),
// and where each variable is written. Closures see the variables of the
// functions around them, so the unit is the outermost function declaration
// (or method); a nested func literal is resolved through it. Names that do not
// resolve are package-level, imported or unknown: rules must treat them as
// "don't know".
import type { Node, Tree } from 'web-tree-sitter';
import { enclosingFunction, functionDescendants, isFunctionNode, parentOf } from './functions';

export type DeclarationKind =
  | 'parameter'
  | 'result'
  | 'receiver'
  | 'short-var'
  | 'var'
  | 'const'
  | 'range'
  | 'for-init'
  | 'type-switch'
  | 'select-receive';

export interface LocalDeclaration {
  name: string;
  /** The identifier that declares the name. */
  identifier: Node;
  kind: DeclarationKind;
  /** The node whose extent is the declaration's scope. */
  scope: Node;
  /** Offset from which the name refers to this declaration. */
  visibleFrom: number;
  /** The statement (or clause) that declares it: short_var_declaration, var_spec, range_clause, parameter_declaration, … */
  declaringNode: Node;
}

export type WriteKind = 'assign' | 'incdec' | 'address' | 'field' | 'redeclare';

export interface LocalWrite {
  declaration: LocalDeclaration;
  kind: WriteKind;
  /** The identifier being written. */
  identifier: Node;
}

const scopeTypes: ReadonlySet<string> = new Set([
  'block',
  'func_literal',
  'function_declaration',
  'method_declaration',
  'if_statement',
  'for_statement',
  'expression_switch_statement',
  'type_switch_statement',
  'expression_case',
  'default_case',
  'type_case',
  'communication_case',
]);

function nearestScope(node: Node): Node | null {
  for (let current = parentOf(node); current; current = parentOf(current)) {
    if (scopeTypes.has(current.type)) return current;
  }
  return null;
}

/** The outermost function (declaration or method) that contains the node, or the node's own function. */
export function outermostFunction(node: Node): Node | null {
  // Through the per-tree memo of enclosingFunction: walking every parent to the root is O(depth²) in tree-sitter 0.25.
  let found: Node | null = isFunctionNode(node) ? node : null;
  for (let current = enclosingFunction(node); current; current = enclosingFunction(current)) found = current;
  return found;
}

/** Nodes whose direct identifier children may declare a name (see collectDeclaration). */
const declaringTypes = ['parameter_declaration', 'variadic_parameter_declaration', 'var_spec', 'const_spec', 'type_switch_statement', 'short_var_declaration', 'range_clause', 'receive_statement'];
/** Of those, the ones that declare through the identifiers of their `left` expression list. */
const leftDeclaringTypes: ReadonlySet<string> = new Set(['short_var_declaration', 'range_clause', 'receive_statement']);

function hasOperator(node: Node, operator: string): boolean {
  for (let index = 0; index < node.childCount; index++) {
    if (node.child(index)?.type === operator) return true;
  }
  return false;
}

export class LocalNames {
  private readonly byScope = new Map<number, LocalDeclaration[]>();
  private readonly resolved = new Map<number, LocalDeclaration | null>();
  /** Every name some local declaration has: any other name resolves to nothing without walking up the tree (each step a call into wasm). */
  private readonly declaredNames = new Set<string>();
  /**
   * Built on the first writes() call: most functions are resolved only for a
   * few names (the channel facts build one LocalNames per function of the
   * file on every keystroke), and finding the writes resolves every assigned
   * identifier. The list is the same whenever it is built: declarations are
   * all known by then and resolve() is pure.
   */
  private writeList: LocalWrite[] | undefined;
  /** Every identifier under the root; scanned only for writes() and references(). */
  private identifierList: Node[] | undefined;

  constructor(readonly root: Node) {
    // Declarations first, in source order, so a `:=` that redeclares an
    // existing name of the same scope becomes a write instead. Only the
    // identifiers whose parent can declare are visited, found from those
    // parents: asking every identifier for its parent costs a walk from the
    // root inside wasm each.
    const candidates: { identifier: Node; parent: Node }[] = [];
    for (const node of functionDescendants(root, declaringTypes)) {
      const parent = leftDeclaringTypes.has(node.type) ? node.childForFieldName('left') : node;
      // `x, y := …` declares through an expression_list; a `left` of any other shape declares nothing here.
      if (!parent || (parent !== node && parent.type !== 'expression_list')) continue;
      for (const child of parent.namedChildren) if (child?.type === 'identifier') candidates.push({ identifier: child, parent });
    }
    candidates.sort((a, b) => a.identifier.startIndex - b.identifier.startIndex);
    for (const { identifier, parent } of candidates) this.collectDeclaration(identifier, parent);
  }

  private get identifiers(): Node[] {
    if (!this.identifierList) this.identifierList = this.root.descendantsOfType('identifier').filter((node): node is Node => node !== null);
    return this.identifierList;
  }

  private allWrites(): LocalWrite[] {
    if (!this.writeList) {
      const list: LocalWrite[] = [];
      for (const identifier of this.identifiers) this.collectWrite(identifier, list);
      this.writeList = list;
    }
    return this.writeList;
  }

  /** The local declaration an identifier refers to, or undefined (package-level, imported, unknown). */
  resolve(identifier: Node): LocalDeclaration | undefined {
    const cached = this.resolved.get(identifier.id);
    if (cached !== undefined) return cached ?? undefined;
    let result: LocalDeclaration | null = null;
    const name = identifier.text;
    if (!this.declaredNames.has(name)) {
      this.resolved.set(identifier.id, null);
      return undefined;
    }
    for (let current = parentOf(identifier); current && !result; current = parentOf(current)) {
      const declarations = this.byScope.get(current.id);
      if (declarations) {
        for (const declaration of declarations) {
          if (declaration.name !== name) continue;
          if (declaration.identifier.id === identifier.id) {
            result = declaration;
            break;
          }
          if (declaration.visibleFrom <= identifier.startIndex && (!result || declaration.visibleFrom > result.visibleFrom)) {
            result = declaration;
          }
        }
      }
      if (current.id === this.root.id) break;
    }
    this.resolved.set(identifier.id, result);
    return result ?? undefined;
  }

  /** Every write to the declaration (assignments, ++/--, &x, x.f = …, `:=` redeclarations). */
  writes(declaration: LocalDeclaration): LocalWrite[] {
    return this.allWrites().filter((write) => write.declaration === declaration);
  }

  /** Every identifier (other than the declaring one) that refers to the declaration. */
  references(declaration: LocalDeclaration): Node[] {
    return this.identifiers.filter(
      (identifier) =>
        identifier.text === declaration.name &&
        identifier.id !== declaration.identifier.id &&
        this.resolve(identifier) === declaration,
    );
  }

  /** Resolves an identifier by name as seen at the given node (for names that appear only in text). */
  resolveNameAt(name: string, at: Node): LocalDeclaration | undefined {
    let result: LocalDeclaration | undefined;
    if (!this.declaredNames.has(name)) return undefined;
    for (let current: Node | null = at; current && !result; current = parentOf(current)) {
      for (const declaration of this.byScope.get(current.id) ?? []) {
        if (declaration.name === name && declaration.visibleFrom <= at.startIndex) {
          if (!result || declaration.visibleFrom > result.visibleFrom) result = declaration;
        }
      }
      if (current.id === this.root.id) break;
    }
    return result;
  }

  private add(identifier: Node, kind: DeclarationKind, scope: Node | null, visibleFrom: number, declaringNode: Node): void {
    if (!scope || identifier.text === '_') return;
    const list = this.byScope.get(scope.id) ?? [];
    if (kind === 'short-var' && list.some((existing) => existing.name === identifier.text)) return; // a redeclaration
    // Parameters and results belong to the body's block (the spec's function scope): `f, err := …` at the top
    // of a function with a result `err` assigns that result, it declares no new `err`.
    const fn = parentOf(scope);
    if (kind === 'short-var' && fn && isFunctionNode(fn) && fn.childForFieldName('body')?.id === scope.id && this.byScope.get(fn.id)?.some((existing) => existing.name === identifier.text)) return;
    list.push({ name: identifier.text, identifier, kind, scope, visibleFrom, declaringNode });
    this.declaredNames.add(identifier.text);
    this.byScope.set(scope.id, list);
  }

  /** `parent` is the identifier's parent (known to the caller). */
  private collectDeclaration(identifier: Node, parent: Node): void {
    switch (parent.type) {
      case 'parameter_declaration':
      case 'variadic_parameter_declaration': {
        if (parent.childForFieldName('type')?.id === identifier.id) return;
        const list = parentOf(parent);
        const fn = list ? parentOf(list) : null;
        if (!list || !fn || !isFunctionNode(fn)) return;
        const kind: DeclarationKind =
          fn.childForFieldName('receiver')?.id === list.id ? 'receiver' : fn.childForFieldName('result')?.id === list.id ? 'result' : 'parameter';
        this.add(identifier, kind, fn, fn.startIndex, parent);
        return;
      }
      case 'var_spec':
      case 'const_spec': {
        if (parent.childForFieldName('type')?.id === identifier.id) return;
        if (!parent.childrenForFieldName('name').some((name) => name?.id === identifier.id)) return;
        this.add(identifier, parent.type === 'var_spec' ? 'var' : 'const', nearestScope(parent), parent.endIndex, parent);
        return;
      }
      case 'expression_list': {
        const owner = parentOf(parent);
        if (!owner || owner.childForFieldName('left')?.id !== parent.id) return;
        if (owner.type === 'short_var_declaration') {
          const kind = parentOf(owner)?.type === 'for_clause' ? 'for-init' : 'short-var';
          this.add(identifier, kind, nearestScope(owner), owner.endIndex, owner);
        } else if (owner.type === 'range_clause' && hasOperator(owner, ':=')) {
          this.add(identifier, 'range', nearestScope(owner), owner.endIndex, owner);
        } else if (owner.type === 'receive_statement' && hasOperator(owner, ':=')) {
          this.add(identifier, 'select-receive', nearestScope(owner), owner.endIndex, owner);
        }
        return;
      }
      default:
        if (parent.type === 'type_switch_statement' && parent.childForFieldName('alias')?.id === identifier.id) {
          this.add(identifier, 'type-switch', parent, identifier.endIndex, parent);
        }
    }
  }

  private collectWrite(identifier: Node, list: LocalWrite[]): void {
    const parent = parentOf(identifier);
    if (!parent) return;
    let kind: WriteKind | undefined;
    if (parent.type === 'expression_list') {
      const owner = parentOf(parent);
      if (owner && owner.childForFieldName('left')?.id === parent.id) {
        if (owner.type === 'assignment_statement') kind = 'assign';
        else if ((owner.type === 'range_clause' || owner.type === 'receive_statement') && hasOperator(owner, '=')) kind = 'assign';
        else if (owner.type === 'short_var_declaration') kind = 'redeclare';
      }
    } else if (parent.type === 'inc_statement' || parent.type === 'dec_statement') {
      kind = 'incdec';
    } else if (parent.type === 'unary_expression' && hasOperator(parent, '&')) {
      kind = 'address';
    } else if (parent.type === 'selector_expression' && parent.childForFieldName('operand')?.id === identifier.id) {
      const list = parentOf(parent);
      const owner = list ? parentOf(list) : null;
      if (list?.type === 'expression_list' && owner?.type === 'assignment_statement' && owner.childForFieldName('left')?.id === list.id) {
        kind = 'field';
      } else if (list?.type === 'inc_statement' || list?.type === 'dec_statement') {
        kind = 'field';
      }
    }
    if (!kind) return;
    const declaration = this.resolve(identifier);
    if (!declaration) return;
    if (kind === 'redeclare' && declaration.identifier.id === identifier.id) return;
    list.push({ declaration, kind, identifier });
  }
}

// A LocalNames depends only on its function's subtree and, once built, only
// memoizes (resolve), so every rule of an analysis can share one per function:
// building it scans every identifier of the function through wasm, and twenty
// rules used to do that each. Shared per Tree (a new Tree per parse), whether
// a rule sees the whole file or a scoped view of it (the nodes are the same).
const sharedNames = new WeakMap<Tree, Map<number, LocalNames>>();

function namesOfTree(tree: Tree): Map<number, LocalNames> {
  let names = sharedNames.get(tree);
  if (!names) {
    names = new Map();
    sharedNames.set(tree, names);
  }
  return names;
}

/** One LocalNames per outermost function, built on first use (shared by all rules on the same tree). */
export class LocalNamesCache {
  for(node: Node): LocalNames | undefined {
    const root = outermostFunction(node);
    if (!root) return undefined;
    const cache = namesOfTree(root.tree);
    let names = cache.get(root.id);
    if (!names) {
      names = new LocalNames(root);
      cache.set(root.id, names);
    }
    return names;
  }
}
