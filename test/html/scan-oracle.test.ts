/** The fast scanner and its parse5 fallback find the links the HTML standard's DOM has, on random and on real pages. */
import fc from "fast-check";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { decodeHTMLAttribute } from "entities";
import { scanFast, scanLinks } from "../../src/html/scan-links.js";
import { oracleLinks } from "../helpers/html-oracle.js";

const byStart = (links: Iterable<{ start: number }>) => [...links].map((l) => l.start).sort((a, b) => a - b);
const summary = (r: { links: Array<{ start: number }>; optedOut: Array<{ start: number }> }) => ({
  links: byStart(r.links),
  optedOut: byStart(r.optedOut),
});
const standard = (html: string) => {
  const { live, optedOut } = oracleLinks(html);
  return { links: byStart(live.values()), optedOut: byStart(optedOut.values()) };
};

const text = fc.oneof(
  fc.string({ maxLength: 6 }).map((t) => t.replace(/[<&]/g, "")),
  fc.constantFrom("&amp;", "a > b", "x"),
);
const link = fc.constantFrom(
  '<a href="https://www.amazon.com/dp/B00OFWQS94?a=1&amp;b=2">x</a>',
  "<a class='x' href='//amazon.de/dp/B07WNQ2H4K'>y</a>",
  "<A HREF=https://amzn.to/x>z</A>",
  '<area href="https://amazon.co.uk/dp/0596517742" alt="a > b">',
  '<a data-amazon-links="off" href="https://www.amazon.com/dp/B00OFWQS94">w</a>',
  "<a title='<a href=x>' href=\"y\">v</a>",
  '<a title= =">" href=y>v</a>',
  "<a>u</a>",
  "<a href>t</a>",
  '<svg><a xlink:href="https://www.amazon.com/dp/B00OFWQS94">s</a></svg>',
);
const opaque = fc.constantFrom(
  '<!-- <a href="https://www.amazon.com/dp/B00OFWQS94"> -->',
  "<!-- --!><a href=x>",
  "<script>document.write('<a href=\"https://amazon.com/dp/B00OFWQS94\">')</script>",
  "<style>a[href='https://amazon.com/dp/B00OFWQS94']{}</style>",
  '<textarea><a href="https://amazon.com/dp/B00OFWQS94"></textarea>',
  "<title><a href=x></title>",
  "<noscript><a href=x></noscript>",
  "<!doctype html>",
  "<br>",
  "<p>",
  "</p>",
  "<li>",
  "</div>",
  "<img src='a>b' alt=\"<a href=x>\">",
);
// Any nesting, valid or not: the standard says what the DOM is either way.
const { tree } = fc.letrec((tie) => ({
  tree: fc.array(fc.oneof({ depthSize: "small" }, text, link, opaque, tie("element")), { maxLength: 6 }).map((parts) => parts.join("")),
  element: fc
    .tuple(
      fc.constantFrom(
        "b",
        "div",
        "p",
        "ul",
        "li",
        "code",
        "pre",
        "template",
        "section data-amazon-links=off",
        "span data-amazon-links=off",
        "span",
        "table",
        "td",
        "svg",
        "h2",
      ),
      tie("tree"),
      fc.boolean(),
    )
    .map(([open, inner, closed]) => `<${open}>${inner}${closed ? `</${open.split(" ")[0]}>` : ""}`),
}));

describe("scanLinks vs the HTML standard (parse5)", () => {
  it("agrees on random markup", () => {
    let fast = 0;
    fc.assert(
      fc.property(tree, (html) => {
        if (scanFast(html)) fast++;
        expect(summary(scanLinks(html))).toEqual(standard(html));
      }),
      { numRuns: 4000 },
    );
    // Both ways are exercised: a third or more of the pages stay on the fast scanner.
    expect(fast).toBeGreaterThan(4000 / 3);
  });

  it("agrees on the fixture sites' sources and the example's pages, all on the fast scanner", async () => {
    const files = [
      "test/fixtures/plain-site/index.html",
      "test/fixtures/plain-site/blog/post.htm",
      "test/fixtures/site-basic/content/posts/template.njk",
      "test/fixtures/site-basic/content/_includes/base.njk",
      "test/fixtures/site-policy/content/optout.njk",
    ];
    for (const file of files) {
      const html = await readFile(file, "utf8");
      expect(summary(scanLinks(html)), file).toEqual(standard(html));
      expect(scanFast(html), file).toBeDefined();
    }
  });
});

describe("which pages the fast scanner keeps", () => {
  it("keeps pages with plain SVG icons, code blocks, opt-out sections and noscript; hands the rest to parse5", () => {
    const kept = [
      `<p><svg viewBox="0 0 24 24"><path d="M0 0"/></svg><a href="https://amazon.com/dp/B00OFWQS94">b</a></p>`,
      `<pre><code class="language-js"><span class="k">const</span> a = "&lt;a&gt;";</code></pre>`,
      `<div data-amazon-links="off"><p>a<p>b<ul><li>x<li>y</ul></div>`,
      `<noscript><img src=x></noscript><body><p>x</p></body></html>`,
    ];
    const handed = [
      `<svg><a href="https://amazon.com/dp/B00OFWQS94">b</a></svg>`,
      `<math><mi>x</mi></math>`,
      `<iframe srcdoc="<p>x"></iframe>`,
      `<script><!-- x --></script>`,
      `<p><code>x</p>`,
      `<select><option>x</select>`,
    ];
    for (const page of kept) expect(scanFast(page), page).toBeDefined();
    for (const page of handed) expect(scanFast(page), page).toBeUndefined();
  });
});

describe("attribute values", () => {
  it("are decoded exactly as the full decoder does, `&amp;`-only values included", () => {
    const piece = fc.constantFrom("&amp;", "&amp;amp;", "&", "&lt;", "&copy", "&ampx", "&#38;", "&AMP;", "amp;", "a", "?k=v", "é");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const raw = parts.join("");
        const [found] = scanLinks(`<a href="${raw.replace(/"/g, "")}">x</a>`).links;
        expect(found!.href).toBe(decodeHTMLAttribute(raw.replace(/"/g, "")));
      }),
      { numRuns: 2000 },
    );
  });
});
