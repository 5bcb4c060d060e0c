/**
 * Real Eleventy builds: a page whose only Amazon link has its host spelled
 * out (character references, percent-encoding, U+3002, full-width letters…)
 * gets the link rewritten and tagged, or reported, never shipped as written;
 * so does an Amazon href longer than 8,192 characters.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFixture, startTags, tempDir, type BuildResult } from "../helpers/eleventy.js";
import { spelledHosts } from "../html/spelled-hosts.js";

const tags = {
  us: "ours-20",
  uk: "ours-21",
  de: "ours0d-21",
  fr: "ours0f-21",
  it: "ours0i-21",
  es: "ours0e-21",
  ca: "ours0c-20",
  jp: "ours-22",
};
const DOMAIN: Record<string, string> = {
  us: "amazon.com",
  uk: "amazon.co.uk",
  de: "amazon.de",
  fr: "amazon.fr",
  it: "amazon.it",
  es: "amazon.es",
  ca: "amazon.ca",
  jp: "amazon.co.jp",
};
const A = "B08N5WRWNW";
const LONG_QUERY = `keywords=${"k".repeat(10_000)}`;

/** One page per spelling, so each page's only Amazon link is the spelled one. */
async function site(): Promise<string> {
  const input = await tempDir("amazon-links-spelled-");
  await mkdir(join(input, "spelled"), { recursive: true });
  await Promise.all(
    spelledHosts.map((row, i) =>
      writeFile(join(input, "spelled", `p${i}.html`), `<!doctype html><title>p${i}</title><p>Buy <a href="${row.source}">it</a>.</p>\n`),
    ),
  );
  await writeFile(
    join(input, "long.html"),
    `<!doctype html><title>long</title><p><a href="https://www.amazon.com/Some-Title/dp/${A}/ref=sr_1_1?${LONG_QUERY}&tag=someone-20">long</a></p>\n`,
  );
  await writeFile(
    join(input, "long-untagged.html"),
    `<!doctype html><title>long</title><p><a href="https://www.amazon.com.mx/s?${LONG_QUERY}">long, no tag for mx</a></p>\n`,
  );
  return input;
}

describe("spelled-out hosts and long hrefs in a real Eleventy build", () => {
  let build: BuildResult;
  beforeAll(async () => {
    build = await buildFixture(await site(), { tags });
  });

  it("rewrites and tags each spelled-out Amazon link, reports what it cannot tag, and leaves lookalikes alone", async () => {
    for (const [i, row] of spelledHosts.entries()) {
      const html = await build.read(`spelled/p${i}/index.html`);
      const anchors = startTags(html);
      expect(anchors, row.why).toHaveLength(1);
      if (row.store === null) {
        // Not Amazon's: byte for byte as written.
        expect(html, row.why).toContain(`<a href="${row.source}">`);
        continue;
      }
      const reported = build.report.links.filter((l) => l.output.endsWith(`spelled/p${i}/index.html`));
      expect(reported, row.why).toHaveLength(1);
      if (row.store === "short") {
        // A short link cannot be expanded offline: it ships only with an error that fails the build.
        expect(
          reported[0]!.findings.map((f) => f.rule),
          row.why,
        ).toContain("untagged");
        continue;
      }
      const href = `https://www.${DOMAIN[row.store]}/dp/${A}?tag=${tags[row.store as keyof typeof tags]}`;
      expect(anchors[0], row.why).toContain(`href="${href}"`);
      expect(anchors[0], row.why).toMatch(/rel="sponsored noopener"/);
      expect(reported[0], row.why).toMatchObject({ href, asin: A, marketplace: row.store });
    }
    expect(build.error).toBeInstanceOf(Error); // the short links and the untagged long link
  });

  it("rewrites an Amazon href longer than 8,192 characters, and reports one it cannot tag", async () => {
    const long = build.report.links.find((l) => l.output.endsWith("long/index.html"));
    expect(long?.original.length).toBeGreaterThan(10_000);
    expect(long).toMatchObject({ href: `https://www.amazon.com/dp/${A}?tag=ours-20`, asin: A, marketplace: "us" });
    expect(long?.findings.map((f) => f.rule)).toEqual(["foreign-tag"]);
    expect(await build.read("long/index.html")).toContain(`<a href="https://www.amazon.com/dp/${A}?tag=ours-20" rel="sponsored noopener"`);
    const untagged = build.report.links.find((l) => l.output.endsWith("long-untagged/index.html"));
    expect(untagged?.original.length).toBeGreaterThan(10_000);
    expect(untagged?.findings.map((f) => f.rule)).toEqual(["untagged"]);
  });
});
