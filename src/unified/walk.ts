/**
 * A minimal depth-first walk over unist trees. unist-util-visit would do, but
 * importing it (and its dependencies) costs every Eleventy build a few
 * milliseconds through the package root, for users who never run unified;
 * these plugins need only "every node, in document order, entered and left".
 */
import type { Node, Parent } from "unist";

/** Visit every node: `enter` before its children, `leave` after them. */
export function walk(node: Node, enter: (node: Node) => void, leave?: (node: Node) => void): void {
  enter(node);
  const children = (node as Parent).children;
  if (children) for (const child of children) walk(child, enter, leave);
  leave?.(node);
}
