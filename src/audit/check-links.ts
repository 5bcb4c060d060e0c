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
import type { CheckItem, CheckResult } from "../check/types.js";

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

  // Per product: its own store first, then each other store asked about (availability), in one batch.
  const stores = [...new Set(extra.availabilityIn ?? [])];
  const askedIn = new Map<string, { others: string[]; asked: string[] }>();
  const plan = (own: string) => {
    let entry = askedIn.get(own);
    if (!entry) {
      const others = stores.filter((s) => s !== own);
      entry = { others, asked: others.length ? [own, ...others].sort() : [] };
      askedIn.set(own, entry);
    }
    return entry;
  };
  const items: CheckItem[] = [];
  for (const link of expanded) {
    const { asin, marketplace } = link.parsed;
    if (link.parsed.kind !== "product" || !link.parsed.asinValid || !asin) continue;
    items.push({ asin, marketplace });
    for (const other of plan(marketplace).others) items.push({ asin, marketplace: other });
  }
  const results = items.length ? await checker.check(items) : [];
  extra.onTiming?.(started, Date.now());

  let next = 0;
  return expanded.map((link) => {
    const { asin, marketplace } = link.parsed;
    if (link.parsed.kind !== "product" || !link.parsed.asinValid || !asin) return { ...link, status: "unchecked" as const };
    const own = results[next] as CheckResult;
    const { others, asked } = plan(marketplace);
    const elsewhere = results.slice(next + 1, next + 1 + others.length);
    next += 1 + others.length;
    const findings = [...link.decision.findings, ...verdictFindings(link.parsed, own, options)];
    const availability = asked.length ? availabilityOf(own, elsewhere, asked) : undefined;
    return {
      ...link,
      decision: { ...link.decision, findings },
      status: own.status,
      checkedAt: own.checkedAt,
      checkedVia: own.via,
      ...(own.title ? { title: own.title } : {}),
      ...availability,
    };
  });
}

/**
 * Where a product is live and where nobody could tell, over the stores asked (sorted). Undefined when no
 * store gave a verdict: offline and lockfile-only runs know nothing about availability, and say nothing.
 */
function availabilityOf(own: CheckResult, elsewhere: readonly CheckResult[], asked: readonly string[]): { liveIn: string[]; unknownIn: string[] } | undefined {
  if (own.status === "unverified" && elsewhere.every((r) => r.status === "unverified")) return undefined;
  const statusIn = (store: string) => (store === own.marketplace ? own : elsewhere.find((r) => r.marketplace === store))?.status ?? "unverified";
  const liveIn: string[] = [];
  const unknownIn: string[] = [];
  for (const store of asked) {
    const status = statusIn(store);
    if (status === "live") liveIn.push(store);
    else if (status === "unverified") unknownIn.push(store);
  }
  return { liveIn, unknownIn };
}
