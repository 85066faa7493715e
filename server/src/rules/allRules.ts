// The registry of every syntactic rule, in the order their findings are
// produced. Adding a rule means adding its module here.
import { deferInLoop } from './defer/deferInLoop';
import { deferOrder } from './defer/deferOrder';
import { doubleClose } from './channel/doubleClose';
import { closeNil, nilOperation } from './channel/nilChannel';
import { sendAfterClose } from './channel/sendAfterClose';
import type { Rule } from './rule';

export const allRules: readonly Rule[] = [deferOrder, deferInLoop, doubleClose, sendAfterClose, closeNil, nilOperation];

export function findRule(id: string): Rule | undefined {
  return allRules.find((rule) => rule.id === id);
}
