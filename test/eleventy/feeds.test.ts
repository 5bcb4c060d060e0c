/** Feeds built by the official RSS plugin (Atom, RSS, JSON): links rewritten, the feed still parses, no script. */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { buildFixture } from "../helpers/eleventy.js";

const FEED = "test/fixtures/site-feed/content";
const tags = { us: "ours-20", uk: "ours-21", de: "ours0d-21" };
const metadata = { language: "en", title: "Feed test", subtitle: "Links & more", base: "https://example.com/", author: { name: "A" } };

async function buildWithFeed(type: "atom" | "rss" | "json") {
  // @ts-expect-error the RSS plugin ships no type declarations.
  const { feedPlugin } = await import("@11ty/eleventy-plugin-rss");
  const outputPath = type === "json" ? "/feed.json" : "/feed.xml";
  const build = await buildFixture(FEED, { tags }, (cfg) => {
    cfg.addPlugin(feedPlugin, { type, outputPath, collection: { name: "posts", limit: 10 }, metadata });
  });
  expect(build.error).toBeUndefined();
  return { build, feed: await build.read(outputPath.slice(1)) };
}

const lamp = "https://www.amazon.com/dp/B00OFWQS94?tag=ours-20";
const keyboard = "https://www.amazon.co.uk/dp/B07QBPDWLS?tag=ours-21";
const chair = "https://www.amazon.de/dp/B07WNQ2H4K?tag=ours0d-21";

function expectRewrittenHtml(html: string): void {
  expect(html).toContain(`<a href="${lamp}" rel="sponsored noopener">lamp</a>`);
  expect(html).toContain(`<a href="${keyboard}" rel="sponsored noopener">keyboard</a>`);
  expect(html).not.toMatch(/stranger-21|ref=sr_1_3|data-amazon|<script/);
}

describe("feeds from @11ty/eleventy-plugin-rss", () => {
  it('Atom: escaped HTML in <content type="html"> is rewritten and the XML stays valid', async () => {
    const { build, feed } = await buildWithFeed("atom");
    expect(XMLValidator.validate(feed)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(feed);
    const entries = parsed.feed.entry as Array<{ title: string; content: { "#text": string } }>;
    const lampEntry = entries.find((e) => e.title.includes("lamp"));
    expectRewrittenHtml(decode(lampEntry!.content["#text"]));
    expect(decode(entries.find((e) => e.title === "Chair")!.content["#text"])).toContain(
      `<a href="${chair}" rel="sponsored noopener">chair</a>`,
    );
    // Listed at the feed too. The foreign tag is reported once, at the post: the feed's copy of the
    // post was rewritten by the RSS plugin's renderTransforms, which runs this plugin's transform.
    const inFeed = build.report.links.filter((l) => l.output.endsWith("feed.xml"));
    expect(inFeed.map((l) => l.href).sort()).toEqual([chair, lamp, keyboard].sort());
    expect(inFeed.flatMap((l) => l.findings)).toEqual([]);
    const onPage = build.report.links.filter((l) => l.output.endsWith("posts/lamp/index.html"));
    expect(onPage.find((l) => l.href === keyboard)).toMatchObject({
      input: "test/fixtures/site-feed/content/posts/lamp.md",
      findings: [{ rule: "foreign-tag" }],
    });
    // The post's own page still has its data attributes and script; the feed has neither.
    const page = await build.read("posts/lamp/index.html");
    expect(page).toContain('data-amazon-asin="B00OFWQS94"');
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it("RSS: escaped HTML in <description> is rewritten and the XML stays valid", async () => {
    const { feed } = await buildWithFeed("rss");
    expect(XMLValidator.validate(feed)).toBe(true);
    const parsed = new XMLParser().parse(feed);
    const items = parsed.rss.channel.item as Array<{ title: string; description: string }>;
    expectRewrittenHtml(items.find((i) => i.title.includes("lamp"))!.description);
  });

  it("JSON Feed: content_html is rewritten and the JSON stays valid", async () => {
    const { feed } = await buildWithFeed("json");
    const parsed = JSON.parse(feed) as { items: Array<{ title: string; content_html: string; url: string }> };
    expectRewrittenHtml(parsed.items.find((i) => i.title.includes("lamp"))!.content_html);
    expect(parsed.items.every((i) => i.url.startsWith("https://example.com/"))).toBe(true);
  });
});

/** fast-xml-parser leaves entities in text as written when processEntities is off; decode the five XML ones. */
function decode(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name] as string,
  );
}
