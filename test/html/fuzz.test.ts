import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { writeAmazonLinks } from "../../src/html/rewrite-page.js";
import { findDecidedLinks } from "../helpers/decided-links.js";
import { scanLinks } from "../../src/html/scan-links.js";
import { resolveOptions } from "../../src/rules/options.js";
import { outsideLinkTags } from "../helpers/html.js";

const options = resolveOptions({ tags: { us: "ours-20", uk: "ours-21", de: "ours0d-21" } });

const amazonHref = fc
  .tuple(
    fc.constantFrom("https://", "http://", "//", "HTTPS://"),
    fc.constantFrom("www.amazon.com", "amazon.co.uk", "M.AMAZON.DE", "amazon.fr", "amzn.to", "www.amazon.com."),
    fc.constantFrom("/dp/B00OFWQS94", "/gp/product/0596517742", "/s", "/Slug/dp/b07qbpdwls/ref=x", "/dp/BAD", "/"),
    fc.array(fc.constantFrom("tag=ours-20", "tag=other-20", "ref_=x", "psc=1", "k=a+b", "language=en", "tag=a&tag=b"), { maxLength: 4 }),
  )
  .map(([scheme, host, path, params]) => `${scheme}${host}${path}${params.length ? `?${params.join("&")}` : ""}`);

const otherHref = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    "https://amazon.com.evil.example/dp/B00OFWQS94",
    "https://aws.amazon.com/",
    "mailto:a@amazon.com",
    "/dp/B00OFWQS94",
    "#top",
  ),
);

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
const fragment = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "<p>",
    "</p>",
    "<code>",
    "</code>",
    "<pre>",
    "</pre>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<div data-amazon-links=off>",
    "</div>",
    "<",
    ">",
    '"',
    "'",
  ),
  amazonHref.map((h) => `<a href="${escapeAttr(h)}">x</a>`),
  otherHref.map((h) => `<a class="o" href="${escapeAttr(h)}">o</a>`),
  amazonHref.map((h) => `<area href='${h.replace(/'/g, "&#39;").replace(/&/g, "&amp;")}'>`),
);

describe("rewriter under random input", () => {
  it("never crashes, never changes a non-Amazon link, never writes two tags, and is idempotent", () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 30 }), (parts) => {
        const html = parts.join("");
        const found = findDecidedLinks(html, options);
        const out = writeAmazonLinks(html, found.links, options);

        // Non-Amazon links: same hrefs, in the same order, before and after.
        const nonAmazon = (h: string) =>
          scanLinks(h)
            .links.filter((l) => parseAmazonUrl(l.href) === null)
            .map((l) => l.href);
        expect(nonAmazon(out)).toEqual(nonAmazon(html));

        // Every href we wrote carries at most one tag (hrefs we could not tag are left as the author wrote them).
        for (const link of found.links) {
          if (link.decision.href !== link.html.href) {
            expect(new URL(link.decision.href).searchParams.getAll("tag").length).toBeLessThanOrEqual(1);
          }
        }
        // Byte preservation: outside <a>/<area> start tags, nothing changed.
        expect(outsideLinkTags(out)).toBe(outsideLinkTags(html));
        const again = findDecidedLinks(out, options);
        expect(writeAmazonLinks(out, again.links, options)).toBe(out);
      }),
      { numRuns: 400 },
    );
  });

  it("parseAmazonUrl never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), amazonHref), (s) => {
        parseAmazonUrl(s);
      }),
      { numRuns: 1000 },
    );
  });
});
