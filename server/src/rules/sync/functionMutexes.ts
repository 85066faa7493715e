// The mutex calls of every function in a file, grouped per function, with the
// name resolution shared with the channel rules (one resolver per file).
import type { Node } from 'web-tree-sitter';
import { fileChannels } from '../../syntax/fileChannels';
import { allFunctions } from '../../syntax/functions';
import { mutexCallsOf, type MutexCall } from '../../syntax/mutexCalls';
import type { RuleContext } from '../ruleContext';

export interface FunctionMutexes {
  fn: Node;
  calls: MutexCall[];
}

export function functionMutexes(context: RuleContext): FunctionMutexes[] {
  const facts = fileChannels(context);
  const result: FunctionMutexes[] = [];
  for (const fn of allFunctions(context.tree.rootNode)) {
    const names = facts.namesFor(fn);
    if (!names || fn.hasError) continue;
    const calls = mutexCallsOf(fn, names);
    if (calls.length > 0) result.push({ fn, calls });
  }
  return result;
}
