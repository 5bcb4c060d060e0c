import rehypeParse from "rehype-parse";
import rehypeStringify from "rehype-stringify";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { VFile } from "vfile";
import { reporter } from "vfile-reporter";
import { describe, expect, it } from "vitest";
import { rehypeAmazonLinks, remarkAmazonLinks, type UnifiedAmazonLinksOptions } from "../../src/index.js";

const tags = { us: "ours-20", uk: "ours-21" };

/** Markdown → HTML with raw HTML kept as written (what Astro, Docusaurus and most sites do). */
function markdownPipeline(plugin: "remark" | "rehype", options: UnifiedAmazonLinksOptions) {
  const processor = unified().use(remarkParse);
  if (plugin === "remark") processor.use(remarkAmazonLinks, options);
  processor.use(remarkRehype, { allowDangerousHtml: true });
  if (plugin === "rehype") processor.use(rehypeAmazonLinks, options);
  return processor.use(rehypeStringify, { allowDangerousHtml: true });
}

async function failure(promise: Promise<unknown>): Promise<Error & { ruleId?: string; line?: number; column?: number; fatal?: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the pipeline to fail");
}

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

  it("rewrites links and definitions; reference-style links get rel and the data attributes too", async () => {
    const file = await markdownPipeline("remark", { tags, failOnError: false }).process(markdown);
    const html = String(file);
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">lamp</a>',
    );
    expect(html).toContain(
      '<a href="https://www.amazon.co.uk/dp/0596517742?tag=ours-21" rel="sponsored noopener" data-amazon-asin="0596517742" data-amazon-store="uk">ref</a>',
    );
    expect(html).toContain("<code>https://www.amazon.com/dp/B00OFWQS94</code>");
    expect(html).toContain("<pre><code>[x](https://www.amazon.com/dp/B00OFWQS94)\n</code></pre>");
    expect(html).toContain('<a href="https://www.amazon.fr/dp/2070612759">French one</a>');
  });

  it("with failOnError: false, reports findings as vfile messages (ruleId, source, place, fatal for errors) and does not throw", async () => {
    const file = await markdownPipeline("remark", { tags, failOnError: false }).process(markdown);
    expect(file.messages.map((m) => ({ ruleId: m.ruleId, source: m.source, fatal: m.fatal, line: m.line, column: m.column }))).toEqual([
      { ruleId: "untagged", source: "amazon-links", fatal: true, line: 11, column: 3 },
      { ruleId: "foreign-tag", source: "amazon-links", fatal: false, line: 11, column: 59 },
    ]);
    const printed = reporter([file]);
    expect(printed).toMatch(/11:3-11:52\s+error\s+No Associates tag for amazon\.fr.*untagged\s+amazon-links/);
    expect(printed).toMatch(/warning\s+Replaced the tag "x-21".*foreign-tag\s+amazon-links/);
  });

  it("by default fails the file with every error, each with its path, line, column and rule", async () => {
    const source = [
      "Untagged [fr](https://www.amazon.fr/dp/2070612759).",
      "",
      '<p>Raw <a href="https://www.amazon.de/dp/B00OFWQS94">de</a></p>',
      "",
      "[bad asin](https://www.amazon.com/dp/0596517743) and [ok](https://amazon.com/dp/B00OFWQS94?tag=x-20)",
    ].join("\n");
    const file = new VFile({ value: source, path: "content/post.md", cwd: "/site" });
    const error = await failure(markdownPipeline("remark", { tags }).process(file));
    expect(error.message).toContain("3 Amazon link errors: the build fails");
    expect(error.message).toMatch(/^content\/post\.md:1:10 {2}error {2}No Associates tag for amazon\.fr.* {2}untagged$/m);
    expect(error.message).toMatch(/^content\/post\.md:3:8 {2}error {2}No Associates tag for amazon\.de.* {2}untagged$/m);
    expect(error.message).toMatch(/^content\/post\.md:5:1 {2}error {2}"0596517743" is not a valid ASIN.* {2}invalid-asin$/m);
    expect(error).toMatchObject({ fatal: true, ruleId: "untagged", line: 1, column: 10, source: "amazon-links" });
    // Every finding is also a message of its own, the warning included.
    expect(file.messages.slice(0, 4).map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      "1:10 untagged",
      "3:8 untagged",
      "5:1 invalid-asin",
      "5:54 foreign-tag",
    ]);
  });

  it("a clean file passes with only warnings", async () => {
    const file = await markdownPipeline("remark", { tags }).process("[x](https://amazon.com/dp/B00OFWQS94?tag=x-20)");
    expect(file.messages.map((m) => m.ruleId)).toEqual(["foreign-tag"]);
  });

  it("rewrites <a href> in raw HTML nodes in place, keeping every other byte", async () => {
    const source = [
      'Inline <a  class=buy href="https://www.amazon.com/dp/B00OFWQS94?psc=1&amp;th=1" >lamp</a> here.',
      "",
      "<div>",
      "<A HREF='https://amazon.co.uk/dp/0596517742' TARGET=_self rel=nofollow>book</A>",
      "</div>",
    ].join("\n");
    const html = String(await markdownPipeline("remark", { tags, target: "_blank" }).process(source));
    expect(html).toBe(
      [
        '<p>Inline <a  class=buy href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us" target="_blank" >lamp</a> here.</p>',
        "<div>",
        '<A HREF=\'https://www.amazon.co.uk/dp/0596517742?tag=ours-21\' TARGET=_self rel="nofollow sponsored noopener" data-amazon-asin="0596517742" data-amazon-store="uk">book</A>',
        "</div>",
      ].join("\n"),
    );
  });

  it("places a finding in raw HTML at the tag's line and column, inside blockquotes and lists too", async () => {
    const source = [
      "Intro",
      "",
      "> <div>",
      '>   <a href="https://www.amazon.de/dp/B00OFWQS94">x</a>',
      "> </div>",
      "",
      "- <p>",
      '  <a href="https://www.amazon.fr/dp/B00OFWQS94">y</a></p>',
    ].join("\n");
    for (const plugin of ["remark", "rehype"] as const) {
      const file = await markdownPipeline(plugin, { tags, failOnError: false }).process(source);
      expect(
        file.messages.map(
          (m) =>
            `${m.place && "start" in m.place ? `${m.place.start.line}:${m.place.start.column}-${m.place.end.line}:${m.place.end.column}` : ""} ${m.ruleId}`,
        ),
      ).toEqual(["4:5-4:51 untagged", "8:3-8:49 untagged"]);
    }
  });

  it('skips Markdown links inside raw <code> and data-amazon-links="off" blocks, and definitions used only there', async () => {
    const source = [
      "<code>[in code](https://www.amazon.de/dp/B00OFWQS94)</code>",
      "",
      '<div data-amazon-links="off">',
      "",
      "[kept][k] and [kept too](https://www.amazon.com/dp/B00OFWQS94)",
      "",
      "</div>",
      "",
      "[tagged](https://www.amazon.com/dp/B00OFWQS94)",
      "",
      "[k]: https://www.amazon.de/dp/B00OFWQS94",
    ].join("\n");
    const file = await markdownPipeline("remark", { tags }).process(source);
    const html = String(file);
    expect(html).toContain('<code><a href="https://www.amazon.de/dp/B00OFWQS94">in code</a></code>');
    expect(html).toContain(
      '<a href="https://www.amazon.de/dp/B00OFWQS94">kept</a> and <a href="https://www.amazon.com/dp/B00OFWQS94">kept too</a>',
    );
    expect(html).toContain('<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener"');
    expect(file.messages).toEqual([]);
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
    expect(html).toContain(
      '<area href="https://www.amazon.co.uk/dp/B00OFWQS94?tag=ours-21" alt="" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="uk">',
    );
    expect(html).toContain('<pre><a href="https://amazon.com/dp/B00OFWQS94">pre</a></pre>');
    expect(html).toContain('<code><a href="https://amazon.com/dp/B00OFWQS94">code</a></code>');
    expect(html).toContain('<a href="https://amazon.com/dp/B00OFWQS94">tpl</a>');
    expect(html).toContain('<a href="https://amazon.com/dp/B00OFWQS94">off</a>');
    expect(html).toContain('<a href="https://example.com/dp/B00OFWQS94">other</a>');
    expect(file.messages).toEqual([]);
  });

  it("is idempotent and reports positions from the HTML source", async () => {
    const process = (html: string) =>
      unified()
        .use(rehypeParse, { fragment: true })
        .use(rehypeAmazonLinks, { tags, failOnError: false })
        .use(rehypeStringify)
        .process(html);
    const first = await process('<p>\n  <a href="https://www.amazon.de/dp/B00OFWQS94">de</a></p>');
    expect(first.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(["2:3 untagged"]);
    const once = String(await process('<a href="https://amazon.com/dp/B00OFWQS94?tag=stranger-20">x</a>'));
    const twice = await process(once);
    expect(String(twice)).toBe(once);
    expect(twice.messages).toEqual([]);
  });

  it("rewrites raw nodes (Markdown's inline HTML without rehype-raw) and fails on an untagged one at its place", async () => {
    const source = [
      "# Shop",
      "",
      'Buy <a href="https://www.amazon.com/dp/B00OFWQS94">it</a> or <a href="https://www.amazon.de/dp/B00OFWQS94">this</a>.',
    ].join("\n");
    const file = new VFile({ value: source, path: "/site/src/pages/shop.md", cwd: "/site" });
    const error = await failure(markdownPipeline("rehype", { tags }).process(file));
    expect(error.message).toMatch(/^src\/pages\/shop\.md:3:62 {2}error {2}No Associates tag for amazon\.de.* {2}untagged$/m);

    const html = String(await markdownPipeline("rehype", { tags, failOnError: false }).process(source));
    expect(html).toContain(
      '<p>Buy <a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">it</a> or <a href="https://www.amazon.de/dp/B00OFWQS94">this</a>.</p>',
    );
  });

  it("skips element links inside raw <code> and raw opt-out blocks", async () => {
    const source = [
      "<code>[x](https://www.amazon.de/dp/B00OFWQS94)</code>",
      "",
      "<div data-amazon-links='off'>",
      "",
      "[y](https://www.amazon.de/dp/B00OFWQS94)",
      "",
      "</div>",
    ].join("\n");
    const file = await markdownPipeline("rehype", { tags }).process(source);
    expect(String(file)).toContain('<code><a href="https://www.amazon.de/dp/B00OFWQS94">x</a></code>');
    expect(String(file)).toContain('<p><a href="https://www.amazon.de/dp/B00OFWQS94">y</a></p>');
    expect(file.messages).toEqual([]);
  });
});

describe("options of the unified plugins", () => {
  const links = "[us](https://www.amazon.com/dp/B00OFWQS94) [de](https://www.amazon.de/dp/B00OFWQS94)";

  for (const plugin of ["remark", "rehype"] as const) {
    it(`${plugin}: stores leaves other stores' links as written and unreported`, async () => {
      const file = await markdownPipeline(plugin, { tags, stores: ["us"] }).process(links);
      expect(String(file)).toContain('<a href="https://www.amazon.de/dp/B00OFWQS94">de</a>');
      expect(String(file)).toContain('href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20"');
      expect(file.messages).toEqual([]);
    });

    it(`${plugin}: target is written on tagged links that have none; rel: false leaves rel alone`, async () => {
      const source = `[a](https://www.amazon.com/dp/B00OFWQS94) <a href="https://www.amazon.com/dp/B00OFWQS94" target="_top">b</a>`;
      const html = String(await markdownPipeline(plugin, { tags, target: "_blank", rel: false, dataAttributes: false }).process(source));
      expect(html).toBe(
        '<p><a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" target="_blank">a</a> <a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" target="_top">b</a></p>',
      );
    });

    it(`${plugin}: include and exclude match the file's path relative to its cwd`, async () => {
      const options = { tags, include: ["src/content/**"], exclude: ["**/drafts/**"] };
      const run = async (path: string) =>
        String(await markdownPipeline(plugin, options).process(new VFile({ value: links, path, cwd: "/site" })));
      expect(await failure(Promise.resolve(run("/site/src/content/post.md")))).toBeInstanceOf(Error); // the de link fails it
      expect(await run("/site/src/content/drafts/post.md")).toContain('href="https://www.amazon.com/dp/B00OFWQS94"');
      expect(await run("/site/src/pages/about.md")).toContain('href="https://www.amazon.com/dp/B00OFWQS94"');
      expect(await run("src/content/ok.md").catch((error: Error) => error.message)).toContain("src/content/ok.md:1:44");
      // Without a path no include glob matches: the file is left alone.
      expect(String(await markdownPipeline(plugin, options).process(links))).toContain('href="https://www.amazon.com/dp/B00OFWQS94"');
    });
  }

  it.each([
    ["check", { maxAge: "1d" }, /option "check" does not apply to remarkAmazonLinks: .*amazon-links check <output dir>/],
    ["localize", {}, /option "localize" does not apply to remarkAmazonLinks: .*amazon-links rewrite <output dir>/],
    ["report", { json: "r.json" }, /option "report" does not apply to remarkAmazonLinks: .*vfile-reporter/],
    ["disclosure", "As an Amazon Associate", /option "disclosure" does not apply to remarkAmazonLinks/],
    ["quiet", true, /option "quiet" does not apply to remarkAmazonLinks/],
    ["verbose", true, /option "verbose" does not apply to remarkAmazonLinks/],
  ])("rejects %s, which cannot apply to one file, saying what to use instead", (key, value, message) => {
    expect(() => remarkAmazonLinks({ tags, [key]: value } as UnifiedAmazonLinksOptions)).toThrow(message);
    expect(() => rehypeAmazonLinks({ tags, [key]: value } as UnifiedAmazonLinksOptions)).toThrow(/does not apply to rehypeAmazonLinks/);
  });

  it("still rejects unknown options and bad values", () => {
    expect(() => remarkAmazonLinks({ tag: {} } as UnifiedAmazonLinksOptions)).toThrow(/unknown option "tag"/);
    expect(() => rehypeAmazonLinks({ stores: ["xx"] })).toThrow(/option "stores": unknown store code "xx"/);
  });
});
