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

function findImportNames(root: Node): ImportNames {
  const names = new Map<string, string>();
  for (const spec of root.descendantsOfType('import_spec')) {
    if (!spec) continue;
    const importPath = spec.childForFieldName('path')?.text.replace(/^["`]|["`]$/g, '');
    if (!importPath) continue;
    const alias = spec.childForFieldName('name');
    if (alias && alias.type !== 'package_identifier') continue;
    names.set(alias?.text ?? defaultName(importPath), importPath);
  }
  return names;
}
