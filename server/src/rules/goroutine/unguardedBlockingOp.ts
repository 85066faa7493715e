// goroutine/unguarded-blocking-op: a send (receive) on a channel that only a
// stoppable loop receives from (sends on), made outside a select with the
// loop's stop signal. The loop (`for { select { case <-w.stop: return; case
// j := <-w.jobs: … } }`) stops when the signal fires; from then on nothing
// serves the channel, and `w.jobs <- j` in another goroutine blocks forever.
// Quiet unless every other side of the channel in the package is such a loop
// and the channel is fully in sight (see packageModel/stoppableLoops and the
// blocking summaries): unexported, never passed on, always made in the
// package, never closed, unbuffered for a send. An operation in a select with
// any other case, before a `go` statement of its declaration, or in the
// declaration that fires the stop itself, is left alone.
import { blockingSummariesOf, type BlockingSummaries } from '../../packageModel/blockingSummaries';
import { packageObjectKey, storedValues } from '../../packageModel/concurrencyIndex';
import type { PackageFunction } from '../../packageModel/goPackage';
import type { ChannelOperation } from '../../packageModel/operationFacts';
import type { ReceivedSignal } from '../../packageModel/selectFacts';
import { canFire, lastName, signalKey, spelledSignal, stoppableLoopsOf, type ServedChannel, type ServingSite, type StopCase, type StoppableLoops } from '../../packageModel/stoppableLoops';
import { pathKey, type ValuePath } from '../../packageModel/valuePaths';
import type { PackageReport, PackageRule } from '../packageRule';
import type { PackageRuleContext } from '../packageRuleContext';

type Direction = 'send' | 'receive';

/** A loop's operation on the channel, with the first stop case of its select that can fire. */
interface Server {
  site: ServingSite['site'];
  stop: StopCase;
}

/** The loops that serve a channel in one direction, when they are its only other side and each can stop; undefined otherwise. */
function onlyServers(summaries: BlockingSummaries, channel: ServedChannel, direction: Direction): Server[] | undefined {
  const { identity } = channel;
  const uses = summaries.usesOf(identity);
  if (!uses || uses.escapes) return undefined;
  let stored: (boolean | undefined)[] = uses.buffered;
  // A field or package variable: the other index also sees uses that are not paths (`ws[i].jobs`), exported names and
  // `var` initializers; anything it cannot follow keeps the rule quiet.
  const objectKey = packageObjectKey(identity);
  if (objectKey !== undefined) {
    const object = summaries.index.object(objectKey);
    if (!object || object.escapes) return undefined;
    stored = storedValues(object).map((value) => (value.kind === 'make' ? value.buffered : undefined));
  }
  if (!madeInPackage(stored, direction)) return undefined;
  if (uses.sites.some(({ op }) => op.kind !== 'channel' || op.operation === 'close')) return undefined;
  const otherSide = uses.sites.filter(({ op }) => op.kind === 'channel' && (direction === 'send' ? op.operation === 'receive' || op.operation === 'range' : op.operation === 'send'));
  const serving = channel.sites.filter(({ site }) => site.op.operation !== direction);
  if (otherSide.length === 0 || !otherSide.every(({ op }) => serving.some(({ site }) => site.op === op))) return undefined;
  const servers: Server[] = [];
  for (const { site, stops } of serving) {
    const stop = stops.find((each) => canFire(summaries, site.fn, each));
    // A loop whose stop never fires serves the channel for good.
    if (!stop) return undefined;
    servers.push({ site, stop });
  }
  return servers;
}

/** Every value stored into the channel (its buffer, undefined for what is not a `make`) is a `make` of the package; for a send, an unbuffered one. */
function madeInPackage(stored: readonly (boolean | undefined)[], direction: Direction): boolean {
  return stored.length > 0 && stored.every((buffered) => (direction === 'send' ? buffered === false : buffered !== undefined));
}

/**
 * Why the operation may complete without the loop: another case of its
 * select, or a goroutine started after it in the same declaration (the loop's
 * goroutine may not run yet). Spans of a goroutine literal are its
 * declaration's, so one comparison covers both.
 */
function mayCompleteOtherwise(summaries: BlockingSummaries, fn: PackageFunction, op: ChannelOperation): boolean {
  if (op.select) {
    if (op.select.hasDefault) return true;
    const select = op.select.at;
    const cases = fn.facts.operations.filter((other) => other.kind === 'channel' && other.select?.at[0] === select[0]);
    if (cases.length !== 1) return true;
  }
  const startedAfter = (owner: PackageFunction) => owner.facts.operations.some((other) => other.kind === 'go' && other.at[0] > op.at[0]);
  return startedAfter(fn) || startedAfter(summaries.declarationOf(fn));
}

/** `context.WithCancel`, `WithTimeout`… whose second result is a cancel function. */
const withCancel = /^With(Cancel|Timeout|Deadline)(Cause)?$/;

/**
 * Whether the operation's own declaration fires a stop signal of the loop (a
 * consumer that receives what it needs, then closes `done`, or cancels the
 * context it made): it decides when the loop stops, and its text orders the
 * two. A context is judged by whether the declaration makes a cancel at all.
 */
function stopsTheLoopItself(summaries: BlockingSummaries, fn: PackageFunction, servers: readonly Server[]): boolean {
  const declaration = summaries.declarationOf(fn);
  return servers.some(({ site, stop }) => {
    const signal = stop.signal;
    if (signal.kind === 'done') return Object.values(declaration.facts.locals).some((origin) => origin.kind === 'call' && origin.index === 1 && withCancel.test(origin.target.name));
    const identity = summaries.identityOf(site.fn, signal.channel);
    const uses = identity && summaries.usesOf(identity);
    return uses?.sites.some(({ fn: site, op }) => op.kind === 'channel' && (op.operation === 'close' || op.operation === 'send') && summaries.declarationOf(site) === declaration) === true;
  });
}

/** Whether the operation is a statement of the `default:` branch of a select that polls the same signal. */
function inDefaultPolling(summaries: BlockingSummaries, loops: StoppableLoops, fn: PackageFunction, op: ChannelOperation, stopKey: string | undefined): boolean {
  if (!stopKey) return false;
  return loops
    .selectsOf(fn)
    .some((select) => select.defaultOperations.some((at) => at[0] === op.at[0] && at[1] === op.at[1]) && select.receives.some((receive) => receive.signal !== undefined && signalKey(summaries, fn, receive.signal) === stopKey));
}

/**
 * The loop's stop signal as the operation's function can spell it, for the
 * quick fix: the same field next to the channel (`x.stop` for `x.jobs` when
 * the loop has `w.stop` and `w.jobs`), or the same package variable or
 * captured local; undefined when it does not name the same object there, or
 * when a second receiver of it would change what the loop sees.
 */
function signalAtSite(summaries: BlockingSummaries, server: Server, fn: PackageFunction, channel: ValuePath, stopKey: string): ReceivedSignal | undefined {
  const { signal, leaves } = server.stop;
  // Another receiver of a stop channel that is sent on, or that carries values until it is closed, would take them from the loop.
  if (leaves !== 'always' || (signal.kind === 'channel' && !onlyClosed(summaries, server.site.fn, signal.channel))) return undefined;
  const spelled = signal.kind === 'channel' ? signal.channel : signal.context;
  const loopChannel = server.site.op.channel;
  let moved: ValuePath = spelled;
  if (spelled.fields.length > 0) {
    const owner = [spelled.root, ...spelled.fields.slice(0, -1)].join('.');
    if (!loopChannel || owner !== [loopChannel.root, ...loopChannel.fields.slice(0, -1)].join('.')) return undefined;
    moved = { root: channel.root, fields: [...channel.fields.slice(0, -1), spelled.fields[spelled.fields.length - 1]] };
  }
  const candidate: ReceivedSignal = signal.kind === 'channel' ? { kind: 'channel', channel: moved } : { kind: 'done', context: moved };
  return signalKey(summaries, fn, candidate) === stopKey ? candidate : undefined;
}

/** Whether the channel is closed somewhere in the package and never sent on. */
function onlyClosed(summaries: BlockingSummaries, fn: PackageFunction, channel: ValuePath): boolean {
  const identity = summaries.identityOf(fn, channel);
  const sites = (identity && summaries.usesOf(identity)?.sites) ?? [];
  const operations = sites.flatMap(({ op }) => (op.kind === 'channel' ? [op.operation] : []));
  return operations.includes('close') && !operations.includes('send');
}

/** `ch <- v` → `select { case ch <- v: case <-stop: }`, when the send is alone on its line. */
function selectFix(context: PackageRuleContext, fn: PackageFunction, op: ChannelOperation, stop: ReceivedSignal): NonNullable<PackageReport['fixes']>[number] | undefined {
  const range = context.rangeOf({ fn, at: op.at });
  if (range.start.line !== range.end.line) return undefined;
  const line = fn.file.lines.lineText(range.start.line);
  const indent = line.slice(0, range.start.character);
  if (indent.trim() !== '' || !/^\s*(\/\/.*)?$/.test(line.slice(range.end.character))) return undefined;
  const send = line.slice(range.start.character, range.end.character);
  const signal = spelledSignal(stop);
  return {
    titleKey: 'fixSelect',
    values: { stop: signal },
    edits: [{ at: { fn, at: op.at }, newText: `select {\n${indent}case ${send}:\n${indent}case <-${signal}:\n${indent}}` }],
  };
}

export const unguardedBlockingOp: PackageRule = {
  id: 'goroutine/unguarded-blocking-op',
  category: 'goroutine',
  defaultSeverity: 'warning',
  // The loop that stops is a `for` around a `select`.
  requiresText: ['select'],
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Select_statements',
  example: {
    before: [
      'type worker struct {',
      '\tjobs chan int',
      '\tstop chan struct{}',
      '}',
      '',
      'func (w *worker) loop() {',
      '\tfor {',
      '\t\tselect {',
      '\t\tcase <-w.stop:',
      '\t\t\treturn',
      '\t\tcase job := <-w.jobs:',
      '\t\t\tw.run(job)',
      '\t\t}',
      '\t}',
      '}',
      '',
      'func (w *worker) Close() { close(w.stop) }',
      '',
      'func (w *worker) submit(job int) {',
      '\tw.jobs <- job // {blocksForeverOnceLoop}',
      '}',
    ].join('\n'),
    after: [
      'func (w *worker) submit(job int) {',
      '\tselect {',
      '\tcase w.jobs <- job:',
      '\tcase <-w.stop: // {theWorkerHasStopped}',
      '\t}',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Blocking operation not guarded by the stop signal of its other side',
      messages: {
        send: 'only the loop in `{loop}` receives from `{channel}`, and it stops on `{stop}` ({place}): once it has stopped, this send blocks forever; it is not in a select with `{stop}`',
        receive: 'only the loop in `{loop}` sends on `{channel}`, and it stops on `{stop}` ({place}): once it has stopped, this receive blocks forever; it is not in a select with `{stop}`',
        defaultSend: 'this send in the `default:` branch waits on its own: the select polls `{stop}` only before it, and only the loop in `{loop}` receives from `{channel}` and stops on `{stop}` ({place}): once it has stopped, the send blocks forever',
        defaultReceive: 'this receive in the `default:` branch waits on its own: the select polls `{stop}` only before it, and only the loop in `{loop}` sends on `{channel}` and stops on `{stop}` ({place}): once it has stopped, the receive blocks forever',
        loopStops: 'the loop in `{loop}` stops on `{stop}` here',
        loopReceives: 'the loop receives from `{channel}` here',
        loopSends: 'the loop sends on `{channel}` here',
        fixSelect: 'Wrap the send in a select with <-{stop}',
        place: 'line {line}',
        placeInFile: '{file}:{line}',
      },
      exampleComments: {
        blocksForeverOnceLoop: 'blocks forever once loop has returned',
        theWorkerHasStopped: 'the worker has stopped: drop the job',
      },
      explanation: [
        'A goroutine that serves a channel in a loop and stops on a signal — `case <-w.stop: return`, `case <-ctx.Done(): return`, or `if !ok { return }` once another channel is closed — leaves the channel without a partner once the signal has fired. A send to it (or a receive from it) written as a plain statement elsewhere then waits for a loop that will never come back: the goroutine that made it blocks forever, with whatever it holds. Typical are a `Submit` method that sends to the worker loop of a component that is being closed, and a goroutine that delivers its result to a consumer that gave up on `ctx.Done()`.',
        '',
        'The rule reports only when the package shows every other side of the channel: the channel is a private field, package variable or captured local, made in the package (unbuffered, for a send), never closed, never passed on, and every operation that could answer this one is a case of a loop\'s select that also has the stop case. An operation in a select with any other case (the stop signal, a timeout), or one made before its function starts a goroutine, is left alone. In the `default:` branch of a select that polls the stop signal, a plain send still blocks: the poll happened before it.',
        '',
        'Fix: wait for the stop signal too, in a select with the same signal the loop stops on (the quick fix writes it when that signal can be named at the operation), or close the channel instead of stopping the loop and let the loop drain it.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '阻塞操作没有用另一端的停止信号保护',
      messages: {
        send: '只有 `{loop}` 中的循环从 `{channel}` 接收，而它会在 `{stop}` 上停止（{place}）：循环停止后，这个发送会永远阻塞；它不在带 `{stop}` 的 select 里',
        receive: '只有 `{loop}` 中的循环向 `{channel}` 发送，而它会在 `{stop}` 上停止（{place}）：循环停止后，这个接收会永远阻塞；它不在带 `{stop}` 的 select 里',
        defaultSend: '`default:` 分支里的这个发送会单独等待：select 只在它之前检查过 `{stop}`，而只有 `{loop}` 中的循环从 `{channel}` 接收，并会在 `{stop}` 上停止（{place}）：循环停止后，这个发送会永远阻塞',
        defaultReceive: '`default:` 分支里的这个接收会单独等待：select 只在它之前检查过 `{stop}`，而只有 `{loop}` 中的循环向 `{channel}` 发送，并会在 `{stop}` 上停止（{place}）：循环停止后，这个接收会永远阻塞',
        loopStops: '`{loop}` 中的循环在此因 `{stop}` 停止',
        loopReceives: '循环在此从 `{channel}` 接收',
        loopSends: '循环在此向 `{channel}` 发送',
        fixSelect: '把发送包进带 <-{stop} 的 select',
        place: '第 {line} 行',
        placeInFile: '{file} 第 {line} 行',
      },
      exampleComments: {
        blocksForeverOnceLoop: 'loop 返回后会永远阻塞',
        theWorkerHasStopped: '工作 goroutine 已停止：丢弃这个任务',
      },
      explanation: [
        '一个 goroutine 在循环里为某个通道服务，并在收到信号时停止（`case <-w.stop: return`、`case <-ctx.Done(): return`，或在另一个通道关闭后经 `if !ok { return }` 退出）。信号一旦触发，这个通道就再也没有配合方了。别处以普通语句写成的发送（或接收）会一直等这个再也不会回来的循环：执行它的 goroutine 永远阻塞，它占着的资源也一直释放不了。典型的例子：组件关闭时仍向工作循环发送任务的 `Submit` 方法；消费方已经因 `ctx.Done()` 放弃，负责交付结果的 goroutine 却还在发送。',
        '',
        '只有当包内能看清这个通道的所有另一端时，本规则才会报告：通道是未导出的字段、包级变量或被捕获的局部变量，在包内创建（对发送而言，还要求无缓冲），从不关闭，也从不传出；而所有可能响应这个操作的，都是某个循环的 select 里的分支，并且这个 select 带有停止分支。位于还有其他分支（停止信号、超时）的 select 中的操作，以及发生在所在函数启动 goroutine 之前的操作，都不报告。在轮询停止信号的 select 的 `default:` 分支里，普通发送同样会阻塞：轮询发生在它之前。',
        '',
        '修复方法：在 select 里同时等待循环所用的同一个停止信号（当这个信号在操作处可以直接写出时，快速修复会替你写好），或者改为关闭通道而不是让循环停止，由循环把剩余的值取完。',
      ].join('\n'),
    },
  },
  checkPackage(context: PackageRuleContext) {
    const loops = stoppableLoopsOf(context.pkg);
    if (loops.served.size === 0) return;
    const summaries = blockingSummariesOf(context.pkg);
    const judged = new Map<string, Server[] | undefined>();
    // The declarations' uses are read with the file; a function's body facts only when it sends or receives on a name a loop serves.
    const uses = new Map(context.pkg.fileFacts(context.file)?.declarations.map((declaration) => [declaration.start, declaration.uses]));
    const mayOperate = (fn: PackageFunction) => {
      const declared = uses.get(fn.start);
      return declared?.kind === 'read' && declared.uses.some((use) => (use.kind === 'send' || use.kind === 'receive') && use.path !== undefined && loops.names.has(lastName(use.path)));
    };
    for (const fn of summaries.withGoroutineLiterals(context.functionsToCheck().filter(mayOperate))) {
      for (const op of fn.facts.operations) {
        if (op.kind !== 'channel' || !op.channel || (op.operation !== 'send' && op.operation !== 'receive') || !loops.names.has(lastName(op.channel))) continue;
        const identity = summaries.identityOf(fn, op.channel);
        const channel = identity && loops.served.get(identity.key);
        if (!channel || mayCompleteOtherwise(summaries, fn, op)) continue;
        const direction: Direction = op.operation;
        const judgement = `${channel.identity.key} ${direction}`;
        if (!judged.has(judgement)) judged.set(judgement, onlyServers(summaries, channel, direction));
        const servers = judged.get(judgement);
        // Served by this very goroutine (before or after its loop): another shape, not this rule's.
        if (!servers || servers.some(({ site }) => site.fn === fn) || stopsTheLoopItself(summaries, fn, servers)) continue;
        const [server] = servers;
        const { stop } = server;
        const loopFn = server.site.fn;
        const stopKey = signalKey(summaries, loopFn, stop.signal);
        const stopSite = { fn: loopFn, at: stop.at };
        const line = context.lineOf(stopSite);
        const place = loopFn.file.file === context.file ? context.message('place', { line }) : context.message('placeInFile', { file: loopFn.file.file.split(/[\\/]/).pop() ?? '', line });
        const values = { channel: pathKey(op.channel), loop: loopFn.qualifiedName, stop: spelledSignal(stop.signal), place };
        const polled = inDefaultPolling(summaries, loops, fn, op, stopKey);
        const signal = direction === 'send' && !op.select && stopKey ? signalAtSite(summaries, server, fn, op.channel, stopKey) : undefined;
        const fix = signal && selectFix(context, fn, op, signal);
        context.report({
          at: { fn, at: op.at },
          messageKey: polled ? (direction === 'send' ? 'defaultSend' : 'defaultReceive') : direction,
          values,
          related: [
            { at: stopSite, messageKey: 'loopStops', values },
            { at: { fn: loopFn, at: server.site.op.at }, messageKey: direction === 'send' ? 'loopReceives' : 'loopSends', values },
          ],
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
  },
};
