/**
 * The cheap question asked of every built page: could it hold an Amazon link?
 * A false positive costs one scan; a false negative ships a link untouched
 * (untagged, or with someone else's tag), so the answer errs wide.
 *
 * Most pages answer on the first test: any `amazon.`, `amzn.` or `a.co/`
 * text. A browser also follows hosts that are spelled out
 * (`www&#46;amazon&#46;com`, `%2E`, U+3002, full-width letters, a newline in
 * the name): for those, every authority in the page (whatever follows two
 * slashes, themselves literal or character references) is decoded as a
 * browser decodes an attribute and read by parseAmazonUrl, which parses it
 * with the WHATWG URL parser.
 */
import { decodeHTMLAttribute } from "entities";
import { parseAmazonUrl } from "../amazon/parse.js";

const MAY_HAVE_AMAZON = /amazon\.|amzn\.|a\.co\//i;

/** A character reference, possibly escaped again (markup inside an attribute, `<iframe srcdoc>`). */
const REFERENCE = "&(?:amp;)*";
const SLASH = `(?:[/\\\\]|${REFERENCE}(?:sol;|bsol;|#0*(?:47|92)(?![0-9]);?|#[xX]0*(?:2[fF]|5[cC])(?![0-9a-fA-F]);?))`;
/** A tab or newline, as such or as a reference: the URL parser drops them anywhere. */
const GAP_ITEM = `(?:[\\t\\n\\r]|${REFERENCE}(?:Tab;|NewLine;|#0*(?:9|10|13)(?![0-9]);?|#[xX]0*[9aAdD](?![0-9a-fA-F]);?))`;
const GAP = `${GAP_ITEM}*`;
/** The two slashes (or backslashes) before an authority, as the URL parser reads them. */
const AUTHORITY_START = new RegExp(`${SLASH}${GAP}${SLASH}`, "g");
/** A slash spelled as a character reference. */
const SPELLED_SLASH = `${REFERENCE}(?:sol;|bsol;|#0*(?:47|92)(?![0-9])|#[xX]0*(?:2[fF]|5[cC])(?![0-9a-fA-F]))`;
/**
 * Whether the page may start an authority in a way the fast reading misses: a slash spelled as a reference, or
 * two slashes with tabs or newlines between them. A line ending in a slash (`*\/` before CRLF) is neither.
 */
const SPELLED_AUTHORITY_START = new RegExp(`${SPELLED_SLASH}|[/\\\\]${GAP_ITEM}+${SLASH}`);
/**
 * The authority ends at a path, query or fragment, an attribute value at its quote, whitespace or `>`. In the
 * source a `#` may belong to a character reference (`&#46;`): only decoded text ends at one.
 */
const SOURCE_IN_QUOTED_VALUE = /[^/\\?"'<> \f]*/y;
const SOURCE_IN_UNQUOTED_VALUE = /[^/\\?"'<> \f\t\n\r]*/y;
const DECODED_AUTHORITY = /[^/\\?#"'<> \f]*/y;
const DECODED_AUTHORITY_UNQUOTED = /[^/\\?#"'<> \f\t\n\r]*/y;
/** What an authority written with none of these cannot be, if the fast test missed it: Amazon's. */
const SPELLED_OR_AMAZON = /[&%\t\n\r\u0080-\uffff]|amazon|amzn|a\.co/i;
/** The same, once character references are decoded. */
const DECODED_SPELLED_OR_AMAZON = /[%\t\n\r\u0080-\uffff]|amazon|amzn|a\.co/i;
/** Character references nest this deep at most where a browser still reads links (`srcdoc` in `srcdoc`). */
const MAX_DECODE_LEVELS = 4;

export function mayContainAmazonLink(text: string): boolean {
  return MAY_HAVE_AMAZON.test(text) || hasSpelledOutAmazonHost(text);
}

function hasSpelledOutAmazonHost(text: string): boolean {
  if (SPELLED_AUTHORITY_START.test(text)) return hasAmazonAuthorityAfterSpelledSlashes(text);
  // Nearly every page writes its slashes as such: find them with indexOf, many times faster than a regex.
  const pairs = new SlashPairs(text);
  for (let at = pairs.next(0); at !== -1; at = pairs.next(at + 2)) {
    if (isAmazonAuthorityAt(text, at + 2)) return true;
  }
  return false;
}

function hasAmazonAuthorityAfterSpelledSlashes(text: string): boolean {
  AUTHORITY_START.lastIndex = 0;
  for (let match = AUTHORITY_START.exec(text); match !== null; match = AUTHORITY_START.exec(text)) {
    if (isAmazonAuthorityAt(text, match.index + match[0].length)) return true;
  }
  return false;
}

/** The `//`, `\\\\`, `/\\` and `\\/` of a text in order, each found once (a page may hold thousands). */
class SlashPairs {
  readonly #text: string;
  readonly #hasBackslash: boolean;
  #slashes = -2;
  #backslash = -2;

  constructor(text: string) {
    this.#text = text;
    this.#hasBackslash = text.includes("\\");
  }

  /** Offset of the first pair at or after `from`; -1 if none. */
  next(from: number): number {
    const text = this.#text;
    if (this.#slashes !== -1 && this.#slashes < from) this.#slashes = text.indexOf("//", from);
    if (!this.#hasBackslash) return this.#slashes;
    const end = this.#slashes === -1 ? text.length : this.#slashes;
    if (this.#backslash !== -1 && this.#backslash < from) this.#backslash = text.indexOf("\\", from);
    for (let b = this.#backslash; b !== -1 && b < end; b = this.#backslash = text.indexOf("\\", b + 1)) {
      if (b > from && text.charCodeAt(b - 1) === 47) return b - 1;
      const after = text.charCodeAt(b + 1);
      if (after === 47 || after === 92) return b;
    }
    return this.#slashes;
  }
}

function isAmazonAuthorityAt(text: string, from: number): boolean {
  if (!mayBeSpelledAmazonAuthority(text, from)) return false;
  return isAmazonAuthority(readAt(text, from, SOURCE_IN_QUOTED_VALUE)) || isAmazonAuthority(readAt(text, from, SOURCE_IN_UNQUOTED_VALUE));
}

/**
 * A quick look at the authority at `from` (up to a slash, `?`, quote, space or `>`): only one holding a
 * character reference, a percent sign, a tab or newline, a non-ASCII character or `a.co` can be an Amazon
 * host the first test missed. Most authorities on a page are plain host names: no string is made for them.
 * Kana, CJK ideographs and Hangul never map to ASCII: a host holding one (`例え.jp`) is not Amazon's, unless
 * userinfo may end after it (an `@`, or a reference that could spell one).
 */
function mayBeSpelledAmazonAuthority(text: string, from: number): boolean {
  let spelled = false;
  let neverAscii = false;
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 47 || code === 92 || code === 63 || code === 34 || code === 39 || code === 60 || code === 62 || code === 32 || code === 12)
      break;
    if ((code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af)) {
      neverAscii = true;
    } else if (code === 38 /* & */ || code === 64 /* @ */) {
      spelled = true;
      neverAscii = false;
    } else if (code === 37 /* % */ || code === 9 || code === 10 || code === 13 || code >= 0x80) {
      spelled = true;
    } else if (
      code === 46 &&
      i > from &&
      (text.charCodeAt(i - 1) | 0x20) === 97 &&
      (text.charCodeAt(i + 1) | 0x20) === 99 &&
      (text.charCodeAt(i + 2) | 0x20) === 111
    ) {
      // `a.co` (the fast test looks for `a.co/`, and a short link may end at `?`, a quote or the value's end)
      spelled = true;
    }
  }
  return spelled && !neverAscii;
}

function readAt(text: string, from: number, reader: RegExp): string {
  reader.lastIndex = from;
  return reader.exec(text)?.[0] ?? "";
}

/** Whether an authority as written in the source, decoded once or more, is an Amazon host. */
function isAmazonAuthority(source: string): boolean {
  if (source === "" || !SPELLED_OR_AMAZON.test(source)) return false;
  let text = source;
  for (let level = 0; level < MAX_DECODE_LEVELS; level++) {
    for (const reader of [DECODED_AUTHORITY, DECODED_AUTHORITY_UNQUOTED]) {
      const authority = readAt(text, 0, reader);
      if (DECODED_SPELLED_OR_AMAZON.test(authority) && parseAmazonUrl(`https://${authority}/`) !== null) return true;
    }
    if (!text.includes("&")) return false;
    const decoded = decodeHTMLAttribute(text);
    if (decoded === text) return false;
    text = decoded;
  }
  return false;
}
