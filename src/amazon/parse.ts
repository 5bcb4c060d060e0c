/**
 * Where Amazon URLs are parsed: href string → AmazonUrl or null. No I/O.
 *
 * Security matters here: a lookalike host parsed as Amazon would get our tag
 * and our rel, and be sent visitors by the browser script. Hosts are matched
 * exactly against the stores table after WHATWG URL parsing (which resolves
 * userinfo tricks, backslashes, IDN to punycode and upper case).
 */
import { isValidAsin } from "./asin.js";
import { marketplaceByHost, shortLinkHosts } from "./stores.js";

export type AmazonUrlKind = "product" | "search" | "store" | "other" | "short";

export interface AmazonUrl {
  /** The href as given. */
  readonly original: string;
  /** Store code (`us`, `uk`, …) or `short` for amzn.to / amzn.eu / amzn.asia / a.co. */
  readonly marketplace: string;
  readonly kind: AmazonUrlKind;
  /** Upper-case ASIN for product URLs (may be malformed: see `asinValid`). */
  readonly asin?: string;
  /** Whether `asin` is well-formed (B + 9 alphanumerics or a valid ISBN-10). */
  readonly asinValid?: boolean;
  /** The Associates tag already in the URL (query `tag`, or a legacy path segment). */
  readonly tag?: string;
  /** The parsed URL (scheme normalised to https). */
  readonly url: URL;
}

const shortHosts = new Set(shortLinkHosts);
/**
 * Every Amazon host spells "amazon", "amzn" or "a.co" in the href, unless it is written in a way URL
 * parsing undoes: percent-encoded, non-ASCII (IDN, full-width letters, ideographic dots) or split by
 * tabs and newlines. Hrefs with none of these are not Amazon links and skip the URL parser (most links
 * on a page are not Amazon links).
 */
const MAYBE_AMAZON = /amazon|amzn|a\.co|[%\t\n\r\u0080-\uffff]/i;
const ENTITY = /&(?:amp|#0*38|#x0*26);/gi;
/** The same, for an href still in HTML source: an entity (`&#97;`) may also spell a letter. */
const MAYBE_AMAZON_SOURCE = /amazon|amzn|a\.co|[&%\t\n\r\u0080-\uffff]/i;

/** False when an href written in this HTML source text (entities not decoded) cannot be an Amazon URL. */
export function mayBeAmazonHrefSource(source: string): boolean {
  return MAYBE_AMAZON_SOURCE.test(source);
}
const ASIN_SEGMENT = /^[0-9A-Za-z]{10}$/;
// A tag: letters, digits, hyphen; what Amazon issues (e.g. mysite-20).
const TAG_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}-\d{2}$/;

/** Decode the only entity that realistically appears in pasted hrefs. */
function decodeAmpersands(href: string): string {
  return href.includes("&") ? href.replace(ENTITY, "&") : href;
}

/** Without leading and trailing C0 controls and spaces (a loop: `/[\0- ]+$/` is quadratic on long runs of spaces). */
function trimControlsAndSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function toUrl(href: string): URL | null {
  // What a browser does first: strip leading and trailing C0 controls and
  // spaces, drop tabs and newlines anywhere.
  let text = trimControlsAndSpaces(decodeAmpersands(href)).replace(/[\t\n\r]/g, "");
  // Scheme-relative (`//host`, and `\\host` or `/\host`, which browsers read the same way).
  if (/^[\\/]{2}/.test(text)) text = `https:${text}`;
  // Only absolute http(s) URLs with an authority can point at Amazon. Everything
  // else is not ours to touch: relative paths, javascript:, mailto:, data:, and
  // `https:amazon.com/…` or `https:/amazon.com/…`, which a browser resolves
  // against the page when the page has the same scheme.
  if (!/^https?:[\\/]{2}/i.test(text)) return null;
  const isHttp = text.charCodeAt(4) === 58; // "http:"
  // Normalise http to https in the text (URL's protocol setter is slow), unless
  // the authority names a port or credentials: then let URL judge the port for
  // http first (`:80` is the default, `:443` is not).
  const plain = !isHttp || !/^http:[\\/]{2}[^/?#\\]*[:@]/i.test(text);
  try {
    if (plain) return new URL(isHttp ? `https${text.slice(4)}` : text);
    const url = new URL(text);
    if (url.port !== "") return url; // rejected by the caller
    url.protocol = "https:";
    return url;
  } catch {
    return null;
  }
}

function normaliseHost(url: URL): string {
  let host = url.hostname.toLowerCase();
  if (host.endsWith(".")) host = host.slice(0, -1);
  return host;
}

/**
 * Words Amazon puts where a product path's ASIN usually sits (`/dp/tech-data/<ASIN>`,
 * `/gp/product/handle-buy-box/`): hyphenated or lower-case words, never a mistyped ASIN.
 */
const PATH_WORD = /^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+$/i;
/** An ASIN followed by a query spelled into the path (`<ASIN>%3FSubscriptionId%3D…%26tag%3D…`, old API links). */
const ASIN_WITH_ENCODED_QUERY = /^([0-9A-Za-z]{10})%3F(.*)$/i;
/** `/-/en/`, `/-/zh_TW/`: the display language Amazon puts before any path. */
const LANGUAGE_PREFIX = /^[a-z]{2,3}(?:[_-][a-z0-9]{2,4})?$/i;

interface ProductPath {
  asin: string;
  legacyTag?: string;
  /** A tag inside a query spelled into the path after the ASIN. */
  pathQueryTag?: string;
}

/** The segments that say which page this is: without `/ref=…` noise and the `/-/<lang>/` prefix. */
function pageSegments(pathname: string): string[] {
  const segments = pathname.split("/").filter((s) => s !== "" && !/^ref=/i.test(s));
  return segments[0] === "-" && segments[1] !== undefined && LANGUAGE_PREFIX.test(segments[1]) ? segments.slice(2) : segments;
}

/** Where the ASIN sits in a product path (index into segments), and where a legacy tag may follow it. */
function asinPosition(lower: string[]): { at: number; tagAt?: number; onlyWellFormed?: boolean } | undefined {
  const first = lower[0];
  // /exec/obidos/ASIN/<asin>[/tag], /exec/obidos/ISBN=<isbn>[/tag], /exec/obidos/tg/detail/-/<asin>
  if (first === "exec" && lower[1] === "obidos") {
    if (lower[2] === "asin") return { at: 3, tagAt: 4 };
    if (lower[2]?.startsWith("isbn=") || lower[2]?.startsWith("isbn%3d")) return { at: 2, tagAt: 3 };
    if (lower[2] === "tg" && lower[3] === "detail" && lower[4] === "-") return { at: 5 };
    return undefined;
  }
  // /o/ASIN/<asin>[/tag], /o/ISBN=<isbn>, /o/tg/detail/-/<asin>
  if (first === "o") {
    if (lower[1] === "asin") return { at: 2, tagAt: 3 };
    if (lower[1]?.startsWith("isbn=") || lower[1]?.startsWith("isbn%3d")) return { at: 1, tagAt: 2 };
    if (lower[1] === "tg" && lower[2] === "detail" && lower[3] === "-") return { at: 4 };
    return undefined;
  }
  // /gp/product[/images]/<asin>, /gp/aw/d/<asin>, /gp/offer-listing/<asin>
  if (first === "gp") {
    if (lower[1] === "product") return lower[2] === "images" || lower[2] === "glance" ? { at: 3 } : { at: 2, tagAt: 3 };
    if (lower[1] === "aw" && lower[2] === "d") return { at: 3 };
    if (lower[1] === "offer-listing") return { at: 2 };
    return undefined;
  }
  // /d/<Slug>/<asin> (amazon.com.au), /d/<asin>: a product only where an ASIN is written
  if (first === "d") return lower.length > 1 ? { at: 1, onlyWellFormed: true } : undefined;
  // /product-reviews/<asin>, possibly after a slug
  const reviews = lower.indexOf("product-reviews");
  if (reviews !== -1) return { at: reviews + 1 };
  // /dp/<asin>, /dp/product/<asin>, /Slug-Words/dp/<asin>/ref=…
  const dp = lower.indexOf("dp");
  if (dp !== -1) return lower[dp + 1] === "product" ? { at: dp + 2 } : { at: dp + 1, tagAt: dp + 2 };
  return undefined;
}

/** The ASIN a product path names, and a legacy tag after it. */
function productFromPath(segments: string[]): ProductPath | undefined {
  const position = asinPosition(segments.map((s) => s.toLowerCase()));
  if (!position) return undefined;
  let { at } = position;
  let tagAt = position.tagAt;
  const written = segments[at];
  if (written === undefined || /^ref[=_]/i.test(written)) return undefined;
  let asin = asinOf(written);
  if (!isValidAsin(asin)) {
    // A word between the path and the ASIN (`/dp/tech-data/<ASIN>`, `/d/<Slug>/<ASIN>`, a slug after
    // `tg/detail/-/`) is never the ASIN when a later segment is a well-formed one.
    const later = segments.findIndex((s, i) => i > at && isValidAsin(asinOf(s)));
    if (later !== -1) {
      at = later;
      tagAt = position.tagAt === undefined ? undefined : later + 1;
      asin = asinOf(segments[later] as string);
    } else if (position.onlyWellFormed || PATH_WORD.test(written)) {
      return undefined; // a page of its own (`/gp/product/handle-buy-box`), not a product
    }
  }
  // The legacy tag is the next segment, possibly after `ref=nosim` and the like.
  let t = tagAt;
  while (t !== undefined && /^ref[=_]/i.test(segments[t] ?? "")) t++;
  const tagSegment = t === undefined ? undefined : segments[t];
  const legacyTag = tagSegment && TAG_SEGMENT.test(tagSegment) ? tagSegment : undefined;
  const pathQueryTag = tagInEncodedQuery(segments[at] as string);
  return { asin, ...(legacyTag ? { legacyTag } : {}), ...(pathQueryTag ? { pathQueryTag } : {}) };
}

/** The ASIN a path segment spells: `ISBN=` and an encoded query after it dropped, upper-cased. */
function asinOf(segment: string): string {
  const isbn = /^isbn(?:=|%3d)/i.exec(segment);
  const bare = isbn ? segment.slice(isbn[0].length) : segment;
  const withQuery = ASIN_WITH_ENCODED_QUERY.exec(bare);
  return (withQuery ? (withQuery[1] as string) : bare).toUpperCase();
}

function tagInEncodedQuery(segment: string): string | undefined {
  const withQuery = ASIN_WITH_ENCODED_QUERY.exec(segment);
  if (!withQuery) return undefined;
  try {
    return new URLSearchParams(decodeURIComponent(withQuery[2] as string)).get("tag") ?? undefined;
  } catch {
    return undefined;
  }
}

function classifyNonProduct(segments: string[], url: URL): AmazonUrlKind {
  const first = segments[0]?.toLowerCase() ?? "";
  if (first === "s" || (first === "gp" && segments[1]?.toLowerCase() === "search")) return "search";
  const second = segments[1]?.toLowerCase();
  if (first === "stores" || first === "shop" || first === "b" || first === "browse") return "store";
  // Browse pages behind a slug (`/Headphones-Audio/b?node=…`) and the old `/gp/browse.html?node=…`.
  if (second === "b" || (first === "gp" && second === "browse.html")) return "store";
  if (first === "" && url.searchParams.has("k")) return "search";
  return "other";
}

/**
 * Parse an href. Returns null for anything that is not an Amazon retail URL
 * (other hosts, lookalikes, AWS, Seller Central, relative links, other schemes).
 */
export function parseAmazonUrl(href: string): AmazonUrl | null {
  // No length limit: a long Amazon href is still an Amazon link, and is rewritten like any other.
  if (typeof href !== "string" || !MAYBE_AMAZON.test(href)) return null;
  const url = toUrl(href);
  if (!url) return null;
  if (url.port !== "") return null; // a retail link never names a port
  const host = normaliseHost(url);
  // `/ref=…` segments are tracking noise that formatAmazonUrl drops: read the path without them,
  // so that a link and its formatted form say the same thing.
  const segments = pageSegments(url.pathname);

  if (shortHosts.has(host) || (host.startsWith("www.") && shortHosts.has(host.slice(4)))) {
    return { original: href, marketplace: "short", kind: "short", url };
  }

  // amzn.com/<ASIN>: Amazon's retired own shortener, always the US store.
  const store = host === "amzn.com" || host === "www.amzn.com" ? marketplaceByHost("amazon.com") : marketplaceByHost(host);
  if (!store) return null;

  // No query, or none that can spell `tag` (literally or percent-encoded): no URLSearchParams to make.
  const search = url.search;
  const queryTag =
    search.length > 1 && (search.includes("tag") || search.includes("%")) ? (url.searchParams.get("tag") ?? undefined) : undefined;
  let product: ProductPath | undefined;
  if (host.endsWith("amzn.com")) {
    // amzn.com/<ASIN>; a full product path (`amzn.com/dp/<ASIN>`) is read as one.
    const first = segments[0];
    if (first !== undefined && !ASIN_SEGMENT.test(first)) product = productFromPath(segments);
    // Otherwise a letters-and-digits segment is a mistyped ASIN (an invalid-asin finding), unless a later segment is
    // a well-formed one (`amzn.com/Headphones/<ASIN>`); anything else is another page.
    if (!product && first && /^[0-9A-Za-z]+$/.test(first) && first.toLowerCase() !== "product") {
      const later = isValidAsin(first.toUpperCase()) ? undefined : segments.find((s) => isValidAsin(asinOf(s)));
      product = { asin: later ? asinOf(later) : first.toUpperCase() };
    }
  } else {
    product = productFromPath(segments);
  }

  if (product && ASIN_SEGMENT.test(product.asin)) {
    const tag = queryTag || product.legacyTag || product.pathQueryTag;
    return {
      original: href,
      marketplace: store.code,
      kind: "product",
      asin: product.asin,
      asinValid: isValidAsin(product.asin),
      ...(tag ? { tag } : {}),
      url,
    };
  }
  if (product) {
    // A product path whose ASIN segment is not 10 alphanumerics: still a product link, malformed.
    return {
      original: href,
      marketplace: store.code,
      kind: "product",
      asin: product.asin,
      asinValid: false,
      ...(queryTag ? { tag: queryTag } : {}),
      url,
    };
  }
  return {
    original: href,
    marketplace: store.code,
    kind: classifyNonProduct(segments, url),
    ...(queryTag ? { tag: queryTag } : {}),
    url,
  };
}
