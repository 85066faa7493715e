// What the editor tests expect of test/e2e/fixture (main.go, and the leaking
// test in main_test.go), in one place.
// Lines are found by their text, so the fixture can grow without renumbering.
'use strict';
const path = require('node:path');

module.exports = {
  DIR: path.join(__dirname, '..', 'fixture'),
  GO_FILE: 'main.go',
  /** A line every rendering of the file shows once it is open. */
  OPENED_MARKER: 'func firstLine',
  /** [line text, inlay label]: the two defers of firstLine run in reverse order. */
  DEFER_HINTS: [
    ['defer mu.Unlock()', '⟲2'],
    ['defer f.Close()', '⟲1'],
  ],
  /** Hover on this line's `defer` keyword shows its language's HOVER_TITLE (below) and lists these calls (the run-order sequence). */
  HOVER_LINE: 'defer mu.Unlock()',
  HOVER_CALLS: ['mu.Unlock()', 'f.Close()'],
  /** closeTwice's second close: the double-close diagnostic, on the last line with this text (pinned, not asked of the engine). */
  DOUBLE_CLOSE: { text: '\tclose(ch)', code: 'channel/double-close', message: /^ch is closed a second time here \(first close on line \d+\)/ },
  /** The compiler fact the escape step looks for (newPoint's `p`), on the line with ESCAPE_LINE. */
  ESCAPE_MESSAGE: 'moved to heap: p',
  ESCAPE_LINE: 'p := point{1, 2}',
  /** main_test.go's TestFirstResult passes but leaves two workers blocked on this send: the leak steps' finding. */
  LEAK: { file: 'main_test.go', line: 'results <- value * 2', test: 'TestFirstResult', code: 'goroutine/leaked' },
  /**
   * What the English editor shows: the defer hover's title, the code lens over a test, the summary of a run,
   * the leak's diagnostic message and the rule title its hover adds.
   */
  EN: {
    HOVER_TITLE: 'Defer execution order',
    LENS: 'run with leak check',
    LEAK_SUMMARY: 'Leak check',
    LEAK_MESSAGE: 'goroutine leaked in TestFirstResult: blocked forever sending on “results” (2 goroutines)',
    LEAK_TITLE: 'Goroutine leaked (seen while running the tests)',
  },
  /** The same in the zh-cn editor (the server's and the extension's zh-cn texts); HOVER_PARTS: more the defer hover must show. */
  ZH_CN: {
    HOVER_TITLE: '延迟调用的执行顺序',
    HOVER_PARTS: ['firstLine 的延迟调用，按返回时的实际执行顺序：'],
    LENS: '运行并检查泄漏',
    LEAK_SUMMARY: '泄漏检测',
    LEAK_MESSAGE: 'goroutine 泄漏（在 TestFirstResult 中）：永久阻塞，向“results”发送（共 2 个 goroutine）',
    LEAK_TITLE: 'goroutine 泄漏（运行测试时发现）',
  },
  /**
   * The workspace copy is committed to git as it is copied; this file, written later, adds one heap allocation
   * that "Compare Heap Allocations with…" against that commit marks as new on its `n := 1` line.
   */
  NEW_ALLOCATION: {
    file: 'boxed.go',
    text: 'package main\n\n// boxed returns the address of a local: n moves to the heap.\nfunc boxed() *int {\n\tn := 1\n\treturn &n\n}\n',
    line: 'n := 1',
    revision: 'main',
  },
};
