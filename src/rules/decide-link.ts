/**
 * One link in, one decision out: the href to write and the findings. Pure: no
 * I/O, no HTML. Shared by the Eleventy plugin, the unified plugins and the CLI.
 */
import { asinProblem } from "../amazon/asin.js";
import { formatAmazonUrl } from "../amazon/format.js";
import type { AmazonUrl } from "../amazon/parse.js";
import { marketplaceByCode } from "../amazon/stores.js";
import type { ResolvedOptions } from "./options.js";
import { inScope } from "./scope.js";
import { finding, type Finding } from "./rule-ids.js";

export interface LinkDecision {
  /** The href to write; equal to the original when nothing could be improved. */
  href: string;
  /** The tag the written href carries, if any. */
  tag?: string;
  findings: Finding[];
}

function storeLabel(code: string): string {
  const store = marketplaceByCode(code);
  return store ? `${store.domain} (store "${code}")` : `store "${code}"`;
}

export function decideLink(link: AmazonUrl, options: ResolvedOptions): LinkDecision {
  if (link.kind === "short") {
    return {
      href: link.original,
      findings: finding(
        options,
        "untagged",
        `Short link ${link.url.host}${link.url.pathname} hides its store and tag, so it cannot be tagged at build time. Replace it with the full Amazon URL (…/dp/ASIN).`,
      ),
    };
  }

  const ours = options.tags.get(link.marketplace);
  if (!ours) {
    return {
      href: link.original,
      findings: finding(
        options,
        "untagged",
        `No Associates tag for ${storeLabel(link.marketplace)}: add tags: { ${link.marketplace}: "yourtag-21" } to the amazon-links options, or link to a store you have a tag for.`,
      ),
    };
  }

  const findings: Finding[] = [];
  if (link.kind === "product" && link.asin !== undefined && !link.asinValid) {
    findings.push(
      ...finding(
        options,
        "invalid-asin",
        `"${link.asin}" is not a valid ASIN: it ${asinProblem(link.asin)}. Copy the ASIN from the product page.`,
      ),
    );
  }

  let tag = ours[0] as string;
  if (link.tag !== undefined && ours.includes(link.tag)) {
    tag = link.tag; // any of our tags is left as it is
  } else if (link.tag !== undefined) {
    findings.push(...finding(options, "foreign-tag", `Replaced the tag "${link.tag}", which is not one of yours, with "${tag}".`));
  }

  return { href: formatAmazonUrl(link, { tag, keepParams: options.keepParams }), tag, findings };
}

/** A found link with the decision for it. */
export type Decided<Link> = Link & { decision: LinkDecision };

/**
 * The links this run handles (`inScope`), each decided: new objects, the found links are left as they
 * are. Links to stores outside `stores` are dropped here, so nothing later touches or reports them.
 */
export function decideLinks<Link extends { parsed: AmazonUrl }>(links: readonly Link[], options: ResolvedOptions): Array<Decided<Link>> {
  const decided: Array<Decided<Link>> = [];
  for (const link of links) if (inScope(link.parsed, options)) decided.push({ ...link, decision: decideLink(link.parsed, options) });
  return decided;
}
