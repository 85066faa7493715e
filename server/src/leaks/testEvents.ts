// Reads `go test -json` (test2json) output: per package, which tests ran and
// how each ended, and everything they printed, so the user sees the whole run
// (failures, a hung test) next to the leak findings.

export type TestOutcome = 'pass' | 'fail' | 'skip' | 'running';

export interface TestResult {
  /** Top-level or subtest name as go test prints it (`TestA/case_1`). */
  name: string;
  outcome: TestOutcome;
  output: string;
}

export interface PackageEvents {
  tests: Map<string, TestResult>;
  /** Package-level output (build errors, `ok`/`FAIL` lines, panics). */
  output: string;
  outcome?: 'pass' | 'fail' | 'skip';
}

interface TestEvent {
  Action?: string;
  Package?: string;
  ImportPath?: string;
  Test?: string;
  Output?: string;
}

export class TestEventLog {
  readonly packages = new Map<string, PackageEvents>();
  /** Lines that were not JSON events (go's own messages on stdout), in order. */
  readonly otherOutput: string[] = [];

  private packageEvents(importPath: string): PackageEvents {
    let events = this.packages.get(importPath);
    if (!events) {
      events = { tests: new Map(), output: '' };
      this.packages.set(importPath, events);
    }
    return events;
  }

  addLine(line: string): void {
    if (!line.trim()) return;
    let event: TestEvent;
    try {
      event = JSON.parse(line) as TestEvent;
    } catch {
      this.otherOutput.push(line);
      return;
    }
    const importPath = event.Package ?? event.ImportPath?.replace(/ \[.*\]$/, '');
    if (!importPath) return;
    const events = this.packageEvents(importPath);
    if (!event.Test) {
      if (event.Output !== undefined) events.output += event.Output;
      if (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip') events.outcome = event.Action;
      return;
    }
    let test = events.tests.get(event.Test);
    if (!test) {
      test = { name: event.Test, outcome: 'running', output: '' };
      events.tests.set(event.Test, test);
    }
    if (event.Output !== undefined) test.output += event.Output;
    if (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip') test.outcome = event.Action;
  }

  /** Everything the run printed, as a terminal would have shown it. */
  transcript(): string {
    const parts: string[] = [...this.otherOutput.map((line) => `${line}\n`)];
    for (const [importPath, events] of this.packages) {
      parts.push(`# ${importPath}\n`);
      for (const test of events.tests.values()) parts.push(test.output);
      parts.push(events.output);
    }
    return parts.join('');
  }
}
