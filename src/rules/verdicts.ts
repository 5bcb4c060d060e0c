/**
 * A checker's verdict on one product → findings. Pure: the verdicts come from
 * src/check, the wording and severities are decided here.
 */
import type { AmazonUrl } from "../amazon/parse.js";
import { marketplaceByCode } from "../amazon/stores.js";
import type { ResolvedOptions } from "./options.js";
import type { Finding } from "./rule-ids.js";

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
    const severity = options.severities["dead-asin"];
    if (severity === "off") return [];
    return [
      {
        rule: "dead-asin",
        severity,
        message: `Product ${link.asin} does not exist on ${where}${verdict.reason ? `: ${verdict.reason}` : ""}. Remove the link or point it at a live product.`,
      },
    ];
  }
  if (verdict.status === "live" && verdict.available === false) {
    const severity = options.severities.unavailable;
    if (severity === "off") return [];
    return [
      {
        rule: "unavailable",
        severity,
        message: `Product ${link.asin} is unavailable on ${where}${verdict.reason ? ` (${verdict.reason})` : ""}: visitors cannot buy it there. Link to an edition or store where it can be bought.`,
      },
    ];
  }
  if (verdict.status === "unverified") {
    const severity = options.severities.unverified;
    if (severity === "off") return [];
    return [
      {
        rule: "unverified",
        severity,
        message: `Could not check ${link.asin} on ${where}: ${verdict.reason ?? "no answer"}. The next build asks again.`,
      },
    ];
  }
  return [];
}

/** The untagged finding for a short link that could not be expanded, saying why. */
export function unexpandedShortLinkFinding(link: AmazonUrl, reason: string, options: ResolvedOptions): Finding[] {
  const severity = options.severities.untagged;
  if (severity === "off") return [];
  return [
    {
      rule: "untagged",
      severity,
      message: `Short link ${link.url.host}${link.url.pathname} could not be expanded (${reason}), so it cannot be tagged. Replace it with the full Amazon URL (…/dp/ASIN).`,
    },
  ];
}
