// Conditions that are false before the program runs: `false`, `!true`, a
// constant of the file declared `= false` (`const debug = false`), and `&&`
// with such an operand. Code under `if` such a condition never runs, so rules
// that reason about paths leave it out (`if false { return }` is no return).
import type { Node } from 'web-tree-sitter';
import { unparenthesize } from './calls';
import type { FileDeclarations } from './fileDeclarations';
import type { LocalNames } from './localNames';

/** The names of the file's top-level constants declared as exactly `false` (one name, one value). */
export function falseConstants(declarations: FileDeclarations): ReadonlySet<string> {
  const names = new Set<string>();
  for (const declaration of declarations.all) {
    if (declaration.type !== 'const_declaration') continue;
    const found = declarations.fact(declaration, 'falseConstants', (node) =>
      node.descendantsOfType('const_spec').flatMap((spec) => {
        const declared = spec?.childrenForFieldName('name') ?? [];
        const values = spec?.childForFieldName('value')?.namedChildren ?? [];
        const type = spec?.childForFieldName('type')?.text;
        const isFalse = declared.length === 1 && values.length === 1 && values[0]?.type === 'false' && (type === undefined || type === 'bool');
        return isFalse && declared[0] ? [declared[0].text] : [];
      }),
    );
    for (const name of found) names.add(name);
  }
  return names;
}

/** True when the condition is surely false; `names` tells whether an identifier is a local that shadows a constant. */
export function isConstantFalse(condition: Node, constants: ReadonlySet<string>, names: LocalNames): boolean {
  const expression = unparenthesize(condition);
  switch (expression.type) {
    case 'false':
      return true;
    case 'identifier':
      return constants.has(expression.text) && !names.resolve(expression);
    case 'unary_expression': {
      const operand = expression.childForFieldName('operand');
      return expression.childForFieldName('operator')?.type === '!' && operand !== null && unparenthesize(operand).type === 'true';
    }
    case 'binary_expression': {
      if (expression.childForFieldName('operator')?.type !== '&&') return false;
      const sides = [expression.childForFieldName('left'), expression.childForFieldName('right')];
      return sides.some((side) => side !== null && isConstantFalse(side, constants, names));
    }
    default:
      return false;
  }
}

/** True when `node` sits in the then-branch of an `if` (below `within`) whose condition is surely false. */
export function isUnderFalseCondition(node: Node, within: Node, constants: ReadonlySet<string>, names: LocalNames): boolean {
  for (let current: Node = node; current.parent && current.id !== within.id; current = current.parent) {
    const parent = current.parent;
    if (parent.type !== 'if_statement' || parent.childForFieldName('consequence')?.id !== current.id) continue;
    const condition = parent.childForFieldName('condition');
    if (condition && isConstantFalse(condition, constants, names)) return true;
  }
  return false;
}
