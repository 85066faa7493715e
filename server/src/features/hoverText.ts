// The words a composed hover and the compiler facts' inlay-hint tooltips add
// around the findings' own texts, in English and Simplified Chinese.
import { formatMessage, type Locale } from '../rules/rule';

const english = {
  /** Between a finding's title and its message. */
  verdict: '**{title}**: {message}',
  fullExplanation: 'Full explanation',
  /** A tooltip's second line: the step of the compiler's flow that decides. */
  hintReason: 'Why: {reason}',
  /** A merged hint's tooltip heading. */
  hintCount: '{count} on this line:',
} as const;

type HoverTextKey = keyof typeof english;

const chinese: Record<HoverTextKey, string> = {
  verdict: '**{title}**：{message}',
  fullExplanation: '完整说明',
  hintReason: '原因：{reason}',
  hintCount: '这一行共 {count} 处：',
};

/** Both languages, for the parity and style tests. */
export const hoverText: Record<Locale, Record<HoverTextKey, string>> = { en: english, 'zh-cn': chinese };

export function hoverWords(locale: Locale, key: HoverTextKey, values: Record<string, string | number> = {}): string {
  return formatMessage(hoverText[locale][key], values);
}
