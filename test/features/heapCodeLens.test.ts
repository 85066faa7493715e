// The heap code lens on the real compiler's verdicts: constants converted to
// an interface and function literals that capture nothing are reported as
// "escapes to heap" but allocate nothing (0 allocs/op with -benchmem), so
// they are not counted; everything else is.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allFacts, runEscapeAnalysis } from '../../server/src/compiler/escapeAnalysis';
import { toFinding } from '../../server/src/compiler/factToFinding';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { heapCodeLenses } from '../../server/src/features/heapCodeLens';
import { createGoParser } from '../../server/src/parse/goParser';
import { fixture, goPath } from '../compiler/compilerTestSupport';

test('heap code lens: counts what allocates, not constants or literals that capture nothing', async () => {
  const packageDir = fixture('allocations');
  const file = path.join(packageDir, 'allocations.go');
  const text = fs.readFileSync(file, 'utf8');
  const result = await runEscapeAnalysis({ packageDir, goPath });
  const facts = allFacts(result).filter((fact) => fact.file === file);
  // The compiler does report the verdicts the lens leaves out.
  const verdicts = facts.map((fact) => fact.message);
  for (const expected of ['"item-" escapes to heap', '42 escapes to heap', 'func literal escapes to heap']) assert.ok(verdicts.includes(expected), `${expected} in ${verdicts.join(', ')}`);

  const lines = new LineIndex(text);
  const findings = facts.map((fact) => toFinding(fact, lines));
  const parser = await createGoParser();
  const tree = parser.parse(text);
  assert.ok(tree);
  try {
    const lenses = heapCodeLenses(findings, tree, lines, 'file:///allocations.go', 'en');
    const byFunction = lenses.map((lens) => [lines.lineText(lens.range.start.line).replace(/\(.*/, ''), lens.command?.title, (lens.command?.arguments?.[2] as unknown[]).length]);
    assert.deepEqual(byFunction, [
      ['func Counter', '1 heap allocation', 1],
      ['func Boxed', '1 heap allocation', 1],
      ['func Nested', '1 heap allocation', 1],
    ]);
    // The inner literal of Nested is the one counted: it captures x.
    const nested = lenses[2].command?.arguments?.[2] as { range: { start: { line: number } } }[];
    assert.match(lines.lineText(nested[0].range.start.line), /return func\(\) int \{ return x \}/);
  } finally {
    tree.delete();
  }
});
