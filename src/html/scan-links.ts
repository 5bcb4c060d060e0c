/**
 * Find every `<a href>` and `<area href>` in a built page, with the offsets of
 * its start tag and attributes, skipping places where a link is not a link:
 * comments, `<code>`, `<pre>`, `<template>`, and raw-text elements
 * (`<script>`, `<style>`, `<textarea>`, `<title>`, …), whose content is not
 * markup.
 *
 * A small tokenizer of our own rather than a full HTML parser: it jumps from
 * `<` to `<`, recognises comments, end tags and start tags (quotes in
 * attribute values respected), and builds objects only for the tags that
 * matter. Most of a page is never looked at twice, and nothing is allocated
 * for the hundreds of other tags (htmlparser2 builds an attribute object for
 * each). A property test holds it to htmlparser2's answers.
 */
import { decodeHTML, decodeHTMLAttribute } from "entities";
import { scanAttributes, type AttributeSpan } from "./attributes.js";

/** Subtrees whose links are not links (shown as code, or inert). */
const IGNORED_SUBTREES = new Set(["code", "pre", "template", "listing"]);
/** Elements whose content is text, not markup: skipped to their end tag. */
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"]);
/** Text in these is not shown to a reader. */
const INVISIBLE = new Set(["head", "script", "style", "template", "noscript", "title"]);
/** Elements without an end tag. */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
const OPT_OUT_ATTRIBUTE = "data-amazon-links";

export interface HtmlLink {
  tagName: "a" | "area";
  /** Offset of `<`. */
  start: number;
  /** Offset of the closing `>`. */
  end: number;
  /** The decoded href value. */
  href: string;
  attributes: AttributeSpan[];
  /** Where a new attribute goes. */
  insertAt: number;
  /** Decoded values of the tag's attributes (first occurrence wins, as in browsers). */
  values: Record<string, string>;
}

export interface ScanResult {
  links: HtmlLink[];
  /** Links skipped because they or an ancestor carry data-amazon-links="off". */
  optedOut: HtmlLink[];
  /** Text a reader sees (outside head, comments, scripts, styles, templates), when asked for. */
  visibleText?: string;
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

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Index of the `>` that ends the tag whose name ends at `from`, honouring quoted attribute values; -1 if none. */
function tagEnd(html: string, from: number): number {
  let i = from;
  const length = html.length;
  let afterEquals = false;
  while (i < length) {
    const code = html.charCodeAt(i);
    if (code === 62 /* > */) return i;
    if (afterEquals && (code === 34 || code === 39) /* " ' */) {
      const close = html.indexOf(code === 34 ? '"' : "'", i + 1);
      if (close === -1) return -1;
      i = close + 1;
      afterEquals = false;
      continue;
    }
    if (code === 61 /* = */) afterEquals = true;
    else if (!isSpace(code)) afterEquals = false;
    i++;
  }
  return -1;
}

/** Offset of the end tag `</name` (any case) closing a raw-text element, or the end of the page. */
function rawTextEnd(html: string, name: string, from: number): number {
  let i = from;
  for (;;) {
    const at = indexOfIgnoreCase(html, `</${name}`, i);
    if (at === -1) return html.length;
    const next = html.charCodeAt(at + 2 + name.length);
    if (Number.isNaN(next) || isSpace(next) || next === 47 || next === 62) return at;
    i = at + 1;
  }
}

function indexOfIgnoreCase(html: string, needle: string, from: number): number {
  const first = needle.slice(0, 2); // "</" has no case
  for (let at = html.indexOf(first, from); at !== -1; at = html.indexOf(first, at + 1)) {
    if (html.slice(at, at + needle.length).toLowerCase() === needle) return at;
  }
  return -1;
}

/** The element names the scanner acts on (the sets above, links, head/body, plaintext). */
const NAMES_BY_LENGTH: string[][] = [];
for (const name of new Set(["a", "area", "body", "head", "plaintext", ...IGNORED_SUBTREES, ...RAW_TEXT, ...INVISIBLE])) {
  (NAMES_BY_LENGTH[name.length] ??= []).push(name);
}

/**
 * The lower-case name of the tag whose name is `html[start..end)`, if it is one the scanner acts on, else
 * "": no string is made per tag (a page has hundreds). `| 0x20` lower-cases ASCII letters, and no other
 * code unit becomes a lower-case letter by it.
 */
function knownTagName(html: string, start: number, end: number): string {
  const candidates = NAMES_BY_LENGTH[end - start];
  if (!candidates) return "";
  next: for (const name of candidates) {
    for (let k = 0; k < name.length; k++) {
      if ((html.charCodeAt(start + k) | 0x20) !== name.charCodeAt(k)) continue next;
    }
    return name;
  }
  return "";
}

// Hrefs pasted into Markdown come out with `&amp;` between query pairs and no other entity: then a
// replace does what the full decoder would, without running it (it dominated a cold page's decoding).
const OTHER_ENTITY = /&(?!amp;)/;
function decodeAttributeValue(raw: string): string {
  if (!raw.includes("&")) return raw;
  return OTHER_ENTITY.test(raw) ? decodeHTMLAttribute(raw) : raw.replaceAll("&amp;", "&");
}

function attributeValues(html: string, attributes: AttributeSpan[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const attribute of attributes) {
    if (Object.hasOwn(values, attribute.name)) continue;
    const span = attribute.value;
    const raw = span ? html.slice(span.start, span.end) : "";
    values[attribute.name] = decodeAttributeValue(raw);
  }
  return values;
}

export function scanLinks(html: string, scan: ScanOptions = {}): ScanResult {
  const links: HtmlLink[] = [];
  const optedOut: HtmlLink[] = [];
  const text: string[] | undefined = scan.visibleText ? [] : undefined;
  // Open elements per name: an end tag only closes an element of its own name that is open.
  const ignoredOpen = new Map<string, number>();
  const invisibleOpen = new Map<string, number>();
  let ignoredDepth = 0;
  let invisibleDepth = 0;
  const open = (counts: Map<string, number>, name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const close = (counts: Map<string, number>, name: string): boolean => {
    const count = counts.get(name) ?? 0;
    if (count === 0) return false;
    counts.set(name, count - 1);
    return true;
  };
  // Elements that opted out, with how many same-name elements are open inside them.
  const optOuts: Array<{ name: string; nested: number }> = [];
  const length = html.length;
  // Most pages never opt out: then no tag but a link needs its attributes read.
  const pageOptsOut = /data-amazon-links/i.test(html);
  let i = 0;

  const addText = (from: number, to: number) => {
    if (text && invisibleDepth === 0 && to > from) text.push(decodeHTML(html.slice(from, to)));
  };

  while (i < length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      addText(i, length);
      break;
    }
    addText(i, lt);
    const next = html.charCodeAt(lt + 1);

    if (next === 33 /* ! */) {
      if (html.startsWith("<!--", lt)) {
        // "<!-->" and "<!--->" close at once, as in the HTML tokenizer.
        const close = html.startsWith(">", lt + 4) ? lt + 1 : html.startsWith("->", lt + 4) ? lt + 2 : html.indexOf("-->", lt + 4);
        i = close === -1 ? length : close + 3;
      } else {
        const gt = html.indexOf(">", lt + 2); // doctype, CDATA-ish: a bogus comment
        i = gt === -1 ? length : gt + 1;
      }
      continue;
    }
    if (next === 63 /* ? */) {
      const gt = html.indexOf(">", lt + 2);
      i = gt === -1 ? length : gt + 1;
      continue;
    }
    if (next === 47 /* / */) {
      if (!isLetter(html.charCodeAt(lt + 2))) {
        const gt = html.indexOf(">", lt + 2);
        i = gt === -1 ? length : gt + 1;
        continue;
      }
      let j = lt + 2;
      while (j < length && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 47 && html.charCodeAt(j) !== 62) j++;
      // Every name matters only on pages that opt links out (their elements are tracked); otherwise the known ones.
      const name = pageOptsOut ? html.slice(lt + 2, j).toLowerCase() : knownTagName(html, lt + 2, j);
      const end = tagEnd(html, j);
      if (IGNORED_SUBTREES.has(name) && close(ignoredOpen, name)) ignoredDepth--;
      if (INVISIBLE.has(name) && close(invisibleOpen, name)) invisibleDepth--;
      const top = optOuts[optOuts.length - 1];
      if (top && top.name === name) {
        if (top.nested > 0) top.nested--;
        else optOuts.pop();
      }
      i = end === -1 ? length : end + 1;
      continue;
    }
    if (!isLetter(next)) {
      addText(lt, lt + 1); // a lone "<" is text
      i = lt + 1;
      continue;
    }

    // A start tag.
    let j = lt + 1;
    while (j < length && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 47 && html.charCodeAt(j) !== 62) j++;
    const name = pageOptsOut ? html.slice(lt + 1, j).toLowerCase() : knownTagName(html, lt + 1, j);
    const end = tagEnd(html, j);
    if (end === -1) break; // an unfinished tag at the end of the page is not a tag
    const top = optOuts[optOuts.length - 1];
    // Links do not nest: a new <a> closes an open one (as browsers and htmlparser2 do).
    if (top && name === "a" && top.name === "a") optOuts.pop();

    const mayOptOut = pageOptsOut && html.slice(j, end).toLowerCase().includes(OPT_OUT_ATTRIBUTE);
    const isLink = (name === "a" || name === "area") && (mayOptOut || !scan.linkMayMatch || scan.linkMayMatch(html.slice(j, end)));
    let optsOut = false;
    if (isLink || mayOptOut) {
      const { attributes, insertAt } = scanAttributes(html, lt, end);
      const values = attributeValues(html, attributes);
      const optOutHere = values[OPT_OUT_ATTRIBUTE]?.toLowerCase() === "off";
      if (isLink && ignoredDepth === 0 && values.href !== undefined) {
        const link: HtmlLink = { tagName: name, start: lt, end, href: values.href, attributes, insertAt, values };
        (optOutHere || optOuts.length > 0 ? optedOut : links).push(link);
      }
      optsOut = optOutHere && !VOID.has(name);
    }
    const current = optOuts[optOuts.length - 1];
    if (optsOut) optOuts.push({ name, nested: 0 });
    else if (current && current.name === name && name !== "a" && !VOID.has(name)) current.nested++;
    if (IGNORED_SUBTREES.has(name)) {
      open(ignoredOpen, name);
      ignoredDepth++;
    }
    if (INVISIBLE.has(name)) {
      open(invisibleOpen, name);
      invisibleDepth++;
    } else if (name === "body" && close(invisibleOpen, "head")) {
      invisibleDepth--; // an unclosed <head> ends where <body> starts
    }

    i = end + 1;
    if (name === "plaintext") break;
    if (RAW_TEXT.has(name)) {
      const close = rawTextEnd(html, name, i);
      if (name === "textarea") addText(i, close);
      i = close;
    }
  }

  return text ? { links, optedOut, visibleText: text.join(" ") } : { links, optedOut };
}
