/**
 * The "page" checker: fetch the store's product page and read it the way a
 * careful human would. Amazon blocks robots with captchas that come as 200 or
 * 503, so a status code alone proves nothing: only a real "not found" is dead,
 * every wall is `unverified`.
 */
import { parseAmazonUrl } from "../amazon/parse.js";
import type { Marketplace } from "../amazon/stores.js";
import { request, type HttpContext, type HttpResponse } from "./http.js";
import type { Verdict } from "./types.js";

const MAX_HOPS = 5;
const CAPTCHA = [
  /\/errors\/validateCaptcha/i,
  /captchacharacters/i,
  /Enter the characters you see below/i,
  /api-services-support@amazon\.com/i,
  /Type the characters you see in this image/i,
];
const NOT_FOUND = [/Sorry!? We couldn(?:'|&#39;|’)t find that page/i, /Looking for something\?/i];

export function isCaptcha(body: string): boolean {
  return CAPTCHA.some((re) => re.test(body));
}

export function isNotFoundPage(body: string): boolean {
  return NOT_FOUND.some((re) => re.test(body));
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function clean(text: string): string {
  return decodeEntities(text.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
}

/** The product title: `<span id="productTitle">`, else the page `<title>` minus the store's decoration. */
export function productTitle(body: string): { title: string; fromProductTitle: boolean } | undefined {
  const span = /<span[^>]*\bid=["']productTitle["'][^>]*>([\s\S]*?)<\/span>/i.exec(body);
  if (span) {
    const title = clean(span[1]!);
    if (title) return { title, fromProductTitle: true };
  }
  const head = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body);
  if (!head) return undefined;
  const title = clean(head[1]!)
    .replace(/^Amazon\.[a-z.]+\s*:\s*/i, "")
    .replace(/\s*:\s*Amazon\.[a-z.]+.*$/i, "")
    .trim();
  // "Amazon.com" alone is the home page or an interstitial, not a product.
  return title && !/^Amazon(\.[a-z.]+)?$/i.test(title) ? { title, fromProductTitle: false } : undefined;
}

function classify(response: HttpResponse, asin: string): Verdict {
  const { status, body } = response;
  if (isCaptcha(body)) return { status: "unverified", reason: `robot check (captcha page, HTTP ${status})` };
  if (status === 404 || status === 410) return { status: "dead", reason: `product page not found (HTTP ${status})` };
  if (status === 200) {
    if (isNotFoundPage(body)) return { status: "dead", reason: "Amazon answered with its “page not found” page" };
    const found = productTitle(body);
    if (found || body.includes(`/dp/${asin}`)) return found ? { status: "live", title: found.title } : { status: "live" };
    return { status: "unverified", reason: "HTTP 200 but not a product page (unrecognised answer)" };
  }
  if (status === 403) return { status: "unverified", reason: "blocked by Amazon (HTTP 403)" };
  if (status === 429) return { status: "unverified", reason: "throttled by Amazon (HTTP 429)" };
  if (status >= 500) return { status: "unverified", reason: `Amazon server error (HTTP ${status})` };
  return { status: "unverified", reason: `unexpected answer (HTTP ${status})` };
}

/** Where a redirect leads, as an Amazon URL; undefined when it leaves Amazon and our endpoints. */
export function redirectTarget(ctx: HttpContext, location: string, from: URL): URL | undefined {
  let url: URL;
  try {
    // Relative Locations are relative to the Amazon URL meant, not to a proxy's path prefix.
    url = new URL(location, from);
  } catch {
    return undefined;
  }
  return ctx.options.unroute(url) ?? url;
}

export async function checkPage(ctx: HttpContext, asin: string, store: Marketplace): Promise<Verdict> {
  let url = new URL(`https://${store.host}/dp/${asin}`);
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const outcome = await request(ctx, {
      url,
      headers: { accept: "text/html,application/xhtml+xml", "accept-language": "en;q=0.8, *;q=0.5" },
      transient: (res) => isCaptcha(res.body),
    });
    if (outcome.kind === "failure") return { status: "unverified", reason: outcome.reason };
    const { response } = outcome;
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = redirectTarget(ctx, location, url);
      if (!next || !store.hosts.includes(next.hostname.toLowerCase())) {
        return { status: "unverified", reason: `redirected away from ${store.host} (to ${next?.host ?? "an invalid URL"})` };
      }
      if (/^\/errors\/validateCaptcha/i.test(next.pathname)) {
        return { status: "unverified", reason: `robot check (redirect to captcha, HTTP ${response.status})` };
      }
      const parsed = parseAmazonUrl(next.href);
      if (parsed?.kind === "product" && parsed.asinValid && parsed.asin !== asin) {
        // A merged listing: the old ASIN still leads to a product.
        return { status: "live", redirectedTo: parsed.asin!, reason: `redirects to ${parsed.asin}` };
      }
      if (parsed?.kind !== "product" || parsed.asin !== asin) {
        return { status: "unverified", reason: `redirected to ${next.pathname}, not a product page` };
      }
      url = next;
      continue;
    }
    const verdict = classify(response, asin);
    if (outcome.note && verdict.status === "unverified") verdict.reason = `${verdict.reason}; ${outcome.note}`;
    return verdict;
  }
  return { status: "unverified", reason: `more than ${MAX_HOPS} redirects` };
}
