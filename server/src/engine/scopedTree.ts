// A view of a parsed file that shows rules only some of its top-level
// declarations, so the incremental analysis can re-run the rules on the
// declarations an edit changed without reparsing or copying anything. Rules
// reach the file through `tree.rootNode` (its descendants and children); the
// view narrows exactly those, and every node it hands out is the real node, so
// positions, parents and ids are those of the whole file.
import type { Node, Point, Tree } from 'web-tree-sitter';
import { declarationDescendants, registerScopedRoot } from '../syntax/functions';

/** The root node, narrowed to `units` (top-level named children, in source order). */
function scopedRoot(root: Node, units: readonly Node[]): Node {
  const unitIds = new Set(units.map((unit) => unit.id));
  // Anonymous top-level children (none in Go's grammar today) pass through unchanged.
  const children = () => root.children.filter((child): child is Node => child !== null && (!child.isNamed || unitIds.has(child.id)));
  const overrides: Partial<Record<keyof Node, unknown>> = {
    descendantsOfType(types: string | string[], startPosition?: Point, endPosition?: Point): (Node | null)[] {
      const found: Node[] = [];
      for (const unit of units) {
        // descendantsOfType includes the node itself when it matches, as tree-sitter's does.
        if (startPosition || endPosition) {
          for (const node of unit.descendantsOfType(types, startPosition, endPosition)) if (node) found.push(node);
        } else {
          found.push(...declarationDescendants(unit, types));
        }
      }
      return found;
    },
    get children() {
      return children();
    },
    get namedChildren() {
      return [...units];
    },
    get childCount() {
      return children().length;
    },
    get namedChildCount() {
      return units.length;
    },
    child(index: number) {
      return children()[index] ?? null;
    },
    namedChild(index: number) {
      return units[index] ?? null;
    },
  };
  const scoped = new Proxy(root, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in overrides) {
        const descriptor = Object.getOwnPropertyDescriptor(overrides, property);
        return descriptor?.get ? descriptor.get.call(receiver) : descriptor?.value;
      }
      // Everything else is the real root's (getters read the target's own state, not the proxy's).
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  // Whole-file queries memoized per tree must not answer for this view with the whole file's answer (or the reverse).
  registerScopedRoot(scoped);
  return scoped;
}

/** The tree as rules see it when only `units` (top-level declarations) are to be analyzed. */
export function scopedTree(tree: Tree, units: readonly Node[]): Tree {
  const root = scopedRoot(tree.rootNode, units);
  return new Proxy(tree, {
    get(target, property) {
      if (property === 'rootNode') return root;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
