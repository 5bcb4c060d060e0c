/**
 * remarkAmazonLinks: rewrite Amazon `link` and `definition` nodes in mdast.
 * Code (inline or fenced) holds no link nodes, so it is never touched.
 */
import type { Definition, Link, Root } from "mdast";
import type { VFile } from "vfile";
import { parseAmazonUrl } from "../amazon/parse.js";
import { decideLink } from "../rules/decide-link.js";
import type { AmazonLinksOptions } from "../options.js";
import { resolveOptions } from "../rules/options.js";
import { reportFindings } from "./messages.js";
import { walk } from "./walk.js";

export default function remarkAmazonLinks(options: AmazonLinksOptions = {}) {
  const settings = resolveOptions(options);
  return function transformer(tree: Root, file: VFile): void {
    walk(tree, (node) => {
      if (node.type !== "link" && node.type !== "definition") return;
      const target = node as Link | Definition;
      const parsed = parseAmazonUrl(target.url);
      if (!parsed) return;
      const decision = decideLink(parsed, settings);
      reportFindings(file, target, decision.findings);
      target.url = decision.href;
      if (target.type !== "link" || decision.tag === undefined) return;
      // Picked up by remark-rehype as HTML attributes of the <a>.
      const data = (target.data ?? {}) as { hProperties?: Record<string, unknown> };
      const hProperties: Record<string, unknown> = { ...data.hProperties };
      if (settings.rel) hProperties.rel = [...settings.rel];
      if (settings.dataAttributes) {
        if (parsed.kind === "product" && parsed.asinValid) hProperties.dataAmazonAsin = parsed.asin;
        hProperties.dataAmazonStore = parsed.marketplace;
      }
      target.data = { ...data, hProperties } as Link["data"];
    });
  };
}
