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
  },
};

export function localize(locale: Locale, key: ServerTextKey, values: Record<string, string | number> = {}): string {
  return formatMessage(serverText[locale][key] ?? serverText.en[key], values);
}
