// The loops of a package that may stop on a signal, and the channels they
// serve. Such a loop is a `for` around a `select` one of whose receive cases
// (`<-w.stop`, `<-ctx.Done()`) ends the loop by its own statements; the
// select's other cases are the loop's operations on the channels it serves
// (`case j := <-w.jobs:`). Once the signal fires, nothing serves those
// channels any more. Built on the blocking summaries' identities (the same
// channel across functions and goroutine literals) and on the select facts of
// each declaration; each file's part is kept until the file changes, and the
// parts are joined once per version of the package. Only the declarations
// that have such a select have their body facts read, and no
// channel's uses: whether a stop case can fire at all (`canFire`) is asked
// only for the loops a rule has an operation to judge against.
import { blockingSummariesOf, type BlockingSummaries, type Identity, type OperationSite } from './blockingSummaries';
import type { ConcurrencyIndex, IndexedDeclaration } from './concurrencyIndex';
import type { GoPackage, PackageFunction } from './goPackage';
import type { ChannelOperation } from './operationFacts';
import type { ReceiveCase, ReceivedSignal, SelectFact } from './selectFacts';
import { pathKey, type ValuePath } from './valuePaths';

/** A receive case that ends the loop around its select. */
export type StopCase = ReceiveCase & { signal: ReceivedSignal };

/**
 * An operation of a loop on a channel it serves (in the function, declaration
 * or goroutine literal, whose loop it is): a case of a select whose other
 * cases include stop cases.
 */
export interface ServingSite {
  site: OperationSite & { op: ChannelOperation };
  stops: StopCase[];
}

export interface ServedChannel {
  identity: Identity;
  sites: ServingSite[];
}

export interface StoppableLoops {
  /** By channel identity key. */
  served: ReadonlyMap<string, ServedChannel>;
  /** The last names of the served channels' paths (`jobs` for `w.jobs`): an operation on any other name is on none of them. */
  names: ReadonlySet<string>;
  /** The selects of the declaration a function's text is in. */
  selectsOf(fn: PackageFunction): readonly SelectFact[];
}

/** How a signal is spelled in Go (`w.stop`, `ctx.Done()`). */
export function spelledSignal(signal: ReceivedSignal): string {
  return signal.kind === 'channel' ? pathKey(signal.channel) : `${pathKey(signal.context)}.Done()`;
}

/** The identity of what a signal waits on, in `fn`'s terms (`T.stop`, `T.ctx.Done()`); undefined when unknown. */
export function signalKey(summaries: BlockingSummaries, fn: PackageFunction, signal: ReceivedSignal): string | undefined {
  if (signal.kind === 'channel') return summaries.identityOf(fn, signal.channel)?.key;
  const context = summaries.identityOf(fn, signal.context)?.key;
  return context && `${context}.Done()`;
}

/** The field or variable a path ends at (`jobs` for `w.jobs`). */
export function lastName(path: ValuePath): string {
  return path.fields[path.fields.length - 1] ?? path.root;
}

function isStopCase(receive: ReceiveCase): receive is StopCase {
  return receive.leaves !== undefined && receive.signal !== undefined;
}

function sameSpan(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/**
 * Whether the stop case can fire: a channel the package knows (a field, a
 * package variable, a local) must be sent on or closed somewhere in it (closed,
 * for a case that leaves on `!ok`); a channel it cannot name (a parameter) and
 * a `Done()` may fire.
 */
export function canFire(summaries: BlockingSummaries, fn: PackageFunction, stop: StopCase): boolean {
  const { signal } = stop;
  if (signal.kind === 'done') return true;
  const identity = summaries.identityOf(fn, signal.channel);
  if (!identity) return true;
  const uses = summaries.usesOf(identity);
  // A case that leaves only on `!ok` needs a close; a value sent does not stop it.
  const fires = (operation: string) => operation === 'close' || (operation === 'send' && stop.leaves === 'always');
  return uses !== undefined && (uses.escapes || uses.sites.some(({ op }) => op.kind === 'channel' && fires(op.operation)));
}

/** One file's part: the selects of its functions that have some, and every operation of a loop on a channel it serves. */
interface FileLoops {
  selects: [PackageFunction, readonly SelectFact[]][];
  sites: { identity: Identity; site: ServingSite; name: string }[];
}

/** Reads the index only (not one version's summaries): the part is kept with the file's entry across versions. */
function fileLoops(index: ConcurrencyIndex, declarations: readonly IndexedDeclaration[]): FileLoops {
  const part: FileLoops = { selects: [], sites: [] };
  for (const { declaration, fn } of declarations) {
    const selects = declaration.selects ?? [];
    if (selects.length === 0 || !fn) continue;
    part.selects.push([fn, selects]);
    if (!selects.some((select) => select.receives.some(isStopCase))) continue;
    for (const owner of index.withGoroutineLiterals([fn])) {
      for (const op of owner.facts.operations) {
        if (op.kind !== 'channel' || !op.select || !op.channel || (op.operation !== 'send' && op.operation !== 'receive')) continue;
        const select = selects.find((each) => sameSpan(each.at, op.select!.at));
        // A case that always leaves the loop is a stop case, not an operation the loop keeps serving.
        if (!select || select.receives.some((receive) => sameSpan(receive.at, op.at) && receive.leaves === 'always')) continue;
        const stops = select.receives.filter(isStopCase).filter((receive) => !sameSpan(receive.at, op.at));
        const identity = stops.length > 0 ? index.identityOf(owner, op.channel) : undefined;
        if (identity) part.sites.push({ identity, site: { site: { fn: owner, op }, stops }, name: lastName(op.channel) });
      }
    }
  }
  return part;
}

function build(pkg: GoPackage): StoppableLoops {
  const summaries = blockingSummariesOf(pkg);
  const { index } = summaries;
  const selectsByDeclaration = new Map<PackageFunction, readonly SelectFact[]>();
  const served = new Map<string, ServedChannel>();
  const names = new Set<string>();
  for (const part of index.perFile('stoppableLoops', (declarations) => fileLoops(index, declarations))) {
    for (const [fn, selects] of part.selects) selectsByDeclaration.set(fn, selects);
    for (const { identity, site, name } of part.sites) {
      let channel = served.get(identity.key);
      if (!channel) {
        channel = { identity, sites: [] };
        served.set(identity.key, channel);
      }
      channel.sites.push(site);
      names.add(name);
    }
  }
  return {
    served,
    names,
    selectsOf: (fn) => selectsByDeclaration.get(summaries.declarationOf(fn)) ?? [],
  };
}

const built = new WeakMap<GoPackage, { generation: number; loops: StoppableLoops }>();

/** The package's stoppable loops, for its current version. */
export function stoppableLoopsOf(pkg: GoPackage): StoppableLoops {
  const known = built.get(pkg);
  if (known?.generation === pkg.generation) return known.loops;
  const loops = build(pkg);
  built.set(pkg, { generation: pkg.generation, loops });
  return loops;
}
