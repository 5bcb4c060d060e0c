/**
 * Attribute spans inside one start tag's source text, so edits can splice
 * exactly the bytes of one attribute value and leave the rest untouched.
 * Follows the HTML tokenizer's attribute states (names end at whitespace,
 * `/`, `>` or `=`; values are double-, single- or un-quoted).
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

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}

/**
 * Parse the attributes of the start tag at `html[tagStart..tagEnd]` (tagEnd is
 * the index of its closing `>`). Returns the spans and where a new attribute
 * may be inserted (just past the last attribute, or the tag name).
 */
export function scanAttributes(html: string, tagStart: number, tagEnd: number): { attributes: AttributeSpan[]; insertAt: number } {
  let i = tagStart + 1;
  while (i < tagEnd && !isSpace(html.charCodeAt(i)) && html[i] !== "/" && html[i] !== ">") i++;
  let insertAt = i;
  const attributes: AttributeSpan[] = [];
  while (i < tagEnd) {
    const code = html.charCodeAt(i);
    if (isSpace(code) || html[i] === "/") {
      i++;
      continue;
    }
    const start = i;
    i++; // a name may start with "=" per the tokenizer
    while (i < tagEnd && !isSpace(html.charCodeAt(i)) && html[i] !== "/" && html[i] !== ">" && html[i] !== "=") i++;
    const name = html.slice(start, i).toLowerCase();
    let j = i;
    while (j < tagEnd && isSpace(html.charCodeAt(j))) j++;
    if (html[j] !== "=") {
      attributes.push({ name, start, end: i });
      insertAt = i;
      continue;
    }
    j++;
    while (j < tagEnd && isSpace(html.charCodeAt(j))) j++;
    const quote = html[j];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, j + 1);
      const valueEnd = close === -1 || close > tagEnd ? tagEnd : close;
      attributes.push({ name, start, end: Math.min(valueEnd + 1, tagEnd), value: { start: j + 1, end: valueEnd, quote } });
      i = valueEnd + 1;
    } else {
      let k = j;
      while (k < tagEnd && !isSpace(html.charCodeAt(k)) && html[k] !== ">") k++;
      attributes.push({ name, start, end: k, value: { start: j, end: k, quote: "" } });
      i = k;
    }
    insertAt = Math.min(i, tagEnd);
  }
  // Keep "/>" intact: insert before a self-closing slash.
  return { attributes, insertAt };
}

/** Escape a value for a double-quoted attribute. */
export function escapeAttributeValue(value: string): string {
  // Most values (ASINs, store codes, clean hrefs with one query parameter) need nothing; two native
  // searches find that out faster than a regular expression does in code that has not warmed up.
  if (!value.includes("&") && !value.includes('"')) return value;
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}
