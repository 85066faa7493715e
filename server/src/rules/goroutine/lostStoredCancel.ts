// goroutine/lost-cancel, the package half: a context.CancelFunc stored by
// `x.cancel = …` from context.WithCancel (WithTimeout, WithDeadline and their
// Cause forms) in an unexported field or package variable that no function
// of the package ever calls. Shares the id, texts and setting of the file
// rule (lostCancel.ts), which covers cancels thrown away at the call.
import { ConcurrencyIndex, type ObjectUse } from '../../packageModel/concurrencyIndex';
import type { PackageFunction } from '../../packageModel/goPackage';
import { packageHalfOf, type PackageRule } from '../packageRule';
import type { PackageRuleContext } from '../packageRuleContext';
import { lostCancel } from './lostCancel';

const derivingFunctions: ReadonlySet<string> = new Set(['WithCancel', 'WithTimeout', 'WithDeadline', 'WithCancelCause', 'WithTimeoutCause', 'WithDeadlineCause']);

/** `…, x = context.WithCancel(…)`: the store of a fresh cancel function, in a function of the package. */
function storesFreshCancel(use: ObjectUse): use is ObjectUse & { fn: PackageFunction } {
  const written = use.written;
  if (use.operation !== 'store' || !use.fn || written?.kind !== 'call' || written.index !== 1 || written.target.kind !== 'selector') return false;
  const { receiver, name } = written.target;
  return receiver.fields.length === 0 && use.fn.file.imports.get(receiver.root) === 'context' && derivingFunctions.has(name);
}

export const lostStoredCancel: PackageRule = packageHalfOf(lostCancel, (context: PackageRuleContext) => {
  // Only an object the file touches can have a store in it.
  for (const object of ConcurrencyIndex.of(context.pkg).objectsTouchedIn(context.file)) {
    if (object.kind !== 'cancel' || object.escapes || object.uses.some((use) => use.operation === 'call')) continue;
    const stores = object.uses.filter((use) => use.operation === 'store');
    // Anything else stored (a cancel made elsewhere, a no-op) may be called under another name.
    if (!stores.every((use) => storesFreshCancel(use) || use.written?.kind === 'nil')) continue;
    for (const store of stores.filter(storesFreshCancel)) {
      if (store.fn.file.file === context.file) context.report({ at: { fn: store.fn, at: store.at }, messageKey: 'stored', values: { name: object.name } });
    }
  }
}, [...derivingFunctions]);
