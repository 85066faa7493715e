// A code lens "run with leak check" above each top-level TestXxx of a test
// file: it runs just that test with leak detection. Only offered in a trusted
// workspace, since running tests runs the user's code.
import type { Tree } from 'web-tree-sitter';
import type { CodeLens } from 'vscode-languageserver';
import type { LineIndex } from '../engine/lineIndex';
import { localize } from '../l10n/serverText';
import type { Locale } from '../rules/rule';

export const runLeakTestsCommand = 'goinsight.runLeakTests';

/** go test's rule for a test's name: Test, then nothing or a character that is not a lower-case letter. */
const testName = /^Test(?![a-z])/;

export function testLeakCodeLenses(tree: Tree, lines: LineIndex, uri: string, locale: Locale): CodeLens[] {
  if (!uri.endsWith('_test.go')) return [];
  const lenses: CodeLens[] = [];
  for (const declaration of tree.rootNode.namedChildren) {
    if (declaration?.type !== 'function_declaration') continue;
    const name = declaration.childForFieldName('name');
    if (!name || !testName.test(name.text) || name.text === 'TestMain') continue;
    lenses.push({
      range: lines.rangeOf(name.startIndex, name.endIndex),
      command: { title: localize(locale, 'leakCodeLens'), command: runLeakTestsCommand, arguments: [uri, name.text] },
    });
  }
  return lenses;
}
