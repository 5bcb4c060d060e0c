/**
 * Find every `<a href>` and `<area href>` in a built page, with the offsets of its start tag and
 * attributes, skipping places where a link is not a link: comments, raw text (`<script>`,
 * `<style>`, `<textarea>`, `<noscript>`, …), and the content of `<code>`, `<pre>`, `<template>` and
 * elements that opt out (`data-amazon-links="off"`), as the browser's DOM nests them.
 *
 * Two ways, one answer. A small tokenizer of our own (the standard's comment, tag and attribute
 * states; nothing allocated for the hundreds of tags that do not matter) reads the pages it models
 * exactly; inside code and opt-out scopes it keeps the open elements and applies the tree builder's
 * implied end tags. The moment a page holds anything it does not model (foreign content, `<select>`,
 * `srcdoc`, a script with `<!--`, misnesting inside a scope, …), the page goes to a full parse5 parse
 * instead (dom-links.ts). A differential test holds both to parse5 on the html5lib-tests corpus.
 */
import { decodeHTML } from "entities";
import { scanAttributes, tagEnd } from "./attributes.js";
import { scanWithDom } from "./dom-links.js";
import { attributeValues, OPT_OUT_ATTRIBUTE, type HtmlLink, type ScanOptions, type ScanResult } from "./scan-model.js";

export type { HtmlLink, ScanOptions, ScanResult } from "./scan-model.js";

/** Scopes whose links are shown as code. */
const CODE_SCOPES = new Set(["code", "pre", "listing"]);
/** Elements whose content is text, not markup (noscript: as in a browser with scripting on). */
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"]);
/** Text in these is not shown to a reader. */
const INVISIBLE = new Set(["head", "script", "style", "template", "noscript", "title"]);
/** Elements without an end tag. */
const VOID = new Set([
  "area",
  "base",
  "basefont",
  "bgsound",
  "br",
  "col",
  "embed",
  "frame",
  "hr",
  "image",
  "img",
  "input",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
/** Start tags whose tree building (or tokenizing) the scanner does not model anywhere (svg: but see skipPlainSvg). */
const UNMODELLED = new Set(["math", "select", "frameset"]);
/**
 * SVG elements of icons and charts, which neither link, hold raw text, let HTML back in (integration
 * points) nor break out of foreign content: an `<svg>` made only of these is skipped whole.
 */
const PLAIN_SVG = new Set([
  "path",
  "g",
  "circle",
  "rect",
  "line",
  "polyline",
  "polygon",
  "ellipse",
  "defs",
  "use",
  "symbol",
  "lineargradient",
  "radialgradient",
  "stop",
  "clippath",
  "mask",
  "pattern",
  "filter",
  "feblend",
  "fecolormatrix",
  "fecomposite",
  "feflood",
  "fegaussianblur",
  "femerge",
  "femergenode",
  "feoffset",
  "text",
  "tspan",
  "image",
  "marker",
  "view",
  "animate",
  "animatetransform",
  "set",
]);

/**
 * Past the `</svg>` that closes the `<svg>` whose start tag ends at `end`, when all it holds is plain
 * SVG (elements of PLAIN_SVG, text, comments); -1 otherwise (the page then goes to parse5).
 */
function skipPlainSvg(html: string, end: number): number {
  if (html.charCodeAt(end - 1) === 47 /* "/>": self-closing, or an unquoted value ending in "/" */) return -1;
  let depth = 1;
  let i = end + 1;
  for (;;) {
    const lt = html.indexOf("<", i);
    if (lt === -1) return -1;
    const next = html.charCodeAt(lt + 1);
    if (next === 33 /* ! */) {
      if (!html.startsWith("<!--", lt) || html.startsWith(">", lt + 4) || html.startsWith("->", lt + 4)) return -1;
      const dashes = html.indexOf("-->", lt + 4);
      const bang = html.indexOf("--!>", lt + 4);
      if (dashes === -1 || (bang !== -1 && bang < dashes)) return -1;
      i = dashes + 3;
      continue;
    }
    const closing = next === 47;
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isLetter(html.charCodeAt(nameStart))) {
      if (closing || next === 63 /* ? */) return -1;
      i = lt + 1; // a "<" in text
      continue;
    }
    let j = nameStart;
    while (j < html.length && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 47 && html.charCodeAt(j) !== 62) j++;
    const name = html.slice(nameStart, j).toLowerCase();
    const tagClose = tagEnd(html, j);
    if (tagClose === -1) return -1;
    i = tagClose + 1;
    if (name === "svg") {
      if (!closing && html.charCodeAt(tagClose - 1) === 47) return -1;
      depth += closing ? -1 : 1;
      if (depth === 0) return i;
    } else if (!PLAIN_SVG.has(name)) return -1;
  }
}
/** Start tags not modelled inside a code or opt-out scope (tables, forms, elements that close or merge others). */
const UNMODELLED_IN_SCOPE = new Set([
  "table",
  "caption",
  "colgroup",
  "col",
  "tbody",
  "thead",
  "tfoot",
  "tr",
  "td",
  "th",
  "form",
  "button",
  "nobr",
  "option",
  "optgroup",
  "rb",
  "rp",
  "rt",
  "rtc",
  "html",
  "head",
  "body",
  "frame",
  "menuitem",
  "image",
  "isindex",
  "search",
]);
/** Start tags that close an open `p` in button scope. */
const CLOSES_P = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "center",
  "details",
  "dialog",
  "dir",
  "div",
  "dl",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "header",
  "hgroup",
  "main",
  "menu",
  "nav",
  "ol",
  "p",
  "section",
  "summary",
  "ul",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "pre",
  "listing",
  "hr",
  "xmp",
  "plaintext",
  "li",
  "dd",
  "dt",
]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
const BUTTON_SCOPE_BOUNDARIES = new Set(["button", "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"]);
const SCOPE_BOUNDARIES = new Set(["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"]);
const IMPLIED_END = new Set(["dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"]);
/** Formatting elements: closed implicitly, the tree builder reopens them later (outside the scope we track). */
const FORMATTING = new Set(["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"]);
/** Special elements other than address, div and p: where the list-item walk stops. */
const STOPS_LIST_ITEM_WALK = new Set([
  "applet",
  "area",
  "article",
  "aside",
  "base",
  "basefont",
  "bgsound",
  "blockquote",
  "body",
  "br",
  "button",
  "caption",
  "center",
  "col",
  "colgroup",
  "details",
  "dir",
  "dl",
  "embed",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "frame",
  "frameset",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "head",
  "header",
  "hgroup",
  "hr",
  "html",
  "iframe",
  "img",
  "input",
  "keygen",
  "link",
  "listing",
  "main",
  "marquee",
  "menu",
  "meta",
  "nav",
  "noembed",
  "noframes",
  "noscript",
  "object",
  "ol",
  "param",
  "plaintext",
  "pre",
  "script",
  "search",
  "section",
  "select",
  "source",
  "style",
  "summary",
  "table",
  "tbody",
  "td",
  "template",
  "textarea",
  "tfoot",
  "th",
  "thead",
  "title",
  "tr",
  "track",
  "ul",
  "wbr",
  "xmp",
]);

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Offset of the end tag `</name` (any case) closing a raw-text element, or -1 when the page ends first. */
function rawTextEnd(html: string, name: string, from: number): number {
  let i = from;
  for (;;) {
    const at = indexOfIgnoreCase(html, `</${name}`, i);
    if (at === -1) return -1;
    const next = html.charCodeAt(at + 2 + name.length);
    if (isSpace(next) || next === 47 || next === 62) return at;
    i = at + 1;
  }
}

function indexOfIgnoreCase(html: string, needle: string, from: number): number {
  for (let at = html.indexOf("</", from); at !== -1; at = html.indexOf("</", at + 1)) {
    if (html.slice(at, at + needle.length).toLowerCase() === needle) return at;
  }
  return -1;
}

/** The element names the scanner acts on outside scopes. */
const NAMES_BY_LENGTH: string[][] = [];
for (const name of new Set([
  "a",
  "area",
  "body",
  "head",
  "html",
  "plaintext",
  "template",
  "table",
  "svg",
  ...CODE_SCOPES,
  ...RAW_TEXT,
  ...INVISIBLE,
  ...UNMODELLED,
])) {
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

/** An element open inside a code or opt-out scope. */
interface OpenElement {
  name: string;
  code: boolean;
  optOut: boolean;
}

/** Thrown (and caught below) when the page holds something the fast scanner does not model. */
const UNMODELLED_PAGE = Symbol("unmodelled");

/**
 * The open elements inside code and opt-out scopes, with the tree builder's implied end tags. Outside
 * every scope nothing is tracked: there an element's nesting cannot change whether a link is live.
 */
class Scopes {
  readonly open: OpenElement[] = [];
  code = 0;
  optOut = 0;

  push(name: string, code: boolean, optOut: boolean): void {
    this.open.push({ name, code, optOut });
    if (code) this.code++;
    if (optOut) this.optOut++;
  }

  /** Pop down to (and including) index `k`; a formatting element closed implicitly would be reopened elsewhere. */
  popThrough(k: number, implicitFrom: number): void {
    while (this.open.length > k) {
      const element = this.open.pop()!;
      if (this.open.length >= implicitFrom && FORMATTING.has(element.name)) throw UNMODELLED_PAGE;
      if (element.code) this.code--;
      if (element.optOut) this.optOut--;
    }
  }

  /** The opened-with element closed any open `p` in button scope, so none is open below the scopes. */
  private bottomClosedP(): boolean {
    const bottom = this.open[0];
    return bottom === undefined || CLOSES_P.has(bottom.name);
  }

  private closeP(): void {
    for (let k = this.open.length - 1; k >= 0; k--) {
      const name = this.open[k]!.name;
      if (name === "p") return this.popThrough(k, k + 1);
      if (BUTTON_SCOPE_BOUNDARIES.has(name)) return;
    }
    if (!this.bottomClosedP()) throw UNMODELLED_PAGE;
  }

  private closeListItem(name: string): void {
    for (let k = this.open.length - 1; k >= 0; k--) {
      const open = this.open[k]!.name;
      if (name === "li" ? open === "li" : open === "dd" || open === "dt") return this.popThrough(k, k + 1);
      if (STOPS_LIST_ITEM_WALK.has(open)) return;
    }
    throw UNMODELLED_PAGE; // the walk would go on below the scopes
  }

  /** A start tag seen inside a scope: the elements it closes first. */
  startTag(name: string): void {
    if (UNMODELLED_IN_SCOPE.has(name)) throw UNMODELLED_PAGE;
    if (name === "li" || name === "dd" || name === "dt") this.closeListItem(name);
    if (this.open.length > 0 && CLOSES_P.has(name)) this.closeP();
    const top = this.open[this.open.length - 1];
    if (top && HEADINGS.has(name) && HEADINGS.has(top.name)) this.popThrough(this.open.length - 1, this.open.length);
  }

  /** An end tag seen inside a scope: close what it closes, or give up where that depends on elements outside. */
  endTag(name: string): void {
    if (name === "br" || name === "body" || name === "html") return;
    for (let k = this.open.length - 1; k >= 0; k--) {
      const open = this.open[k]!.name;
      if (open === name) {
        for (let m = k + 1; m < this.open.length; m++) if (!IMPLIED_END.has(this.open[m]!.name)) throw UNMODELLED_PAGE;
        return this.popThrough(k, k + 1);
      }
      if (SCOPE_BOUNDARIES.has(open)) break;
    }
    // "</p>" with no p open inserts an empty one; any other end tag would reach the elements outside.
    if (name === "p" && this.bottomClosedP()) return;
    throw UNMODELLED_PAGE;
  }

  /** Somewhere in the scopes an element keeps a `</body>` from the body. */
  shieldsBody(): boolean {
    return this.open.some((element) => SCOPE_BOUNDARIES.has(element.name));
  }
}

export function scanLinks(html: string, scan: ScanOptions = {}): ScanResult {
  return scanFast(html, scan) ?? scanWithDom(html, scan);
}

/** The fast scanner's answer, or undefined for a page it does not model. */
export function scanFast(html: string, scan: ScanOptions = {}): ScanResult | undefined {
  try {
    return scanModelled(html, scan);
  } catch (error) {
    if (error === UNMODELLED_PAGE) return undefined;
    throw error;
  }
}

const SRCDOC = /srcdoc/i;

function scanModelled(html: string, scan: ScanOptions): ScanResult {
  if (SRCDOC.test(html)) throw UNMODELLED_PAGE;
  const links: HtmlLink[] = [];
  const optedOut: HtmlLink[] = [];
  const text: string[] | undefined = scan.visibleText ? [] : undefined;
  const invisibleOpen = new Map<string, number>();
  let invisibleDepth = 0;
  const scopes = new Scopes();
  let templates = 0;
  /** Start of the outermost open template (what the page leaves open there is inert). */
  let templateStart = -1;
  let linkOpen = false;
  let tables = 0;
  let bodyEnd = -1;
  let htmlEnd = -1;
  let bodyOpened = false;
  /** Start of a construct the page leaves unfinished (its content runs to the end). */
  let unfinished = -1;
  const length = html.length;
  // Most pages never opt out: then no tag but a link needs its attributes read.
  const pageOptsOut = /data-amazon-links/i.test(html);
  let i = 0;

  const addText = (from: number, to: number) => {
    if (text && invisibleDepth === 0 && templates === 0 && to > from) text.push(decodeHTML(html.slice(from, to)));
  };
  const nameAt = (start: number, end: number) =>
    pageOptsOut || scopes.open.length > 0 ? html.slice(start, end).toLowerCase() : knownTagName(html, start, end);

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
        // "<!-->" and "<!--->" close at once; otherwise the first "-->" or "--!>" does.
        let close: number;
        if (html.startsWith(">", lt + 4)) close = lt + 5;
        else if (html.startsWith("->", lt + 4)) close = lt + 6;
        else {
          const dashes = html.indexOf("-->", lt + 4);
          const bang = html.indexOf("--!>", lt + 4);
          close = bang !== -1 && (dashes === -1 || bang < dashes) ? bang + 4 : dashes !== -1 ? dashes + 3 : -1;
        }
        if (close === -1) unfinished = lt;
        i = close === -1 ? length : close;
      } else {
        const gt = html.indexOf(">", lt + 2); // doctype, CDATA in HTML: a bogus comment
        if (gt === -1) unfinished = lt;
        i = gt === -1 ? length : gt + 1;
      }
      continue;
    }
    if (next === 63 /* ? */) {
      const gt = html.indexOf(">", lt + 2);
      if (gt === -1) unfinished = lt;
      i = gt === -1 ? length : gt + 1;
      continue;
    }
    if (next === 47 /* / */) {
      if (!isLetter(html.charCodeAt(lt + 2))) {
        if (lt + 2 >= length) {
          unfinished = lt; // "</" at the end: whatever follows would make it a tag or comment
          break;
        }
        const gt = html.indexOf(">", lt + 2);
        if (gt === -1) unfinished = lt;
        i = gt === -1 ? length : gt + 1;
        continue;
      }
      let j = lt + 2;
      while (j < length && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 47 && html.charCodeAt(j) !== 62) j++;
      const name = nameAt(lt + 2, j);
      const end = tagEnd(html, j);
      if (end === -1) {
        unfinished = lt;
        break;
      }
      i = end + 1;
      if (INVISIBLE.has(name)) {
        const count = invisibleOpen.get(name) ?? 0;
        if (count > 0) {
          invisibleOpen.set(name, count - 1);
          invisibleDepth--;
        }
      }
      if (templates > 0) {
        if (name === "template") templates--;
        continue;
      }
      if (name === "a") linkOpen = false;
      else if (name === "table") tables = Math.max(0, tables - 1);
      else if (name === "body" || name === "html") {
        // Inside a table the tree builder ignores them; before <body> they end the head, not the body.
        if (tables > 0 || scopes.shieldsBody() || !bodyOpened) throw UNMODELLED_PAGE;
        if (name === "body") bodyEnd = lt;
        else htmlEnd = lt;
      }
      if (scopes.open.length > 0) scopes.endTag(name);
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
    const name = nameAt(lt + 1, j);
    if (UNMODELLED.has(name)) throw UNMODELLED_PAGE;
    const end = tagEnd(html, j);
    if (end === -1) {
      unfinished = lt; // an unfinished tag at the end of the page is not a tag
      break;
    }
    i = end + 1;
    if (name === "svg") {
      // An icon or chart: nothing in it is a link, and it closes itself (no scope sees it).
      const after = skipPlainSvg(html, end);
      if (after === -1) throw UNMODELLED_PAGE;
      if (templates === 0 && scopes.open.length > 0) scopes.startTag(name);
      i = after;
      continue;
    }

    if (INVISIBLE.has(name)) {
      invisibleOpen.set(name, (invisibleOpen.get(name) ?? 0) + 1);
      invisibleDepth++;
    } else if (name === "body" && (invisibleOpen.get("head") ?? 0) > 0) {
      invisibleOpen.set("head", (invisibleOpen.get("head") ?? 0) - 1);
      invisibleDepth--; // an unclosed <head> ends where <body> starts
    }

    if (name === "body" && templates === 0) bodyOpened = true;
    if (templates > 0) {
      // Template content is inert: only its own nesting and the tokenizer's raw text matter.
      if (name === "template") templates++;
    } else {
      const mayOptOut = pageOptsOut && html.slice(j, end).toLowerCase().includes(OPT_OUT_ATTRIBUTE);
      if (scopes.open.length > 0) scopes.startTag(name);
      if (name === "a") {
        // A second <a> while one is open runs the adoption agency, which can move elements across a scope.
        if (linkOpen && scopes.open.length > 0) throw UNMODELLED_PAGE;
        linkOpen = true;
      } else if (name === "table") tables++;

      const isLink = (name === "a" || name === "area") && (mayOptOut || !scan.linkMayMatch || scan.linkMayMatch(html.slice(j, end)));
      let optsOut = false;
      if (isLink || mayOptOut) {
        const { attributes, insertAt, insertNeedsValue } = scanAttributes(html, lt, end);
        const values = attributeValues(html, attributes);
        optsOut = values[OPT_OUT_ATTRIBUTE]?.toLowerCase() === "off";
        if (isLink && scopes.code === 0 && values.href !== undefined) {
          const link: HtmlLink = { tagName: name, start: lt, end, href: values.href, attributes, insertAt, values };
          if (insertNeedsValue) link.insertNeedsValue = true;
          (optsOut || scopes.optOut > 0 ? optedOut : links).push(link);
        }
      }
      if (name === "template") {
        templates = 1;
        templateStart = lt;
      } else {
        const code = CODE_SCOPES.has(name);
        const opensOptOut = optsOut && !VOID.has(name);
        if ((code || opensOptOut) && UNMODELLED_IN_SCOPE.has(name)) throw UNMODELLED_PAGE;
        if (code || opensOptOut || (scopes.open.length > 0 && !VOID.has(name))) scopes.push(name, code, opensOptOut);
      }
    }

    if (name === "plaintext") {
      unfinished = lt;
      break;
    }
    if (RAW_TEXT.has(name)) {
      let close = rawTextEnd(html, name, i);
      // An end tag the page does not finish leaves the text running to the end.
      if (close !== -1 && tagEnd(html, close + 2 + name.length) === -1) close = -1;
      const stop = close === -1 ? length : close;
      // The script states after "<!--" (escaped, double-escaped) are not modelled.
      if (name === "script" && html.slice(i, stop).includes("<!--")) throw UNMODELLED_PAGE;
      if (name === "textarea") addText(i, stop);
      if (close === -1) unfinished = lt;
      i = stop;
    }
  }

  if (bodyEnd === -1) bodyEnd = htmlEnd;
  if (bodyEnd === -1) {
    // A script at the end of a page left inside a table would be placed by the table's insertion modes.
    if (tables > 0) throw UNMODELLED_PAGE;
    bodyEnd = unfinished !== -1 ? unfinished : length;
    if (templates > 0 && templateStart < bodyEnd) bodyEnd = templateStart;
  }
  const result: ScanResult = { links, optedOut, bodyEnd };
  if (text) result.visibleText = text.join(" ");
  return result;
}
