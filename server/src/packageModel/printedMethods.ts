// Which arguments of a `fmt`/`log` print call are formatted through their own
// `Error()` or `String()` method: every operand of Print/Println-style calls,
// and those of Printf-style calls whose verb is %v, %s, %q, %x, %X (or %w in
// Errorf), the verbs for which fmt calls the methods. A format string that is
// not a literal, or that uses explicit argument indexes, answers nothing.

interface PrintFunction {
  /** Index of the format string, for the Printf-style functions. */
  format?: number;
  /** Index of the first operand. */
  first: number;
}

function printFunctions(names: string, first: number): [string, PrintFunction][] {
  return names.split(' ').map((name) => [name, name.endsWith('f') ? { format: first, first: first + 1 } : { first }]);
}

const byPackage: ReadonlyMap<string, ReadonlyMap<string, PrintFunction>> = new Map([
  ['fmt', new Map([...printFunctions('Print Println Printf Sprint Sprintln Sprintf Errorf', 0), ...printFunctions('Fprint Fprintln Fprintf Appendf Append Appendln', 1)])],
  ['log', new Map(printFunctions('Print Println Printf Fatal Fatalln Fatalf Panic Panicln Panicf', 0))],
]);

const methodVerbs = new Set(['v', 's', 'q', 'x', 'X']);

/** The verbs of a format string, one per operand; undefined when they cannot be read. */
function formatVerbs(format: string): string[] | undefined {
  const verbs: string[] = [];
  for (let index = 0; index < format.length; index++) {
    if (format[index] !== '%') continue;
    index++;
    while (index < format.length && '+-# 0'.includes(format[index])) index++;
    if (format[index] === '[') return undefined;
    if (format[index] === '*') {
      verbs.push('*');
      index++;
    } else while (index < format.length && /\d/.test(format[index])) index++;
    if (format[index] === '.') {
      index++;
      if (format[index] === '*') {
        verbs.push('*');
        index++;
      } else while (index < format.length && /\d/.test(format[index])) index++;
    }
    if (index >= format.length) return undefined;
    if (format[index] !== '%') verbs.push(format[index]);
  }
  return verbs;
}

/** Indexes of the call's arguments that fmt formats through their Error()/String() methods. */
export function printedOperands(importPath: string, name: string, argumentCount: number, literalAt: (index: number) => string | undefined): number[] {
  const printFunction = byPackage.get(importPath)?.get(name);
  if (!printFunction) return [];
  const operands: number[] = [];
  if (printFunction.format === undefined) {
    for (let index = printFunction.first; index < argumentCount; index++) operands.push(index);
    return operands;
  }
  const format = literalAt(printFunction.format);
  const verbs = format === undefined ? undefined : formatVerbs(format);
  if (!verbs) return [];
  verbs.forEach((verb, offset) => {
    if (methodVerbs.has(verb) || (verb === 'w' && name === 'Errorf')) operands.push(printFunction.first + offset);
  });
  return operands.filter((index) => index < argumentCount);
}
