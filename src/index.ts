/**
 * eleventy-plugin-amazon-links: public exports only.
 */
import amazonLinksPlugin from "./eleventy/plugin.js";

export default amazonLinksPlugin;
export { AmazonLinksBuildError } from "./eleventy/plugin.js";
export { parseAmazonUrl, formatAmazonUrl, marketplaces, isValidAsin } from "./amazon/index.js";
export type { AmazonUrl, AmazonUrlKind, FormatOptions, Marketplace } from "./amazon/index.js";
export { remarkAmazonLinks, rehypeAmazonLinks } from "./unified/index.js";
export type { UnifiedAmazonLinksOptions } from "./unified/index.js";
export { resolveOptions, AmazonLinksOptionError } from "./rules/options.js";
export type { AmazonLinksOptions } from "./options.js";
export type { ReportOptions, RuleOptions } from "./rules/options.js";
export type { LocalizeOptions } from "./localize/options.js";
export type { CheckOptions, CheckItem, CheckResult, CheckStatus } from "./check/index.js";

/**
 * Check products (live, dead or unverified) with the lockfile, rate limits and
 * time budget of the `check` option. The checking code loads on first use, so
 * importing the plugin stays cheap.
 */
export async function checkAsins(
  items: readonly import("./check/index.js").CheckItem[],
  options?: import("./check/index.js").CheckOptions,
): Promise<import("./check/index.js").CheckResult[]> {
  const { checkAsins: check } = await import("./check/index.js");
  return check(items, options);
}
export type { Finding, RuleId, Severity } from "./rules/rule-ids.js";
export type { Report, LinkRecord, PageRecord, ReportSummary, LinkStatus } from "./results.js";
