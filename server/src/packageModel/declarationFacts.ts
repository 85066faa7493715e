// The package model's facts about one top-level declaration and one file.
// Declaration facts depend on the declaration's own text only and are kept in
// the file's FileDeclarations store (syntax/fileDeclarations), so while the
// user types in one function, every other declaration's facts are reused;
// file facts add what is file-wide (package clause, imports, line index).
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { isGeneratedGoFile } from '../engine/generatedFile';
import type { LineIndex } from '../engine/lineIndex';
import type { FileDeclarations, TopLevelNode } from '../syntax/fileDeclarations';
import { importNames, type ImportNames } from '../syntax/imports';
import { functionFactsOf, originOfValue, type FunctionFacts, type LocalOrigin } from './functionFacts';
import { lazyFunctionFacts, type TreeLease } from './lazyFunctionFacts';
import { typeExpressionOf, type TypeExpression } from './typeExpressions';
import { selectFactsOf, type SelectFact } from './selectFacts';
import { declarationUses, type DeclarationUses } from './valueUses';

export interface TypeFact {
  name: string;
  /** `type A = B`: A is B. */
  alias: boolean;
  type: TypeExpression;
}

export interface VariableFact {
  name: string;
  /** The declared type, or what the value shows of it. */
  origin?: LocalOrigin;
}

export type DeclarationFacts =
  | { kind: 'types'; types: TypeFact[] }
  | { kind: 'variables'; variables: VariableFact[] }
  | { kind: 'function'; function: FunctionFacts }
  | { kind: 'other' };

export interface PlacedDeclaration {
  /** Offset of the declaration in its file's text. */
  start: number;
  facts: DeclarationFacts;
  /** For functions and `var` declarations: where their code touches which paths (valueUses). */
  uses?: DeclarationUses;
  /** For functions: their `select` statements (selectFacts; empty when the text has none). */
  selects?: SelectFact[];
}

export interface FileFacts {
  /** Absolute path. */
  file: string;
  /** The package clause's name; undefined when the file has none (being typed). */
  packageName: string | undefined;
  imports: ImportNames;
  lines: LineIndex;
  /** Marked `// Code generated … DO NOT EDIT.`: findings there are dropped unless asked for. */
  generated: boolean;
  declarations: PlacedDeclaration[];
}

function typeFacts(declaration: Node): TypeFact[] {
  const facts: TypeFact[] = [];
  for (const spec of declaration.namedChildren) {
    if (spec?.type !== 'type_spec' && spec?.type !== 'type_alias') continue;
    const name = spec.childForFieldName('name')?.text;
    if (name) facts.push({ name, alias: spec.type === 'type_alias', type: typeExpressionOf(spec.childForFieldName('type')) });
  }
  return facts;
}

function variableFacts(declaration: Node): VariableFact[] {
  const facts: VariableFact[] = [];
  for (const spec of declaration.descendantsOfType('var_spec')) {
    if (!spec) continue;
    const names = spec.childrenForFieldName('name').filter((name): name is Node => name !== null);
    const typeNode = spec.childForFieldName('type');
    const valueList = spec.childForFieldName('value');
    const values = valueList ? valueList.namedChildren.filter((value): value is Node => value !== null && value.type !== 'comment') : [];
    names.forEach((name, index) => {
      const origin: LocalOrigin | undefined = typeNode
        ? { kind: 'type', type: typeExpressionOf(typeNode) }
        : values.length === names.length
          ? originOfValue(values[index], 0, 1)
          : values.length === 1
            ? originOfValue(values[0], index, 1)
            : undefined;
      facts.push({ name: name.text, origin });
    });
  }
  return facts;
}

/** With a parser, a function's body facts are computed when first read (lazyFunctionFacts). */
function computeDeclarationFacts(node: Node, parser?: Parser, lease?: TreeLease): DeclarationFacts {
  switch (node.type) {
    case 'type_declaration':
      return { kind: 'types', types: typeFacts(node) };
    case 'var_declaration':
      return { kind: 'variables', variables: variableFacts(node) };
    case 'function_declaration':
    case 'method_declaration':
      return { kind: 'function', function: parser ? lazyFunctionFacts(node, parser, lease) : functionFactsOf(node) };
    default:
      return { kind: 'other' };
  }
}

export function declarationFacts(declarations: FileDeclarations, declaration: TopLevelNode, parser?: Parser, lease?: TreeLease): DeclarationFacts {
  return declarations.fact(declaration, 'packageModel', (node) => computeDeclarationFacts(node, parser, lease));
}

/**
 * The file's facts; `declarations` is the file's store (see engine/incrementalRules'
 * declarationsFor). With a parser, function bodies are summarized lazily: from
 * the tree while `lease` lends it, else from their text.
 */
export function fileFacts(file: string, tree: Tree, text: string, lines: LineIndex, declarations: FileDeclarations, parser?: Parser, lease?: TreeLease): FileFacts {
  let packageName: string | undefined;
  const placed: PlacedDeclaration[] = [];
  for (const declaration of declarations.all) {
    if (declaration.type === 'package_clause') {
      packageName ??= declarations.fact(declaration, 'packageName', (node) => node.namedChild(0)?.text);
      continue;
    }
    const facts = declarationFacts(declarations, declaration, parser, lease);
    if (facts.kind === 'other') continue;
    const uses = facts.kind === 'types' ? undefined : declarations.fact(declaration, 'valueUses', (node) => declarationUses(node, declaration.text, () => declarations.identifiers(declaration)));
    const selects = facts.kind === 'function' ? declarations.fact(declaration, 'selects', (node) => selectFactsOf(node, declaration.text)) : undefined;
    placed.push({ start: declaration.node.startIndex, facts, uses, ...(selects ? { selects } : {}) });
  }
  return { file, packageName, imports: importNames(tree.rootNode), lines, generated: isGeneratedGoFile(text), declarations: placed };
}
