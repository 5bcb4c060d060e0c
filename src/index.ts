/**
 * eleventy-plugin-amazon-links: public exports only.
 */
import amazonLinksPlugin from "./eleventy/plugin.js";

export default amazonLinksPlugin;
export { AmazonLinksBuildError } from "./eleventy/plugin.js";
export { parseAmazonUrl, formatAmazonUrl, marketplaces, isValidAsin } from "./amazon/index.js";
export type { AmazonUrl, AmazonUrlKind, FormatOptions, Marketplace } from "./amazon/index.js";
export { remarkAmazonLinks, rehypeAmazonLinks } from "./unified/index.js";
export { resolveOptions, AmazonLinksOptionError } from "./rules/options.js";
export type { AmazonLinksOptions } from "./options.js";
export type { RuleOptions } from "./rules/options.js";
export { checkAsins, createChecker } from "./check/index.js";
export type { CheckOptions, CheckItem, CheckResult, CheckStatus, Checker } from "./check/index.js";
export type { Finding, RuleId, Severity } from "./rules/rule-ids.js";
export type { Report, LinkRecord, PageRecord, ReportSummary, LinkStatus } from "./report/types.js";
