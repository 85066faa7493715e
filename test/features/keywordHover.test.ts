import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { keywordHover } from '../../server/src/features/keywordHover';
import { createGoParser } from '../../server/src/parse/goParser';
import type { Locale } from '../../server/src/rules/rule';

const source = [
  'package p',
  '',
  'import "time"',
  '',
  'func pump(values []int, done chan struct{}, out chan<- int, in <-chan int) {',
  '\tresults := make(chan int)',
  '\tqueue := make(chan int, 8)',
  '\tfor _, v := range values {',
  '\t\tgo func() { results <- v }()',
  '\t}',
  '\tgo worker(queue)',
  '\tfor range values {',
  '\t\tselect {',
  '\t\tcase r := <-results:',
  '\t\t\tout <- r',
  '\t\tcase <-time.After(time.Second):',
  '\t\t\treturn',
  '\t\t}',
  '\t}',
  '\tselect {',
  '\tcase <-done:',
  '\tdefault:',
  '\t}',
  '\tclose(results)',
  '\t_ = in',
  '}',
  '',
  'func worker(queue chan int) {}',
  '',
].join('\n');

async function hoverAt(line: number, needle: string, locale: Locale = 'en'): Promise<string | undefined> {
  const parser = await createGoParser();
  const tree = parser.parse(source);
  assert.ok(tree);
  try {
    const lines = new LineIndex(source);
    const character = lines.lineText(line).indexOf(needle);
    assert.ok(character >= 0, `${needle} on line ${line + 1}`);
    return keywordHover(tree, source, lines, { line, character }, locale);
  } finally {
    tree.delete();
  }
}

test('make(chan T): unbuffered, with the lines that send, receive and close it', async () => {
  assert.equal(
    await hoverAt(5, 'make'),
    '**Unbuffered channel**: every send blocks until a receiver takes the value (a synchronous hand-off), and every receive blocks until a sender comes. `results` is sent on at line(s) 9. `results` is received from at line(s) 14. `results` is closed at line(s) 24 (only the sender should close; a second close panics).',
  );
  // On the `chan` keyword inside make, the same note.
  assert.match((await hoverAt(5, 'chan')) ?? '', /^\*\*Unbuffered channel\*\*/);
});

test('make(chan T, n): buffered, passed on to other code, so nothing is claimed about closing', async () => {
  assert.equal(
    await hoverAt(6, 'make'),
    '**Buffered channel** (capacity `8`): a send blocks only when the buffer is full, a receive only when it is empty. `queue` is also passed on at line(s) 11, so other code may use or close it.',
  );
});

test('go: what runs, when arguments are evaluated, and one goroutine per loop iteration', async () => {
  assert.equal(
    await hoverAt(8, 'go'),
    '**go** starts a new goroutine running the function literal and continues at once: this function does not wait for it, and nothing stops it but its own return (or the program’s exit). The function value and its arguments are evaluated now, in the current goroutine; the call runs later, concurrently. It is inside a loop: one goroutine per iteration, all running at the same time.',
  );
  assert.match((await hoverAt(10, 'go')) ?? '', /running `worker` and continues at once/);
  assert.doesNotMatch((await hoverAt(10, 'go')) ?? '', /inside a loop/);
});

test('select: blocking or not, random choice, timers in loops', async () => {
  assert.equal(
    await hoverAt(12, 'select'),
    '**select** over 2 case(s) without `default`: it blocks until one case can proceed (forever, if none ever can; a nil channel’s case never can). When several cases are ready, one is chosen at random, not the first. In a loop, every iteration waits again: each `time.After` in a case makes a new timer.',
  );
  assert.equal(await hoverAt(19, 'select'), '**select** over 1 case(s) with a `default`: it never blocks; when no case is ready right now, `default` runs.');
});

test('channel direction types, and nothing where there is nothing specific to say', async () => {
  assert.match((await hoverAt(4, 'chan<-')) ?? '', /^\*\*Send-only channel\*\*/);
  assert.match((await hoverAt(4, '<-chan')) ?? '', /^\*\*Receive-only channel\*\*/);
  assert.equal(await hoverAt(4, 'chan struct'), undefined);
  assert.equal(await hoverAt(4, 'func'), undefined);
  assert.equal(await hoverAt(27, 'queue'), undefined);
});

test('keyword notes in Chinese', async () => {
  assert.match((await hoverAt(6, 'make', 'zh-cn')) ?? '', /^\*\*缓冲通道\*\*（容量 `8`）/);
  assert.match((await hoverAt(12, 'select', 'zh-cn')) ?? '', /不带 `default` 的 \*\*select\*\*（共 2 个 case）/);
});
