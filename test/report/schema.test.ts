import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "../helpers/report-page.js";
import type { Report } from "../../src/results.js";
import { ruleIds } from "../../src/rules/rule-ids.js";
import { bigReport, sampleReport } from "./sample-report.js";
import { errorsText, schema, validateCompleteReport, validateReport } from "./validate.js";

function roundTrip(report: unknown): any {
  return JSON.parse(JSON.stringify(report));
}

describe("report JSON Schema", () => {
  it("is draft 2020-12 and lists exactly the rule ids of src/rules", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect([...schema.$defs.ruleId.enum].sort()).toEqual([...ruleIds].sort());
    expect(schema.$defs.finding.properties.severity.enum).toEqual(["error", "warning"]);
  });

  it("accepts a realistic report (and the complete variant matching types.ts)", () => {
    const report = roundTrip(sampleReport());
    expect(validateReport(report), errorsText(validateReport.errors)).toBe(true);
    expect(validateCompleteReport(report), errorsText(validateCompleteReport.errors)).toBe(true);
    const big = roundTrip(bigReport(300));
    expect(validateReport(big), errorsText(validateReport.errors)).toBe(true);
  });

  it("accepts DESIGN.md's minimal example and unknown top-level fields", () => {
    const minimal = {
      version: 1,
      summary: { pages: 0, links: 0, errors: 0, warnings: 0 },
      links: [
        {
          input: "content/post.md",
          line: 3,
          column: 5,
          output: "_site/post/index.html",
          original: "https://amazon.com/dp/B000000000",
          href: "https://www.amazon.com/dp/B000000000?tag=mysite-20",
          asin: "B000000000",
          marketplace: "us",
          status: "live",
          findings: [{ rule: "foreign-tag", severity: "warning", message: "…" }],
        },
      ],
      futureField: { anything: true },
    };
    expect(validateReport(minimal), errorsText(validateReport.errors)).toBe(true);
    expect(validateCompleteReport(minimal)).toBe(false);
  });

  const broken: Array<[string, (r: any) => void, string]> = [
    ["wrong version", (r) => (r.version = 2), "/version"],
    ["missing links", (r) => delete r.links, "/"],
    ["missing summary.errors", (r) => delete r.summary.errors, "/summary"],
    ["unknown rule id", (r) => (r.links[0].findings[0].rule = "no-such-rule"), "/links/0/findings/0/rule"],
    ["severity off in a finding", (r) => (r.links[2].findings[0].severity = "off"), "/links/2/findings/0/severity"],
    ["unknown status", (r) => (r.links[1].status = "maybe"), "/links/1/status"],
    ["line 0", (r) => (r.links[1].line = 0), "/links/1/line"],
    ["column as a string", (r) => (r.links[1].column = "5"), "/links/1/column"],
    ["upper-case store code", (r) => (r.links[1].marketplace = "UK"), "/links/1/marketplace"],
    ["misspelt link field", (r) => (r.links[1].hrf = r.links[1].href), "/links/1"],
    ["negative count", (r) => (r.summary.warnings = -1), "/summary/warnings"],
    ["generatedAt not a date-time", (r) => (r.generatedAt = "yesterday"), "/generatedAt"],
    ["empty message", (r) => (r.pages[1].findings[0].message = ""), "/pages/1/findings/0/message"],
    ["duplicate store in liveIn", (r) => (r.links[0].liveIn = ["us", "us"]), "/links/0/liveIn"],
  ];
  it.each(broken)("rejects a broken report: %s", (_name, breakIt, path) => {
    const report = roundTrip(sampleReport());
    breakIt(report);
    expect(validateReport(report)).toBe(false);
    expect(validateReport.errors?.map((e) => e.instancePath)).toContain(path === "/" ? "" : path);
  });

  it("the HTML page embeds a report that still validates after extraction", () => {
    const report: Report = sampleReport();
    const html = renderHtmlReport(report);
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(json).toBeDefined();
    const embedded = JSON.parse(json!);
    expect(embedded).toEqual(roundTrip(report));
    expect(validateReport(embedded), errorsText(validateReport.errors)).toBe(true);
  });
});
