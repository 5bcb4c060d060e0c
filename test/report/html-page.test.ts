import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonForScript } from "../../src/html/script-json.js";
import { escapeHtml } from "../../src/report/html-page.js";
import { renderHtmlReport } from "../helpers/report-page.js";
import { summarize } from "../../src/report/summary.js";
import type { Report } from "../../src/results.js";
import { bigReport, hostile, sampleReport } from "./sample-report.js";

function dataBlock(html: string): string {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("no data block");
  return m[1]!;
}

describe("renderHtmlReport (markup)", () => {
  const report = sampleReport();
  const html = renderHtmlReport(report);

  it("is one standalone document: no external stylesheet, script, image or font", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    // The only absolute URLs are the links' own hrefs.
    const hrefs = [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]);
    for (const h of hrefs) expect(h === "#links-h" || h!.startsWith("https://")).toBe(true);
  });

  it("has exactly two script elements, and the data cannot close its own", () => {
    expect(html.match(/<script\b/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    const data = dataBlock(html);
    expect(data).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(data)).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it("HTML-escapes titles, messages and hrefs wherever they are rendered", () => {
    const body = html.slice(0, html.indexOf('<script type="application/json"'));
    expect(body).not.toContain("<script>window.__pwned");
    expect(body).not.toContain("<img src=x");
    expect(body).toContain(escapeHtml(hostile.title));
    expect(body).toContain(escapeHtml(hostile.message));
    expect(body).toContain(`href="${escapeHtml(hostile.href)}" rel="noopener"`);
  });

  it("uses real table markup: captions, column headers with scope, row-group headers", () => {
    expect(html.match(/<caption id="[a-z-]+-caption">/g)).toHaveLength(3);
    expect(html.match(/<div class="table-wrap" role="region" aria-labelledby="[a-z-]+-caption" tabindex="0">/g)).toHaveLength(3);
    expect(html).toContain('<th scope="col" data-key="asin"><button type="button" class="sort" data-key="asin">');
    expect(html).toMatch(/<th scope="rowgroup" colspan="7">/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('name="viewport"');
  });

  it("renders every link once, in the page view; the product view is an empty table the script fills", () => {
    expect(html.match(/<tr data-i="/g)).toHaveLength(report.links.length);
    for (let i = 0; i < report.links.length; i++) expect(html).toContain(`<tr data-i="${i}"`);
    const product = html.slice(html.indexOf('<div class="view" data-view="product" hidden>'), html.indexOf("</section>\n</main>"));
    expect(product).toContain('<table id="links-by-product" data-links><caption id="links-by-product-caption">');
    expect(product).toContain('<th scope="col" data-key="asin"><button type="button" class="sort" data-key="asin">');
    expect(product).not.toContain("<tbody");
    // Without JavaScript the controls and the product view stay hidden, and a note says why.
    expect(html).toContain('<div class="controls" id="controls" role="group" aria-label="Filter and group links" hidden>');
    expect(html).toMatch(/<noscript><p class="note" id="noscript-note">[^<]*grouping by product need JavaScript[^<]*<\/p><\/noscript>/);
  });

  it("shows each link's details in its row: status, ASIN, title, store and availability, location, findings, link and what it was", () => {
    const row = (i: number) => {
      const start = html.indexOf(`<tr data-i="${i}"`);
      return html.slice(start, html.indexOf("<tr", start + 1));
    };
    expect(row(0)).toBe(
      '<tr data-i="0" class="lvl-warning"><td><span class="badge ok">Live</span><td><code>B07XJ8C8F5</code><td>Fellow Stagg EKG Electric Kettle' +
        '<td><abbr title="United States">US</abbr><small>live in US, UK, DE</small><td><code>3:5</code>' +
        '<td><ul class="findings"><li class="finding"><span class="badge warning">Warning</span> ' +
        `${escapeHtml(report.links[0]!.findings[0]!.message)} <code class="rule">foreign-tag</code></li></ul>` +
        '<td><a href="https://www.amazon.com/dp/B07XJ8C8F5?tag=mysite-20" rel="noopener">https://www.amazon.com/dp/B07XJ8C8F5?tag=mysite-20</a>' +
        '<div class="was">was https://amazon.com/dp/B07XJ8C8F5?tag=someoneelse-20&#38;ref=xyz</div>',
    );
    // No findings: an empty cell (CSS writes "None"); a clean row has no level class.
    expect(row(1)).toMatch(/^<tr data-i="1"><td>.*<td><code>12:1<\/code><td><td><a href=/);
    expect(row(3)).toContain('<td><span class="badge error">Dead</span><td><code>B000DEAD00</code><td><span class="none">Unknown</span>');
    // Links without a product: the kind instead of an ASIN, a dash (and "none" for screen readers) for the title.
    expect(row(6)).toContain(
      '<td><span class="none">search</span><td><span class="none"><span aria-hidden="true">&#8212;</span><span class="vh">none</span></span>',
    );
    expect(row(7)).toContain('<abbr title="short link">short link</abbr>');
  });

  it("names the source file in a row only when it is not the page's own", () => {
    const r: Report = structuredClone(report);
    r.links[1]!.input = "content/_includes/kettle-box.njk";
    const out = renderHtmlReport(r);
    expect(out).toContain('<td><code class="src">content/_includes/kettle-box.njk:12:1</code>');
    expect(out).toContain("<td><code>3:5</code>");
    // The group header names the page's source file.
    expect(out).toContain('<th scope="rowgroup" colspan="7"><span class="path strong">content/posts/best-kettles.md</span>');
  });

  it("stays small and Latin-1 for large reports: one short row per link, a one-byte string", () => {
    const big = bigReport(2000);
    const out = renderHtmlReport(big);
    const json = dataBlock(out);
    const rows = out.slice(out.indexOf('<table id="links-by-page"'), out.indexOf('<div class="view" data-view="product"'));
    expect(rows.match(/<tr data-i="/g)).toHaveLength(2000);
    // About 360 bytes per link here, group headers included (both views of the old page took about 1,250).
    expect(rows.length / 2000).toBeLessThan(400);
    expect(out.length - json.length).toBeLessThan(2000 * 400 + 40_000);
    // No character above U+00FF in the template: V8 keeps the result as a one-byte string.
    expect(out).not.toMatch(/[^\u0000-\u00ff]/);
  });

  it("shows the summary cards and a verdict", () => {
    for (const label of ["links", "pages", "stores", "dead", "untagged", "unverified", "errors", "warnings"]) {
      expect(html).toContain(`<span class="label">${label}</span>`);
    }
    expect(html).toContain("5 errors</strong> to fix, 3 warnings");
    expect(html).toContain("<title>Amazon links report: 5 errors, 3 warnings</title>");
  });

  it("never renders a non-http(s) href as a link", () => {
    const r: Report = structuredClone(report);
    r.links[0]!.href = "javascript:alert(1)";
    const out = renderHtmlReport(r);
    expect(out).not.toContain('href="javascript:');
    expect(out).toContain('<span class="url">javascript:alert(1)</span>');
  });

  it("says so when there are no links", () => {
    const empty: Report = {
      version: 1,
      generator: "g",
      generatedAt: "2025-01-01T00:00:00Z",
      summary: summarize([], []),
      pages: [],
      links: [],
    };
    const out = renderHtmlReport(empty);
    expect(out).toContain("No Amazon links were found in this build.");
    expect(out).not.toContain("<table");
  });
});

describe("jsonForScript", () => {
  it("round-trips any value and never emits <, >, &, U+2028 or U+2029", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), (value, s) => {
        for (const v of [value, s, { s, nested: [s, value] }]) {
          const out = jsonForScript(v);
          expect(out).not.toMatch(/[<>&\u2028\u2029]/);
          expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
        }
      }),
      { numRuns: 100 },
    );
  });
  it("neutralises the sequences that end or confuse a script element", () => {
    const out = jsonForScript({ a: "</script><!--<script>\u2028\u2029" });
    expect(out).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e\\u2028\\u2029"}');
  });
});
