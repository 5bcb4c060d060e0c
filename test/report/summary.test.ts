import { describe, expect, it } from "vitest";
import { summarize } from "../../src/report/summary.js";
import { sampleLinks, samplePages } from "./sample-report.js";

describe("summarize", () => {
  it("counts pages, links, distinct ASINs, sorted stores, statuses and findings on links and pages", () => {
    const links = sampleLinks();
    const summary = summarize(links, samplePages(links));
    expect(summary).toEqual({
      pages: 4,
      links: 9,
      // B07XJ8C8F5 (us, uk, fr), B0TESTDE01, B000DEAD00, B00UNVER1F, 012345678X
      asins: 5,
      // "short" is not a store
      stores: ["de", "fr", "jp", "uk", "us"],
      // untagged ×2, dead-asin, invalid-asin on links + missing-disclosure error on a page
      errors: 5,
      // foreign-tag, unverified on links + missing-disclosure warning on a page
      warnings: 3,
      live: 3,
      dead: 1,
      unverified: 1,
      unchecked: 4,
    });
  });

  it("is all zeros for an empty build", () => {
    expect(summarize([], [])).toEqual({
      pages: 0,
      links: 0,
      asins: 0,
      stores: [],
      errors: 0,
      warnings: 0,
      live: 0,
      dead: 0,
      unverified: 0,
      unchecked: 0,
    });
  });

  it("counts a page with only page findings, and a link's page that has no page record", () => {
    const [first] = sampleLinks();
    const summary = summarize(
      [first!],
      [
        {
          input: "content/empty.md",
          output: "_site/empty/index.html",
          links: 0,
          findings: [{ rule: "missing-disclosure", severity: "error", message: "x" }],
        },
      ],
    );
    expect(summary.pages).toBe(2);
    expect(summary.errors).toBe(1);
    expect(summary.warnings).toBe(1);
  });

  it("sorts store codes independently of link order and does not mutate its input", () => {
    const links = sampleLinks().reverse();
    const copy = structuredClone(links);
    expect(summarize(links, []).stores).toEqual(["de", "fr", "jp", "uk", "us"]);
    expect(links).toEqual(copy);
  });
});
