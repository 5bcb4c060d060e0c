/**
 * Found links + a checker → links with statuses: short links expanded and
 * re-decided, products checked (once per store and ASIN, shared across pages
 * by the checker), verdicts turned into findings. Used by the Eleventy plugin
 * and the CLI; the network itself is behind the Checker (src/check).
 */
import { parseAmazonUrl } from "../amazon/parse.js";
import type { FoundLink } from "../html/rewrite-page.js";
import { decideLink } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";
import { unexpandedShortLinkFinding, verdictFindings } from "../rules/verdicts.js";
import type { LinkStatus } from "../report/types.js";
import type { Checker } from "../check/index.js";

export interface CheckedLink extends FoundLink {
  status: LinkStatus;
  title?: string;
  /** When the verdict was reached, and by which checker. */
  checkedAt?: string;
  checkedVia?: string;
  /** Stores where the product is live, when availability was asked for and some store gave a verdict. */
  liveIn?: string[];
  /** Stores where nobody could tell (captcha, throttled, offline), when availability was asked for. */
  unknownIn?: string[];
}

export interface CheckLinksOptions {
  /** Also check each product in these stores (for the localization script). */
  availabilityIn?: readonly string[];
  /** Told when this call's network part started and ended (epoch ms), for "time spent checking". */
  onTiming?: (start: number, end: number) => void;
}

async function expand<Link extends FoundLink>(link: Link, checker: Checker, options: ResolvedOptions): Promise<Link> {
  if (link.parsed.kind !== "short") return link;
  const result = await checker.expandShortLink(link.parsed.original);
  const target = result.ok ? parseAmazonUrl(result.target) : null;
  if (!result.ok || !target || target.kind === "short") {
    const reason = result.ok ? `it leads to ${result.target}, not an Amazon product` : result.reason;
    return { ...link, decision: { href: link.decision.href, findings: unexpandedShortLinkFinding(link.parsed, reason, options) } };
  }
  // Re-decide as the full URL it stands for; the HTML edit replaces the short href.
  return { ...link, parsed: target, decision: decideLink(target, options) };
}

export type Checked<Link extends FoundLink> = Link & Omit<CheckedLink, keyof FoundLink>;

export async function checkLinks<Link extends FoundLink>(
  links: readonly Link[],
  checker: Checker | undefined,
  options: ResolvedOptions,
  extra: CheckLinksOptions = {},
): Promise<Array<Checked<Link>>> {
  if (!checker) return links.map((link) => ({ ...link, status: "unchecked" }));
  const started = Date.now();
  const expanded = await Promise.all(links.map((link) => expand(link, checker, options)));

  const products = expanded.filter((l) => l.parsed.kind === "product" && l.parsed.asinValid && l.parsed.asin);
  const stores = [...new Set(extra.availabilityIn ?? [])];
  const items = products.flatMap((l) => {
    const asin = l.parsed.asin as string;
    const own = { asin, marketplace: l.parsed.marketplace };
    return [own, ...stores.filter((s) => s !== own.marketplace).map((marketplace) => ({ asin, marketplace }))];
  });
  const results = await checker.check(items);
  extra.onTiming?.(started, Date.now());
  const byKey = new Map(results.map((r) => [`${r.marketplace}:${r.asin}`, r]));
  const checked = new Set(products);

  return expanded.map((link) => {
    const asin = link.parsed.asin;
    if (!checked.has(link) || !asin) return { ...link, status: "unchecked" as const };
    const own = byKey.get(`${link.parsed.marketplace}:${asin.toUpperCase()}`);
    if (!own) return { ...link, status: "unchecked" as const };
    const findings = [...link.decision.findings, ...verdictFindings(link.parsed, own, options)];
    const asked = stores.length ? [...new Set([link.parsed.marketplace, ...stores])].sort() : [];
    const statusIn = (store: string) => byKey.get(`${store}:${asin.toUpperCase()}`)?.status ?? "unverified";
    const unknown = asked.filter((store) => statusIn(store) === "unverified");
    // Availability is known only where some store gave a verdict (offline and lockfile-only runs give none).
    const known = unknown.length < asked.length;
    const liveIn = known ? asked.filter((store) => statusIn(store) === "live") : undefined;
    const unknownIn = known ? unknown : undefined;
    return {
      ...link,
      decision: { ...link.decision, findings },
      status: own.status,
      checkedAt: own.checkedAt,
      checkedVia: own.via,
      ...(own.title ? { title: own.title } : {}),
      ...(liveIn ? { liveIn } : {}),
      ...(unknownIn ? { unknownIn } : {}),
    };
  });
}
