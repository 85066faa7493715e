// Parses the goroutine dump that `runtime.Stack(buf, true)` and the
// goroutineleak profile at debug=2 print: one block per goroutine, a header
// `goroutine 7 [chan send (leaked)]:`, frames as a function line followed by
// a tab-indented `file:line +0xNN` line, a `created by F in goroutine N` pair,
// and, with GODEBUG=tracebackancestors, `[originating from goroutine N]:`
// sections holding each ancestor's stack at the moment it started the next.
// Anything not in that shape is skipped, not guessed at.

export interface StackFrame {
  /** Qualified function, without arguments: `example.com/m.Work.func1`. */
  function: string;
  /** Absolute file path as the runtime printed it. */
  file: string;
  /** 1-based. */
  line: number;
}

export interface CreatedBy extends StackFrame {
  /** The goroutine that ran the `go` statement, when printed. */
  goroutine?: number;
}

export interface GoroutineRecord {
  id: number;
  /** The runtime's wait reason (`chan send`, `sync.Mutex.Lock`, `running`, …). */
  waitReason: string;
  /** Marked `(leaked)` by the leak-detecting GC cycle. */
  leaked: boolean;
  /** Innermost first. */
  frames: StackFrame[];
  createdBy?: CreatedBy;
  /** Stacks of the goroutines that started this one, nearest first (innermost frame first in each). */
  ancestors: StackFrame[][];
  /** The goroutine's block of the dump, verbatim, for the hover. */
  text: string;
}

const header = /^goroutine (\d+)(?: gp=\S+(?: m=\S+)?(?: mp=\S+)?)? \[(.*)\]:$/;
const location = /^\t(.+):(\d+)(?: \+0x[0-9a-f]+)?$/;
const createdByLine = /^created by (\S+)(?: in goroutine (\d+))?$/;
const ancestorHeader = /^\[originating from goroutine \d+\]:$/;

/** `Work.func1(0x0, …)` → `Work.func1`; `(*T).Run(...)` keeps its receiver. */
function functionName(line: string): string {
  const openArguments = line.lastIndexOf('(');
  return openArguments > 0 && line.endsWith(')') ? line.slice(0, openArguments) : line;
}

/** The wait reason and the leak mark of a header's bracket (`chan send (leaked), 2 minutes`). */
function parseStatus(status: string): { waitReason: string; leaked: boolean } {
  const withoutDuration = status.replace(/, \d+ minutes?$/, '').replace(/, locked to thread$/, '');
  const leaked = withoutDuration.includes(' (leaked)');
  return { waitReason: withoutDuration.replace(' (leaked)', '').replace(' (scan)', '').trim(), leaked };
}

function parseBlock(lines: string[]): GoroutineRecord | undefined {
  const head = header.exec(lines[0]);
  if (!head) return undefined;
  const record: GoroutineRecord = { id: Number(head[1]), ...parseStatus(head[2]), frames: [], ancestors: [], text: lines.join('\n') };
  let target = record.frames;
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    if (ancestorHeader.test(line)) {
      target = [];
      record.ancestors.push(target);
      continue;
    }
    const where = location.exec(lines[index + 1] ?? '');
    if (!where || line.startsWith('\t')) continue;
    index++;
    const created = createdByLine.exec(line);
    const frame = { file: where[1], line: Number(where[2]) };
    if (created) {
      // An ancestor's own `created by` line belongs to the ancestor, not to this goroutine.
      if (target === record.frames) record.createdBy = { function: created[1], ...frame, goroutine: created[2] ? Number(created[2]) : undefined };
      continue;
    }
    target.push({ function: functionName(line), ...frame });
  }
  return record;
}

export function parseGoroutineDump(text: string): GoroutineRecord[] {
  const records: GoroutineRecord[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.length > 0);
    const record = lines.length > 0 ? parseBlock(lines) : undefined;
    if (record) records.push(record);
  }
  return records;
}
