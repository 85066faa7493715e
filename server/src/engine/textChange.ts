// One LSP content change, as the engine and the parser both need it.
import type { Range } from './finding';

export interface TextChange {
  /** LSP positions (0-based line, UTF-16 character); omitted for a full-text replacement. */
  range?: Range;
  text: string;
}
