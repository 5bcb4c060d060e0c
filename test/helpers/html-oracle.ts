/**
 * The HTML standard's answer to "which links does the page have, and where are their start tags",
 * from parse5 (a spec-compliant parser): the oracle for the link finder. Written apart from
 * src/html on purpose; it knows only the product's rule: a link is an HTML a/area with href or an
 * SVG a with href or xlink:href, and it is left alone when the DOM puts it inside code/pre/listing,
 * a template, raw text or noscript (scripting on), or inside (or on) an element with
 * data-amazon-links="off".
 */
import { parse, serialize, type DefaultTreeAdapterMap } from "parse5";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];
type ParentNode = DefaultTreeAdapterMap["parentNode"];

const HTML = "http://www.w3.org/1999/xhtml";
const SVG = "http://www.w3.org/2000/svg";
const XLINK = "http://www.w3.org/1999/xlink";
const LEFT_ALONE = new Set([
  "code",
  "pre",
  "listing",
  "template",
  "script",
  "style",
  "textarea",
  "noscript",
  "xmp",
  "plaintext",
  "title",
  "iframe",
  "noembed",
  "noframes",
]);

export interface OracleLink {
  /** Offset of the start tag's "<". */
  start: number;
  /** Offset just past its ">". */
  end: number;
  href: string;
}

export interface OracleAnswer {
  /** Links a browser follows that the product must rewrite, by start-tag offset. */
  live: Map<number, OracleLink>;
  /** Links opted out (and not also live through a copy of the same tag). */
  optedOut: Map<number, OracleLink>;
  /** `<iframe srcdoc>` start tags outside left-alone places, with the srcdoc document as parsed. */
  frames: Array<OracleLink & { srcdoc: string; optedOut: boolean }>;
}

const isElement = (node: Node): node is Element => "tagName" in node;

function href(element: Element): string | undefined {
  const plain = element.attrs.find((a) => a.name === "href" && !a.namespace)?.value;
  if (element.namespaceURI === HTML) return element.tagName === "a" || element.tagName === "area" ? plain : undefined;
  if (element.namespaceURI === SVG && element.tagName === "a") {
    return plain ?? element.attrs.find((a) => a.name === "href" && a.namespace === XLINK)?.value;
  }
  return undefined;
}

export function oracleLinks(html: string): OracleAnswer {
  const document = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: true });
  // Copies the tree builder makes of a formatting element (adoption agency) carry no location but
  // share their token's attribute list with the original.
  const tagOf = new Map<unknown, { start: number; end: number }>();
  const found: Array<{ element: Element; href: string; off: boolean }> = [];
  const frames: OracleAnswer["frames"] = [];
  const visit = (node: Node, off: boolean, leftAlone: boolean) => {
    if (!isElement(node)) {
      if ("childNodes" in node) for (const child of node.childNodes) visit(child, off, leftAlone);
      return;
    }
    // Left-alone subtrees are walked too: a copy of a formatting element made there can live outside.
    const tag = node.sourceCodeLocation?.startTag;
    if (tag) tagOf.set(node.attrs, { start: tag.startOffset, end: tag.endOffset });
    const here = off || node.attrs.some((a) => a.name === "data-amazon-links" && !a.namespace && a.value.toLowerCase() === "off");
    const alone = leftAlone || LEFT_ALONE.has(node.tagName);
    const srcdoc =
      node.namespaceURI === HTML && node.tagName === "iframe" ? node.attrs.find((a) => a.name === "srcdoc" && !a.namespace) : undefined;
    if (srcdoc && tag && !leftAlone)
      frames.push({ start: tag.startOffset, end: tag.endOffset, href: "", srcdoc: srcdoc.value, optedOut: here });
    const value = href(node);
    if (value !== undefined && !alone) found.push({ element: node, href: value, off: here });
    for (const child of node.childNodes) visit(child, here, alone);
  };
  visit(document, false, false);
  const live = new Map<number, OracleLink>();
  const optedOut = new Map<number, OracleLink>();
  for (const { element, href, off } of found) {
    const tag = tagOf.get(element.attrs);
    if (!tag) throw new Error("oracle: a link element without a start tag");
    const link = { start: tag.start, end: tag.end, href };
    if (!off) {
      live.set(tag.start, link);
      optedOut.delete(tag.start);
    } else if (!live.has(tag.start)) optedOut.set(tag.start, link);
  }
  return { live, optedOut, frames };
}

/** The page with the given start tags cut out. */
export function withoutTags(html: string, tags: Iterable<OracleLink>): string {
  let rest = "";
  let cursor = 0;
  for (const tag of [...tags].sort((a, b) => a.start - b.start)) {
    rest += html.slice(cursor, tag.start);
    cursor = tag.end;
  }
  return rest + html.slice(cursor);
}

/** The page with every <a>/<area> start tag (as parse5 finds them) cut out. */
export function outsideLinkTags(html: string): string {
  const { live, optedOut } = oracleLinks(html);
  return withoutTags(html, [...live.values(), ...optedOut.values()]);
}

/**
 * Where a snippet (one script element with `id`) landed: whether it is an HTML script of the document
 * (not template content, not foreign), whether that is inside the body, and whether the rest of the
 * DOM is the one the page had without it (nothing of the page cut).
 */
export function snippetPlacement(
  page: string,
  withSnippet: string,
  id: string,
): { isScript: boolean; inBody: boolean; domUnchanged: boolean } {
  const before = parse(page, { scriptingEnabled: true });
  const after = parse(withSnippet, { scriptingEnabled: true });
  let inBody = false;
  let isScript = false;
  const remove = (parent: ParentNode, inside: boolean): void => {
    for (const child of [...parent.childNodes]) {
      if (!isElement(child)) continue;
      if (child.attrs.some((a) => a.name === "id" && a.value === id)) {
        isScript = child.namespaceURI === HTML && child.tagName === "script";
        inBody = isScript && inside;
        parent.childNodes.splice(parent.childNodes.indexOf(child), 1);
        continue;
      }
      remove(child, inside || (child.tagName === "body" && child.namespaceURI === HTML));
    }
  };
  remove(after, false);
  return { isScript, inBody, domUnchanged: serialize(after) === serialize(before) };
}
