/** WebC templates and components: their output is rewritten like any page. */
import { describe, expect, it } from "vitest";
import { buildFixture } from "../helpers/eleventy.js";

describe("WebC", () => {
  it("rewrites links written in a WebC page and rendered by a WebC component", async () => {
    // @ts-expect-error the WebC plugin ships no type declarations.
    const { default: webc } = await import("@11ty/eleventy-plugin-webc");
    const build = await buildFixture(
      "test/fixtures/site-webc/content",
      { tags: { us: "ours-20", uk: "ours-21" }, localize: false },
      (cfg) => {
        cfg.addPlugin(webc, { components: "test/fixtures/site-webc/content/_components/**/*.webc" });
      },
    );
    expect(build.error).toBeUndefined();
    const html = await build.read("index.html");
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">plain WebC link</a>',
    );
    expect(html).toMatch(
      /<a href="https:\/\/www\.amazon\.co\.uk\/dp\/B07QBPDWLS\?tag=ours-21" class="buy" rel="sponsored noopener"[^>]*>Buy in the UK<\/a>/,
    );
    const page = build.report.links.find((l) => l.asin === "B00OFWQS94");
    expect(page).toMatchObject({ input: "test/fixtures/site-webc/content/index.webc", line: 3 });
  });
});
