// The failed tests of a leak run, read from go test's events: per top-level
// test, the first line a failing (sub)test printed (its `t.Error`/`t.Fatal`
// text or a panic), where it says that was reported, and everything the
// failing tests printed, for the hover. Lines that only frame the output
// (`=== RUN`, `--- FAIL`) are not failure text.
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
