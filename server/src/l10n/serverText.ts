// The server's and CLI's own words (not a rule's): hover links, notices,
// status texts, code-action titles, in English and Simplified Chinese.
import { formatMessage, type Locale } from '../rules/rule';

const english = {
  documentation: 'Go documentation',
  fileTooLarge: 'Go Insight: {file} is larger than goinsight.maxFileSize ({limit} characters); only cheap features run on it.',
  statusReady: 'ready',
  statusReadyTooltip: 'Go Insight is ready.',
  statusRestrictedTooltip: 'Go Insight is ready in restricted mode: the workspace is not trusted, so only the syntactic analysis runs and the go command is never started.',
  ignoreOnLine: 'Ignore {rule} on this line',
  ignoreReason: 'reason',
  summary: '{count} finding(s) in {files} file(s) ({ms} ms)',
  compilerBuildFailed: 'Escape analysis unavailable: the package does not compile ({error}).',
  compilerSetupFailed: 'Escape analysis unavailable: the go command failed ({error}).',
  compilerNoModule: 'Escape analysis needs a Go module, and this file is in none: run `go mod init` in its directory (or open the folder that has its go.mod).',
  statusCompiling: 'compiling {package}',
  statusCompilingTooltip: 'Running the Go compiler’s escape analysis on {package}.',
  statusCompiled: 'escapes {seconds} s',
  statusCompiledTooltip: 'Escape analysis of {package} took {seconds} s{cached}.',
  statusCached: ' (from cache)',
  statusBuildFailed: 'package does not compile',
  statusBuildFailedTooltip: 'Escape analysis of {package} is unavailable: {error}',
  statusNoGo: 'go not found',
  progressTitle: 'Go Insight: escape analysis',
  reportHeading: 'Escape report for {package}',
  reportSummary: '{heap} heap verdicts, {facts} facts in all, compiled in {seconds} s by {go}',
  heapAllocations: '{count} heap allocations',
  heapAllocation: '1 heap allocation',
  deferOpenCoded: 'The compiler open-codes this defer (`-d=defer`): no defer record is allocated; the call is inlined at each return, so it costs about as much as a direct call.',
  deferStackAllocated: 'The compiler keeps this defer’s record on the stack (`-d=defer`): a small run-time cost, no heap allocation.',
  deferHeapAllocated: 'The compiler allocates this defer’s record on the heap (`-d=defer`): each time the defer statement runs costs an allocation.',
  deferHeapBecauseLoop: 'That is because it is inside a loop: the number of records is only known at run time.',
  deferHeapOtherReasons: 'Open-coding needs at most 8 defers, none in a loop, and few returns; this function does not qualify.',
} as const;

export type ServerTextKey = keyof typeof english;

export const serverText: Record<Locale, Record<ServerTextKey, string>> = {
  en: english,
  'zh-cn': {
    documentation: 'Go 文档',
    fileTooLarge: 'Go Insight：{file} 超过了 goinsight.maxFileSize（{limit} 个字符），只对它运行开销小的功能。',
    statusReady: '就绪',
    statusReadyTooltip: 'Go Insight 已就绪。',
    statusRestrictedTooltip: 'Go Insight 以受限模式运行：工作区未被信任，因此只进行语法层面的分析，不会启动 go 命令。',
    ignoreOnLine: '在此行忽略 {rule}',
    ignoreReason: '原因',
    summary: '{files} 个文件中共有 {count} 个发现（{ms} 毫秒）',
    compilerBuildFailed: '无法进行逃逸分析：该包编译失败（{error}）。',
    compilerSetupFailed: '无法进行逃逸分析：go 命令执行失败（{error}）。',
    compilerNoModule: '逃逸分析需要 Go 模块，而此文件不属于任何模块：请在它所在的目录运行 `go mod init`（或打开含有其 go.mod 的文件夹）。',
    statusCompiling: '正在编译 {package}',
    statusCompilingTooltip: '正在对 {package} 运行 Go 编译器的逃逸分析。',
    statusCompiled: '逃逸分析 {seconds} 秒',
    statusCompiledTooltip: '{package} 的逃逸分析耗时 {seconds} 秒{cached}。',
    statusCached: '（来自缓存）',
    statusBuildFailed: '包无法编译',
    statusBuildFailedTooltip: '{package} 的逃逸分析不可用：{error}',
    statusNoGo: '未找到 go',
    progressTitle: 'Go Insight：逃逸分析',
    reportHeading: '{package} 的逃逸分析报告',
    reportSummary: '{heap} 处堆分配结论，共 {facts} 条编译器信息；由 {go} 编译，耗时 {seconds} 秒',
    heapAllocations: '{count} 处堆分配',
    heapAllocation: '1 处堆分配',
    deferOpenCoded: '编译器对这个 defer 做了开放编码（open-coded，见 `-d=defer`）：不分配 defer 记录，调用直接内联到每个返回点，开销与直接调用相当。',
    deferStackAllocated: '编译器把这个 defer 的记录分配在栈上（见 `-d=defer`）：有少量运行时开销，但没有堆分配。',
    deferHeapAllocated: '编译器把这个 defer 的记录分配在堆上（见 `-d=defer`）：这条 defer 语句每执行一次就有一次堆分配。',
    deferHeapBecauseLoop: '原因是它位于循环中：记录的数量要到运行时才知道。',
    deferHeapOtherReasons: '开放编码要求函数中最多 8 个 defer、都不在循环里、返回点也不能太多；这个函数不满足条件。',
  },
};

export function localize(locale: Locale, key: ServerTextKey, values: Record<string, string | number> = {}): string {
  return formatMessage(serverText[locale][key] ?? serverText.en[key], values);
}
