/**
 * Decided links + a checker → new links with statuses: short links expanded
 * and decided as what they stand for, products checked (once per store and
 * ASIN, shared across pages by the checker), verdicts added to the findings.
 * The links given are never changed. Used by the Eleventy plugin and the CLI;
 * the network itself is behind the Checker (src/check).
 */
import { parseAmazonUrl } from "../amazon/parse.js";
import type { FoundLink } from "../html/rewrite-page.js";
import { decideLink, type Decided } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";
import { staleShortLinkFinding, unexpandedShortLinkFinding, verdictFindings } from "../rules/verdicts.js";
import type { LinkStatus } from "../results.js";
import type { Checker } from "../check/index.js";
import type { CheckItem, CheckResult } from "../check/types.js";
import { allNow, andThen, type Eventually } from "../eventually.js";

/** A found link as the audit leaves it. */
export interface CheckedLink extends Decided<FoundLink> {
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

function expand<Link extends Decided<FoundLink>>(link: Link, checker: Checker, options: ResolvedOptions): Eventually<Link> {
  if (link.parsed.kind !== "short") return link;
  const href = link.parsed.original;
  return andThen(checker.expandNow(href) ?? checker.expandShortLink(href), (result) => {
    const target = result.ok ? parseAmazonUrl(result.target) : null;
    if (!result.ok || !target || target.kind === "short") {
      const reason = result.ok ? `it leads to ${result.target}, not an Amazon product` : result.reason;
      return { ...link, decision: { href: link.decision.href, findings: unexpandedShortLinkFinding(link.parsed, reason, options) } };
    }
    // Decided as the full URL it stands for; the HTML edit replaces the short href.
    const decision = decideLink(target, options);
    if (!result.stale) return { ...link, parsed: target, decision };
    const stale = staleShortLinkFinding(link.parsed, result.stale, result.checkedAt, options);
    return { ...link, parsed: target, decision: { ...decision, findings: [...stale, ...decision.findings] } };
  });
}

export type Checked<Link extends Decided<FoundLink>> = Link & Omit<CheckedLink, keyof Decided<FoundLink>>;

/** Per store a product links to: the other stores to ask, and all stores asked, sorted. */
interface AvailabilityPlan {
  others: string[];
  asked: string[];
}

function availabilityPlan(stores: readonly string[], own: string): AvailabilityPlan {
  const others = [...new Set(stores)].filter((s) => s !== own);
  return { others, asked: others.length ? [own, ...others].sort() : [] };
}

const isCheckable = (link: { parsed: FoundLink["parsed"] }): boolean =>
  link.parsed.kind === "product" && link.parsed.asinValid === true && !!link.parsed.asin;

/**
 * Check the links of one document: one new object per link, with the same fields in the same order.
 * Returns them now when the checker can answer without the network (see `Eventually`).
 */
export function checkLinks<Link extends Decided<FoundLink>>(
  links: readonly Link[],
  checker: Checker | undefined,
  options: ResolvedOptions,
  extra: CheckLinksOptions = {},
): Eventually<Array<Checked<Link>>> {
  if (!checker) return links.map((link) => settle(link, link.decision, "unchecked"));
  const started = Date.now();
  const expanded = links.some((link) => link.parsed.kind === "short") ? allNow(links.map((link) => expand(link, checker, options))) : links;
  return andThen(expanded, (expanded) => {
    const stores = extra.availabilityIn ?? [];
    // Lockfile-only runs answer availability from the lockfile directly, without a result per store.
    const lookupOnly = stores.length > 0 && checker.options.via === "lockfile";
    // Per product: its own store, then (unless lookupOnly) each other store asked about, in one batch.
    const items: CheckItem[] = [];
    for (const link of expanded) {
      if (!isCheckable(link)) continue;
      const { asin, marketplace } = link.parsed as { asin: string; marketplace: string };
      items.push({ asin, marketplace });
      if (!lookupOnly) for (const other of availabilityPlan(stores, marketplace).others) items.push({ asin, marketplace: other });
    }
    const results = items.length ? (checker.checkNow(items) ?? checker.check(items)) : [];
    return andThen(results, (results) => {
      extra.onTiming?.(started, Date.now());
      return settleAll(expanded, results, checker, options, stores, lookupOnly);
    });
  });
}

/** Each link with its own store's result, its availability elsewhere, and the findings its verdict makes. */
function settleAll<Link extends Decided<FoundLink>>(
  links: readonly Link[],
  results: readonly CheckResult[],
  checker: Checker,
  options: ResolvedOptions,
  stores: readonly string[],
  lookupOnly: boolean,
): Array<Checked<Link>> {
  let next = 0;
  return links.map((link): Checked<Link> => {
    if (!isCheckable(link)) return settle(link, link.decision, "unchecked");
    const { asin, marketplace } = link.parsed as { asin: string; marketplace: string };
    const own = results[next++] as CheckResult;
    let availability: { liveIn: string[]; unknownIn: string[] } | undefined;
    if (stores.length > 0) {
      const plan = availabilityPlan(stores, marketplace);
      let statusIn: (store: string) => string | undefined;
      if (lookupOnly) {
        statusIn = (store) => (store === marketplace ? availabilityStatus(own) : checker.lookup(store, asin));
      } else {
        const elsewhere = results.slice(next, next + plan.others.length);
        next += plan.others.length;
        statusIn = (store) => availabilityStatus(store === marketplace ? own : elsewhere[plan.others.indexOf(store)]);
      }
      availability = availabilityOf(plan.asked, statusIn);
    }
    const verdicts = verdictFindings(link.parsed, own, options);
    const decision = verdicts.length ? { ...link.decision, findings: [...link.decision.findings, ...verdicts] } : link.decision;
    return settle(link, decision, own.status, own, availability);
  });
}

/** The link with its decision and all its check fields (undefined where unknown): one object shape for every link. */
function settle<Link extends Decided<FoundLink>>(
  link: Link,
  decision: Link["decision"],
  status: CheckedLink["status"],
  result?: CheckResult,
  availability?: { liveIn: string[]; unknownIn: string[] },
): Checked<Link> {
  return {
    ...link,
    decision,
    status,
    checkedAt: result?.checkedAt,
    checkedVia: result?.via,
    title: result?.title || undefined,
    liveIn: availability?.liveIn,
    unknownIn: availability?.unknownIn,
  };
}

/** A result as the localization script sees it: a product shown as unavailable is no better than a dead one. */
function availabilityStatus(result: CheckResult | undefined): string | undefined {
  return result?.available === false ? "unavailable" : result?.status;
}

/**
 * Where a product is live (and can be bought) and where nobody could tell, over the stores asked (sorted).
 * Undefined when no store gave a verdict: offline and lockfile-only runs that know nothing about a product say nothing.
 */
function availabilityOf(
  asked: readonly string[],
  statusIn: (store: string) => string | undefined,
): { liveIn: string[]; unknownIn: string[] } | undefined {
  let liveIn: string[] | undefined;
  let unknownIn: string[] | undefined;
  let known = false;
  for (const store of asked) {
    const status = statusIn(store);
    if (status === "live") (liveIn ??= []).push(store);
    if (status === "live" || status === "dead" || status === "unavailable") known = true;
    else (unknownIn ??= []).push(store);
  }
  return known ? { liveIn: liveIn ?? [], unknownIn: unknownIn ?? [] } : undefined;
}
