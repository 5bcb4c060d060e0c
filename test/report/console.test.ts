/** Console and GitHub output grouped as a person acts on it (src/report/grouped-findings.ts). */
import { describe, expect, it } from "vitest";
import { parseAmazonUrl, type AmazonUrl } from "../../src/amazon/parse.js";
import { buildReport } from "../../src/report/build-report.js";
import { formatConsoleReport } from "../../src/report/console.js";
import { formatGithubAnnotations } from "../../src/report/github.js";
import type { LinkRecord, PageRecord } from "../../src/results.js";
import { resolveOptions } from "../../src/rules/options.js";
import type { Finding } from "../../src/rules/rule-ids.js";
import { verdictFindings } from "../../src/rules/verdicts.js";

const options = resolveOptions({ tags: { us: "mysite-20", de: "mysite0d-21" } });
const untagged: Finding = {
  rule: "untagged",
  severity: "error",
  message: 'No Associates tag for amazon.fr (store "fr"): add tags: { fr: "yourtag-21" }.',
};
const foreign: Finding = {
  rule: "foreign-tag",
  severity: "warning",
  message: 'Replaced the tag "them-20", which is not one of yours, with "mysite-20".',
};

function link(
  input: string,
  output: string,
  line: number,
  findings: Finding[],
  original = "https://www.amazon.fr/dp/B00OFWQS94",
): LinkRecord {
  const parsed = parseAmazonUrl(original) as AmazonUrl;
  return {
    input,
    line,
    column: 5,
    output,
    original,
    href: original,
    asin: parsed.asin,
    marketplace: parsed.marketplace,
    kind: parsed.kind,
    status: "unchecked",
    findings,
  };
}

const text = (links: LinkRecord[], pages: PageRecord[] = [], format: { quiet?: boolean; verbose?: boolean } = {}) =>
  formatConsoleReport(buildReport(pages, links), { colors: false, ...format }).split("\n");

describe("console report, grouped", () => {
  it("prints a link in a layout once, on how many pages", () => {
    const links = Array.from({ length: 40 }, (_, i) => link("_includes/footer.njk", `_site/post-${i}/index.html`, 3, [untagged]));
    const lines = text(links);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^_includes\/footer\.njk:3:5\s+error\s+No Associates tag for amazon\.fr .* \(on 40 pages\)\s+untagged$/);
    expect(lines[1]).toMatch(/40 Amazon links on 40 pages .* 40 errors, 0 warnings/); // the counts stay the facts
  });

  it("prints a link found only in built files once per link as written, at its first place", () => {
    const links = ["public/a/index.html", "public/b/index.html", "public/c/index.html"].map((out) => link(out, out, 9, [untagged]));
    const lines = text(links);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^public\/a\/index\.html:9:5\s+error\s+.*\(on 3 pages\)\s+untagged$/);
    // A different link, or a different finding, is its own line.
    const other = link("public/b/index.html", "public/b/index.html", 12, [untagged], "https://www.amazon.fr/dp/B07QBPDWLS");
    expect(text([...links, other])).toHaveLength(3);
  });

  it("does not repeat a post's finding for the feed that carries the post", () => {
    const post = link("content/post.md", "_site/post/index.html", 3, [untagged]);
    const inFeed = link("_site/feed.xml", "_site/feed.xml", 40, [untagged]);
    const inJsonFeed = link("_site/feed.json", "_site/feed.json", 2, [untagged]);
    expect(text([post, inFeed, inJsonFeed])).toEqual([
      expect.stringMatching(/^content\/post\.md:3:5\s+error\s+No Associates tag for amazon\.fr \(store "fr"\)[^(]*untagged$/),
      expect.any(String),
    ]);
    // A link only a feed carries is still reported, at the feed.
    const feedOnly = link("_site/feed.xml", "_site/feed.xml", 41, [untagged], "https://www.amazon.fr/dp/B07QBPDWLS");
    expect(text([post, inFeed, feedOnly]).filter((l) => l.includes("feed.xml"))).toEqual([
      expect.stringMatching(/^_site\/feed\.xml:41:5\s+error/),
    ]);
  });

  it("prints errors before warnings", () => {
    const lines = text([
      link("a.md", "_site/a/index.html", 1, [foreign], "https://www.amazon.com/dp/B00OFWQS94?tag=them-20"),
      link("z.md", "_site/z/index.html", 1, [untagged]),
    ]);
    expect(lines[0]).toMatch(/^z\.md:1:5\s+error/);
    expect(lines[1]).toMatch(/^a\.md:1:5\s+warning/);
  });

  it("sums up products nobody could check per store, with the reasons, instead of a line per link", () => {
    const unverified = (asin: string, reason: string, output: string): LinkRecord => {
      const original = `https://www.amazon.de/dp/${asin}`;
      const parsed = parseAmazonUrl(original) as AmazonUrl;
      return {
        ...link(output, output, 4, verdictFindings(parsed, { status: "unverified", reason }, options), original),
        status: "unverified",
      };
    };
    const asins = Array.from({ length: 12 }, (_, i) => `B0000000${String(i).padStart(2, "0")}`);
    const links = asins.map((asin, i) =>
      unverified(asin, i < 10 ? "robot check (captcha page, HTTP 200)" : "timed out after 10 s", `public/p${i}.html`),
    );
    links.push(unverified(asins[0]!, "robot check (captcha page, HTTP 200)", "public/again.html")); // the same product on another page
    const lines = text(links);
    expect(lines).toEqual([
      "amazon.de  warning  12 products unverified, robot check (captcha page, HTTP 200): 10; timed out after 10 s: 2. The next build asks again.  unverified",
      expect.stringMatching(/13 Amazon links on 13 pages/),
    ]);
    // --verbose: a line per link as written (the product on two pages is one line).
    const verbose = text(links, [], { verbose: true }).filter((l) => l.includes("Could not check"));
    expect(verbose).toHaveLength(12);
    expect(verbose[0]).toMatch(
      /^public\/again\.html:4:5\s+warning\s+Could not check B000000000 on amazon\.de: robot check .* \(on 2 pages\)\s+unverified$/,
    );
  });

  it("quiet prints only errors", () => {
    const lines = text(
      [
        link("a.md", "_site/a/index.html", 1, [foreign], "https://www.amazon.com/dp/B00OFWQS94?tag=them-20"),
        link("z.md", "_site/z/index.html", 1, [untagged]),
      ],
      [],
      { quiet: true },
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^z\.md:1:5\s+error/);
  });
});

describe("GitHub annotations, grouped", () => {
  it("annotate source files with file, line and col; findings only in built files name their place in the message", () => {
    const layout = Array.from({ length: 3 }, (_, i) => link("_includes/footer.njk", `_site/p${i}/index.html`, 3, [untagged]));
    const built = link("public/x.html", "public/x.html", 9, [untagged], "https://www.amazon.fr/dp/B07QBPDWLS");
    const page: PageRecord = {
      input: "_site/about/index.html",
      output: "_site/about/index.html",
      links: 1,
      findings: [{ rule: "missing-disclosure", severity: "warning", message: "No disclosure." }],
    };
    const lines = formatGithubAnnotations(buildReport([page], [...layout, built]))
      .trimEnd()
      .split("\n");
    expect(lines).toEqual([
      "::error file=_includes/footer.njk,line=3,col=5,title=amazon-links (untagged)::" + untagged.message + " (on 3 pages)",
      "::error title=amazon-links (untagged)::public/x.html:9:5: " + untagged.message,
      "::warning title=amazon-links (missing-disclosure)::_site/about/index.html: No disclosure.",
    ]);
  });
});
