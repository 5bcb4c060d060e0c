import rehypeParse from "rehype-parse";
import rehypeStringify from "rehype-stringify";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { reporter } from "vfile-reporter";
import { describe, expect, it } from "vitest";
import { rehypeAmazonLinks, remarkAmazonLinks } from "../../src/index.js";

const tags = { us: "ours-20", uk: "ours-21" };

describe("remarkAmazonLinks", () => {
  const markdown = [
    "# Post",
    "",
    "A [lamp](https://www.amazon.com/dp/B00OFWQS94/ref=sr_1_1?qid=1) and [ref][r].",
    "",
    "`https://www.amazon.com/dp/B00OFWQS94` in code.",
    "",
    "```",
    "[x](https://www.amazon.com/dp/B00OFWQS94)",
    "```",
    "",
    "A [French one](https://www.amazon.fr/dp/2070612759) and a [foreign](https://amazon.co.uk/dp/B00OFWQS94?tag=x-21).",
    "",
    "[r]: https://amazon.co.uk/gp/product/0596517742?psc=1",
    "",
  ].join("\n");

  it("rewrites link and definition nodes in a plain remark → rehype pipeline", async () => {
    const file = await unified()
      .use(remarkParse)
      .use(remarkAmazonLinks, { tags })
      .use(remarkRehype)
      .use(rehypeStringify)
      .process(markdown);
    const html = String(file);
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">lamp</a>',
    );
    expect(html).toContain('<a href="https://www.amazon.co.uk/dp/0596517742?tag=ours-21">ref</a>');
    expect(html).toContain("<code>https://www.amazon.com/dp/B00OFWQS94</code>");
    expect(html).toContain("<pre><code>[x](https://www.amazon.com/dp/B00OFWQS94)\n</code></pre>");
    expect(html).toContain('<a href="https://www.amazon.fr/dp/2070612759">French one</a>');
  });

  it("reports findings as vfile messages with ruleId, source, place and fatal for errors", async () => {
    const file = await unified().use(remarkParse).use(remarkAmazonLinks, { tags }).use(remarkRehype).use(rehypeStringify).process(markdown);
    expect(
      file.messages.map((m) => ({ ruleId: m.ruleId, source: m.source, fatal: m.fatal, line: m.line, column: m.column })),
    ).toEqual([
      { ruleId: "untagged", source: "amazon-links", fatal: true, line: 11, column: 3 },
      { ruleId: "foreign-tag", source: "amazon-links", fatal: false, line: 11, column: 59 },
    ]);
    const printed = reporter([file]);
    expect(printed).toMatch(/11:3-11:52\s+error\s+No Associates tag for amazon\.fr.*untagged\s+amazon-links/);
    expect(printed).toMatch(/warning\s+Replaced the tag "x-21".*foreign-tag\s+amazon-links/);
  });
});

describe("rehypeAmazonLinks", () => {
  it("rewrites a[href] and area[href], merges rel, skips code/pre/script/template and opt-outs", async () => {
    const input = [
      '<p><a href="https://amazon.com/dp/B00OFWQS94?psc=1" rel="nofollow">a</a></p>',
      '<map><area href="https://www.amazon.co.uk/dp/B00OFWQS94" alt=""></map>',
      '<pre><a href="https://amazon.com/dp/B00OFWQS94">pre</a></pre>',
      '<code><a href="https://amazon.com/dp/B00OFWQS94">code</a></code>',
      '<template><a href="https://amazon.com/dp/B00OFWQS94">tpl</a></template>',
      '<div data-amazon-links="off"><a href="https://amazon.com/dp/B00OFWQS94">off</a></div>',
      '<a href="https://example.com/dp/B00OFWQS94">other</a>',
    ].join("\n");
    const file = await unified().use(rehypeParse, { fragment: true }).use(rehypeAmazonLinks, { tags }).use(rehypeStringify).process(input);
    const html = String(file);
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="nofollow sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">a</a>',
    );
    expect(html).toContain('<area href="https://www.amazon.co.uk/dp/B00OFWQS94?tag=ours-21" alt="" rel="sponsored noopener"');
    expect(html).toContain('<pre><a href="https://amazon.com/dp/B00OFWQS94">pre</a></pre>');
    expect(html).toContain('<code><a href="https://amazon.com/dp/B00OFWQS94">code</a></code>');
    expect(html).toContain('<a href="https://amazon.com/dp/B00OFWQS94">tpl</a>');
    expect(html).toContain('<a href="https://amazon.com/dp/B00OFWQS94">off</a>');
    expect(html).toContain('<a href="https://example.com/dp/B00OFWQS94">other</a>');
    expect(file.messages).toEqual([]);
  });

  it("is idempotent and reports positions from the HTML source", async () => {
    const process = (html: string) => unified().use(rehypeParse, { fragment: true }).use(rehypeAmazonLinks, { tags }).use(rehypeStringify).process(html);
    const first = await process('<p>\n  <a href="https://www.amazon.de/dp/B00OFWQS94">de</a></p>');
    expect(first.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(["2:3 untagged"]);
    const once = String(await process('<a href="https://amazon.com/dp/B00OFWQS94?tag=stranger-20">x</a>'));
    const twice = await process(once);
    expect(String(twice)).toBe(once);
    expect(twice.messages).toEqual([]);
  });
});
