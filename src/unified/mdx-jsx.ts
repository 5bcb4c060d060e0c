/**
 * MDX's JSX elements (mdast-util-mdx-jsx: `mdxJsxFlowElement`,
 * `mdxJsxTextElement`, in mdast and passed through to hast): `<a href="…">`
 * written in an .mdx file is neither a link node nor raw HTML. Elements with
 * an HTML name (lower case, not a component) take part in the skeleton, and
 * an `a`/`area` whose href is a string gets the same rewrite as any link.
 * An href written as an expression (`href={url}`) is JavaScript: left alone.
 */
import type { Properties } from "hast";
import type { Node, Parent } from "unist";
import type { FoundLink } from "../html/rewrite-page.js";
import type { Decided } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";
import type { HtmlSkeleton } from "./html-skeleton.js";
import { taggedLinkProperties } from "./link-properties.js";
import { VOID } from "./void-elements.js";

interface MdxJsxAttribute {
  type: "mdxJsxAttribute";
  name: string;
  value?: string | { type: "mdxJsxAttributeValueExpression"; value: string } | null;
}

interface MdxJsxExpressionAttribute {
  type: "mdxJsxExpressionAttribute";
  value: string;
}

export interface MdxJsxElement extends Parent {
  type: "mdxJsxFlowElement" | "mdxJsxTextElement";
  name: string | null;
  attributes: Array<MdxJsxAttribute | MdxJsxExpressionAttribute>;
}

/** The hast property names taggedLinkProperties sets, as JSX attribute names. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  rel: "rel",
  target: "target",
  dataAmazonAsin: "data-amazon-asin",
  dataAmazonStore: "data-amazon-store",
};

export function isMdxJsxElement(node: Node): node is MdxJsxElement {
  return node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
}

/** A JSX element with an HTML name (`a`, `div`), not a component (`Link`, `ui.Button`). */
export function htmlJsxElement(node: Node): MdxJsxElement | undefined {
  if (!isMdxJsxElement(node)) return undefined;
  return node.name && /^[a-z][a-z0-9-]*$/.test(node.name) ? node : undefined;
}

function attribute(element: MdxJsxElement, name: string): MdxJsxAttribute | undefined {
  return element.attributes.find((a): a is MdxJsxAttribute => a.type === "mdxJsxAttribute" && a.name === name);
}

function literal(element: MdxJsxElement, name: string): string | undefined {
  const value = attribute(element, name)?.value;
  return typeof value === "string" ? value : undefined;
}

/** What the page rewriter reads of the element: a link's literal href and the opt-out. */
export function jsxSkeletonAttributes(element: MdxJsxElement): Record<string, string | undefined> {
  const isLink = element.name === "a" || element.name === "area";
  return {
    href: isLink ? literal(element, "href") : undefined,
    "data-amazon-links": literal(element, "data-amazon-links") === "off" ? "off" : undefined,
  };
}

export function rewriteJsxLink(element: MdxJsxElement, found: Decided<FoundLink>, options: ResolvedOptions): void {
  setAttribute(element, "href", found.decision.href);
  const existing: Properties = {};
  const rel = attribute(element, "rel");
  if (rel) existing.rel = typeof rel.value === "string" ? rel.value.split(/\s+/).filter(Boolean) : [];
  if (attribute(element, "target")) existing.target = "";
  const properties = taggedLinkProperties(found, options, existing);
  // A rel written as an expression cannot be merged into: it is left as written.
  if (rel && typeof rel.value !== "string") delete properties.rel;
  for (const [property, value] of Object.entries(properties)) {
    const name = ATTRIBUTE_NAMES[property];
    if (name !== undefined && value !== undefined && value !== null)
      setAttribute(element, name, Array.isArray(value) ? value.join(" ") : String(value));
  }
}

function setAttribute(element: MdxJsxElement, name: string, value: string): void {
  const existing = attribute(element, name);
  if (existing) existing.value = value;
  else element.attributes.push({ type: "mdxJsxAttribute", name, value });
}

/** An HTML-named JSX element's start tag, given to the skeleton (an `a`/`area` kept in `links` by its piece); false for any other node. */
export function openJsxTag(node: Node, skeleton: HtmlSkeleton, links: { set(piece: number, element: MdxJsxElement): unknown }): boolean {
  const jsx = htmlJsxElement(node);
  if (!jsx) return false;
  const piece = skeleton.startTag(jsx.name as string, jsxSkeletonAttributes(jsx));
  if (jsx.name === "a" || jsx.name === "area") links.set(piece, jsx);
  return true;
}

/** Its end tag, when it has one (void elements have none). */
export function closeJsxTag(node: Node, skeleton: HtmlSkeleton): void {
  const jsx = htmlJsxElement(node);
  if (jsx && !VOID.has(jsx.name as string)) skeleton.endTag(jsx.name as string);
}
