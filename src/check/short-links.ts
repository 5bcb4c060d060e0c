/**
 * Short links (amzn.to, amzn.eu, amzn.asia, a.co) → the Amazon URL they lead
 * to, by following redirects ourselves: HEAD first (no body to download),
 * GET when HEAD is not answered with a redirect, at most 5 hops, and only
 * while every hop stays on Amazon. The store page itself is never fetched.
 */
import { parseAmazonUrl } from "../amazon/parse.js";
import { shortLinkHosts } from "../amazon/stores.js";
import { request, type HttpContext, type HttpOutcome } from "./http.js";
import { redirectTarget } from "./page-checker.js";

export const MAX_SHORT_LINK_HOPS = 5;
const SHORT_HOSTS = new Set(shortLinkHosts);

function shortHost(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  return SHORT_HOSTS.has(host);
}

/** The cache key of a short link: https, lower-case host, path and query as given. Undefined when not a short link. */
export function normaliseShortLink(href: string): string | undefined {
  const parsed = parseAmazonUrl(href);
  if (parsed?.kind !== "short") return undefined;
  const url = parsed.url;
  return `https://${url.hostname.toLowerCase().replace(/^www\./, "")}${url.pathname}${url.search}`;
}

/**
 * `definitive`: the short link is known to be gone or to lead off Amazon (not a failure to ask):
 * a target learned before must not stand in for it.
 */
export type Expansion = { ok: true; target: string } | { ok: false; reason: string; definitive?: boolean };

function isRedirect(outcome: HttpOutcome): boolean {
  return (
    outcome.kind === "response" &&
    outcome.response.status >= 300 &&
    outcome.response.status < 400 &&
    outcome.response.headers.has("location")
  );
}

export async function expandShortLinkOnline(ctx: HttpContext, key: string): Promise<Expansion> {
  let url = new URL(key);
  for (let hop = 0; hop < MAX_SHORT_LINK_HOPS; hop++) {
    let outcome = await request(ctx, { url, method: "HEAD" });
    if (outcome.kind === "response" && !isRedirect(outcome)) {
      // Some shorteners answer HEAD with 405 or 404: ask properly before judging.
      outcome = await request(ctx, { url, method: "GET", maxBody: 200_000 });
    }
    if (outcome.kind === "failure") return { ok: false, reason: `could not expand ${key}: ${outcome.reason}` };
    if (!isRedirect(outcome)) {
      const status = outcome.response.status;
      const gone = status === 404 || status === 410;
      const why = gone ? "the short link does not exist" : "it did not redirect";
      return { ok: false, reason: `could not expand ${key}: ${why} (HTTP ${status})`, definitive: gone };
    }
    const next = redirectTarget(ctx, outcome.response.headers.get("location")!, url);
    if (!next || (next.protocol !== "https:" && next.protocol !== "http:")) {
      return { ok: false, reason: `could not expand ${key}: redirect to an invalid URL`, definitive: true };
    }
    if (shortHost(next)) {
      url = next;
      continue;
    }
    const parsed = parseAmazonUrl(next.href);
    if (!parsed) {
      return { ok: false, reason: `${key} redirects to ${next.host}, which is not an Amazon store; not followed`, definitive: true };
    }
    return { ok: true, target: next.href };
  }
  return { ok: false, reason: `could not expand ${key}: more than ${MAX_SHORT_LINK_HOPS} redirects`, definitive: true };
}
