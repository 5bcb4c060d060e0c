/**
 * The standard's answer, for pages the fast scanner does not model (foreign content, `srcdoc`,
 * scripts with `<!--`, misnested scopes, …): a full parse5 parse with source locations. Links, and
 * whether code or an opt-out encloses them, are read from the DOM the browser builds; each element
 * is mapped back to the bytes of the start tag it came from.
 */
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { scanAttributes } from "./attributes.js";
import { decodeAttributeText, type DecodedText } from "./escaped-text.js";
import { attributeValues, IGNORED_ANCESTORS, OPT_OUT_ATTRIBUTE, type HtmlLink, type ScanOptions, type ScanResult } from "./scan-model.js";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];
type Location = NonNullable<Element["sourceCodeLocation"]>;

const HTML_NS = "http://www.w3.org/1999/xhtml";
const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const INVISIBLE = new Set(["head", "script", "style", "template", "noscript", "title"]);
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]);

/** The attribute that makes an element a link, or undefined: `href` on HTML a/area and SVG a, `xlink:href` on SVG a. */
function linkAttribute(element: Element): { name: string; value: string } | undefined {
  if (element.namespaceURI === HTML_NS) {
    if (element.tagName !== "a" && element.tagName !== "area") return undefined;
    const href = element.attrs.find((attribute) => attribute.name === "href" && !attribute.namespace);
    return href && { name: "href", value: href.value };
  }
  if (element.namespaceURI !== SVG_NS || element.tagName !== "a") return undefined;
  const href = element.attrs.find((attribute) => attribute.name === "href" && !attribute.namespace);
  if (href) return { name: "href", value: href.value };
  const xlink = element.attrs.find((attribute) => attribute.name === "href" && attribute.namespace === XLINK_NS);
  return xlink && { name: "xlink:href", value: xlink.value };
}

function optsOut(element: Element): boolean {
  const attribute = element.attrs.find((a) => a.name === OPT_OUT_ATTRIBUTE && !a.namespace);
  return attribute?.value.toLowerCase() === "off";
}

/** The links of an `<iframe srcdoc>` document, their offsets in the decoded value (`container`). */
function srcdocLinks(
  html: string,
  location: Location,
  optedOut: boolean,
  scan: ScanOptions,
  into: { links: HtmlLink[]; optedOut: HtmlLink[] },
): void {
  const startTag = location.startTag;
  if (!startTag) return;
  const { attributes } = scanAttributes(html, startTag.startOffset, startTag.endOffset - 1);
  const value = attributes.find((attribute) => attribute.name === "srcdoc")?.value;
  if (!value) return;
  const container = decodeAttributeText(html, value.start, value.end, value.quote);
  const inner = scanWithDom(container.text, { ...(scan.linkMayMatch ? { linkMayMatch: scan.linkMayMatch } : {}) });
  // A link of a srcdoc nested in this one comes with its own container, in this document's text.
  const placed = (link: HtmlLink): HtmlLink => ({ ...link, container: link.container ? nested(container, link.container) : container });
  for (const link of inner.links) (optedOut ? into.optedOut : into.links).push(placed(link));
  for (const link of inner.optedOut) into.optedOut.push(placed(link));
}

/**
 * A srcdoc inside a srcdoc: `inner` maps into `outer`'s decoded text, `outer` into the page. Offsets go
 * through both maps; a replacement is escaped for the inner attribute, then for the outer one, as the
 * browser decodes it twice.
 */
function nested(outer: DecodedText, inner: DecodedText): DecodedText {
  const raw = new Int32Array(inner.raw.length);
  for (let i = 0; i < raw.length; i++) raw[i] = outer.raw[inner.raw[i]!]!;
  return {
    text: inner.text,
    raw,
    encodeAt: (i, text) => outer.encodeAt(inner.raw[i]!, inner.encodeAt(i, text)),
  };
}

interface Candidate {
  element: Element;
  href: { name: string; value: string };
  optedOut: boolean;
}

export function scanWithDom(html: string, scan: ScanOptions = {}): ScanResult {
  const document = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: true });
  const candidates: Candidate[] = [];
  const framed = { links: [] as HtmlLink[], optedOut: [] as HtmlLink[] };
  // Elements the tree builder re-creates (formatting elements reopened after misnesting) share their
  // start tag's attribute list: it maps a copy without a location back to the tag.
  const locations = new Map<unknown, Location>();
  const text: string[] | undefined = scan.visibleText ? [] : undefined;
  let tail = -1;
  // Where the earliest construct the page leaves open to its end starts (raw text, template, comment).
  let swallowStart = Number.POSITIVE_INFINITY;
  const swallows = (node: Node, start: number) => {
    // In a column group a script would close it: before the column group then.
    const parent = (node as { parentNode?: unknown }).parentNode as Element | null | undefined;
    const at = parent && "tagName" in parent && parent.tagName === "colgroup" ? (parent.sourceCodeLocation?.startOffset ?? start) : start;
    if (at < swallowStart) swallowStart = at;
  };

  // `ignored`: inside code, raw text or the like, where nothing is a link; still walked, since a copy of
  // a formatting element made there can end up outside.
  const walk = (node: Node, optedOut: boolean, invisible: boolean, ignored: boolean): void => {
    const location = node.sourceCodeLocation;
    if (location && location.endOffset > tail) tail = location.endOffset;
    if (node.nodeName === "#text") {
      if (text && !invisible && !ignored) text.push((node as DefaultTreeAdapterMap["textNode"]).value);
      return;
    }
    if (node.nodeName === "#comment" && location) {
      const source = html.slice(location.startOffset, location.endOffset);
      const finished = source.startsWith("<!--") ? source.endsWith("-->") || source.endsWith("--!>") : source.endsWith(">");
      if (!finished) swallows(node, location.startOffset);
    }
    if (!("tagName" in node)) {
      if ("childNodes" in node) for (const child of node.childNodes) walk(child, optedOut, invisible, ignored);
      return;
    }
    const element = node as Element;
    const elementLocation = element.sourceCodeLocation;
    if (elementLocation?.startTag) locations.set(element.attrs, elementLocation as Location);
    if (
      elementLocation &&
      !elementLocation.endTag &&
      element.namespaceURI === HTML_NS &&
      (RAW_TEXT.has(element.tagName) || element.tagName === "template")
    ) {
      swallows(element, elementLocation.startOffset);
    }
    const off = optedOut || optsOut(element);
    if (!ignored) {
      if (
        element.tagName === "iframe" &&
        element.namespaceURI === HTML_NS &&
        elementLocation &&
        element.attrs.some((a) => a.name === "srcdoc" && !a.namespace)
      ) {
        srcdocLinks(html, elementLocation as Location, off, scan, framed);
      }
      const href = linkAttribute(element);
      if (href && !IGNORED_ANCESTORS.has(element.tagName)) candidates.push({ element, href, optedOut: off });
    }
    const hidden = invisible || INVISIBLE.has(element.tagName);
    for (const child of element.childNodes) walk(child, off, hidden, ignored || IGNORED_ANCESTORS.has(element.tagName));
  };
  walk(document, false, false, false);

  // One link per start tag; a tag any of whose elements is outside an opt-out is a link to rewrite.
  const byStart = new Map<number, { link: HtmlLink; optedOut: boolean }>();
  for (const { element, href, optedOut } of candidates) {
    const location = element.sourceCodeLocation ?? locations.get(element.attrs);
    const startTag = location?.startTag;
    if (!startTag) continue;
    const known = byStart.get(startTag.startOffset);
    if (known) {
      known.optedOut &&= optedOut;
      continue;
    }
    const end = startTag.endOffset - 1;
    const { attributes, insertAt, insertNeedsValue } = scanAttributes(html, startTag.startOffset, end);
    const values = attributeValues(html, attributes);
    const link: HtmlLink = {
      tagName: element.tagName === "area" ? "area" : "a",
      start: startTag.startOffset,
      end,
      href: href.value,
      attributes,
      insertAt,
      insertNeedsValue,
      values,
      ...(href.name === "href" ? {} : { hrefAttribute: href.name }),
    };
    byStart.set(startTag.startOffset, { link, optedOut });
  }
  const links: HtmlLink[] = [];
  const optedOut: HtmlLink[] = [];
  for (const { link, optedOut: off } of [...byStart.values()].sort((a, b) => a.link.start - b.link.start))
    (off ? optedOut : links).push(link);

  links.push(...framed.links);
  optedOut.push(...framed.optedOut);
  const result: ScanResult = { links, optedOut, bodyEnd: bodyEnd(html, document, Math.min(tail, swallowStart)) };
  if (text) result.visibleText = text.join(" ");
  return result;
}

/**
 * Where a script added to the page belongs: before the real `</body>` (else `</html>`) once the body
 * has started; without one, after the last byte the parser made a node of, but outside whatever the
 * page leaves open at its end that would swallow the script (raw text, template content, foreign
 * content, an unterminated comment).
 */
function bodyEnd(html: string, document: DefaultTreeAdapterMap["document"], tail: number): number {
  const root = document.childNodes.find((n): n is Element => "tagName" in n && n.tagName === "html");
  const body = root?.childNodes.find((n): n is Element => "tagName" in n && n.tagName === "body");
  const firstChild = body?.childNodes.find((n) => n.sourceCodeLocation);
  const bodyStart = body?.sourceCodeLocation?.startTag?.startOffset ?? firstChild?.sourceCodeLocation?.startOffset ?? 0;
  for (const element of [body, root]) {
    const endTag = (element?.sourceCodeLocation as Location | undefined)?.endTag;
    if (endTag && endTag.startOffset >= bodyStart) return endTag.startOffset;
  }
  let at = Math.min(html.length, Math.max(tail, 0));
  // Foreign content open at the end would parse a script as markup: before its outermost open element.
  let node: Node | undefined = document.childNodes[document.childNodes.length - 1];
  while (node) {
    const location = node.sourceCodeLocation as Location | undefined | null;
    if (location && (!("tagName" in node) || location.endTag)) break; // the page's end is not inside it
    if (location && "namespaceURI" in node && node.namespaceURI !== HTML_NS) return Math.min(at, location.startOffset);
    const children: Node[] = "childNodes" in node ? node.childNodes : [];
    node = children[children.length - 1];
  }
  if (at < html.length && html.slice(at).trim() === "") at = html.length;
  return at;
}
