/**
 * Bench variant (bench/phases.mjs --compare bench/variants/posthtml): the job done the way many Eleventy
 * sites do HTML work, a posthtml transform. Pages the plugin's pre-check passes are parsed, every
 * `<a href>` Amazon's is rewritten to the clean tagged link with `rel="sponsored nofollow"`, and the page
 * is rendered again. No checks, no report, no localization script: less than the plugin does, so the
 * plugin's added time must stay below this one's.
 */
import posthtml from "posthtml";
import { formatAmazonUrl, parseAmazonUrl } from "../../../dist/index.js";
import { mayContainAmazonLink } from "../../../dist/html/precheck.js";

export default function posthtmlAmazonLinks(eleventyConfig, options = {}) {
  const tags = options.tags ?? {};
  const rewrite = (tree) => {
    tree.match({ tag: "a" }, (node) => {
      const href = node.attrs?.href;
      const parsed = typeof href === "string" ? parseAmazonUrl(href) : null;
      if (!parsed || parsed.kind === "short" || parsed.kind === "other") return node;
      node.attrs.href = formatAmazonUrl(parsed, { tag: tags[parsed.marketplace] });
      node.attrs.rel = "sponsored nofollow";
      return node;
    });
  };
  eleventyConfig.addTransform("amazon-links-posthtml", async function (content) {
    const outputPath = this.page?.outputPath;
    if (typeof outputPath !== "string" || !outputPath.endsWith(".html") || !mayContainAmazonLink(content)) return content;
    return (await posthtml([rewrite]).process(content)).html;
  });
}
