/**
 * processPage's result is plain data: a page cache may keep it as JSON between builds, and the rows
 * placed from the copy are the rows placed from the original.
 */
import { describe, expect, it } from "vitest";
import { placeRow } from "../../src/audit/link-rows.js";
import { processPage } from "../../src/eleventy/process-page.js";
import { resolveOptions } from "../../src/rules/options.js";

const options = resolveOptions({ tags: { us: "ours-20" }, rules: { "missing-disclosure": "warning" } });
const page = [
  "<!doctype html><title>Shelf</title><body>",
  `<p><a href="https://www.amazon.com/dp/B00OFWQS94?tag=other-20&amp;psc=1">lamp</a>`,
  `<a href="https://amzn.to/3abcd">short</a> <a href="https://www.amazon.com/dp/B0BADASIN">bad</a></p>`,
  `<div data-amazon-links="off"><a href="https://www.amazon.com/dp/B07QBPDWLS">kept</a></div>`,
  "</body>",
].join("\n");

describe("processPage result", () => {
  it("survives a JSON round trip: the same page record and the same placed rows", async () => {
    const { html, result } = await processPage({
      html: page,
      kind: "html",
      inputPath: "src/shelf.md",
      outputPath: "_site/shelf/index.html",
      root: process.cwd(),
      options,
      checker: undefined,
    });
    expect(result).toBeDefined();
    const copy = JSON.parse(JSON.stringify(result)) as NonNullable<typeof result>;
    expect(copy.page).toEqual(result!.page);
    expect(copy.inputPath).toBe(result!.inputPath);
    const rows = (r: NonNullable<typeof result>) => JSON.stringify(r.links.map((row) => placeRow(row)));
    expect(rows(copy)).toBe(rows(result!));
    // Placed (no source given) in the page as it ships: at each URL's first character.
    const lines = html.split("\n");
    for (const row of result!.links.map((r) => placeRow(r))) {
      expect(lines[row.line - 1]!.slice(row.column - 1).startsWith(row.href.replace(/&/g, "&amp;")), row.href).toBe(true);
    }
    expect(result!.links.map((row) => [row.original, row.optedOut ?? false])).toEqual([
      ["https://www.amazon.com/dp/B00OFWQS94?tag=other-20&psc=1", false],
      ["https://amzn.to/3abcd", false],
      ["https://www.amazon.com/dp/B0BADASIN", false],
      ["https://www.amazon.com/dp/B07QBPDWLS", true],
    ]);
  });
});
