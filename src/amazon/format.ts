/**
 * The one place that writes an Amazon link. No I/O.
 *
 * Product links become `https://www.amazon.<tld>/dp/<ASIN>?tag=<tag>`, with
 * tracking noise dropped and only the keep-list of parameters carried over.
 * Other Amazon pages keep their path and meaningful query, minus `/ref=…`
 * segments and tracking parameters, with the tag set.
 */
import type { AmazonUrl } from "./parse.js";
import { parseAmazonUrl } from "./parse.js";
import { marketplaceByCode } from "./stores.js";

/** Parameters that change what the buyer sees and survive on product links by default. */
export const defaultKeepParams: readonly string[] = Object.freeze(["language", "currency"]);

// Tracking noise (ClearURLs' Amazon rules plus Associates link-builder output).
const NOISE_EXACT = new Set([
  "ref",
  "ref_",
  "qid",
  "sr",
  "srs",
  "sprefix",
  "crid",
  "linkcode",
  "linkid",
  "creativeasin",
  "ascsubtag",
  "_encoding",
  "ie",
  "psc",
  "th",
  "smid",
  "dchild",
  "camp",
  "creative",
  "content-id",
  "social_share",
  "tag",
  "spla",
  "sp_csd",
  "spia",
  "starsleft",
  "dib",
  "dib_tag",
  "hvadid",
  "hvpos",
  "hvnetw",
  "hvrand",
  "hvpone",
  "hvptwo",
  "hvqmt",
  "hvdev",
  "hvdvcmdl",
  "hvlocint",
  "hvlocphy",
  "hvtargid",
  "hydadcr",
  "gclid",
  "fbclid",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "asc_source",
  "asc_refurl",
  "asc_campaign",
]);
const NOISE_PREFIX = ["pf_rd_", "pd_rd_", "ref_", "utm_", "hv"];

function isNoise(name: string): boolean {
  const lower = name.toLowerCase();
  return NOISE_EXACT.has(lower) || NOISE_PREFIX.some((p) => lower.startsWith(p));
}

export interface FormatOptions {
  /** The Associates tag to write. Without one, the link is cleaned but carries no tag. */
  tag?: string;
  /** Write the link for another store (the ASIN is kept). Defaults to the URL's own store. */
  marketplace?: string;
  /** Query parameters kept on product links (default: `language`, `currency`). */
  keepParams?: readonly string[];
}

/**
 * parseAmazonUrl decodes `&amp;` (and `&#38;`, `&#x26;`) in the hrefs it reads;
 * an `&` that would start such an entity in a written path or fragment is
 * percent-encoded so that format(parse(format(x))) === format(x).
 */
function protectEntities(text: string): string {
  return text.includes("&") ? text.replace(/&(?=(?:amp|#0*38|#x0*26);)/gi, "%26") : text;
}

/** The keep-list, lower-cased, once per list (a build formats every link with the same one). */
const keepSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function keepSetOf(list: readonly string[]): ReadonlySet<string> {
  let set = keepSets.get(list);
  if (!set) keepSets.set(list, (set = new Set(list.map((k) => k.toLowerCase()))));
  return set;
}

function encodeParam(name: string, value: string): string {
  return `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
}

/**
 * Write the canonical link for a parsed Amazon URL (or an href). Short links
 * and non-Amazon hrefs are returned as given: they cannot be tagged here.
 */
export function formatAmazonUrl(input: AmazonUrl | string, options: FormatOptions = {}): string {
  const parsed = typeof input === "string" ? parseAmazonUrl(input) : input;
  if (!parsed) return typeof input === "string" ? input : "";
  if (parsed.kind === "short") return parsed.original;
  const code = options.marketplace ?? parsed.marketplace;
  const store = marketplaceByCode(code);
  if (!store) throw new TypeError(`formatAmazonUrl: unknown store code "${code}"`);

  const params: string[] = [];
  if (options.tag) params.push(encodeParam("tag", options.tag));

  if (parsed.kind === "product" && parsed.asinValid) {
    const keep = keepSetOf(options.keepParams ?? defaultKeepParams);
    // Most product links have no query at all: no URLSearchParams to make then.
    if (keep.size > 0 && parsed.url.search.length > 1) {
      for (const [name, value] of parsed.url.searchParams) {
        // An explicit keep-list wins over the noise list (a user may keep `th` or `smid`); never `tag`.
        if (keep.has(name.toLowerCase()) && name.toLowerCase() !== "tag") params.push(encodeParam(name, value));
      }
    }
    return `https://${store.host}/dp/${parsed.asin}${params.length ? `?${params.join("&")}` : ""}`;
  }

  // Non-product (and malformed product) pages: keep the path, minus /ref=… segments.
  // amzn.com/<ASIN> has no path of its own on the store: a malformed one is written as /dp/<ASIN>.
  const legacyShort =
    parsed.kind === "product" &&
    /^(?:www\.)?amzn\.com\.?$/.test(parsed.url.hostname) &&
    parsed.url.pathname
      .split("/")
      .find((s) => s !== "" && !/^ref=/i.test(s))
      ?.toUpperCase() === parsed.asin;
  const path = (legacyShort ? `/dp/${parsed.asin}` : parsed.url.pathname)
    .split("/")
    .filter((segment) => !/^ref=/i.test(segment))
    .join("/");
  // Keep the meaningful pairs as written (`k=fountain+pens` stays as it is).
  for (const pair of parsed.url.search.slice(1).split("&")) {
    if (pair === "") continue;
    const rawName = pair.split("=", 1)[0] as string;
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, " "));
    } catch {
      // malformed escape: judge the raw name
    }
    // A kept pair starting `amp;` would read as `&amp;` after its separator,
    // which parseAmazonUrl decodes: escape its first letter so the output is a fixed point.
    if (!isNoise(name)) params.push(/^amp;/i.test(pair) ? `%${pair.charCodeAt(0).toString(16)}${pair.slice(1)}` : pair);
  }
  const hash = protectEntities(parsed.url.hash);
  return `https://${store.host}${protectEntities(path) || "/"}${params.length ? `?${params.join("&")}` : ""}${hash}`;
}
