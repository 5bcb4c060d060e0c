import { describe, expect, it } from "vitest";
import { defaultKeepParams, formatAmazonUrl } from "../../src/amazon/format.js";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import type { FormatOptions } from "../../src/amazon/format.js";

const A = "B08N5WRWNW";
const href = `https://www.amazon.de/gp/product/${A}/ref=x?language=en_GB&th=1&psc=1&smid=A3JWKAKR8XB7XF&tag=someone-21`;

// [what, input, options, expected]
const table: ReadonlyArray<readonly [string, string, FormatOptions, string]> = [
  ["no tag: cleaned, untagged", href, {}, `https://www.amazon.de/dp/${A}?language=en_GB`],
  ["tag", href, { tag: "ours-21" }, `https://www.amazon.de/dp/${A}?tag=ours-21&language=en_GB`],
  ["another store", href, { tag: "ours-20", marketplace: "us" }, `https://www.amazon.com/dp/${A}?tag=ours-20&language=en_GB`],
  ["store with a compound TLD", href, { tag: "ours-22", marketplace: "jp" }, `https://www.amazon.co.jp/dp/${A}?tag=ours-22&language=en_GB`],
  ["empty keep-list", href, { tag: "ours-21", keepParams: [] }, `https://www.amazon.de/dp/${A}?tag=ours-21`],
  [
    "keep-list is case-insensitive",
    href,
    { tag: "ours-21", keepParams: ["LANGUAGE"] },
    `https://www.amazon.de/dp/${A}?tag=ours-21&language=en_GB`,
  ],
  // An explicit keep-list wins over the noise list: the user chose to keep the seller.
  ["keep smid", href, { tag: "ours-21", keepParams: ["smid"] }, `https://www.amazon.de/dp/${A}?tag=ours-21&smid=A3JWKAKR8XB7XF`],
  ["keep th and psc", href, { tag: "ours-21", keepParams: ["th", "psc"] }, `https://www.amazon.de/dp/${A}?tag=ours-21&th=1&psc=1`],
  // ...but never a second tag.
  ["keep-list cannot keep tag", href, { tag: "ours-21", keepParams: ["tag", "TAG"] }, `https://www.amazon.de/dp/${A}?tag=ours-21`],
  ["tag is encoded", `https://amazon.com/dp/${A}`, { tag: "a&b=c" }, `https://www.amazon.com/dp/${A}?tag=a%26b%3Dc`],
  [
    "search moved to another store",
    "https://www.amazon.com/s?k=pens&ref=x",
    { tag: "ours-21", marketplace: "uk" },
    "https://www.amazon.co.uk/s?tag=ours-21&k=pens",
  ],
  ["search without tag", "https://www.amazon.com/s?k=pens&tag=x-20", {}, "https://www.amazon.com/s?k=pens"],
  [
    "encoded tag name is still a tag",
    "https://www.amazon.com/s?k=pens&%74ag=x-20",
    { tag: "ours-20" },
    "https://www.amazon.com/s?tag=ours-20&k=pens",
  ],
  ["short links are left alone", "https://amzn.to/3abc", { tag: "ours-20" }, "https://amzn.to/3abc"],
  ["non-Amazon hrefs are left alone", "https://example.com/dp/B08N5WRWNW", { tag: "ours-20" }, "https://example.com/dp/B08N5WRWNW"],
];

describe("formatAmazonUrl options", () => {
  it.each(table)("%s", (_what, input, options, expected) => {
    expect(formatAmazonUrl(input, options)).toBe(expected);
    const parsed = parseAmazonUrl(input);
    if (parsed) expect(formatAmazonUrl(parsed, options)).toBe(expected);
  });

  it("keeps language and currency by default", () => {
    expect([...defaultKeepParams].sort()).toEqual(["currency", "language"]);
  });

  it("refuses an unknown store code", () => {
    expect(() => formatAmazonUrl(href, { tag: "x-20", marketplace: "xx" })).toThrow(TypeError);
  });

  it("does not change the parsed URL it was given", () => {
    const parsed = parseAmazonUrl(href);
    expect(parsed).not.toBeNull();
    if (!parsed) return;
    const before = parsed.url.href;
    formatAmazonUrl(parsed, { tag: "ours-21", marketplace: "us" });
    expect(parsed.url.href).toBe(before);
  });
});
