// Descriptions of what the Go runtime reports when the tests run with leak
// detection (server/src/leaks/): a goroutine blocked forever after its test
// finished (goroutine/leaked), a goroutine blocked forever while its test
// never finished (goroutine/deadlocked), and a test that failed in the same
// run (goroutine/test-failed). The runtime finds them; these texts name them,
// word the wait reasons, and explain them. Message keys: `leaked`,
// `deadlocked`, `stillBlocked` (without the leak profile: lower confidence),
// `count`, `inTest`, `createdHere`, `testHere`, and `reason.*` per wait reason;
// for a failed test `failed`, `failedWithoutMessage` and `reportedHere`, and
// `hung` for a test that never finished.
import type { RuleDescription } from './rule';

const md = (...lines: string[]): string => lines.join('\n');

const reasonsEn = {
  'reason.send': 'sending on `{name}`',
  'reason.sendUnnamed': 'sending on a channel',
  'reason.receive': 'receiving from `{name}`',
  'reason.receiveUnnamed': 'receiving from a channel',
  'reason.sendNil': 'sending on a nil channel',
  'reason.receiveNil': 'receiving from a nil channel',
  'reason.select': 'in a `select` none of whose cases can proceed',
  'reason.selectEmpty': 'in an empty `select {}`',
  'reason.lock': 'locking `{name}`, which no holder will unlock',
  'reason.lockUnnamed': 'locking a mutex that no holder will unlock',
  'reason.waitGroup': 'waiting on `{name}`, whose counter never reaches zero',
  'reason.waitGroupUnnamed': 'waiting on a `sync.WaitGroup` whose counter never reaches zero',
  'reason.cond': 'in `{name}.Wait`, which nothing will signal',
  'reason.condUnnamed': 'in `sync.Cond.Wait`, which nothing will signal',
  'reason.other': 'in state "{reason}"',
};

const reasonsZh: typeof reasonsEn = {
  'reason.send': '向 `{name}` 发送',
  'reason.sendUnnamed': '向通道发送',
  'reason.receive': '从 `{name}` 接收',
  'reason.receiveUnnamed': '从通道接收',
  'reason.sendNil': '向 nil 通道发送',
  'reason.receiveNil': '从 nil 通道接收',
  'reason.select': '在一个所有分支都无法继续的 `select` 中',
  'reason.selectEmpty': '在空的 `select {}` 中',
  'reason.lock': '等待锁 `{name}`，而持有者永远不会释放它',
  'reason.lockUnnamed': '等待一把持有者永远不会释放的锁',
  'reason.waitGroup': '等待 `{name}`，而它的计数永远不会归零',
  'reason.waitGroupUnnamed': '等待一个计数永远不会归零的 `sync.WaitGroup`',
  'reason.cond': '在 `{name}.Wait` 中，而没有人会唤醒它',
  'reason.condUnnamed': '在 `sync.Cond.Wait` 中，而没有人会唤醒它',
  'reason.other': '处于“{reason}”状态',
};

const leaked: RuleDescription = {
  id: 'goroutine/leaked',
  category: 'goroutine',
  defaultSeverity: 'warning',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/runtime/pprof#Profile',
  example: {
    before: [
      'results := make(chan int)',
      'for _, input := range inputs {',
      '\tgo func(value int) { results <- value * 2 }(input)',
      '}',
      'return <-results',
    ].join('\n'),
    after: [
      'results := make(chan int, len(inputs))',
      'for _, input := range inputs {',
      '\tgo func(value int) { results <- value * 2 }(input)',
      '}',
      'return <-results',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Goroutine leaked (seen while running the tests)',
      messages: {
        ...reasonsEn,
        leaked: 'goroutine leaked{inTest}: blocked forever {reason}{count}',
        stillBlocked: 'goroutine still blocked at the end of the tests{inTest}: {reason}{count} (no leak profile in this Go: it may yet be woken)',
        inTest: ' in {test}',
        count: ' ({count} goroutines)',
        createdHere: 'goroutine started here',
        testHere: 'while running {test}',
      },
      exampleComments: {
        before: 'only the first result is received; the other workers block forever',
        after: 'a slot for every worker, so each send completes and the goroutine exits',
      },
      explanation: md(
        'The tests ran with Go\'s goroutine leak detection (the `goroutineleak` profile: in Go 1.26 behind `GOEXPERIMENT=goroutineleakprofile`, which the run sets; built in from Go 1.27). After they finished, a special garbage-collection cycle looked for goroutines parked on a channel, a `select`, a `sync.Mutex`/`RWMutex`, a `sync.WaitGroup` or a `sync.Cond` that no running goroutine can reach any more. Nothing can ever wake such a goroutine: it sits in the channel\'s send or receive queue, or the lock\'s or counter\'s wait queue, until the process exits — with its stack and everything it references kept alive.',
        '',
        '**Why it matters:** a test that passes can still leak. In a server each leaked goroutine is memory that is never returned, and the work it was meant to do never happens. The runtime only reports goroutines it can prove are stuck, so this is not a guess; it may miss some (a goroutine whose channel or lock is reachable from a package-level variable is never reported, and goroutines that had not blocked yet when the profile was taken are not seen — run with `--count` to raise the odds).',
        '',
        '**How to fix:** give every goroutine a way to finish: a buffered channel sized for every sender, a `select` on `ctx.Done()` next to the send or receive, a `close` that ends a `range`, an `Unlock` on every path (`defer mu.Unlock()`), a `Done` for every `Add`.',
        '',
        'Without the profile (Go older than 1.26) the goroutines still blocked at the end of the tests are shown instead, with lower confidence: one of them may still have been about to be woken.',
      ),
    },
    'zh-cn': {
      title: 'goroutine 泄漏（运行测试时发现）',
      messages: {
        ...reasonsZh,
        leaked: 'goroutine 泄漏{inTest}：永久阻塞，{reason}{count}',
        stillBlocked: '测试结束时 goroutine 仍然阻塞{inTest}：{reason}{count}（当前 Go 没有泄漏分析，之后仍有可能被唤醒）',
        inTest: '（在 {test} 中）',
        count: '（共 {count} 个 goroutine）',
        createdHere: 'goroutine 在这里启动',
        testHere: '运行 {test} 时',
      },
      exampleComments: {
        before: '只接收了第一个结果，其余的工作 goroutine 永久阻塞',
        after: '每个工作 goroutine 都有一个缓冲位置，发送都能完成，goroutine 随之退出',
      },
      explanation: md(
        '测试是在 Go 的 goroutine 泄漏检测下运行的（即 `goroutineleak` 分析：Go 1.26 需要设置 `GOEXPERIMENT=goroutineleakprofile`，由 Go Insight 自动完成；Go 1.27 起内置）。测试结束后，一次特殊的垃圾回收会找出停在通道、`select`、`sync.Mutex`/`RWMutex`、`sync.WaitGroup` 或 `sync.Cond` 上、且任何仍在运行的 goroutine 都已无法触及的 goroutine。这样的 goroutine 再也不可能被唤醒：它一直待在通道的发送队列或接收队列里，或者锁、计数器的等待队列里，直到进程退出，它的栈以及栈上引用的一切也都无法回收。',
        '',
        '**影响**：测试通过了，也照样可能泄漏。在服务程序里，每个泄漏的 goroutine 都是永远收不回来的内存，它本该完成的工作也永远不会完成。运行时只报告它能证明卡死的 goroutine，所以这不是猜测；但它可能漏报：阻塞所用的通道或锁能从包级变量访问到时不会被报告，取样时还没阻塞的 goroutine 也看不到（用 `--count` 多跑几轮可以提高发现的概率）。',
        '',
        '**如何修复**：让每个 goroutine 都有办法结束：按发送者数量给通道留足缓冲，在发送或接收旁边加上 `select` 监听 `ctx.Done()`，用 `close` 结束 `range`，每条路径上都 `Unlock`（`defer mu.Unlock()`），每个 `Add` 都有对应的 `Done`。',
        '',
        '没有这项分析时（Go 1.26 之前），改为显示测试结束时仍然阻塞的 goroutine，可信度较低：其中某个 goroutine 也许马上就会被唤醒。',
      ),
    },
  },
};

const deadlocked: RuleDescription = {
  id: 'goroutine/deadlocked',
  category: 'goroutine',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/runtime/pprof#Profile',
  example: {
    before: [
      'values := make(chan int, 2)',
      'values <- 1',
      'values <- 2',
      'sum := Drain(values)',
    ].join('\n'),
    after: [
      'values := make(chan int, 2)',
      'values <- 1',
      'values <- 2',
      'close(values)',
      'sum := Drain(values)',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Test deadlocked (seen while running the tests)',
      messages: {
        ...reasonsEn,
        deadlocked: '{test} never finished: this goroutine is blocked forever {reason}{count}',
        stillBlocked: '{test} never finished: this goroutine was still blocked {reason}{count} (no leak profile in this Go)',
        count: ' ({count} goroutines)',
        createdHere: 'goroutine started here',
        testHere: 'while running {test}',
      },
      exampleComments: {
        before: 'nobody closes values, so the range waits forever once the buffer is empty',
        after: 'the sender closes the channel when it is done sending',
      },
      explanation: md(
        'A test did not finish within the time limit, and the runtime\'s leak detection found this goroutine parked on a channel, a `select`, a lock, a `WaitGroup` or a `Cond` that no running goroutine can reach: it can never be woken, so the test can never finish. Under `go test` such a hang does not end with Go\'s usual "all goroutines are asleep - deadlock!" error, because the test timer keeps the runtime from concluding that nothing can run; the test just hangs until `-timeout` kills it (10 minutes by default).',
        '',
        'The goroutine of `testing` that waits for the test to return is blocked forever too; it is left out, since it only waits for the goroutines shown here.',
        '',
        '**How to fix:** find who should have sent, received, closed, unlocked or called `Done`, and make sure that happens on every path — or bound the wait with a `select` on a context or timer.',
      ),
    },
    'zh-cn': {
      title: '测试死锁（运行测试时发现）',
      messages: {
        ...reasonsZh,
        deadlocked: '{test} 一直没有结束：这个 goroutine 永久阻塞，{reason}{count}',
        stillBlocked: '{test} 一直没有结束：这个 goroutine 仍然阻塞，{reason}{count}（当前 Go 没有泄漏分析）',
        count: '（共 {count} 个 goroutine）',
        createdHere: 'goroutine 在这里启动',
        testHere: '运行 {test} 时',
      },
      exampleComments: {
        before: '没有人关闭 values，缓冲区取空后 range 会一直等下去',
        after: '发送方发送完毕后关闭通道',
      },
      explanation: md(
        '某个测试没有在时限内结束，运行时的泄漏检测发现这个 goroutine 停在通道、`select`、锁、`WaitGroup` 或 `Cond` 上，而任何仍在运行的 goroutine 都已无法触及它：它永远不会被唤醒，测试也就永远结束不了。在 `go test` 下，这种卡死不会像平常那样报出 `all goroutines are asleep - deadlock!`，因为测试计时器的存在让运行时无法断定已经没有 goroutine 可以运行；测试只会一直挂着，直到被 `-timeout` 终止（默认 10 分钟）。',
        '',
        '`testing` 包里等待测试返回的那个 goroutine 同样永久阻塞，但它只是在等这里列出的 goroutine，所以不单独报告。',
        '',
        '**如何修复**：找出本该发送、接收、关闭通道、解锁或调用 `Done` 的那一方，确保每条路径上都会这样做；或者用 `select` 配合 context 或定时器给等待设一个上限。',
      ),
    },
  },
};

const testFailed: RuleDescription = {
  id: 'goroutine/test-failed',
  category: 'goroutine',
  defaultSeverity: 'error',
  presentation: 'diagnostic',
  documentation: 'https://pkg.go.dev/testing#T.Error',
  example: {
    before: [
      'func Words(s string) int {',
      '\treturn len(strings.Split(strings.TrimSpace(s), " "))',
      '}',
    ].join('\n'),
    after: [
      'func Words(s string) int {',
      '\treturn len(strings.Fields(s))',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Test failed (seen while running the tests)',
      messages: {
        failed: '{test} failed: {reason}',
        failedWithoutMessage: '{test} failed without a message',
        hung: '{test} did not finish within {seconds} s: the run was stopped',
        reportedHere: 'reported here',
      },
      exampleComments: {
        before: 'Words splits on single spaces, so "a  b" counts three words',
        after: 'Fields splits on any run of white space',
      },
      explanation: md(
        'The test failed during the run with leak detection: it called `t.Error`, `t.Fatal` or `t.Fail` (directly or through a helper), or it panicked. The message is the first line the test printed; the hover shows everything it printed, subtests included. The leak findings of the same run are still valid: the runtime looks for blocked goroutines whether the tests passed or not.',
        '',
        'A test that was still running when the time limit ran out (`goinsight.leaks.timeoutSeconds` in the editor, `--timeout` on the command line) is reported here too: the run was stopped at that point. The goroutines it was waiting for, if the runtime found them blocked forever, are shown as `goroutine/deadlocked` at the operation each one blocks on.',
        '',
        '**Why it matters:** a failing test is reported by `go test` too, but next to the leak findings it is easy to miss, and a goroutine that leaked while the test failed early is often the same bug seen from the other side.',
        '',
        '**How to fix:** read the failure where it was reported (the related location), fix the code or the test, and run the tests again.',
      ),
    },
    'zh-cn': {
      title: '测试失败（运行测试时发现）',
      messages: {
        failed: '{test} 失败：{reason}',
        failedWithoutMessage: '{test} 失败了，但没有输出任何信息',
        hung: '{test} 在 {seconds} 秒内没有结束，运行已被终止',
        reportedHere: '在这里报告',
      },
      exampleComments: {
        before: 'Words 只按单个空格切分，"a  b" 会被算成三个词',
        after: 'Fields 按任意连续空白切分',
      },
      explanation: md(
        '在带泄漏检测的这次运行中，这个测试失败了：它（直接或通过辅助函数）调用了 `t.Error`、`t.Fatal` 或 `t.Fail`，或者发生了 panic。诊断信息取自测试输出的第一行；悬停提示里是它输出的全部内容，包括子测试的输出。同一次运行得到的泄漏结论依然有效：不论测试是否通过，运行时都会查找阻塞的 goroutine。',
        '',
        '时限（编辑器中的 `goinsight.leaks.timeoutSeconds`，命令行的 `--timeout`）用完时仍在运行的测试也在这里报告：运行就在那时被终止。如果运行时发现它所等待的 goroutine 已永久阻塞，这些 goroutine 会作为 `goroutine/deadlocked` 显示在各自阻塞的操作上。',
        '',
        '**影响**：`go test` 本身也会报告失败的测试，但和泄漏结论放在一起时很容易被忽略；而且测试提前失败时泄漏的 goroutine，往往就是同一个 bug 的另一面。',
        '',
        '**如何修复**：到报告失败的位置（相关位置）查看失败原因，修正代码或测试，然后重新运行测试。',
      ),
    },
  },
};

export const runtimeFactDescriptions: readonly RuleDescription[] = [leaked, deadlocked, testFailed];
