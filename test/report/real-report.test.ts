/**
 * The report a real Eleventy build writes (fixture sites, through Eleventy's
 * programmatic API and the plugin) against the published JSON Schema, and
 * through every renderer of this folder.
 */
import { rm } from "node:fs/promises";
import { describe, expect, it, onTestFinished } from "vitest";
import { formatGithubAnnotations } from "../../src/report/github.js";
import { renderHtmlReport } from "../helpers/report-page.js";
import { toSarif } from "../../src/report/sarif.js";
import { summarize } from "../../src/report/summary.js";
import { buildFixture } from "../helpers/eleventy.js";
import { errorsText, validateCompleteReport, validateReport } from "./validate.js";

const tags = { us: ["ours-20", "ours-news-20"], uk: "ours-21", de: "ours0d-21" };

describe.each([
  ["site-basic", "test/fixtures/site-basic/content", false],
  ["site-failing", "test/fixtures/site-failing/content", true],
])("report.json written by a real build of %s", (_name, input, fails) => {
  it("validates against schema/report.schema.json and renders in every format", async () => {
    const build = await buildFixture(input, { tags });
    onTestFinished(async () => {
      await rm(build.outputDir, { recursive: true, force: true });
      await rm(build.reportPath, { force: true });
    });
    expect(build.error !== undefined).toBe(fails);
    const report = build.report;
    expect(report, `no report at ${build.reportPath}`).toBeDefined();
    expect(report.links.length).toBeGreaterThan(0);

    expect(validateReport(report), errorsText(validateReport.errors)).toBe(true);
    expect(validateCompleteReport(report), errorsText(validateCompleteReport.errors)).toBe(true);
    expect(report.summary).toEqual(summarize(report.links, report.pages));
    if (fails) expect(report.summary.errors).toBeGreaterThan(0);

    const annotations = formatGithubAnnotations(report).split("\n").filter(Boolean);
    expect(annotations).toHaveLength(report.summary.errors + report.summary.warnings);
    const sarif = toSarif(report) as { runs: Array<{ results: unknown[] }> };
    expect(sarif.runs[0]!.results).toHaveLength(report.summary.errors + report.summary.warnings);
    const html = renderHtmlReport(report);
    // Every link is one row of the page view; the product view is built in the browser.
    expect(html.match(/<tr data-i="/g)).toHaveLength(report.links.length);
  });
});
