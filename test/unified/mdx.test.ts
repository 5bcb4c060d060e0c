/**
 * MDX (remark-mdx, as @mdx-js/mdx, Astro's MDX integration and Docusaurus parse it): `<a href>`
 * in an .mdx file is a JSX element node, neither a link nor raw HTML.
 */
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import remarkStringify from "remark-stringify";
import { unified } from "unified";
import type { Node } from "unist";
import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import { rehypeAmazonLinks, remarkAmazonLinks } from "../../src/index.js";

const tags = { us: "ours-20" };
const source = [
  'import Buy from "./buy.js"',
  "",
  'A <a href="https://www.amazon.com/dp/B00OFWQS94?psc=1">lamp</a> inline.',
  "",
  '<a href="https://www.amazon.com/dp/B00OFWQS94" rel="nofollow" target="_self">block</a>',
  "",
  '<div data-amazon-links="off">',
  '  <a href="https://www.amazon.de/dp/B00OFWQS94">kept</a>',
  "</div>",
  "",
  '<a href={url}>expression</a> and <Buy href="https://www.amazon.de/dp/B00OFWQS94" />',
  "",
].join("\n");

describe("MDX JSX links", () => {
  it("remark: rewrites <a href> elements with a string href, as MDX", async () => {
    const file = await unified().use(remarkParse).use(remarkMdx).use(remarkAmazonLinks, { tags }).use(remarkStringify).process(source);
    expect(String(file)).toBe(
      [
        'import Buy from "./buy.js"',
        "",
        'A <a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">lamp</a> inline.',
        "",
        '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="nofollow sponsored noopener" target="_self" data-amazon-asin="B00OFWQS94" data-amazon-store="us">block</a>',
        "",
        '<div data-amazon-links="off">',
        '  <a href="https://www.amazon.de/dp/B00OFWQS94">kept</a>',
        "</div>",
        "",
        '<a href={url}>expression</a> and <Buy href="https://www.amazon.de/dp/B00OFWQS94" />',
        "",
      ].join("\n"),
    );
    expect(file.messages).toEqual([]);
  });

  it("remark: an untagged JSX link fails the file at its place", async () => {
    const file = new VFile({ value: 'Text <a href="https://www.amazon.de/dp/B00OFWQS94">de</a>\n', path: "docs/post.mdx" });
    await expect(
      unified().use(remarkParse).use(remarkMdx).use(remarkAmazonLinks, { tags }).use(remarkStringify).process(file),
    ).rejects.toThrow(/docs\/post\.mdx:1:6 {2}error {2}No Associates tag for amazon\.de.* {2}untagged/);
  });

  it("rehype: rewrites the JSX elements remark-rehype passes through", async () => {
    const processor = unified()
      .use(remarkParse)
      .use(remarkMdx)
      .use(remarkRehype, { passThrough: ["mdxjsEsm", "mdxFlowExpression", "mdxTextExpression", "mdxJsxFlowElement", "mdxJsxTextElement"] })
      .use(rehypeAmazonLinks, { tags, target: "_blank" });
    const tree = await processor.run(processor.parse(source));
    const links: Array<Record<string, unknown>> = [];
    (function collect(node: Node & { name?: string; attributes?: Array<{ name: string; value: unknown }>; children?: Node[] }) {
      if (node.type.startsWith("mdxJsx") && node.name === "a")
        links.push(Object.fromEntries(node.attributes!.map((a) => [a.name, typeof a.value === "string" ? a.value : "{…}"])));
      node.children?.forEach(collect);
    })(tree);
    expect(links).toEqual([
      {
        href: "https://www.amazon.com/dp/B00OFWQS94?tag=ours-20",
        rel: "sponsored noopener",
        "data-amazon-asin": "B00OFWQS94",
        "data-amazon-store": "us",
        target: "_blank",
      },
      {
        href: "https://www.amazon.com/dp/B00OFWQS94?tag=ours-20",
        rel: "nofollow sponsored noopener",
        target: "_self",
        "data-amazon-asin": "B00OFWQS94",
        "data-amazon-store": "us",
      },
      { href: "https://www.amazon.de/dp/B00OFWQS94" },
      { href: "{…}" },
    ]);
  });
});
