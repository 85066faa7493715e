// The names the file declares with a sync type: struct fields and package
// variables of type sync.Mutex / sync.RWMutex, or sync.Cond (or pointers to
// them). Without types, a receiver is recognised as a mutex or a condition
// variable by these declarations when its use alone does not say so:
// `X.Lock()` or `X.Wait()` may be any type's method.
import type { Node } from 'web-tree-sitter';
import type { FileDeclarations } from './fileDeclarations';

export type SyncKind = 'mutex' | 'cond';

const typePatterns: Record<SyncKind, RegExp> = { mutex: /^\*?sync\.(RW)?Mutex$/, cond: /^\*?sync\.Cond$/ };

function declaredNames(node: Node, kind: SyncKind): string[] {
  const names: string[] = [];
  for (const declaration of node.descendantsOfType(['field_declaration', 'var_spec'])) {
    const type = declaration?.childForFieldName('type')?.text.replace(/\s+/g, '');
    if (!declaration || !type || !typePatterns[kind].test(type)) continue;
    for (const name of declaration.childrenForFieldName('name')) if (name) names.push(name.text);
  }
  return names;
}

/** Field and package-variable names of the kind declared at the top level of the file. */
export function fileSyncNames(declarations: FileDeclarations, kind: SyncKind): ReadonlySet<string> {
  const names = new Set<string>();
  for (const declaration of declarations.all) {
    if (declaration.type !== 'type_declaration' && declaration.type !== 'var_declaration') continue;
    for (const name of declarations.fact(declaration, `syncNames:${kind}`, (node) => declaredNames(node, kind))) names.add(name);
  }
  return names;
}

/** True when the receiver path (`s.mu`, `mu`) ends in one of the names. */
export function endsInDeclaredName(key: string, names: ReadonlySet<string>): boolean {
  return names.has(key.slice(key.lastIndexOf('.') + 1));
}
