// Where a function sits, as every rule may ask it: a test file, a test or
// benchmark entry point, package main or init, and which calls end the
// function outright (t.Fatal, log.Fatal, os.Exit, panic…). A pattern that is
// a hazard in library code is often deliberate in these places, so rules
// weigh their findings by it; one answer here keeps them consistent.
import type { Node } from 'web-tree-sitter';
import { enclosingFunction, perRoot } from './functions';
import { importNames } from './imports';
import { outermostFunction } from './localNames';

/** True for `_test.go` files (the path may be absent for unsaved buffers). */
export function isTestFile(filePath: string | undefined): boolean {
  return filePath !== undefined && /_test\.go$/.test(filePath);
}

export type TestEntryKind = 'test' | 'benchmark' | 'example' | 'fuzz' | 'main';

const testEntryPrefixes: readonly [string, TestEntryKind][] = [
  ['Test', 'test'],
  ['Benchmark', 'benchmark'],
  ['Example', 'example'],
  ['Fuzz', 'fuzz'],
];

/**
 * What `go test` calls the top-level function as, if anything: TestMain, or
 * TestXxx/BenchmarkXxx/ExampleXxx/FuzzXxx where Xxx does not start lower-case.
 */
export function testEntryKind(fn: Node): TestEntryKind | undefined {
  if (fn.type !== 'function_declaration') return undefined;
  const name = fn.childForFieldName('name')?.text ?? '';
  if (name === 'TestMain') return 'main';
  for (const [prefix, kind] of testEntryPrefixes) {
    if (name.startsWith(prefix) && !/^[a-z]/.test(name.slice(prefix.length))) return kind;
  }
  return undefined;
}

/** The package clause's name, read once per tree. */
export function packageName(root: Node): string | undefined {
  return perRoot(root.tree.rootNode, 'packageName', (fileRoot) => {
    const clause = fileRoot.namedChildren.find((child) => child?.type === 'package_clause');
    return clause?.namedChild(0)?.text;
  });
}

/** True for `func main` and `func init` of package main, and any `init`: they run once per process. */
export function runsOncePerProcess(fn: Node): boolean {
  if (fn.type !== 'function_declaration') return false;
  const name = fn.childForFieldName('name')?.text;
  return name === 'init' || (name === 'main' && packageName(fn) === 'main');
}

/**
 * True for code whose hazards cost little: test files (a failure there fails
 * a test, and the process ends soon) and main/init, which run once per
 * process and whose resources the exit releases.
 */
export function isTestOrProcessSetup(filePath: string | undefined, node: Node): boolean {
  if (isTestFile(filePath)) return true;
  const outermost = outermostFunction(node);
  return outermost !== null && runsOncePerProcess(outermost);
}

// Package functions that never return to their caller.
const endingPackageCalls: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['os', new Set(['Exit'])],
  ['syscall', new Set(['Exit'])],
  ['runtime', new Set(['Goexit'])],
  ['log', new Set(['Fatal', 'Fatalf', 'Fatalln', 'Panic', 'Panicf', 'Panicln'])],
  // testify: these two fail unconditionally (the other require.* only on a false condition).
  ['github.com/stretchr/testify/require', new Set(['Fail', 'FailNow', 'Failf'])],
]);

// Methods that end the goroutine whatever the receiver: testing.T/B/F's
// Fatal family and FailNow, and the same names on loggers and test-suite
// helpers, which follow the convention.
const endingMethods: ReadonlySet<string> = new Set(['Fatal', 'Fatalf', 'Fatalln', 'FailNow']);
// Names other types use too (an iterator's Skip): ending only on a testing receiver.
const endingTestingMethods: ReadonlySet<string> = new Set(['Skip', 'Skipf', 'SkipNow']);
// What marks a test failed without ending it: t.Error, t.Errorf, t.Fail.
const failingMethods: ReadonlySet<string> = new Set(['Error', 'Errorf', 'Fail']);
const testingTypes = /^(\*testing\.(T|B|F)|testing\.TB)$/;

/** True when the identifier names a parameter of type *testing.T/B/F or testing.TB of an enclosing function (the nearest that declares it). */
function isTestingParameter(identifier: Node): boolean {
  for (let fn = enclosingFunction(identifier); fn; fn = enclosingFunction(fn)) {
    for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      if (parameter?.childrenForFieldName('name').some((name) => name?.text === identifier.text)) return testingTypes.test(parameter.childForFieldName('type')?.text ?? '');
    }
  }
  return false;
}

/**
 * True when the call fails the running test: it ends it (t.Fatal…, see
 * endsFunction) or marks it failed (t.Error…) on a parameter of type
 * *testing.T/B/F or testing.TB.
 */
export function failsTest(call: Node): boolean {
  if (endsFunction(call)) return true;
  const callee = call.childForFieldName('function');
  const operand = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
  return operand?.type === 'identifier' && failingMethods.has(callee?.childForFieldName('field')?.text ?? '') && isTestingParameter(operand);
}

/**
 * True when the call never returns to the statement after it: panic,
 * os.Exit, log.Fatal*, runtime.Goexit, t.Fatal*, t.FailNow, t.Skip*,
 * require.FailNow… Import aliases are followed (`import l "log"`).
 */
export function endsFunction(call: Node): boolean {
  if (call.type !== 'call_expression') return false;
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  if (callee.type === 'identifier') return callee.text === 'panic';
  if (callee.type !== 'selector_expression') return false;
  const field = callee.childForFieldName('field')?.text ?? '';
  const operand = callee.childForFieldName('operand');
  if (operand?.type === 'identifier') {
    const importPath = importNames(call.tree.rootNode).get(operand.text);
    // Other logging packages (logrus, klog…) follow log's convention: Fatal exits.
    if (importPath !== undefined) return endingPackageCalls.get(importPath)?.has(field) ?? /^Fatal(f|ln)?$/.test(field);
    if (endingTestingMethods.has(field)) return isTestingParameter(operand);
  }
  return endingMethods.has(field);
}
