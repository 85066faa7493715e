// Finds, on the source line a goroutine is parked at, the operation the
// runtime's wait reason names (the send, the receive, the `select`, the
// `Lock`/`Wait` call) and the channel, mutex or group it works on. When the
// line holds no such operation (the frame is a call into code outside the
// module), the line's text is the range and the subject stays unnamed.
import type { Node, Tree } from 'web-tree-sitter';
import type { Range } from '../engine/finding';
import type { LineIndex } from '../engine/lineIndex';
import { methodCall, unparenthesize } from '../syntax/calls';

export type WaitKind = 'send' | 'receive' | 'sendNil' | 'receiveNil' | 'select' | 'selectEmpty' | 'lock' | 'waitGroup' | 'cond' | 'other';

export function waitKind(waitReason: string): WaitKind {
  switch (waitReason) {
    case 'chan send':
      return 'send';
    case 'chan receive':
      return 'receive';
    case 'chan send (nil chan)':
      return 'sendNil';
    case 'chan receive (nil chan)':
      return 'receiveNil';
    case 'select':
      return 'select';
    case 'select (no cases)':
      return 'selectEmpty';
    case 'sync.Mutex.Lock':
    case 'sync.RWMutex.Lock':
    case 'sync.RWMutex.RLock':
      return 'lock';
    case 'sync.WaitGroup.Wait':
      return 'waitGroup';
    case 'sync.Cond.Wait':
      return 'cond';
    default:
      return 'other';
  }
}

/** Wait reasons of goroutines that may be blocked for good; sleeping, I/O and GC workers are not. */
export function isBlockingWait(waitReason: string): boolean {
  return waitKind(waitReason) !== 'other';
}

export interface BlockingOperation {
  range: Range;
  /** The channel, mutex, group or condition as written (`results`, `s.mu`), when the line shows it. */
  subject?: string;
}

const methodsOfKind: Partial<Record<WaitKind, ReadonlySet<string>>> = {
  lock: new Set(['Lock', 'RLock']),
  waitGroup: new Set(['Wait']),
  cond: new Set(['Wait']),
};

function nodesOnLine(tree: Tree, row: number, types: string[]): Node[] {
  return tree.rootNode
    .descendantsOfType(types, { row, column: 0 }, { row, column: Number.MAX_SAFE_INTEGER })
    .filter((node): node is Node => node !== null && node.startPosition.row === row);
}

function operation(tree: Tree, row: number, kind: WaitKind): { node: Node; subject?: Node | null } | undefined {
  switch (kind) {
    case 'send':
    case 'sendNil': {
      const send = nodesOnLine(tree, row, ['send_statement'])[0];
      return send && { node: send, subject: send.childForFieldName('channel') };
    }
    case 'receive':
    case 'receiveNil': {
      const receive = nodesOnLine(tree, row, ['unary_expression']).find((node) => node.childForFieldName('operator')?.type === '<-');
      if (receive) return { node: receive, subject: receive.childForFieldName('operand') };
      const range = nodesOnLine(tree, row, ['range_clause'])[0];
      return range && { node: range, subject: range.childForFieldName('right') };
    }
    case 'select':
    case 'selectEmpty': {
      const select = nodesOnLine(tree, row, ['select_statement'])[0];
      return select && { node: select.firstChild ?? select };
    }
    default: {
      const methods = methodsOfKind[kind];
      const call = methods && nodesOnLine(tree, row, ['call_expression']).find((node) => methods.has(methodCall(node)?.method ?? ''));
      return call ? { node: call, subject: methodCall(call)?.receiver } : undefined;
    }
  }
}

export function locateBlockingOperation(tree: Tree, lines: LineIndex, row: number, waitReason: string): BlockingOperation {
  const found = operation(tree, row, waitKind(waitReason));
  if (found) {
    const subject = found.subject ? unparenthesize(found.subject).text : undefined;
    return { range: lines.rangeOf(found.node.startIndex, found.node.endIndex), subject };
  }
  return { range: lines.textRange(row) };
}
