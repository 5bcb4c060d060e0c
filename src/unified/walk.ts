/**
 * A minimal depth-first walk over unist trees. unist-util-visit would do, but
 * importing it (and its dependencies) costs every Eleventy build a few
 * milliseconds through the package root, for users who never run unified;
 * these plugins need only "every node, optionally skipping a subtree".
 */
import type { Node, Parent } from "unist";

/** Visit every node; return false from `visitor` to skip that node's children. */
export function walk(node: Node, visitor: (node: Node) => boolean | void): void {
  if (visitor(node) === false) return;
  const children = (node as Parent).children;
  if (children) for (const child of children) walk(child, visitor);
}
