/** Feeds as documents: links found in escaped text, CDATA, XHTML and JSON strings, written back byte-exactly. */
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { findInDocument } from "../../src/html/document.js";
import { documentKind } from "../../src/html/document-kind.js";
import { decideLinks } from "../../src/rules/decide-link.js";
import { resolveOptions } from "../../src/rules/options.js";

const options = resolveOptions({ tags: { us: "ours-20", uk: "ours-21" } });
const rewrite = (text: string, kind: "html" | "xml-feed" | "json-feed") => {
  const doc = findInDocument(text, kind);
  const links = decideLinks(doc.links, options);
  return { out: doc.write(links, options), links };
};

describe("documents", () => {
  it("knows pages and feeds by name (a .json file only when it is a JSON Feed)", () => {
    expect(documentKind("_site/a/index.html")).toBe("html");
    expect(documentKind("_site/feed.xml")).toBe("xml-feed");
    expect(documentKind("_site/feed.json", '{"version":"https://jsonfeed.org/version/1.1"}')).toBe("json-feed");
    expect(documentKind("_site/data.json", '{"a":1}')).toBeUndefined();
    expect(documentKind("_site/style.css")).toBeUndefined();
  });

  it("Atom: rewrites escaped HTML and CDATA, encodes each replacement for where it lands, leaves the rest byte-identical", () => {
    const feed = [
      `<?xml version="1.0" encoding="utf-8"?>`,
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>Links &amp; more</title>`,
      `<link href="https://www.amazon.com/dp/B00OFWQS94?tag=x-20" rel="alternate"/>`,
      `<entry><title>Escaped</title><content type="html">&lt;p&gt;A &lt;a href=&quot;https://amazon.com/dp/B00OFWQS94?psc=1&amp;amp;ref_=x&quot;&gt;lamp&lt;/a&gt; &amp;amp; more&lt;/p&gt;</content></entry>`,
      `<entry><title>CDATA</title><content type="html"><![CDATA[<p><a href="https://amazon.co.uk/dp/B07QBPDWLS?tag=other-21">kb</a> & "q"</p>]]></content></entry>`,
      `<entry><title>XHTML</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="https://amazon.com/gp/product/B0052KW5W6">nb</a></div></content></entry>`,
      `<entry><summary>&lt;a href='https://example.com/dp/B00OFWQS94'&gt;not amazon&lt;/a&gt;</summary></entry>`,
      `</feed>`,
    ].join("\n");
    const { out, links } = rewrite(feed, "xml-feed");
    expect(links.map((l) => l.decision.href)).toEqual([
      "https://www.amazon.com/dp/B00OFWQS94?tag=ours-20",
      "https://www.amazon.co.uk/dp/B07QBPDWLS?tag=ours-21",
      "https://www.amazon.com/dp/B0052KW5W6?tag=ours-20",
    ]);
    const expected = feed
      .replace(
        `&lt;a href=&quot;https://amazon.com/dp/B00OFWQS94?psc=1&amp;amp;ref_=x&quot;&gt;`,
        `&lt;a href=&quot;https://www.amazon.com/dp/B00OFWQS94?tag=ours-20&quot; rel=&quot;sponsored noopener&quot;&gt;`,
      )
      .replace(
        `<a href="https://amazon.co.uk/dp/B07QBPDWLS?tag=other-21">`,
        `<a href="https://www.amazon.co.uk/dp/B07QBPDWLS?tag=ours-21" rel="sponsored noopener">`,
      )
      .replace(
        `<a href="https://amazon.com/gp/product/B0052KW5W6">`,
        `<a href="https://www.amazon.com/dp/B0052KW5W6?tag=ours-20" rel="sponsored noopener">`,
      );
    expect(out).toBe(expected);
    expect(XMLValidator.validate(out)).toBe(true);
    // Element hrefs of the feed itself (its <link>) are not entry content: left alone.
    expect(out).toContain(`<link href="https://www.amazon.com/dp/B00OFWQS94?tag=x-20" rel="alternate"/>`);
    // Idempotent.
    expect(rewrite(out, "xml-feed").out).toBe(out);
  });

  it("JSON Feed: rewrites content_html and Amazon external_url values, JSON-escaped, and nothing else", () => {
    const feed = JSON.stringify(
      {
        version: "https://jsonfeed.org/version/1.1",
        title: "t",
        items: [
          {
            id: "1",
            url: "https://example.com/post/",
            external_url: "https://amazon.co.uk/Some-Book/dp/0596517742/ref=sr_1_1",
            content_html: '<p>"Quoted" <a href="https://amazon.com/dp/B00OFWQS94?th=1">lamp</a>\u2028</p>',
          },
        ],
      },
      null,
      2,
    );
    const { out } = rewrite(feed, "json-feed");
    const item = JSON.parse(out).items[0];
    expect(item.external_url).toBe("https://www.amazon.co.uk/dp/0596517742?tag=ours-21");
    expect(item.content_html).toBe(
      '<p>"Quoted" <a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener">lamp</a>\u2028</p>',
    );
    expect(item.url).toBe("https://example.com/post/");
    // Outside the two values, the bytes are the same.
    const strip = (s: string) => s.replace(/"external_url": ".*?",/, "").replace(/"content_html": ".*"/, "");
    expect(strip(out)).toBe(strip(feed));
    expect(rewrite(out, "json-feed").out).toBe(out);
  });
});
