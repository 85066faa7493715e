// The nodes of a function's body that its facts read, from one walk of the
// body inside wasm instead of one per question: the declarations at any depth
// (the locals), and the function's own operations, stores, calls and
// function literals (those not inside a nested literal). Which literal a node
// lies in is told by the literals' ranges, not by walking each node's parents
// (each `parent` is a call into wasm).
import type { Node } from 'web-tree-sitter';
import { enclosingFunction } from '../syntax/functions';

/** A node with its type read once (each `type` is a call into wasm). */
export interface TypedNode {
  node: Node;
  type: string;
}

export interface BodyNodes {
  /** Nodes of the asked declaring types, at any depth (nested literals included), in source order. */
  declaring: TypedNode[];
  /** The function's own nodes of the asked fact types, in source order. */
  own: TypedNode[];
  /** The function's own function literals, each with the nodes of the fact types inside it at any depth. */
  literals: { literal: Node; inside: TypedNode[] }[];
}

/**
 * One walk of `body` (the body of `fn`) for `declaringTypes` and `factTypes`.
 * In a tree without parse errors ranges nest and no node inside a literal has
 * the literal's own range, so "after a literal starts, before it ends" is
 * "inside it"; with errors (a MISSING node has no width) each node asks for
 * its enclosing function instead.
 */
export function bodyNodesOf(fn: Node, body: Node, declaringTypes: ReadonlySet<string>, factTypes: ReadonlySet<string>): BodyNodes {
  const nodes: BodyNodes = { declaring: [], own: [], literals: [] };
  const clean = !fn.hasError;
  /** The literals open at the current node, outermost first, with their ends. */
  const open: { end: number; inside: TypedNode[] }[] = [];
  for (const node of body.descendantsOfType([...new Set([...declaringTypes, ...factTypes, 'func_literal'])])) {
    if (!node) continue;
    const type = node.type;
    const typed = { node, type };
    if (declaringTypes.has(type)) nodes.declaring.push(typed);
    let own: boolean;
    if (clean) {
      while (open.length > 0 && open[open.length - 1].end <= node.startIndex) open.pop();
      own = open.length === 0;
    } else {
      own = enclosingFunction(node)?.id === fn.id;
    }
    if (factTypes.has(type)) {
      if (own) nodes.own.push(typed);
      // Every literal open here contains the node; only the outermost is the function's own (or none is, with errors).
      else if (clean) open[0].inside.push(typed);
    }
    if (type === 'func_literal') {
      if (clean) {
        const entry = { end: node.endIndex, inside: [] as TypedNode[] };
        open.push(entry);
        if (own) nodes.literals.push({ literal: node, inside: entry.inside });
      } else if (own) {
        nodes.literals.push({ literal: node, inside: [] });
      }
    }
  }
  if (!clean) {
    for (const entry of nodes.literals) {
      for (const node of entry.literal.descendantsOfType([...factTypes])) if (node) entry.inside.push({ node, type: node.type });
    }
  }
  return nodes;
}
