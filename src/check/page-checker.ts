/**
 * The "page" checker: fetch the store's product page and read it the way a
 * careful human would. Amazon blocks robots with captchas that come as 200 or
 * 503 and with a JavaScript challenge as 202, so a status code alone proves
 * nothing: only its "not found" page as a 404 is dead, every wall is
 * `unverified`, and a product is live only when the page shows a product.
 */
import { parseAmazonUrl } from "../amazon/parse.js";
import type { Marketplace } from "../amazon/stores.js";
import { loadPageReader, type AmazonPageFacts } from "./amazon-page.js";
import { saysUnavailable } from "./availability-text.js";
import { request, type HttpContext } from "./http.js";
import { productNameFromTitle } from "./store-title.js";
import type { Verdict } from "./types.js";

const MAX_HOPS = 5;
/** Characters of a foreign page's title quoted in a reason. */
const QUOTED_TITLE = 80;

const WALLS: Record<NonNullable<AmazonPageFacts["robotWall"]>, string> = {
  captcha: "captcha page",
  "continue-shopping": "\u201ccontinue shopping\u201d page",
  "waf-challenge": "AWS WAF JavaScript challenge",
};

function quoted(title: string | undefined): string {
  if (!title) return "";
  return ` \u201c${title.length > QUOTED_TITLE ? `${title.slice(0, QUOTED_TITLE)}\u2026` : title}\u201d`;
}

/** The product's name: its title element, else the page title without the store's decoration. */
function titleOf(facts: AmazonPageFacts): string | undefined {
  if (facts.productTitle) return facts.productTitle;
  return facts.documentTitle ? productNameFromTitle(facts.documentTitle) : undefined;
}

/**
 * An answer → a verdict, in an order the real pages justify: Amazon's not-found page is dead
 * only as a 404/410 (it carries the same comment as robot checks, so comments prove nothing);
 * its server-error page and its robot walls are never dead; a product needs a product on the
 * page, never merely a <title>.
 */
export function classifyAnswer(status: number, headers: Headers, facts: AmazonPageFacts, asin: string): Verdict {
  if ((status === 404 || status === 410) && facts.notFoundPage) {
    return { status: "dead", reason: `product page not found (HTTP ${status})` };
  }
  if (facts.serverErrorPage) return { status: "unverified", reason: `Amazon server error (HTTP ${status})` };
  if (facts.robotWall) return { status: "unverified", reason: `robot check (${WALLS[facts.robotWall]}, HTTP ${status})` };
  if (status === 202 || headers.has("x-amzn-waf-action")) {
    return { status: "unverified", reason: `robot check (${WALLS["waf-challenge"]}, HTTP ${status})` };
  }
  if (status === 404 || status === 410) {
    return { status: "unverified", reason: `HTTP ${status} without Amazon's \u201cpage not found\u201d page (a proxy or an outage?)` };
  }
  if (status === 403) return { status: "unverified", reason: "blocked by Amazon (HTTP 403)" };
  if (status === 429) return { status: "unverified", reason: "throttled by Amazon (HTTP 429)" };
  if (status >= 500) return { status: "unverified", reason: `Amazon server error (HTTP ${status})` };
  if (status !== 200 && status !== 203) return { status: "unverified", reason: `unexpected answer (HTTP ${status})` };

  const product = facts.productTitle !== undefined || facts.buyBox || facts.asins.includes(asin);
  if (product) {
    const title = titleOf(facts);
    const verdict: Verdict = { status: "live", ...(title ? { title } : {}) };
    if (facts.outOfStock || (facts.availability !== undefined && saysUnavailable(facts.availability))) {
      verdict.available = false;
      verdict.reason = facts.availability
        ? `Amazon shows \u201c${facts.availability.slice(0, QUOTED_TITLE)}\u201d`
        : "Amazon shows it out of stock";
    }
    return verdict;
  }
  if (facts.notFoundPage) {
    return {
      status: "unverified",
      reason: "Amazon's \u201cpage not found\u201d page with HTTP 200 (dead only when it comes as 404); the next build asks again",
    };
  }
  if (facts.signIn)
    return {
      status: "unverified",
      reason: `Amazon answered with its sign-in page${quoted(facts.documentTitle)} (HTTP 200), not the product page`,
    };
  return {
    status: "unverified",
    reason: `HTTP 200 but no product on the page${quoted(facts.documentTitle)} (a home or interstitial page?)`,
  };
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
  const read = await loadPageReader();
  let url = new URL(`https://${store.host}/dp/${asin}`);
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const outcome = await request(ctx, {
      url,
      headers: { accept: "text/html,application/xhtml+xml", "accept-language": "en;q=0.8, *;q=0.5" },
      // A robot wall (whatever its status) often lets the next request through; after the
      // last retry it counts as a block for the cool-down.
      transient: (res) => read(res.body).robotWall !== undefined,
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
    const verdict = classifyAnswer(response.status, response.headers, read(response.body), asin);
    if (outcome.note && verdict.status === "unverified") verdict.reason = `${verdict.reason}; ${outcome.note}`;
    return verdict;
  }
  return { status: "unverified", reason: `more than ${MAX_HOPS} redirects` };
}
