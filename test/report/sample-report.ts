/**
 * Realistic reports built as objects: several pages and stores, every status,
 * findings on links and pages, and hostile strings (commas, colons, newlines,
 * `</script>`, `<!--`, U+2028, markup) in messages, titles and hrefs.
 */
import type { Finding } from "../../src/rules/rule-ids.js";
import { summarize } from "../../src/report/summary.js";
import type { LinkRecord, PageRecord, Report } from "../../src/results.js";

const err = (rule: Finding["rule"], message: string): Finding => ({ rule, severity: "error", message });
const warn = (rule: Finding["rule"], message: string): Finding => ({ rule, severity: "warning", message });

type LinkInput = Partial<LinkRecord> & Pick<LinkRecord, "input" | "output" | "line" | "column" | "href">;

function link(l: LinkInput): LinkRecord {
  return {
    original: l.href,
    marketplace: "us",
    kind: "product",
    status: "live",
    findings: [],
    ...l,
  };
}

/** Marker strings the browser and escaping tests look for. */
export const hostile = {
  title: `Kettle </script><script>window.__pwned=1</script> <!-- "quoted" & 'single' \u2028 end`,
  message:
    'Untagged, no tag for store: de\nAdd `tags.de` to your options, e.g. tags: { de: "mysite-21" } 100% needed\r\nsee </script><img src=x onerror="window.__pwned=2">',
  href: "https://www.amazon.de/dp/B0TESTDE01?keywords=a,b:c&x=</script><!--&y=\u2028",
};

export function sampleLinks(): LinkRecord[] {
  return [
    link({
      input: "content/posts/best-kettles.md",
      output: "_site/posts/best-kettles/index.html",
      line: 3,
      column: 5,
      original: "https://amazon.com/dp/B07XJ8C8F5?tag=someoneelse-20&ref=xyz",
      href: "https://www.amazon.com/dp/B07XJ8C8F5?tag=mysite-20",
      asin: "B07XJ8C8F5",
      status: "live",
      title: "Fellow Stagg EKG Electric Kettle",
      liveIn: ["us", "uk", "de"],
      findings: [warn("foreign-tag", 'The URL carried the tag "someoneelse-20", which is not yours; it was replaced by "mysite-20".')],
    }),
    link({
      input: "content/posts/best-kettles.md",
      output: "_site/posts/best-kettles/index.html",
      line: 12,
      column: 1,
      href: "https://www.amazon.co.uk/dp/B07XJ8C8F5?tag=mysite-21",
      asin: "B07XJ8C8F5",
      marketplace: "uk",
      status: "live",
      title: "Fellow Stagg EKG Electric Kettle",
      liveIn: ["us", "uk", "de"],
    }),
    link({
      input: "content/posts/best-kettles.md",
      output: "_site/posts/best-kettles/index.html",
      line: 20,
      column: 9,
      original: "https://www.amazon.de/dp/B0TESTDE01?keywords=a,b:c&x=</script><!--&y=\u2028",
      href: hostile.href,
      asin: "B0TESTDE01",
      marketplace: "de",
      status: "unchecked",
      title: hostile.title,
      findings: [err("untagged", hostile.message)],
    }),
    link({
      input: "content/posts/old-gear.md",
      output: "_site/posts/old-gear/index.html",
      line: 7,
      column: 14,
      href: "https://www.amazon.com/dp/B000DEAD00?tag=mysite-20",
      asin: "B000DEAD00",
      status: "dead",
      liveIn: [],
      findings: [err("dead-asin", "B000DEAD00 does not exist on amazon.com: link to a current product.")],
    }),
    link({
      input: "content/posts/old-gear.md",
      output: "_site/posts/old-gear/index.html",
      line: 9,
      column: 3,
      href: "https://www.amazon.co.jp/dp/B00UNVER1F?tag=mysite-22",
      asin: "B00UNVER1F",
      marketplace: "jp",
      status: "unverified",
      findings: [warn("unverified", "Could not check B00UNVER1F on amazon.co.jp (captcha); it will be retried.")],
    }),
    link({
      input: "content/posts/old-gear.md",
      output: "_site/posts/old-gear/index.html",
      line: 11,
      column: 3,
      href: "https://www.amazon.com/dp/012345678X?tag=mysite-20",
      original: "https://www.amazon.com/dp/012345678x",
      asin: "012345678X",
      status: "unchecked",
      findings: [
        err("invalid-asin", '"012345678X" is not a valid ASIN: its ISBN-10 check digit is wrong. Copy the ASIN from the product page.'),
      ],
    }),
    link({
      input: "content/index.njk",
      output: "_site/index.html",
      line: 2,
      column: 20,
      href: "https://www.amazon.com/s?k=pour+over+kettle&tag=mysite-20",
      kind: "search",
      status: "unchecked",
    }),
    link({
      input: "content/index.njk",
      output: "_site/index.html",
      line: 4,
      column: 1,
      href: "https://amzn.to/3abcDEF",
      marketplace: "short",
      kind: "short",
      status: "unchecked",
      findings: [err("untagged", "Short link https://amzn.to/3abcDEF could not be expanded: replace it with the full product URL.")],
    }),
    link({
      input: "content/about.md",
      output: "_site/about/index.html",
      line: 1,
      column: 1,
      href: "https://www.amazon.fr/dp/B07XJ8C8F5?tag=mysite0f-21",
      asin: "B07XJ8C8F5",
      marketplace: "fr",
      status: "live",
      title: "Fellow Stagg EKG Electric Kettle",
      liveIn: ["us", "uk", "de"],
    }),
  ];
}

export function samplePages(links: LinkRecord[]): PageRecord[] {
  const count = (output: string) => links.filter((l) => l.output === output).length;
  return [
    {
      input: "content/posts/best-kettles.md",
      output: "_site/posts/best-kettles/index.html",
      links: count("_site/posts/best-kettles/index.html"),
      findings: [],
    },
    {
      input: "content/posts/old-gear.md",
      output: "_site/posts/old-gear/index.html",
      links: count("_site/posts/old-gear/index.html"),
      findings: [
        err(
          "missing-disclosure",
          'This page has affiliate links but no disclosure: add "As an Amazon Associate, I earn from qualifying purchases."',
        ),
      ],
    },
    { input: "content/index.njk", output: "_site/index.html", links: count("_site/index.html"), findings: [] },
    {
      input: "content/about.md",
      output: "_site/about/index.html",
      links: count("_site/about/index.html"),
      findings: [warn("missing-disclosure", "Disclosure text found only in a comment, file: about.md, line 2")],
    },
  ];
}

export function sampleReport(): Report {
  const links = sampleLinks();
  const pages = samplePages(links);
  return {
    version: 1,
    generator: "eleventy-plugin-amazon-links 0.1.0",
    generatedAt: "2025-06-01T12:34:56.789Z",
    summary: summarize(links, pages),
    pages,
    links,
  };
}

/** A report with `n` links over `n / 10` pages, for the large-report checks. */
export function bigReport(n: number): Report {
  const links: LinkRecord[] = [];
  for (let i = 0; i < n; i++) {
    const asin = `B0${String(i % 97).padStart(8, "0")}`;
    links.push(
      link({
        input: `content/posts/post-${Math.floor(i / 10)}.md`,
        output: `_site/posts/post-${Math.floor(i / 10)}/index.html`,
        line: (i % 10) + 1,
        column: 1,
        href: `https://www.amazon.com/dp/${asin}?tag=mysite-20`,
        asin,
        status: i % 13 === 0 ? "dead" : "live",
        findings: i % 13 === 0 ? [err("dead-asin", `${asin} is gone`)] : [],
      }),
    );
  }
  const pages = [...new Set(links.map((l) => l.output))].map((output) => ({
    input: links.find((l) => l.output === output)!.input,
    output,
    links: links.filter((l) => l.output === output).length,
    findings: [],
  }));
  return { version: 1, generator: "test", generatedAt: "2025-06-01T00:00:00Z", summary: summarize(links, pages), pages, links };
}
