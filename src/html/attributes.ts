/**
 * A start tag's attributes, read with the HTML tokenizer's own states (before/after attribute name,
 * quoted and unquoted values, self-closing), so the spans are the ones a browser reads: edits splice
 * exactly the bytes of one attribute value and leave the rest untouched.
 */
export interface AttributeSpan {
  /** Lower-case name. */
  name: string;
  /** Offset of the name's first character in the page. */
  start: number;
  /** Offset just past the attribute (past the closing quote, if any). */
  end: number;
  /** The raw value between the quotes (undefined for a bare attribute). */
  value?: { start: number; end: number; quote: '"' | "'" | "" };
}

export interface TagAttributes {
  attributes: AttributeSpan[];
  /** Where a new attribute may be inserted (just past the last attribute, or the tag name). */
  insertAt: number;
  /**
   * The tag ends in `name=` with no value: an attribute inserted after it would become its value, so
   * the insertion must first give it an empty one.
   */
  insertNeedsValue: boolean;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

const GT = 62;
const SLASH = 47;
const EQUALS = 61;
const DQUOTE = 34;
const SQUOTE = 39;

/**
 * Index of the `>` that ends the tag whose name ends at `from` (attribute values quoted as the
 * tokenizer reads them), or -1 when the page ends first (the tokenizer then drops the tag).
 */
export function tagEnd(html: string, from: number): number {
  return readTag(html, from, undefined);
}

/** Parse the attributes of the start tag at `html[tagStart..end]` (`end` is the index of its closing `>`). */
export function scanAttributes(html: string, tagStart: number, end: number): TagAttributes {
  let i = tagStart + 1;
  while (i < end) {
    const code = html.charCodeAt(i);
    if (isSpace(code) || code === SLASH || code === GT) break;
    i++;
  }
  const attributes: AttributeSpan[] = [];
  readTag(html, i, attributes);
  const last = attributes[attributes.length - 1];
  const insertAt = last ? last.end : i;
  const insertNeedsValue = last?.value !== undefined && last.value.quote === "" && last.value.start === last.value.end;
  return { attributes, insertAt, insertNeedsValue };
}

/** The tokenizer's attribute states from the end of the tag name; collects spans when given a list. */
function readTag(html: string, from: number, out: AttributeSpan[] | undefined): number {
  const length = html.length;
  let i = from;
  for (;;) {
    // Before attribute name (a "/" not followed by ">" is skipped, as the self-closing state does).
    while (i < length) {
      const code = html.charCodeAt(i);
      if (isSpace(code) || (code === SLASH && html.charCodeAt(i + 1) !== GT)) i++;
      else break;
    }
    if (i >= length) return -1;
    let code = html.charCodeAt(i);
    if (code === GT) return i;
    if (code === SLASH) return i + 1 < length ? i + 1 : -1; // "/>"
    // Attribute name: a leading "=" is part of it.
    const nameStart = i;
    i++;
    while (i < length) {
      code = html.charCodeAt(i);
      if (isSpace(code) || code === SLASH || code === GT || code === EQUALS) break;
      i++;
    }
    const nameEnd = i;
    // After attribute name.
    while (i < length && isSpace(html.charCodeAt(i))) i++;
    if (i >= length) return -1;
    if (html.charCodeAt(i) !== EQUALS) {
      out?.push({ name: html.slice(nameStart, nameEnd).toLowerCase(), start: nameStart, end: nameEnd });
      continue; // ">" or "/" or the next name
    }
    // Before attribute value.
    i++;
    while (i < length && isSpace(html.charCodeAt(i))) i++;
    if (i >= length) return -1;
    code = html.charCodeAt(i);
    if (code === DQUOTE || code === SQUOTE) {
      const close = html.indexOf(code === DQUOTE ? '"' : "'", i + 1);
      if (close === -1) return -1;
      out?.push({
        name: html.slice(nameStart, nameEnd).toLowerCase(),
        start: nameStart,
        end: close + 1,
        value: { start: i + 1, end: close, quote: code === DQUOTE ? '"' : "'" },
      });
      i = close + 1; // after a quoted value, anything but space, "/" or ">" starts the next name
      continue;
    }
    if (code === GT) {
      // `name=>`: a missing value, empty; the tag ends here.
      out?.push({ name: html.slice(nameStart, nameEnd).toLowerCase(), start: nameStart, end: i, value: { start: i, end: i, quote: "" } });
      return i;
    }
    const valueStart = i;
    while (i < length) {
      code = html.charCodeAt(i);
      if (isSpace(code) || code === GT) break;
      i++;
    }
    if (i >= length) return -1;
    out?.push({
      name: html.slice(nameStart, nameEnd).toLowerCase(),
      start: nameStart,
      end: i,
      value: { start: valueStart, end: i, quote: "" },
    });
  }
}

const NEEDS_ESCAPE = /[&"<>]/;

/** Escape a value for a double-quoted attribute, as the HTML standard's serializer does (`&`, `"`, `<`, `>`). */
export function escapeAttributeValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
