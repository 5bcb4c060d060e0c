/**
 * A checker's verdict on one product → findings. Pure: the verdicts come from
 * src/check, the wording and severities are decided here.
 */
import type { AmazonUrl } from "../amazon/parse.js";
import { marketplaceByCode } from "../amazon/stores.js";
import type { ResolvedOptions } from "./options.js";
import { finding, type Finding } from "./rule-ids.js";

export interface ProductVerdict {
  status: "live" | "dead" | "unverified";
  reason?: string;
  redirectedTo?: string;
  /** False for a live product the store shows as unavailable. */
  available?: false;
}

function domainOf(code: string): string {
  return marketplaceByCode(code)?.domain ?? code;
}

export function verdictFindings(link: AmazonUrl, verdict: ProductVerdict, options: ResolvedOptions): Finding[] {
  const where = domainOf(link.marketplace);
  if (verdict.status === "dead") {
    return finding(
      options,
      "dead-asin",
      `Product ${link.asin} does not exist on ${where}${verdict.reason ? `: ${verdict.reason}` : ""}. Remove the link or point it at a live product.`,
    );
  }
  if (verdict.status === "live" && verdict.available === false) {
    return finding(
      options,
      "unavailable",
      `Product ${link.asin} is unavailable on ${where}${verdict.reason ? ` (${verdict.reason})` : ""}: visitors cannot buy it there. Link to an edition or store where it can be bought.`,
    );
  }
  if (verdict.status === "unverified") {
    return finding(
      options,
      "unverified",
      `Could not check ${link.asin} on ${where}: ${verdict.reason ?? "no answer"}. The next build asks again.`,
    );
  }
  return [];
}

/** The untagged finding for a short link that could not be expanded, saying why. */
export function unexpandedShortLinkFinding(link: AmazonUrl, reason: string, options: ResolvedOptions): Finding[] {
  return finding(
    options,
    "untagged",
    `Short link ${link.url.host}${link.url.pathname} could not be expanded (${reason}), so it cannot be tagged. Replace it with the full Amazon URL (…/dp/ASIN).`,
  );
}

/** A short link expanded from the lockfile because asking again failed: it ships, with a warning saying so. */
export function staleShortLinkFinding(link: AmazonUrl, reason: string, checkedAt: string, options: ResolvedOptions): Finding[] {
  return finding(
    options,
    "unverified",
    `Short link ${link.url.host}${link.url.pathname} could not be expanded again (${reason}); using its target as of ${checkedAt.slice(0, 10)} from the lockfile. The next build asks again.`,
  );
}
