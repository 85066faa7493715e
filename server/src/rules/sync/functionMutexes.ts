// The mutex calls of every function in a file, grouped per function, with the
// name resolution shared with the channel rules (one resolver per file). A
// receiver only locked in a function counts when the file declares it as a
// mutex, so the rules using this read the file's type and var declarations.
import type { Node } from 'web-tree-sitter';
import { fileChannels } from '../../syntax/fileChannels';
import { descendantsSpelling, functionNodeTypes, perRoot } from '../../syntax/functions';
import { mutexCallsOf, type MutexCall } from '../../syntax/mutexCalls';
import { endsInDeclaredName, fileSyncNames } from '../../syntax/syncDeclarations';
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
  const declared = fileSyncNames(context.declarations, 'mutex');
  const result: FunctionMutexes[] = [];
  for (const fn of descendantsSpelling(context.tree.rootNode, 'Lock', [...functionNodeTypes])) {
    // Only receivers the function locks count, and every lock spells "Lock":
    // a function without it needs neither its names resolved nor its statements read.
    if (fn.hasError || !fn.text.includes('Lock')) continue;
    const names = facts.namesFor(fn);
    if (!names) continue;
    const calls = mutexCallsOf(fn, names, (key) => endsInDeclaredName(key, declared));
    if (calls.length > 0) result.push({ fn, calls });
  }
  return result;
}
