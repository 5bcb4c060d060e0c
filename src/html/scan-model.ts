/** What a scan of a page reports, shared by the fast scanner and the DOM fallback. */
import { decodeHTMLAttribute } from "entities";
import type { AttributeSpan } from "./attributes.js";
import type { DecodedText } from "./escaped-text.js";

/** Elements whose content is never a live link: shown as code, inert, or not markup at all. */
export const IGNORED_ANCESTORS = new Set([
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
export const OPT_OUT_ATTRIBUTE = "data-amazon-links";

export interface HtmlLink {
  tagName: "a" | "area";
  /** Offset of `<`. */
  start: number;
  /** Offset of the closing `>`. */
  end: number;
  /** The decoded href value. */
  href: string;
  /** The attribute holding it, when not `href` (`xlink:href` on an SVG link). */
  hrefAttribute?: string;
  attributes: AttributeSpan[];
  /** Where a new attribute goes. */
  insertAt: number;
  /** The tag ends in `name=` with no value (see scanAttributes). */
  insertNeedsValue?: boolean;
  /** Decoded values of the tag's attributes (first occurrence wins, as in browsers). */
  values: Record<string, string>;
  /**
   * Set for a link inside `<iframe srcdoc>`: its offsets are in this decoded attribute value, and edits
   * go back through it (escaped for the attribute).
   */
  container?: DecodedText;
}

export interface ScanResult {
  links: HtmlLink[];
  /** Links skipped because they or an ancestor carry data-amazon-links="off". */
  optedOut: HtmlLink[];
  /** Text a reader sees (outside head, comments, scripts, styles, templates), when asked for. */
  visibleText?: string;
  /** Where a script added to the page goes: before the real `</body>`, else the end of what the page closes. */
  bodyEnd: number;
}

export interface ScanOptions {
  /** Collect the visible text (for the disclosure rule). */
  visibleText?: boolean;
  /**
   * Given a link's start tag as written (after its name), false when its href cannot be one the caller
   * wants: the link is then skipped before its attributes are read (most links of a page go nowhere near
   * Amazon). Must err wide: entities and percent-escapes decode to letters.
   */
  linkMayMatch?: (tagSource: string) => boolean;
}

// Hrefs pasted into Markdown come out with `&amp;` between query pairs and no other entity: then a
// replace does what the full decoder would, without running it (it dominated a cold page's decoding).
const OTHER_ENTITY = /&(?!amp;)/;
function decodeAttributeValue(raw: string): string {
  if (!raw.includes("&")) return raw;
  return OTHER_ENTITY.test(raw) ? decodeHTMLAttribute(raw) : raw.replaceAll("&amp;", "&");
}

export function attributeValues(html: string, attributes: AttributeSpan[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const attribute of attributes) {
    if (Object.hasOwn(values, attribute.name)) continue;
    const span = attribute.value;
    const raw = span ? html.slice(span.start, span.end) : "";
    values[attribute.name] = decodeAttributeValue(raw);
  }
  return values;
}
