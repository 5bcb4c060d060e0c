import { describe, expect, it } from "vitest";
import { toSarif } from "../../src/report/sarif.js";
import { ruleIds } from "../../src/rules/rule-ids.js";
import { hostile, sampleReport } from "./sample-report.js";
import { sanitizeText } from "../../src/report/sanitize.js";

describe("toSarif", () => {
  const report = sampleReport();
  const log = JSON.parse(JSON.stringify(toSarif(report, { helpUri: "https://example.test/docs/rules" }))) as any;
  const run = log.runs[0];

  it("is a SARIF 2.1.0 log with one run of the amazon-links tool", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe("amazon-links");
    expect(run.tool.driver.version).toBe("0.1.0");
    expect(run.invocations[0].endTimeUtc).toBe("2025-06-01T12:34:56.789Z");
  });

  it("declares one rule per rule id with descriptions, default level and help link", () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r: any) => r.id)).toEqual(ruleIds);
    for (const r of rules) {
      expect(r.shortDescription.text.length).toBeGreaterThan(10);
      expect(r.fullDescription.text.length).toBeGreaterThan(10);
      expect(["error", "warning", "note", "none"]).toContain(r.defaultConfiguration.level);
      expect(r.helpUri).toBe(`https://example.test/docs/rules#${r.id}`);
    }
    expect(rules.find((r: any) => r.id === "missing-disclosure").defaultConfiguration.level).toBe("none");
  });

  it("has a result per finding, with ruleIndex pointing at its rule and a level", () => {
    const total = report.links.reduce((n, l) => n + l.findings.length, 0) + report.pages.reduce((n, p) => n + p.findings.length, 0);
    expect(run.results).toHaveLength(total);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(["error", "warning"]).toContain(r.level);
      expect(typeof r.message.text).toBe("string");
      expect(Object.keys(r.partialFingerprints)).toEqual(["amazonLinks/v1"]);
    }
    const fingerprints = run.results.map((r: any) => r.partialFingerprints["amazonLinks/v1"]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it("gives link findings a physical location with a 1-based region", () => {
    const dead = run.results.find((r: any) => r.ruleId === "dead-asin");
    expect(dead.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "content/posts/old-gear.md", uriBaseId: "%SRCROOT%" },
          region: { startLine: 7, startColumn: 14 },
        },
      },
    ]);
    expect(dead.properties).toMatchObject({ asin: "B000DEAD00", marketplace: "us", status: "dead" });
    expect(run.originalUriBaseIds["%SRCROOT%"]).toBeDefined();
  });

  it("keeps messages as text, line breaks and control characters removed (sanitizeText), and gives page findings a file location", () => {
    const hostileResult = run.results.find((r: any) => r.locations[0].physicalLocation.region?.startLine === 20);
    expect(hostileResult.message.text).toBe(sanitizeText(hostile.message));
    expect(hostileResult.message.text).toContain("de Add `tags.de`");
    expect(hostileResult.properties.href).toBe(sanitizeText(hostile.href));
    const page = run.results.find((r: any) => r.ruleId === "missing-disclosure" && r.level === "error");
    expect(page.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "content/posts/old-gear.md", uriBaseId: "%SRCROOT%" } });
  });

  it("percent-encodes artifact URIs and applies a path prefix", () => {
    const odd = { ...report, pages: [], links: [{ ...report.links[3]!, input: "content\\my post #1.md" }] };
    const out = toSarif(odd, { pathPrefix: "site/" }) as any;
    expect(out.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("site/content/my%20post%20%231.md");
  });
});
