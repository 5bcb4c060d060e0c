/**
 * Every built file that can carry Amazon links: HTML pages, and feeds (Atom and
 * RSS, whose entries hold HTML as escaped text or CDATA, and JSON Feed, whose
 * items hold it in JSON strings). Links are found in the decoded HTML and
 * written back through an offset map, byte-exact outside what changes.
 */
import { parseAmazonUrl } from "../amazon/parse.js";
import { decodeJsonString, decodeXmlContent, type DecodedText } from "./escaped-text.js";
import {
  findAmazonLinks,
  planAmazonLinkEdits,
  type FoundLink,
  type LinkExtras,
  type LinkToWrite,
  type WriteOptions,
} from "./rewrite-page.js";
import type { DocumentKind } from "./document-kind.js";
import { applyEdits, type TextEdit } from "./splice.js";

/** A link of a whole file: its `offset` is where its URL (href value, or bare URL) starts in the file. */
export type DocumentLink = FoundLink;

export interface FoundDocument {
  kind: DocumentKind;
  /** Amazon links outside code and opt-outs. */
  links: DocumentLink[];
  /** Amazon links the author opted out of (HTML pages only). */
  optedOut: DocumentLink[];
  visibleText?: string;
  /**
   * The text with these links' decisions written in. `links` are some of this document's links (matched
   * by `offset`), in any order; the others are left as written.
   */
  write<Link extends DocumentLink & LinkToWrite>(
    links: readonly Link[],
    options: WriteOptions,
    extras?: (link: Link) => LinkExtras | undefined,
  ): string;
  /** The edits `write` applies, in the file's offsets. */
  plan<Link extends DocumentLink & LinkToWrite>(
    links: readonly Link[],
    options: WriteOptions,
    extras?: (link: Link) => LinkExtras | undefined,
  ): TextEdit[];
}

/** One region of a feed: HTML inside an element or string, or one bare URL value. */
type Segment = { type: "html"; decoded: DecodedText; links: DocumentLink[] } | { type: "url"; decoded: DecodedText; link: DocumentLink };

const XML_HTML_ELEMENTS = new Set(["content", "description", "content:encoded", "summary"]);
const JSON_HTML_KEYS = new Set(["content_html", "summary_html"]);
const JSON_URL_KEYS = new Set(["url", "external_url"]);

function htmlSegment(decoded: DecodedText, segments: Segment[]): void {
  const found = findAmazonLinks(decoded.text);
  // Offsets in the whole file, for places in reports and to match links back when writing.
  const links = found.links.map((link) => ({ ...link, offset: decoded.raw[link.offset] as number }));
  if (links.length) segments.push({ type: "html", decoded, links });
}

function urlSegment(decoded: DecodedText, segments: Segment[]): void {
  const href = decoded.text.trim();
  const parsed = parseAmazonUrl(href);
  if (!parsed) return;
  const start = decoded.raw[0] as number;
  const html = { tagName: "a" as const, start, end: start, href, attributes: [], insertAt: start, values: { href } };
  segments.push({ type: "url", decoded, link: { html, parsed, offset: start } });
}

/** Where the markup construct starting at `lt` ends (comments, CDATA, declarations, processing instructions), or -1 if `lt` starts a tag. */
function skipXmlConstruct(xml: string, lt: number): number {
  const close = (marker: string, from: number) => {
    const at = xml.indexOf(marker, from);
    return at === -1 ? xml.length : at + marker.length;
  };
  if (xml.startsWith("<!--", lt)) return close("-->", lt + 4);
  if (xml.startsWith("<![CDATA[", lt)) return close("]]>", lt + 9);
  if (xml.startsWith("<!", lt) || xml.startsWith("<?", lt)) return close(">", lt + 2);
  return -1;
}

const XML_NAME = /<([A-Za-z_][\w:.-]*)/y;

/**
 * Feed XML: the inner span of each element whose text is HTML, from just after its start tag to its end
 * tag. These elements do not nest in Atom or RSS; comments and CDATA are skipped so text inside them
 * cannot look like a tag.
 */
function xmlSegments(xml: string, segments: Segment[]): void {
  let i = 0;
  for (let lt = xml.indexOf("<", i); lt !== -1; lt = xml.indexOf("<", i)) {
    const skipped = skipXmlConstruct(xml, lt);
    if (skipped !== -1) {
      i = skipped;
      continue;
    }
    XML_NAME.lastIndex = lt;
    const name = XML_NAME.exec(xml)?.[1];
    const gt = xml.indexOf(">", lt);
    if (!name || gt === -1) {
      i = lt + 1;
      continue;
    }
    i = gt + 1;
    if (!XML_HTML_ELEMENTS.has(name) || xml[gt - 1] === "/") continue;
    const innerStart = gt + 1;
    let innerEnd = -1;
    for (let at = xml.indexOf("<", innerStart); at !== -1; at = xml.indexOf("<", at + 1)) {
      const past = skipXmlConstruct(xml, at);
      if (past !== -1) {
        at = past - 1;
        continue;
      }
      if (xml.startsWith(`</${name}`, at) && /[\s>]/.test(xml[at + 2 + name.length] ?? "")) {
        innerEnd = at;
        break;
      }
    }
    if (innerEnd === -1) break;
    i = innerEnd;
    if (innerEnd === innerStart) continue;
    if (/\btype\s*=\s*["']xhtml["']/.test(xml.slice(lt, gt))) {
      // Atom type="xhtml": real markup, not escaped; offsets map one to one.
      const text = xml.slice(innerStart, innerEnd);
      const raw = Int32Array.from({ length: text.length + 1 }, (_, k) => innerStart + k);
      htmlSegment({ text, raw, encodeAt: (_k, t) => t }, segments);
    } else {
      htmlSegment(decodeXmlContent(xml, innerStart, innerEnd), segments);
    }
  }
}

/** Walk a JSON text's strings, telling each value string's key. */
function jsonSegments(json: string, segments: Segment[]): void {
  let key: string | undefined;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (ch !== '"') {
      if (ch === "," || ch === "{" || ch === "[" || ch === "}" || ch === "]") key = undefined;
      continue;
    }
    let j = i + 1;
    while (j < json.length && json[j] !== '"') j += json[j] === "\\" ? 2 : 1;
    const start = i + 1;
    const end = j;
    i = j;
    let k = j + 1;
    while (k < json.length && /\s/.test(json[k] as string)) k++;
    if (json[k] === ":") {
      key = decodeJsonString(json, start, end).text;
      continue;
    }
    if (key && JSON_HTML_KEYS.has(key)) htmlSegment(decodeJsonString(json, start, end), segments);
    else if (key && JSON_URL_KEYS.has(key)) urlSegment(decodeJsonString(json, start, end), segments);
    key = undefined;
  }
}

/** Map edits made in decoded text to raw edits in the document, encoding replacements for where they land. */
function mapEdits(decoded: DecodedText, edits: readonly TextEdit[]): TextEdit[] {
  return edits.map((edit) => ({
    start: decoded.raw[edit.start] as number,
    end: decoded.raw[edit.end] as number,
    text: decoded.encodeAt(edit.start, edit.text),
  }));
}

export function findInDocument(text: string, kind: DocumentKind, scan: { visibleText?: boolean } = {}): FoundDocument {
  if (kind === "html") {
    const found = findAmazonLinks(text, scan);
    return {
      kind,
      links: found.links,
      optedOut: found.optedOut,
      ...(found.visibleText !== undefined ? { visibleText: found.visibleText } : {}),
      write: (links, options, extras) => applyEdits(text, planAmazonLinkEdits(links, options, extras)),
      plan: (links, options, extras) => planAmazonLinkEdits(links, options, extras),
    };
  }

  const segments: Segment[] = [];
  if (kind === "xml-feed") xmlSegments(text, segments);
  else jsonSegments(text, segments);
  const all = segments.flatMap((s) => (s.type === "html" ? s.links : [s.link]));

  const plan: FoundDocument["plan"] = (links, options, extras) => {
    // Match decided links to their segment by their position in the file.
    const byOffset = new Map(links.map((l) => [l.offset, l]));
    const edits: TextEdit[] = [];
    for (const segment of segments) {
      if (segment.type === "url") {
        const link = byOffset.get(segment.link.offset);
        if (link && link.decision.href !== segment.link.html.href) {
          const { decoded } = segment;
          const start = decoded.raw[0] as number;
          const end = decoded.raw[decoded.text.length] as number;
          edits.push({ start, end, text: decoded.encodeAt(0, link.decision.href) });
        }
        continue;
      }
      const decided = [];
      for (const found of segment.links) {
        const link = byOffset.get(found.offset);
        if (link) decided.push(link);
      }
      if (decided.length === 0) continue;
      // Feeds get clean tagged links but no data attributes: no script reads them there.
      const local = planAmazonLinkEdits(decided, { ...options, dataAttributes: false }, extras as never);
      edits.push(...mapEdits(segment.decoded, local));
    }
    return edits;
  };
  return {
    kind,
    links: all,
    // Opted-out links in a feed entry are left as written but not listed: the page the entry comes from lists them.
    optedOut: [],
    write: (links, options, extras) => applyEdits(text, plan(links, options, extras)),
    plan,
  };
}
