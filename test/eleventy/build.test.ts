import { describe, expect, it } from "vitest";
import { buildFixture, startTags } from "../helpers/eleventy.js";

const BASIC = "test/fixtures/site-basic/content";
const FAILING = "test/fixtures/site-failing/content";
const tags = { us: ["ours-20", "ours-news-20"], uk: "ours-21", de: "ours0d-21" };

describe("Eleventy plugin on a real build", () => {
  it("rewrites Markdown links to clean tagged links and leaves code alone", async () => {
    const build = await buildFixture(BASIC, { tags });
    expect(build.error).toBeUndefined();
    const html = await build.read("posts/markdown/index.html");
    const anchors = startTags(html);
    expect(anchors).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">',
    );
    expect(anchors).toContain(
      '<a href="https://www.amazon.de/dp/B07WNQ2H4K?tag=ours0d-21" rel="sponsored noopener" data-amazon-asin="B07WNQ2H4K" data-amazon-store="de">',
    );
    // Autolink, reference definition with one of our other tags (kept), raw HTML with entities and rel.
    expect(html).toContain('href="https://www.amazon.co.uk/dp/B07QBPDWLS?tag=ours-21"');
    expect(html).toContain('href="https://www.amazon.com/dp/B0052KW5W6?tag=ours-news-20"');
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B0052KW5W6?tag=ours-20" rel="nofollow sponsored noopener" class="raw" data-amazon-asin="B0052KW5W6" data-amazon-store="us">',
    );
    // Code span and fenced code are untouched.
    expect(html).toContain("<code>https://www.amazon.com/dp/B00OFWQS94</code>");
    expect(html).toContain("&lt;a href=&quot;https://www.amazon.com/dp/B00OFWQS94&quot;&gt;in a fence");
    // Layout link rewritten too.
    expect(html).toContain('<a href="https://www.amazon.com/dp/B07PGL2WVS?tag=ours-20" class="footer-link" rel="sponsored noopener"');
  });

  it("rewrites Nunjucks, Liquid and HTML templates, skipping script, comments, textarea and lookalikes", async () => {
    const build = await buildFixture(BASIC, { tags });
    const njk = await build.read("posts/template/index.html");
    expect(njk).toContain('href="https://www.amazon.co.uk/dp/0132350882?tag=ours-21"');
    expect(njk).toContain("<a href='https://www.amazon.com/dp/B07QBPDWLS?tag=ours-20' rel=\"sponsored noopener\"");
    expect(njk).toContain('<area href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" alt="unquoted area" rel="sponsored noopener"');
    expect(njk).toContain(`<script>const s = '<a href="https://www.amazon.com/dp/B00OFWQS94">';</script>`);
    expect(njk).toContain('<!-- <a href="https://www.amazon.com/dp/B00OFWQS94">commented</a> -->');
    expect(njk).toContain('<textarea><a href="https://www.amazon.com/dp/B00OFWQS94">x</a></textarea>');
    expect(njk).toContain('<a href="https://example.com/dp/B00OFWQS94">not amazon</a>');
    expect(njk).toContain('<a href="https://amazon.com.evil.example/dp/B00OFWQS94">lookalike</a>');
    const liquid = await build.read("posts/liquid/index.html");
    expect(liquid).toContain('href="https://www.amazon.de/dp/3446432280?tag=ours0d-21"');
    const plain = await build.read("posts/plain/index.html");
    expect(plain).toContain('href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20"');
  });

  it("reports each link at the source file a person edits", async () => {
    const build = await buildFixture(BASIC, { tags });
    const { report } = build;
    expect(report.version).toBe(1);
    const foreign = report.links.find((l) => l.findings.some((f) => f.rule === "foreign-tag"));
    expect(foreign).toMatchObject({
      input: "test/fixtures/site-basic/content/posts/markdown.md",
      line: 8,
      column: 17,
      marketplace: "de",
      asin: "B07WNQ2H4K",
      href: "https://www.amazon.de/dp/B07WNQ2H4K?tag=ours0d-21",
      original: "https://www.amazon.de/dp/B07WNQ2H4K?tag=stranger-21",
    });
    expect(foreign?.output.endsWith("posts/markdown/index.html")).toBe(true);
    // A link from the layout points at the layout file.
    const footer = report.links.find((l) => l.original.includes("ref=footer_1") && l.output.endsWith("no-links/index.html"));
    expect(footer).toMatchObject({ input: "test/fixtures/site-basic/content/_includes/base.njk", line: 8, column: 18 });
    // A link from a data file points at the data file.
    const shelf = report.links.find((l) => l.asin === "0132350882");
    expect(shelf).toMatchObject({ input: "test/fixtures/site-basic/content/_data/shelf.json", line: 1, column: 34 });
    // Raw HTML with &amp; in the Markdown source is still found.
    const raw = report.links.find((l) => l.original === "https://www.amazon.com/dp/B0052KW5W6?psc=1&th=1");
    expect(raw).toMatchObject({ input: "test/fixtures/site-basic/content/posts/markdown.md", line: 18, column: 10 });
    expect(report.summary.errors).toBe(0);
    expect(report.summary.warnings).toBe(1);
  });

  it("fails the build with the untagged and invalid-asin findings at file:line:column", async () => {
    const build = await buildFixture(FAILING, { tags });
    expect(build.error).toBeInstanceOf(Error);
    expect(String((build.error as Error).message)).toMatch(/3 Amazon link errors/);
    const rules = build.report.links.flatMap((l) => l.findings.map((f) => `${l.input}:${l.line}:${l.column} ${f.rule}`));
    expect(rules).toEqual([
      "test/fixtures/site-failing/content/bad.md:6:54 untagged",
      "test/fixtures/site-failing/content/bad.md:8:26 invalid-asin",
      "test/fixtures/site-failing/content/bad.md:12:23 untagged",
    ]);
    // The pages are still written, and the good link is still rewritten.
    expect(await build.read("bad/index.html")).toContain("https://www.amazon.com/dp/B00OFWQS94?tag=ours-20");
  });

  it("lets a rule's severity be lowered so the build passes", async () => {
    const build = await buildFixture(FAILING, { tags, rules: { untagged: "warning", "invalid-asin": "off" } });
    expect(build.error).toBeUndefined();
    expect(build.report.summary).toMatchObject({ errors: 0, warnings: 2 });
  });

  it("stops at start with a message naming a bad option", async () => {
    const cases: Array<[object, RegExp]> = [
      [{ tags: { xx: "a-20" } }, /option "tags\.xx": unknown store code/],
      [{ tags: { us: "has space-20" } }, /option "tags\.us": "has space-20" is not an Associates tag/],
      [{ tags, rules: { "no-such-rule": "error" } }, /unknown rule id "no-such-rule"/],
      [{ tags: { gb: "a-21" } }, /Did you mean "uk"/],
      [{ tags, colour: "red" }, /unknown option "colour"/],
      [{ tags, dataAttributes: false }, /"dataAttributes": false leaves the localization script nothing to read/],
      [{ tags, check: { maxAge: "soon" } }, /option "check\.maxAge"/],
      [{ tags, localize: { fallback: "nowhere" } }, /option "localize\.fallback"/],
    ];
    for (const [options, message] of cases) {
      const build = await buildFixture(BASIC, options as never);
      const error = build.error as { originalError?: Error; message: string };
      expect(error, JSON.stringify(options)).toBeDefined();
      expect(error.originalError?.message ?? error.message).toMatch(message);
      expect(build.report).toBeUndefined(); // nothing was built
    }
  });

  it("composes with HtmlBasePlugin and InputPathToUrlTransformPlugin in either order", async () => {
    // @ts-expect-error no types
    const { HtmlBasePlugin, InputPathToUrlTransformPlugin } = await import("@11ty/eleventy");
    for (const order of ["before", "after"] as const) {
      const outputDir = await buildFixture(BASIC, { tags }, (cfg) => {
        if (order === "before") {
          cfg.addPlugin(HtmlBasePlugin, { baseHref: "/blog/" });
          cfg.addPlugin(InputPathToUrlTransformPlugin);
        }
      });
      const html = await outputDir.read("posts/markdown/index.html");
      expect(html).toContain('href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20"');
      expect(outputDir.error).toBeUndefined();
    }
  });
});
