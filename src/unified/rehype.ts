/**
 * rehypeAmazonLinks: rewrite `a[href]` and `area[href]` in hast. Subtrees where
 * a link is not a link (code, pre, script, style, textarea, template) and
 * subtrees opted out with data-amazon-links="off" are skipped.
 */
import type { Element, Root } from "hast";
import type { VFile } from "vfile";
import { parseAmazonUrl } from "../amazon/parse.js";
import { decideLink, mergeRel } from "../rules/decide-link.js";
import type { AmazonLinksOptions } from "../options.js";
import { resolveOptions } from "../rules/options.js";
import { reportFindings } from "./messages.js";
import { walk } from "./walk.js";

const IGNORED = new Set(["code", "pre", "script", "style", "textarea", "template"]);

export default function rehypeAmazonLinks(options: AmazonLinksOptions = {}) {
  const settings = resolveOptions(options);
  return function transformer(tree: Root, file: VFile): void {
    walk(tree, (child) => {
      if (child.type !== "element") return;
      const node = child as Element;
      if (IGNORED.has(node.tagName) || node.properties.dataAmazonLinks === "off") return false;
      if (node.tagName !== "a" && node.tagName !== "area") return;
      const href = node.properties.href;
      if (typeof href !== "string") return;
      const parsed = parseAmazonUrl(href);
      if (!parsed) return;
      const decision = decideLink(parsed, settings);
      reportFindings(file, node, decision.findings);
      node.properties.href = decision.href;
      if (decision.tag === undefined) return;
      if (settings.rel) {
        const existing = node.properties.rel;
        const current = Array.isArray(existing) ? existing.join(" ") : typeof existing === "string" ? existing : undefined;
        const merged = mergeRel(current, settings.rel);
        if (merged !== undefined) node.properties.rel = merged.split(" ");
      }
      if (settings.dataAttributes) {
        if (parsed.kind === "product" && parsed.asinValid) node.properties.dataAmazonAsin = parsed.asin;
        node.properties.dataAmazonStore = parsed.marketplace;
      }
      return undefined;
    });
  };
}
