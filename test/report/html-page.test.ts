import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml, jsonForScript, renderHtmlReport } from "../../src/report/html-page.js";
import { summarize } from "../../src/report/summary.js";
import type { Report } from "../../src/report/types.js";
import { hostile, sampleReport } from "./sample-report.js";

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

  it("renders every link once per view", () => {
    expect(html.match(/<tr data-i="/g)).toHaveLength(report.links.length * 2);
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
    const empty: Report = { version: 1, generator: "g", generatedAt: "2025-01-01T00:00:00Z", summary: summarize([], []), pages: [], links: [] };
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
