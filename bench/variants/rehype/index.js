/**
 * Bench variant (bench/phases.mjs --compare bench/variants/rehype): the job done by a rehype transform in
 * Eleventy, with this package's own rehype plugin: pages the pre-check passes go through
 * rehype-parse → rehypeAmazonLinks → rehype-stringify. No lockfile checks and no report, so the plugin's
 * added time must stay below this one's.
 */
import rehypeParse from "rehype-parse";
import rehypeStringify from "rehype-stringify";
import { unified } from "unified";
import { rehypeAmazonLinks } from "../../../dist/index.js";
import { mayContainAmazonLink } from "../../../dist/html/precheck.js";

export default function rehypeTransform(eleventyConfig, options = {}) {
  const processor = unified()
    .use(rehypeParse)
    .use(rehypeAmazonLinks, { tags: options.tags ?? {} })
    .use(rehypeStringify);
  eleventyConfig.addTransform("amazon-links-rehype", async function (content) {
    const outputPath = this.page?.outputPath;
    if (typeof outputPath !== "string" || !outputPath.endsWith(".html") || !mayContainAmazonLink(content)) return content;
    return String(await processor.process(content));
  });
}
