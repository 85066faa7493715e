// channel/no-counterpart: an operation whose other side does not exist
// anywhere in the package. A receive from a channel (a struct field or a
// package variable) that nothing sends on or closes; a send on an unbuffered
// channel that nothing receives from; a sync.Cond Wait that nothing Signals
// or Broadcasts. Such an operation blocks its goroutine forever. Only objects
// whose every use the package model understands are judged (see
// packageModel/concurrencyIndex): anything exported, passed, returned,
// stored elsewhere or touched where its type is unknown keeps the rule quiet.
import { isTestFile } from '../../syntax/functionContext';
import { ConcurrencyIndex, storedValues, type ConcurrencyObject, type ObjectUse } from '../../packageModel/concurrencyIndex';
import type { PackageRule, PackageSite } from '../packageRule';
import type { PackageRuleContext } from '../packageRuleContext';

function sitesOf(uses: readonly ObjectUse[], operation: ObjectUse['operation']): (ObjectUse & { fn: NonNullable<ObjectUse['fn']> })[] {
  return uses.filter((use): use is ObjectUse & { fn: NonNullable<ObjectUse['fn']> } => use.operation === operation && use.fn !== undefined);
}

/** A blocking operation of the file asked for (a select with `default` does not block). */
function blockingInFile(uses: readonly ObjectUse[], operation: ObjectUse['operation'], file: string): ReturnType<typeof sitesOf> {
  return sitesOf(uses, operation).filter((use) => use.fn.file.file === file && use.select !== 'with-default');
}

/** Whether everything stored in the object is made fresh where it is stored: then no other name can hold it. */
function onlyMadeHere(object: ConcurrencyObject): boolean {
  const stored = storedValues(object);
  return stored.length > 0 && stored.every((value) => (object.kind === 'cond' ? value.kind === 'call' && value.target.name === 'NewCond' : value.kind === 'make'));
}

/** What the rule can say about an object: the operations without a counterpart, and the message for them. */
function missingCounterpart(object: ConcurrencyObject): { operation: ObjectUse['operation']; messageKey: string } | undefined {
  if (object.kind !== 'channel' && object.kind !== 'cond') return undefined;
  // Never stored: always nil, and code that uses it usually checks for that first.
  if (!onlyMadeHere(object)) return undefined;
  const count = (operation: ObjectUse['operation']) => object.uses.filter((use) => use.operation === operation).length;
  if (object.kind === 'cond') return count('wait') > 0 && count('signal') === 0 ? { operation: 'wait', messageKey: 'wait' } : undefined;
  if (count('receive') > 0 && count('send') === 0 && count('close') === 0) return { operation: 'receive', messageKey: 'receive' };
  const unbuffered = storedValues(object).every((value) => value.kind === 'make' && !value.buffered);
  if (count('send') > 0 && count('receive') === 0 && unbuffered) return { operation: 'send', messageKey: 'send' };
  return undefined;
}

export const noCounterpart: PackageRule = {
  id: 'channel/no-counterpart',
  category: 'channel',
  defaultSeverity: 'warning',
  // Its objects are made in the package: a channel type is spelled there, a Cond comes from sync.NewCond.
  requiresText: ['chan', 'NewCond'],
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Channel_types',
  example: {
    shared: [
      'type server struct{ done chan struct{} }',
      '',
      'func newServer() *server { return &server{done: make(chan struct{})} }',
      '',
      'func (s *server) run() {',
      '\t<-s.done',
      '\ts.cleanup()',
      '}',
    ].join('\n'),
    before: 'func (s *server) stop() {}',
    after: 'func (s *server) stop() { close(s.done) }',
  },
  text: {
    en: {
      title: 'No other side anywhere in the package',
      messages: {
        receive: 'nothing in the package sends on `{name}` or closes it: this receive waits forever',
        receiveCase: 'nothing in the package sends on `{name}` or closes it: this case of the select can never be chosen',
        send: 'nothing in the package receives from `{name}`, an unbuffered channel: this send blocks forever',
        sendCase: 'nothing in the package receives from `{name}`, an unbuffered channel: this case of the select can never be chosen',
        wait: 'nothing in the package calls Signal or Broadcast on `{name}`: this Wait never returns',
        made: '`{name}` is made here',
      },
      exampleComments: {
        before: 'stop never closes s.done, so run never returns',
      },
      explanation: [
        'A channel operation needs a partner: a receive completes when another goroutine sends or closes the channel, a send on an unbuffered channel when another goroutine receives. `sync.Cond.Wait` returns only after a `Signal` or `Broadcast`. When the channel or the Cond is private to the package (an unexported field or package variable that is never handed out), every partner it can ever have is in the package\'s own code. If that code never sends, closes, receives or signals, the goroutine that reaches the operation blocks forever, and whatever it holds stays with it.',
        '',
        'This happens when a refactoring removes the other side (the `close` of a stop channel, the loop that drained a queue) or when it was planned and never written. The rule stays quiet when the object is exported, passed, returned or stored where the package model cannot follow it, since the partner may then be elsewhere.',
        '',
        'Fix: write the missing side (close the stop channel when stopping, start the goroutine that receives, signal after changing the condition), or remove the operation that waits for nothing.',
      ].join('\n'),
    },
    'zh-cn': {
      title: '包内找不到另一端',
      messages: {
        receive: '包内没有任何代码向 `{name}` 发送或关闭它：这个接收会永远等下去',
        receiveCase: '包内没有任何代码向 `{name}` 发送或关闭它：select 的这个分支永远不会被选中',
        send: '`{name}` 是无缓冲通道，而包内没有任何代码从它接收：这个发送会永远阻塞',
        sendCase: '`{name}` 是无缓冲通道，而包内没有任何代码从它接收：select 的这个分支永远不会被选中',
        wait: '包内没有任何代码对 `{name}` 调用 Signal 或 Broadcast：这个 Wait 永远不会返回',
        made: '`{name}` 在此创建',
      },
      exampleComments: {
        before: 'stop 从不关闭 s.done，run 永远不会返回',
      },
      explanation: [
        '通道操作需要另一方配合：接收要等别的 goroutine 发送或关闭通道才能完成，向无缓冲通道发送要等别的 goroutine 来接收。`sync.Cond.Wait` 只有在 `Signal` 或 `Broadcast` 之后才会返回。如果这个通道或 Cond 是包私有的（未导出的字段或包级变量，且从不交给外部），那么它可能的配合方全都在本包的代码里。这些代码若从不发送、关闭、接收或通知，走到这个操作的 goroutine 就会永远阻塞，它占着的资源也一直释放不了。',
        '',
        '常见的成因：重构时删掉了另一端（停止通道的 `close`、消费队列的循环），或者那一端本来打算写却一直没写。如果对象被导出、作为参数传出、被返回，或者存到了包模型跟踪不到的地方，另一端可能在别处，本规则就不报告。',
        '',
        '修复方法：补上缺失的一端（停止时关闭停止通道、启动负责接收的 goroutine、修改条件后发出通知），或者删掉这个等不到任何人的操作。',
      ].join('\n'),
    },
  },
  checkPackage(context: PackageRuleContext) {
    // Only an object the file touches can have a blocking operation in it.
    for (const object of ConcurrencyIndex.of(context.pkg).objectsTouchedIn(context.file)) {
      if (object.escapes) continue;
      const missing = missingCounterpart(object);
      if (!missing) continue;
      const made = sitesOf(object.uses, 'store')[0];
      const related = made ? [{ at: { fn: made.fn, at: made.at } satisfies PackageSite, messageKey: 'made', values: { name: object.name } }] : [];
      for (const use of blockingInFile(object.uses, missing.operation, context.file)) {
        const inSelect = use.select === 'case' && missing.operation !== 'wait';
        // Tests and examples block on purpose (a channel that never fires, to show a timeout): info there.
        const severity = isTestFile(use.fn.file.file) ? 'info' : undefined;
        context.report({ at: { fn: use.fn, at: use.at }, messageKey: inSelect ? `${missing.messageKey}Case` : missing.messageKey, values: { name: object.name }, related, ...(severity ? { severity } : {}) });
      }
    }
  },
};
