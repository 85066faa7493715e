// The failed tests of a leak run, read from go test's events: per top-level
// test, the first line a failing (sub)test printed (its `t.Error`/`t.Fatal`
// text or a panic), where it says that was reported, and everything the
// failing tests printed, for the hover. Lines that only frame the output
// (`=== RUN`, `--- FAIL`) are not failure text. A test still running when
// the watchdog stopped a hung run failed too: it never finished.
import type { PackageEvents } from './testEvents';

export interface TestFailure {
  /** The top-level test function. */
  test: string;
  /** The (sub)test whose output holds the first failure line, e.g. `TestWords/two_spaces`. */
  failing: string;
  /** That line, trimmed (`words_test.go:13: Words = 1, want 2`); undefined when the test printed none. */
  reason?: string;
  /** The `file.go:line` the line starts with: a file of the package's directory. */
  reportedAt?: { file: string; line: number };
  /** What the failing tests printed, verbatim. */
  output: string;
  /** It did not fail: it never finished, and the watchdog stopped the run. */
  hung?: boolean;
}

const framingLine = /^(?:=== (?:RUN|PAUSE|CONT|NAME)\b|\s*--- (?:FAIL|PASS|SKIP):)/;
const reportedLine = /^([^\s:/\\]+\.go):(\d+): /;

function firstFailureLine(output: string): string | undefined {
  return output
    .split('\n')
    .find((line) => line.trim() !== '' && !framingLine.test(line))
    ?.trim();
}

export function testFailures(events: PackageEvents | undefined): TestFailure[] {
  const byTest = new Map<string, TestFailure>();
  for (const result of events?.tests.values() ?? []) {
    if (result.outcome !== 'fail') continue;
    const test = result.name.split('/')[0];
    let failure = byTest.get(test);
    if (!failure) {
      failure = { test, failing: result.name, output: '' };
      byTest.set(test, failure);
    }
    failure.output += result.output;
    const reason = failure.reason === undefined ? firstFailureLine(result.output) : undefined;
    if (reason === undefined) continue;
    failure.reason = reason;
    failure.failing = result.name;
    const reported = reportedLine.exec(reason);
    if (reported) failure.reportedAt = { file: reported[1], line: Number(reported[2]) };
  }
  return [...byTest.values()];
}

/** Per top-level test that had not ended when a hung run was stopped: what it and its subtests printed. */
export function hungTests(events: PackageEvents | undefined): TestFailure[] {
  const byTest = new Map<string, TestFailure>();
  for (const result of events?.tests.values() ?? []) {
    if (result.outcome !== 'running') continue;
    const test = result.name.split('/')[0];
    const hung = byTest.get(test) ?? { test, failing: test, output: '', hung: true };
    hung.output += result.output;
    byTest.set(test, hung);
  }
  return [...byTest.values()];
}
