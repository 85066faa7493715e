// The names the file declares as mutexes: struct fields and package variables
// of type sync.Mutex / sync.RWMutex (or pointers to them). Without types, a
// receiver that a function only locks (never unlocks) is recognised as a
// mutex only through these declarations: `X.Lock()` alone may be any type's
// method.
import type { Node } from 'web-tree-sitter';
import type { FileDeclarations } from './fileDeclarations';

const mutexType = /^\*?sync\.(RW)?Mutex$/;

function declaredMutexNames(node: Node): string[] {
  const names: string[] = [];
  for (const declaration of node.descendantsOfType(['field_declaration', 'var_spec'])) {
    const type = declaration?.childForFieldName('type')?.text.replace(/\s+/g, '');
    if (!declaration || !type || !mutexType.test(type)) continue;
    for (const name of declaration.childrenForFieldName('name')) if (name) names.push(name.text);
  }
  return names;
}

/** Field and package-variable names of mutex type declared at the top level of the file. */
export function fileMutexNames(declarations: FileDeclarations): ReadonlySet<string> {
  const names = new Set<string>();
  for (const declaration of declarations.all) {
    if (declaration.type !== 'type_declaration' && declaration.type !== 'var_declaration') continue;
    for (const name of declarations.fact(declaration, 'mutexNames', declaredMutexNames)) names.add(name);
  }
  return names;
}

/** True when the receiver path (`s.mu`, `mu`) ends in a name the file declares as a mutex. */
export function isDeclaredMutex(key: string, names: ReadonlySet<string>): boolean {
  return names.has(key.slice(key.lastIndexOf('.') + 1));
}
