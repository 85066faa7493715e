// The registry of every syntactic rule, in the order their findings are
// produced, and of the package rules. Adding a rule means adding its module here.
import type { PackageRule } from './packageRule';
import { lockOrderInversion } from './sync/lockOrderInversion';
import { blockingUnderLock } from './sync/blockingUnderLock';
import { noCounterpart } from './channel/noCounterpart';
import { relockThroughCall } from './sync/relockThroughCall';
import { deferArgsEvaluatedEarly } from './defer/deferArgsEvaluatedEarly';
import { deferBeforeErrorCheck } from './defer/deferBeforeErrorCheck';
import { deferCallChain } from './defer/deferCallChain';
import { deferExitSkipsDefers } from './defer/deferExitSkipsDefers';
import { deferIgnoredCloseError } from './defer/deferIgnoredCloseError';
import { deferInLoop } from './defer/deferInLoop';
import { deferLockUnlockMismatch } from './defer/deferLockUnlockMismatch';
import { deferLoopVarCapture } from './defer/deferLoopVarCapture';
import { deferOrderHazard } from './defer/deferOrderHazard';
import { deferRecoverMisuse } from './defer/deferRecoverMisuse';
import { deferValueReceiver } from './defer/deferValueReceiver';
import { deferOrder } from './defer/deferOrder';
import { blockingInMainFlow } from './channel/blockingInMainFlow';
import { closeByReceiver } from './channel/closeByReceiver';
import { doubleClose } from './channel/doubleClose';
import { closeNil, nilOperation } from './channel/nilChannel';
import { busySelect, singleCaseSelect } from './channel/selectShapes';
import { sendAfterClose } from './channel/sendAfterClose';
import { receiveWithoutOk } from './channel/receiveWithoutOk';
import { timeAfterInLoop } from './channel/timeAfterInLoop';
import { lostCancel } from './goroutine/lostCancel';
import { lostStoredCancel } from './goroutine/lostStoredCancel';
import { waitGroupAddInStarted } from './goroutine/waitGroupAddInStarted';
import { unguardedBlockingOp } from './goroutine/unguardedBlockingOp';
import { noExit } from './goroutine/noExit';
import { rangeNeverClosed } from './goroutine/rangeNeverClosed';
import { unbufferedSendLeak } from './goroutine/unbufferedSendLeak';
import { signalUnbuffered, waitGroupAddInside } from './goroutine/waitGroupAndSignal';
import { waitBeforeClose } from './goroutine/waitBeforeClose';
import { doubleLock } from './sync/doubleLock';
import { emptyCriticalSection } from './sync/emptyCriticalSection';
import { lockWithoutUnlock } from './sync/lockWithoutUnlock';
import { waitGroupMisuse } from './sync/waitGroupMisuse';
import { compilerFactDescriptions } from './compilerFacts';
import { runtimeFactDescriptions } from './runtimeFacts';
import type { Rule, RuleDescription } from './rule';

export const allRules: readonly Rule[] = [deferOrder, deferInLoop, deferArgsEvaluatedEarly, deferLoopVarCapture, deferOrderHazard, deferBeforeErrorCheck, deferCallChain, deferRecoverMisuse, deferExitSkipsDefers, deferLockUnlockMismatch, deferValueReceiver, deferIgnoredCloseError, doubleClose, sendAfterClose, closeNil, nilOperation, unbufferedSendLeak, rangeNeverClosed, noExit, waitBeforeClose, timeAfterInLoop, busySelect, singleCaseSelect, waitGroupAddInside, signalUnbuffered, doubleLock, emptyCriticalSection, lockWithoutUnlock, receiveWithoutOk, closeByReceiver, blockingInMainFlow, waitGroupMisuse, lostCancel];

/** The rules that read the whole package through the package model (engine/analyzePackage runs them). */
export const allPackageRules: readonly PackageRule[] = [relockThroughCall, lockOrderInversion, blockingUnderLock, noCounterpart, lostStoredCancel, waitGroupAddInStarted, unguardedBlockingOp];

/** Syntactic rules, package rules, compiler fact kinds and runtime (test run) kinds: everything a finding's `rule` can name. */
export function allRuleDescriptions(): readonly RuleDescription[] {
  // A package rule may be the package half of a file rule (goroutine/lost-cancel): one description per id.
  const packageOnly = allPackageRules.filter((rule) => !allRules.some((fileRule) => fileRule.id === rule.id));
  return [...allRules, ...packageOnly, ...compilerFactDescriptions, ...runtimeFactDescriptions];
}

export function findRule(id: string): RuleDescription | undefined {
  return allRuleDescriptions().find((description) => description.id === id);
}
