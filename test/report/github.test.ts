import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatGithubAnnotations } from "../../src/report/github.js";
import type { Report } from "../../src/results.js";
import { hostile, sampleReport } from "./sample-report.js";
import { sanitizeText } from "../../src/report/sanitize.js";

/** The inverse of the runner's parsing: split a workflow command line into its parts. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const m = /^::([a-z]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescapeData = (s: string) =>
    s.replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? "").split(",").filter(Boolean)) {
    const eq = pair.indexOf("=");
    properties[pair.slice(0, eq)] = unescapeData(pair.slice(eq + 1));
  }
  return { command: m[1]!, properties, message: unescapeData(m[3]!) };
}

describe("GitHub workflow command escaping (as @actions/core)", () => {
  it("escapes data: %, CR, LF and nothing else", () => {
    expect(escapeData("100% a:b,c\r\nd")).toBe("100%25 a:b,c%0D%0Ad");
  });
  it("escapes properties: also colon and comma", () => {
    expect(escapeProperty("C:\\dir,a%b\nc")).toBe("C%3A\\dir%2Ca%25b%0Ac");
  });
  it("escapes % first, so an existing %3A survives a round trip", () => {
    expect(escapeProperty("a%3Ab")).toBe("a%253Ab");
    expect(parseCommand(`::error file=${escapeProperty("a%3Ab")}::x`).properties.file).toBe("a%3Ab");
  });
});

describe("formatGithubAnnotations", () => {
  const report = sampleReport();
  const out = formatGithubAnnotations(report);
  const lines = out.split("\n").slice(0, -1);

  it("prints one command per finding, each on one physical line ending in a newline", () => {
    const findings = report.links.reduce((n, l) => n + l.findings.length, 0) + report.pages.reduce((n, p) => n + p.findings.length, 0);
    expect(out.endsWith("\n")).toBe(true);
    expect(lines).toHaveLength(findings);
    for (const line of lines) expect(line).toMatch(/^::(error|warning) /);
    expect(lines.filter((l) => l.startsWith("::error "))).toHaveLength(report.summary.errors);
    expect(lines.filter((l) => l.startsWith("::warning "))).toHaveLength(report.summary.warnings);
  });

  it("gives file, line, col and title for link findings", () => {
    const dead = lines.find((l) => l.includes("dead-asin"))!;
    // Colons in the message (data) stay as they are; only properties escape them.
    expect(dead).toBe(
      "::error file=content/posts/old-gear.md,line=7,col=14,title=amazon-links (dead-asin)::B000DEAD00 does not exist on amazon.com: link to a current product.",
    );
  });

  it("keeps a message with commas, colons and line breaks one command: breaks become spaces, % is escaped", () => {
    const line = lines.find((l) => l.includes("line=20"))!;
    expect(line).toContain("::Untagged, no tag for store: de Add `tags.de`");
    expect(line).toContain("100%25 needed see");
    expect(line).not.toMatch(/[\r\n]/);
    const parsed = parseCommand(line);
    expect(parsed).toEqual({
      command: "error",
      properties: { file: "content/posts/best-kettles.md", line: "20", col: "9", title: "amazon-links (untagged)" },
      message: sanitizeText(hostile.message),
    });
  });

  it("escapes commas and colons in properties (file names)", () => {
    const weird: Report = {
      ...report,
      pages: [],
      links: [{ ...report.links[3]!, input: "content/a,b: c%.md", findings: [{ rule: "untagged", severity: "error", message: "m" }] }],
    };
    const line = formatGithubAnnotations(weird, { pathPrefix: "site/" }).trimEnd();
    expect(line).toBe("::error file=site/content/a%2Cb%3A c%25.md,line=7,col=14,title=amazon-links (untagged)::m");
    expect(parseCommand(line).properties.file).toBe("site/content/a,b: c%.md");
  });

  it("gives page findings the file only", () => {
    const page = lines.find((l) => l.includes("missing-disclosure") && l.startsWith("::warning"))!;
    const parsed = parseCommand(page);
    expect(parsed.properties).toEqual({ file: "content/about.md", title: "amazon-links (missing-disclosure)" });
    expect(parsed.message).toBe("Disclosure text found only in a comment, file: about.md, line 2");
  });

  it("prints nothing for a clean report", () => {
    expect(formatGithubAnnotations({ ...report, pages: [], links: report.links.map((l) => ({ ...l, findings: [] })) })).toBe("");
  });
});
