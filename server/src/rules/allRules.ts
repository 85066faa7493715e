// The registry of every syntactic rule, in the order their findings are
// produced. Adding a rule means adding its module here.
import { deferInLoop } from './defer/deferInLoop';
import { deferOrder } from './defer/deferOrder';
import type { Rule } from './rule';

export const allRules: readonly Rule[] = [deferOrder, deferInLoop];

export function findRule(id: string): Rule | undefined {
  return allRules.find((rule) => rule.id === id);
}
