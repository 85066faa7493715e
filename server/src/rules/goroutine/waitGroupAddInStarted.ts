// goroutine/wg-add-inside, the package half: `go s.serve()` starts a function
// of the package that counts itself (`s.wg.Add(1)` … `s.wg.Done()` in its own
// code) on a WaitGroup that the package waits on, and the function with the
// `go` statement does not Add to it first. The Add runs in the new goroutine:
// a Wait that starts before it sees zero and returns. Shares the id, texts
// and setting of the file rule (waitGroupAndSignal.ts), which covers the
// `go func() { wg.Add(1) … }()` literal.
import { ConcurrencyIndex, type ConcurrencyObject, type GoStartSite } from '../../packageModel/concurrencyIndex';
import type { PackageFunction } from '../../packageModel/goPackage';
import { packageHalfOf, type PackageRule, type PackageSite } from '../packageRule';
import type { PackageRuleContext } from '../packageRuleContext';
import { waitGroupAddInside } from './waitGroupAndSignal';

/** The function's own (not its literals') Add and Done on the WaitGroup: the Add when it has both. */
function selfCountingAdd(object: ConcurrencyObject, fn: PackageFunction): PackageSite | undefined {
  const own = object.uses.filter((use) => use.fn === fn && !use.inLiteral);
  const add = own.find((use) => use.operation === 'add');
  return add && own.some((use) => use.operation === 'done') ? { fn, at: add.at } : undefined;
}

function placeOf(context: PackageRuleContext, start: GoStartSite, reportedIn: PackageFunction): string {
  const line = context.lineOf(start);
  return start.fn.file === reportedIn.file ? context.message('place', { line }) : context.message('placeInFile', { file: start.fn.file.file.split(/[\\/]/).pop() ?? '', line });
}

export const waitGroupAddInStarted: PackageRule = packageHalfOf(waitGroupAddInside, (context: PackageRuleContext) => {
  const index = ConcurrencyIndex.of(context.pkg);
  // Only a function of the file can have its Add reported here.
  const goStarts = index.goStarts(context.file);
  const reported = new Set<string>();
  // The Add is in a function of the file: only an object the file touches can have it.
  for (const object of index.objectsTouchedIn(context.file)) {
    if (object.kind !== 'waitgroup' || object.escapes) continue;
    const wait = object.uses.find((use) => use.operation === 'wait' && use.fn);
    if (!wait?.fn) continue;
    for (const start of goStarts) {
      if (start.fn === start.started) continue;
      const add = selfCountingAdd(object, start.started);
      // The starter counting on the same WaitGroup may be counting this goroutine: then its own Add runs while the count is above zero.
      if (!add || object.uses.some((use) => use.fn === start.fn && use.operation === 'add')) continue;
      const key = `${object.name}@${start.started.qualifiedName}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const wg = object.name;
      const fn = start.started.qualifiedName;
      context.report({
        at: add,
        messageKey: 'addInStarted',
        values: { wg, fn, starter: start.fn.qualifiedName, place: placeOf(context, start, start.started) },
        related: [
          { at: start, messageKey: 'startedHere', values: { fn } },
          { at: { fn: wait.fn, at: wait.at }, messageKey: 'waitsHere', values: { wg } },
        ],
      });
    }
  }
}, ['.Add(']);
