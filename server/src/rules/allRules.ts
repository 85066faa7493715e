// The registry of every syntactic rule, in the order their findings are
// produced. Adding a rule means adding its module here.
import { deferInLoop } from './defer/deferInLoop';
import { deferOrder } from './defer/deferOrder';
import { doubleClose } from './channel/doubleClose';
import { closeNil, nilOperation } from './channel/nilChannel';
import { sendAfterClose } from './channel/sendAfterClose';
import { noExit } from './goroutine/noExit';
import { rangeNeverClosed } from './goroutine/rangeNeverClosed';
import { unbufferedSendLeak } from './goroutine/unbufferedSendLeak';
import { waitBeforeClose } from './goroutine/waitBeforeClose';
import { busySelect, singleCaseSelect } from './channel/selectShapes';
import { timeAfterInLoop } from './channel/timeAfterInLoop';
import { compilerFactDescriptions } from './compilerFacts';
import type { Rule, RuleDescription } from './rule';

export const allRules: readonly Rule[] = [deferOrder, deferInLoop, doubleClose, sendAfterClose, closeNil, nilOperation, unbufferedSendLeak, rangeNeverClosed, noExit, waitBeforeClose, busySelect, singleCaseSelect, timeAfterInLoop, signalUnbuffered, waitGroupAddInside];

/** Syntactic rules and compiler fact kinds: everything a finding's `rule` can name. */
export function allRuleDescriptions(): readonly RuleDescription[] {
  return [...allRules, ...compilerFactDescriptions];
}

export function findRule(id: string): RuleDescription | undefined {
  return allRules.find((rule) => rule.id === id) ?? compilerFactDescriptions.find((description) => description.id === id);
}
