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

function toUrl(href: string): URL | null {
  // What a browser does first: strip leading and trailing C0 controls and
  // spaces, drop tabs and newlines anywhere.
  let text = decodeAmpersands(href)
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "")
    .replace(/[\t\n\r]/g, "");
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

/** Find the ASIN in a product path, and a legacy tag segment after it. */
function productFromPath(segments: string[]): { asin: string; legacyTag?: string } | undefined {
  const lower = segments.map((s) => s.toLowerCase());
  const at = (i: number): string | undefined => segments[i];
  const pick = (i: number, tagAt?: number) => {
    const candidate = at(i);
    if (candidate === undefined || candidate === "" || /^ref[=_]/i.test(candidate)) return undefined;
    // The legacy tag is the next segment, possibly after `ref=nosim` and the like.
    let t = tagAt;
    while (t !== undefined && /^ref[=_]/i.test(at(t) ?? "")) t++;
    const tagSegment = t === undefined ? undefined : at(t);
    const legacyTag = tagSegment && TAG_SEGMENT.test(tagSegment) ? tagSegment : undefined;
    return legacyTag ? { asin: candidate.toUpperCase(), legacyTag } : { asin: candidate.toUpperCase() };
  };

  // /exec/obidos/ASIN/<asin>[/tag], /exec/obidos/tg/detail/-/<asin>, /exec/obidos/asin/<asin>
  if (lower[0] === "exec" && lower[1] === "obidos") {
    if (lower[2] === "asin") return pick(3, 4);
    if (lower[2] === "tg" && lower[3] === "detail" && lower[4] === "-") return pick(5);
    return undefined;
  }
  // /o/ASIN/<asin>[/tag]
  if (lower[0] === "o" && lower[1] === "asin") return pick(2, 3);
  // /gp/product[/images]/<asin>, /gp/aw/d/<asin>, /gp/offer-listing/<asin>
  if (lower[0] === "gp") {
    if (lower[1] === "product") return lower[2] === "images" || lower[2] === "glance" ? pick(3) : pick(2, 3);
    if (lower[1] === "aw" && lower[2] === "d") return pick(3);
    if (lower[1] === "offer-listing") return pick(2);
    return undefined;
  }
  // /product-reviews/<asin>, possibly after a slug
  const reviews = lower.indexOf("product-reviews");
  if (reviews !== -1) return pick(reviews + 1);
  // /dp/<asin>, /dp/product/<asin>, /Slug-Words/dp/<asin>/ref=…
  const dp = lower.indexOf("dp");
  if (dp !== -1) return lower[dp + 1] === "product" ? pick(dp + 2) : pick(dp + 1, dp + 2);
  return undefined;
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
  if (typeof href !== "string" || href.length > 8192 || !MAYBE_AMAZON.test(href)) return null;
  const url = toUrl(href);
  if (!url) return null;
  if (url.port !== "") return null; // a retail link never names a port
  const host = normaliseHost(url);
  // `/ref=…` segments are tracking noise that formatAmazonUrl drops: read the path without them,
  // so that a link and its formatted form say the same thing.
  const segments = url.pathname.split("/").filter((s) => s !== "" && !/^ref=/i.test(s));

  if (shortHosts.has(host) || (host.startsWith("www.") && shortHosts.has(host.slice(4)))) {
    return { original: href, marketplace: "short", kind: "short", url };
  }

  // amzn.com/<ASIN>: Amazon's retired own shortener, always the US store.
  const store = host === "amzn.com" || host === "www.amzn.com" ? marketplaceByHost("amazon.com") : marketplaceByHost(host);
  if (!store) return null;

  // No query, or none that can spell `tag` (literally or percent-encoded): no URLSearchParams to make.
  const search = url.search;
  const queryTag = search.length > 1 && (search.includes("tag") || search.includes("%")) ? (url.searchParams.get("tag") ?? undefined) : undefined;
  let product: { asin: string; legacyTag?: string } | undefined;
  if (host.endsWith("amzn.com")) {
    // amzn.com/<ASIN>; a full product path (`amzn.com/dp/<ASIN>`) is read as one.
    const first = segments[0];
    if (first !== undefined && !ASIN_SEGMENT.test(first)) product = productFromPath(segments);
    // Otherwise a letters-and-digits segment is a mistyped ASIN (an invalid-asin finding); anything else is another page.
    if (!product && first && /^[0-9A-Za-z]+$/.test(first) && first.toLowerCase() !== "product") {
      product = { asin: first.toUpperCase() };
    }
  } else {
    product = productFromPath(segments);
  }

  if (product && ASIN_SEGMENT.test(product.asin)) {
    const tag = queryTag || product.legacyTag;
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
