/**
 * The attributes a tagged link gets, as hast properties: the same as the
 * Eleventy plugin writes (rel merged into the link's own, data attributes,
 * target where the link has none). mdast links carry them as `hProperties`.
 */
import type { Properties } from "hast";
import type { FoundLink } from "../html/rewrite-page.js";
import type { Decided } from "../rules/decide-link.js";
import { mergeRel } from "../html/link-edits.js";
import type { ResolvedOptions } from "../rules/options.js";

/** `existing` is left as it is; the result holds the properties to set. */
export function taggedLinkProperties(found: Decided<FoundLink>, options: ResolvedOptions, existing: Readonly<Properties> = {}): Properties {
  const properties: Properties = {};
  if (found.decision.tag === undefined) return properties;
  if (options.rel) {
    const rel = existing.rel;
    const current = Array.isArray(rel) ? rel.join(" ") : typeof rel === "string" ? rel : undefined;
    const merged = mergeRel(current, options.rel);
    if (merged !== undefined) properties.rel = merged.split(" ");
  }
  if (options.dataAttributes) {
    const { parsed } = found;
    if (parsed.kind === "product" && parsed.asinValid && parsed.asin) properties.dataAmazonAsin = parsed.asin;
    properties.dataAmazonStore = parsed.marketplace;
  }
  if (options.target && (existing.target === undefined || existing.target === null)) properties.target = options.target;
  return properties;
}
