// The file's imports as the names they are used by: `import l "log"` makes
// `l.Fatal` a call into "log". Dot and blank imports give no usable name.
import type { Node } from 'web-tree-sitter';
import { perRoot } from './functions';

/** Local package name → import path. */
export type ImportNames = ReadonlyMap<string, string>;

function defaultName(importPath: string): string {
  const parts = importPath.split('/');
  let last = parts[parts.length - 1] ?? importPath;
  // "math/rand/v2" is package rand; "gopkg.in/yaml.v3" is yaml.
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/-/g, '_');
}

/** Memoized per tree (several rules ask); the map is read-only to callers. */
export function importNames(root: Node): ImportNames {
  return perRoot(root, 'importNames', findImportNames);
}

/** The import specs: Go allows imports only at the top of the file, so only those declarations are walked, not the file. */
function importSpecs(root: Node): Node[] {
  if (root.type !== 'source_file') return root.descendantsOfType('import_spec').filter((spec): spec is Node => spec !== null);
  const specs: Node[] = [];
  for (let index = 0; index < root.namedChildCount; index++) {
    const child = root.namedChild(index);
    if (child?.type === 'import_declaration') specs.push(...child.descendantsOfType('import_spec').filter((spec): spec is Node => spec !== null));
    else if (child?.type !== 'package_clause' && child?.type !== 'comment') break;
  }
  return specs;
}

function findImportNames(root: Node): ImportNames {
  const names = new Map<string, string>();
  for (const spec of importSpecs(root)) {
    const importPath = spec.childForFieldName('path')?.text.replace(/^["`]|["`]$/g, '');
    if (!importPath) continue;
    const alias = spec.childForFieldName('name');
    if (alias && alias.type !== 'package_identifier') continue;
    names.set(alias?.text ?? defaultName(importPath), importPath);
  }
  return names;
}
