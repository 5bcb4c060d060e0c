import { describe, expect, it } from "vitest";
import { writeAmazonLinks } from "../../src/html/rewrite-page.js";
import { findDecidedLinks } from "../helpers/decided-links.js";
import { resolveOptions } from "../../src/rules/options.js";

const options = resolveOptions({ tags: { us: ["ours-20", "ours-news-20"], uk: "ours-21" } });

function rewrite(html: string, opts = options): string {
  return writeAmazonLinks(html, findDecidedLinks(html, opts).links, opts);
}

describe("HTML rewrite of a built page", () => {
  it("changes only the href value and appends our attributes; every other byte is kept", () => {
    const before = `<!doctype html>\n<html><head><title>T</title></head><body>\n<p class="x">Buy <a  class=btn\n   href="https://www.amazon.com/Slug/dp/B00OFWQS94/ref=sr_1_1?qid=1&amp;sr=8-1" >it</a> now.</p>\n</body></html>\n`;
    const expected = before
      .replace("https://www.amazon.com/Slug/dp/B00OFWQS94/ref=sr_1_1?qid=1&amp;sr=8-1", "https://www.amazon.com/dp/B00OFWQS94?tag=ours-20")
      .replace('" >it</a>', '" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us" >it</a>');
    expect(rewrite(before)).toBe(expected);
  });

  it("skips links that cannot be Amazon before reading their attributes, but not ones spelled with entities, escapes or line breaks", () => {
    const html =
      `<a href="/about/">a</a><a class="x" href="https://example.com/?q=amazing">b</a>` +
      `<a href="https://www.&#97;mazon.com/dp/B00OFWQS94">entity</a>` +
      `<a href="https://www.%61mazon.com/dp/B00OFWQS94">percent</a>` +
      `<a href="https://www.ama\nzon.com/dp/B00OFWQS94">newline</a>` +
      `<a href="https://amzn.to/3abcd">short</a><area href="https://www.amazon.co.uk/dp/B00OFWQS94">`;
    const found = findDecidedLinks(html, options).links;
    expect(found.map((l) => l.parsed.marketplace)).toEqual(["us", "us", "us", "short", "uk"]);
    expect(found.every((l) => l.parsed.kind === "short" || l.parsed.asin === "B00OFWQS94")).toBe(true);
  });

  it("is idempotent: its own output is left byte-identical with no new findings", () => {
    const before = `<p><a href="https://amazon.co.uk/dp/B00OFWQS94?tag=someone-21&amp;psc=1" rel="nofollow">x</a><a href='//amazon.com/s?k=lamps&ref=nb'>s</a></p>`;
    const once = rewrite(before);
    const again = findDecidedLinks(once, options);
    expect(writeAmazonLinks(once, again.links, options)).toBe(once);
    expect(again.links.flatMap((l) => l.decision.findings)).toEqual([]);
    expect(once).toContain(`href="https://www.amazon.co.uk/dp/B00OFWQS94?tag=ours-21" rel="nofollow sponsored noopener"`);
  });

  it("keeps any of our tags and replaces a foreign one with a warning", () => {
    const html = `<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-news-20">a</a><a href="https://www.amazon.com/dp/B00OFWQS94?tag=thief-20">b</a>`;
    const found = findDecidedLinks(html, options);
    expect(found.links.map((l) => l.decision.href)).toEqual([
      "https://www.amazon.com/dp/B00OFWQS94?tag=ours-news-20",
      "https://www.amazon.com/dp/B00OFWQS94?tag=ours-20",
    ]);
    expect(found.links[1]?.decision.findings).toEqual([
      { rule: "foreign-tag", severity: "warning", message: expect.stringContaining('"thief-20"') },
    ]);
  });

  it("never touches code, pre, template, script, style, textarea or comments", () => {
    const html = [
      `<code><a href="https://www.amazon.com/dp/B00OFWQS94">c</a></code>`,
      `<pre><b><a href="https://www.amazon.com/dp/B00OFWQS94">p</a></b></pre>`,
      `<template><a href="https://www.amazon.com/dp/B00OFWQS94">t</a></template>`,
      `<script>document.write('<a href="https://www.amazon.com/dp/B00OFWQS94">')</script>`,
      `<style>a[href="https://www.amazon.com/dp/B00OFWQS94"]{}</style>`,
      `<textarea><a href="https://www.amazon.com/dp/B00OFWQS94"></textarea>`,
      `<!-- <a href="https://www.amazon.com/dp/B00OFWQS94"> -->`,
    ].join("\n");
    expect(findDecidedLinks(html, options).links).toEqual([]);
    expect(rewrite(html)).toBe(html);
    // …but a link right after those elements is rewritten.
    const after = `${html}<a href="https://www.amazon.com/dp/B00OFWQS94">ok</a>`;
    expect(findDecidedLinks(after, options).links).toHaveLength(1);
  });

  it("honours data-amazon-links=off on the link or an ancestor", () => {
    const html = `<div data-amazon-links="off"><p><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></p></div><a data-amazon-links=off href="https://www.amazon.com/dp/B00OFWQS94">b</a><a href="https://www.amazon.com/dp/B00OFWQS94">c</a>`;
    const found = findDecidedLinks(html, options);
    expect(found.links).toHaveLength(1);
    expect(found.optedOut).toHaveLength(2);
    expect(rewrite(html)).toContain(`<a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`);
  });

  it("handles unquoted, single-quoted and valueless attributes and self-closing syntax", () => {
    const html = `<area href=https://amazon.com/dp/B00OFWQS94 alt=x/><a download href='https://amazon.com/dp/B00OFWQS94?th=1&psc=1'>y</a>`;
    expect(rewrite(html)).toBe(
      `<area href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" alt=x/ rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">` +
        `<a download href='https://www.amazon.com/dp/B00OFWQS94?tag=ours-20' rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">y</a>`,
    );
  });

  it("leaves rel alone with rel: false and writes custom rel tokens", () => {
    const html = `<a href="https://amazon.com/dp/B00OFWQS94" rel="external">x</a>`;
    expect(rewrite(html, resolveOptions({ tags: { us: "ours-20" }, rel: false, dataAttributes: false }))).toBe(
      `<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="external">x</a>`,
    );
    expect(rewrite(html, resolveOptions({ tags: { us: "ours-20" }, rel: "sponsored nofollow", dataAttributes: false }))).toBe(
      `<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="external sponsored nofollow">x</a>`,
    );
  });

  it("leaves an untagged store's link as it is and reports it", () => {
    const html = `<a href="https://www.amazon.fr/dp/2070612759?tag=other-21">x</a>`;
    const found = findDecidedLinks(html, options);
    expect(found.links[0]?.decision.findings.map((f) => f.rule)).toEqual(["untagged"]);
    expect(found.links[0]?.decision.findings[0]?.message).toMatch(/amazon\.fr \(store "fr"\).*tags: \{ fr:/);
    expect(rewrite(html)).toBe(html);
  });
});
