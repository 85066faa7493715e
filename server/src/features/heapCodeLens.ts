// A code lens over each function that allocates on the heap: "3 heap
// allocations". Clicking it lists them (the client opens a peek view), so a
// function's allocation cost is visible before reading its body. Verdicts
// that allocate nothing (see allocationFreeVerdicts) are not counted.
import type { Tree } from 'web-tree-sitter';
import type { CodeLens, Location } from 'vscode-languageserver';
import type { Finding } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';
import { localize } from '../l10n/serverText';
import { LocalNamesCache } from '../syntax/localNames';
import type { Locale } from '../rules/rule';
import { allocatesNothing } from './allocationFreeVerdicts';

/** Verdicts that mean an allocation on the heap (leaks only say where a value may go). */
const heapAllocationRules: ReadonlySet<string> = new Set(['escape/moved-to-heap', 'escape/escapes-to-heap', 'escape/func-literal-escapes']);

export const showHeapAllocationsCommand = 'goinsight.showHeapAllocations';

/** The last heap comparison: which findings are new since which revision (the lens then says `(+1 since main)`). */
export interface HeapDelta {
  revision: string;
  isNew: (finding: Finding) => boolean;
}

export function heapCodeLenses(findings: readonly Finding[], tree: Tree, lines: LineIndex, uri: string, locale: Locale, delta?: HeapDelta): CodeLens[] {
  const names = new LocalNamesCache();
  const allocations = findings.filter((finding) => heapAllocationRules.has(finding.rule) && !allocatesNothing(finding, tree, lines, names));
  if (allocations.length === 0) return [];
  const lenses: CodeLens[] = [];
  for (const declaration of tree.rootNode.namedChildren) {
    if (!declaration || (declaration.type !== 'function_declaration' && declaration.type !== 'method_declaration')) continue;
    const range = lines.rangeOf(declaration.startIndex, declaration.endIndex);
    const inside = allocations.filter((finding) => finding.range.start.line >= range.start.line && finding.range.start.line <= range.end.line);
    if (inside.length === 0) continue;
    const name = declaration.childForFieldName('name') ?? declaration;
    const locations: Location[] = inside.map((finding) => ({ uri, range: finding.range }));
    const nameRange = lines.rangeOf(name.startIndex, name.endIndex);
    const count = inside.length === 1 ? localize(locale, 'heapAllocation') : localize(locale, 'heapAllocations', { count: inside.length });
    const added = delta ? inside.filter(delta.isNew).length : 0;
    lenses.push({
      range: nameRange,
      command: {
        title: added > 0 && delta ? localize(locale, 'heapAllocationsSince', { allocations: count, count: added, revision: delta.revision }) : count,
        command: showHeapAllocationsCommand,
        arguments: [uri, nameRange.start, locations],
      },
    });
  }
  return lenses;
}
