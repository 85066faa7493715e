// The mutex calls of every function in a file, grouped per function, with the
// name resolution shared with the channel rules (one resolver per file).
import type { Node } from 'web-tree-sitter';
import { fileChannels } from '../../syntax/fileChannels';
import { descendantsSpelling, functionNodeTypes, perRoot } from '../../syntax/functions';
import { mutexCallsOf, type MutexCall } from '../../syntax/mutexCalls';
import type { RuleContext } from '../ruleContext';

export interface FunctionMutexes {
  fn: Node;
  calls: MutexCall[];
}

/** Memoized per tree (three rules ask); the list is read-only to callers. */
export function functionMutexes(context: RuleContext): readonly FunctionMutexes[] {
  return perRoot(context.tree.rootNode, 'functionMutexes', () => findFunctionMutexes(context));
}

function findFunctionMutexes(context: RuleContext): FunctionMutexes[] {
  const facts = fileChannels(context);
  const result: FunctionMutexes[] = [];
  for (const fn of descendantsSpelling(context.tree.rootNode, 'Unlock', [...functionNodeTypes])) {
    // Only receivers both locked and unlocked in the function count, and every unlock spells "Unlock":
    // a function without it needs neither its names resolved nor its statements read.
    if (fn.hasError || !fn.text.includes('Unlock')) continue;
    const names = facts.namesFor(fn);
    if (!names) continue;
    const calls = mutexCallsOf(fn, names);
    if (calls.length > 0) result.push({ fn, calls });
  }
  return result;
}
