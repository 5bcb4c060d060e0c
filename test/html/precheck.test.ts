/**
 * The page pre-check decides whether a page is scanned at all: a page it
 * wrongly passes over ships its Amazon links untouched. It must find every
 * host a browser resolves to Amazon's however it is spelled (the spellings
 * are checked against Chromium in test/browser/spelled-hosts.test.ts), and
 * it must never say "no" to a page the scanner would find links in.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mayContainAmazonLink } from "../../src/html/precheck.js";
import { findDecidedLinks } from "../helpers/decided-links.js";
import { resolveOptions } from "../../src/rules/options.js";
import { spelledHosts } from "./spelled-hosts.js";

const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 1000) };
const options = resolveOptions({
  tags: { us: "ours-20", uk: "ours-21", de: "ours-21", fr: "ours-21", it: "ours-21", es: "ours-21", ca: "ours-20", jp: "ours-22" },
});

/** An attribute value escaped for a double-quoted attribute (markup inside `srcdoc`). */
function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}

/** The places a link can sit in a built page, each given the href as written in the source. */
const contexts: ReadonlyArray<readonly [string, (source: string) => string | undefined]> = [
  ["double-quoted", (s) => `<p>Buy <a class="x" href="${s}">it</a>.</p>`],
  ["single-quoted", (s) => `<p><a href='${s}' rel=nofollow>it</a></p>`],
  // An unquoted value ends at whitespace: only sources without any.
  ["unquoted", (s) => (/[\s"'>]/.test(s) ? undefined : `<p><a href=${s}>it</a></p>`)],
  ["area", (s) => `<map name="m"><area shape="rect" coords="0,0,1,1" href="${s}"></map>`],
  ["SVG xlink:href", (s) => `<svg viewBox="0 0 10 10"><a xlink:href="${s}"><text>it</text></a></svg>`],
  ["iframe srcdoc", (s) => `<iframe srcdoc="<p><a href=&quot;${escapeAttribute(s)}&quot;>it</a></p>"></iframe>`],
  ["after a title that hides an href", (s) => `<a title='href="' href="${s}">it</a>`],
];

function page(body: string): string {
  return (
    `<!doctype html><html><head><title>Gear</title><link rel="stylesheet" href="https://cdn.example/site.css"></head>` +
    `<body><nav><a href="/">Home</a> <a href="https://www.11ty.dev/">Eleventy</a></nav>${body}</body></html>`
  );
}

describe("page pre-check", () => {
  it("passes over pages with no Amazon link, also pages full of other URLs and non-ASCII text", () => {
    expect(mayContainAmazonLink(page("<p>No shopping here.</p>"))).toBe(false);
    expect(
      mayContainAmazonLink(
        page(`<p>日本語の文章。全角ＡＢＣ。</p><a href="https://例え.jp/パス">x</a><a href="https://x.example/%E3%80%82">y</a>`),
      ),
    ).toBe(false);
    expect(mayContainAmazonLink(page(`<a href="https:&#47;&#47;example&#46;com/">x</a>`))).toBe(false);
  });

  for (const row of spelledHosts) {
    it(`${row.store ? "finds" : "passes over"} ${row.why}: ${JSON.stringify(row.source)}`, () => {
      for (const [name, wrap] of contexts) {
        const body = wrap(row.source);
        if (body === undefined) continue;
        expect(mayContainAmazonLink(page(body)), name).toBe(row.store !== null);
      }
    });
  }

  it("never passes over a page the scanner finds Amazon links in", () => {
    const href = fc.oneof(
      fc.constantFrom(...spelledHosts.map((r) => r.source)),
      fc.constantFrom("/", "#top", "https://example.com/x?y=1&amp;z=2", "mailto:someone@example.com", "https://例え.jp/"),
      fc.webUrl().map((u) => u.replace(/&/g, "&amp;")),
      fc.string({ maxLength: 30 }),
    );
    const quote = fc.constantFrom('"', "'", "");
    const link = fc
      .tuple(fc.constantFrom("a", "area", "A"), fc.constantFrom("href", "HREF", "xlink:href"), quote, href, fc.constantFrom("", " ", "\n"))
      .map(
        ([tag, attribute, q, h, space]) =>
          `<${tag} ${attribute}${space}=${space}${q}${q === "" ? h.replace(/[\s>"']/g, "") : h.split(q).join("")}${q}>x</${tag}>`,
      );
    const filler = fc.constantFrom(
      "<p>",
      "</p>",
      "text ",
      "<!-- c -->",
      "<code>",
      "</code>",
      "日本語。",
      "&amp;",
      "<br>",
      "\n",
      "*/\r\n",
      "/\t",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(link, filler), { maxLength: 12 }), (parts) => {
        const html = page(parts.join(""));
        if (mayContainAmazonLink(html)) return;
        const found = findDecidedLinks(html, options);
        expect(found.links.map((l) => l.html.href)).toEqual([]);
        expect(found.optedOut).toEqual([]);
      }),
      RUNS,
    );
  });

  it("finds a host after gapped slashes on a page whose lines end in a slash before CRLF", () => {
    const crlf = "<script>/* a */\r\nvar a = 1; /* b */\r\n</script>";
    expect(mayContainAmazonLink(page(crlf))).toBe(false);
    expect(mayContainAmazonLink(page(`${crlf}<a href="https:/\r\n/www&#46;amazon&#46;de/dp/B08N5WRWNW">x</a>`))).toBe(true);
    expect(mayContainAmazonLink(page(`${crlf}<a href="https:/&#10;/www&#46;amazon&#46;de/dp/B08N5WRWNW">x</a>`))).toBe(true);
  });

  it("reads a long page with many slashes and spelled references in one pass (a quadratic reading would time the test out)", () => {
    const noise = `<a href="https://example.com/a/b/c">x</a> &#47;&#47;www&#46;example&#46;com `.repeat(40_000);
    expect(mayContainAmazonLink(page(noise))).toBe(false);
    const oneFar = page(`${noise}<a href="https://www&#46;amazon&#46;de/dp/B08N5WRWNW">x</a>`);
    expect(mayContainAmazonLink(oneFar)).toBe(true);
  });
});
