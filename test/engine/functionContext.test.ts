// The shared function context (syntax/functionContext): which calls end the
// function, test entry points, package main, test files.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { createGoParser } from '../../server/src/parse/goParser';
import { endsFunction, failsTest, isTestFile, isTestOrProcessSetup, packageName, runsOncePerProcess, testEntryKind } from '../../server/src/syntax/functionContext';

const source = `package main

import (
	l "log"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/sirupsen/logrus"
)

func TestMain(m *testing.M) {}
func TestParse(t *testing.T) {
	t.Fatalf("x")
	t.Error("x")
	err.Error()
	require.FailNow(t, "x")
	require.NoError(t, nil)
	l.Fatal("x")
	l.Println("x")
	logrus.Fatalf("x")
	os.Exit(1)
	os.Getenv("x")
	runtime.Goexit()
	panic("x")
	recover()
	t.Skip("x")
	it.Skip()
	t.Run("sub", func(st *testing.T) {
		st.Error("z")
	})
}
func Testing() {}
func Test_under(t *testing.T) {}
func BenchmarkX(b *testing.B) {}
func ExampleX() {}
func Example() {}
func FuzzX(f *testing.F) {}
func helper(t string) { t.Error("y") }
func init() {}
func main() {}
`;

async function parsed() {
  const parser = await createGoParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('no tree');
  const functions = new Map<string, Node>();
  for (const declaration of tree.rootNode.descendantsOfType('function_declaration')) {
    if (declaration) functions.set(declaration.childForFieldName('name')?.text ?? '', declaration);
  }
  const calls = new Map<string, Node>();
  for (const call of tree.rootNode.descendantsOfType('call_expression')) {
    if (call && call.parent?.type === 'expression_statement') calls.set(call.text, call);
  }
  return { tree, functions, calls };
}

test('endsFunction: panic, os.Exit, log.Fatal (through an alias), Goexit, t.Fatal, t.Skip, require.FailNow, other loggers Fatal; not Skip of another type', async () => {
  const { calls } = await parsed();
  const ending = [...calls.keys()].filter((text) => endsFunction(calls.get(text) as Node));
  assert.deepEqual(ending, ['t.Fatalf("x")', 'require.FailNow(t, "x")', 'l.Fatal("x")', 'logrus.Fatalf("x")', 'os.Exit(1)', 'runtime.Goexit()', 'panic("x")', 't.Skip("x")']);
});

test('failsTest: ending calls and t.Error on a *testing.T parameter, not err.Error() or a string named t', async () => {
  const { calls, functions } = await parsed();
  assert.equal(failsTest(calls.get('t.Error("x")') as Node), true);
  assert.equal(failsTest(calls.get('err.Error()') as Node), false);
  assert.equal(failsTest(calls.get('st.Error("z")') as Node), true);
  const helperCall = (functions.get('helper') as Node).descendantsOfType('call_expression')[0] as Node;
  assert.equal(failsTest(helperCall), false);
});

test('testEntryKind, runsOncePerProcess, packageName, isTestFile', async () => {
  const { tree, functions } = await parsed();
  const kinds = Object.fromEntries([...functions].map(([name, fn]) => [name, testEntryKind(fn)]));
  assert.deepEqual(kinds, {
    TestMain: 'main',
    TestParse: 'test',
    Testing: undefined,
    Test_under: 'test',
    BenchmarkX: 'benchmark',
    ExampleX: 'example',
    Example: 'example',
    FuzzX: 'fuzz',
    helper: undefined,
    init: undefined,
    main: undefined,
  });
  assert.equal(packageName(tree.rootNode), 'main');
  assert.deepEqual([...functions].filter(([, fn]) => runsOncePerProcess(fn)).map(([name]) => name), ['init', 'main']);
  assert.equal(isTestFile('/a/b_test.go'), true);
  assert.equal(isTestFile('/a/b.go'), false);
  assert.equal(isTestFile(undefined), false);
  assert.equal(isTestOrProcessSetup('/a/b.go', functions.get('helper') as Node), false);
  assert.equal(isTestOrProcessSetup('/a/b.go', functions.get('main') as Node), true);
});
