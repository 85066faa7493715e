// Mutex operations read from the tree, for the sync rules. Without types a
// mutex is recognised by use: `X.Lock()` and `X.Unlock()` (or `RLock` /
// `RUnlock`) with no arguments on the same receiver path `X` in the same
// function. A path whose root is a local variable that is reassigned, or
// whose root sits in a loop variable, is skipped: it may name another mutex
// from one call to the next.
import type { Node } from 'web-tree-sitter';
import { callArguments, methodCall, rootIdentifier, statementCall } from './calls';
import { enclosingFunction, isInsideError, ownDescendants } from './functions';
import type { LocalNames } from './localNames';

export type MutexMethod = 'Lock' | 'Unlock' | 'RLock' | 'RUnlock';

const mutexMethods: ReadonlySet<string> = new Set(['Lock', 'Unlock', 'RLock', 'RUnlock']);

/** The release that matches each way of locking. */
export const releaseOf: Record<'Lock' | 'RLock', 'Unlock' | 'RUnlock'> = { Lock: 'Unlock', RLock: 'RUnlock' };

export interface MutexCall {
  /** The call_expression `X.Lock()`. */
  call: Node;
  /** The statement it is: an expression_statement, or the defer_statement that defers it. */
  statement: Node;
  deferred: boolean;
  method: MutexMethod;
  /** The receiver path with whitespace removed (`s.mu`, `(*p).mu`). */
  key: string;
  /** The receiver expression as written. */
  receiver: Node;
  /** The function (declaration or literal) the call runs in. */
  fn: Node;
  /** The identifier declaring the receiver's root variable; undefined for package-level names. */
  rootDeclaration: Node | undefined;
}

export function isLocking(method: MutexMethod): method is 'Lock' | 'RLock' {
  return method === 'Lock' || method === 'RLock';
}

/** `X.Lock()` etc. as a statement of its own (`X.Lock()` or `defer X.Unlock()`), or undefined. */
export function mutexCallOf(statement: Node): Omit<MutexCall, 'fn' | 'rootDeclaration'> | undefined {
  let call: Node | null = null;
  let deferred = false;
  if (statement.type === 'expression_statement') {
    const expression = statement.namedChild(0);
    call = expression?.type === 'call_expression' ? expression : null;
  } else if (statement.type === 'defer_statement') {
    call = statementCall(statement);
    deferred = true;
  }
  if (!call || callArguments(call).length !== 0) return undefined;
  const method = methodCall(call);
  if (!method || !mutexMethods.has(method.method)) return undefined;
  return { call, statement, deferred, method: method.method as MutexMethod, key: method.receiver.text.replace(/\s+/g, ''), receiver: method.receiver };
}

/**
 * The receiver's root declaration (null for a package-level name) when the
 * path surely names the same mutex wherever it is written in the function:
 * no index (`m[k].mu`), no call, a root that is not reassigned. Undefined
 * when unsure.
 */
function stableRoot(call: Omit<MutexCall, 'fn' | 'rootDeclaration'>, names: LocalNames): Node | null | undefined {
  if (/[[(]/.test(call.key.replace(/^\(\*(\w+)\)/, '$1'))) return undefined;
  const root = rootIdentifier(call.receiver);
  if (!root) return undefined;
  const declaration = names.resolve(root);
  if (!declaration) return null; // package-level mutex
  if (declaration.kind === 'range' || declaration.kind === 'for-init' || declaration.kind === 'select-receive') return undefined;
  const stable = names.writes(declaration).every((write) => write.kind === 'field' || write.kind === 'address');
  return stable ? declaration.identifier : undefined;
}

/**
 * The mutex statements of one function (its own, not those of nested
 * literals), keeping only receivers that it locks and that are surely
 * mutexes: also unlocked in it, or `isMutex` says so.
 */
export function mutexCallsOf(fn: Node, names: LocalNames, isMutex: (key: string) => boolean): MutexCall[] {
  const statements = ownDescendants(fn, ['expression_statement', 'defer_statement']);
  const calls: MutexCall[] = [];
  for (const statement of statements) {
    if (isInsideError(statement)) continue;
    const parsed = mutexCallOf(statement);
    const root = parsed ? stableRoot(parsed, names) : undefined;
    if (!parsed || root === undefined) continue;
    calls.push({ ...parsed, fn: enclosingFunction(statement) ?? fn, rootDeclaration: root ?? undefined });
  }
  const locked = lockedKeys(calls);
  const unlocked = new Set(calls.filter((call) => !isLocking(call.method)).map((call) => call.key));
  return calls.filter((call) => locked.has(call.key) && (unlocked.has(call.key) || isMutex(call.key)));
}

/** The receivers the calls lock: the mutexes a function surely has. */
export function lockedKeys(calls: readonly MutexCall[]): ReadonlySet<string> {
  return new Set(calls.filter((call) => isLocking(call.method)).map((call) => call.key));
}

/** True when the node sits in a defer statement (directly or in a deferred literal) below `within`. */
function isDeferredWithin(node: Node, within: Node): boolean {
  for (let current = node.parent; current && current.id !== within.id; current = current.parent) {
    if (current.type === 'defer_statement') return true;
  }
  return false;
}

/**
 * True when a call inside `within` between two offsets may release the mutex:
 * an unlock of it, another method on it (`cond.Wait`-like helpers), or any
 * call whose name says it unlocks or releases. Deferred calls count unless
 * `ignoreDeferred`: they release only when their function returns. A plain
 * `Y.Unlock()` of one of `otherMutexes` (receivers the function locks itself,
 * so surely mutexes of their own) releases Y, not this one.
 */
export function mayReleaseBetween(
  within: Node,
  key: string,
  from: number,
  to: number,
  ignoreDeferred = false,
  otherMutexes: ReadonlySet<string> = new Set(),
): boolean {
  for (const call of within.descendantsOfType('call_expression')) {
    if (!call || call.startIndex < from || call.endIndex > to) continue;
    if (ignoreDeferred && isDeferredWithin(call, within)) continue;
    const method = methodCall(call);
    const receiverKey = method?.receiver.text.replace(/\s+/g, '');
    if (method && receiverKey !== key && otherMutexes.has(receiverKey ?? '') && mutexMethods.has(method.method) && callArguments(call).length === 0) continue;
    const callee = call.childForFieldName('function')?.text ?? '';
    if (/unlock|release/i.test(callee)) return true;
    // cond.Wait() unlocks and relocks: the lock is held again afterwards, but code in between may rely on it.
    if (method && receiverKey === key && method.method !== 'Lock' && method.method !== 'RLock') return true;
  }
  return false;
}
