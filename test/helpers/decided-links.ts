/** The page pipeline without checks, as tests drive it: the links found in a page, then decided by the rules. */
import { findAmazonLinks, writeAmazonLinks } from "../../src/html/rewrite-page.js";
import { decideLinks } from "../../src/rules/decide-link.js";
import type { ResolvedOptions } from "../../src/rules/options.js";

/** The page's Amazon links in scope, each with its decision; opted-out links as found. */
export function findDecidedLinks(html: string, options: ResolvedOptions) {
  const found = findAmazonLinks(html);
  return { links: decideLinks(found.links, options), optedOut: found.optedOut };
}

/** The page with every decision written in. */
export function rewritePage(html: string, options: ResolvedOptions): string {
  return writeAmazonLinks(html, findDecidedLinks(html, options).links, options);
}
