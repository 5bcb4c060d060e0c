/** With eleventy-img's HTML transform (it re-serializes pages through posthtml), in either order. */
import { describe, expect, it } from "vitest";
import { buildFixture } from "../helpers/eleventy.js";

describe("eleventy-img", () => {
  it("composes with eleventyImageTransformPlugin before and after the plugin", async () => {
    // @ts-expect-error eleventy-img ships no type declarations usable here.
    const { eleventyImageTransformPlugin } = await import("@11ty/eleventy-img");
    for (const order of ["image first", "links first"] as const) {
      const addImages = (cfg: any) => cfg.addPlugin(eleventyImageTransformPlugin, { formats: ["png"], widths: ["auto"], outputDir: "img" });
      const build = await buildFixture(
        "test/fixtures/site-img/content",
        { tags: { us: "ours-20", uk: "ours-21" }, localize: false },
        order === "image first" ? addImages : undefined,
        {},
        order === "links first" ? addImages : undefined,
      );
      expect(build.error, order).toBeUndefined();
      const html = await build.read("index.html");
      expect(html, order).toMatch(
        /<a href="https:\/\/www\.amazon\.com\/dp\/B00OFWQS94\?tag=ours-20" rel="sponsored noopener"[^>]*><img [^>]*alt="A desk lamp"/,
      );
      expect(html, order).toContain('href="https://www.amazon.co.uk/dp/B07QBPDWLS?tag=ours-21"');
      expect(html, order).toMatch(/<img src="\/[\w-]+\.png" alt="A desk lamp" width="4" height="4">/); // eleventy-img did its part
    }
  });
});
