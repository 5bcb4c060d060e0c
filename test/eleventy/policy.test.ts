/** Disclosure, opt-out, target, include/exclude and stores, on real builds. */
import { describe, expect, it } from "vitest";
import { buildFixture } from "../helpers/eleventy.js";

const SITE = "test/fixtures/site-policy/content";
const tags = { us: "ours-20" };
const disclosure = "As an Amazon Associate I earn from qualifying purchases.";

describe("policies", () => {
  it("missing-disclosure: a footer disclosure counts (spacing ignored); one only in a comment, script or meta does not", async () => {
    const build = await buildFixture(SITE, { tags, disclosure, stores: ["us"], exclude: ["drafts/**"] });
    const byInput = Object.fromEntries(
      build.report.pages.map((p) => [p.input.split("/").pop(), p.findings.map((f) => `${f.severity} ${f.rule}`)]),
    );
    expect(byInput).toMatchObject({ "disclosed.md": [], "optout.njk": [], "hidden.md": ["error missing-disclosure"] });
    expect(byInput["no-affiliate.md"]).toBeUndefined(); // no affiliate links, nothing to disclose
    expect((build.error as Error).message).toMatch(/1 Amazon link error/);
  });

  it("missing-disclosure is off unless a disclosure is configured, and its severity is configurable", async () => {
    const off = await buildFixture(SITE, { tags, stores: ["us"], exclude: ["drafts/**"] });
    expect(off.error).toBeUndefined();
    expect(off.report.pages.flatMap((p) => p.findings)).toEqual([]);
    const warning = await buildFixture(SITE, {
      tags,
      disclosure: /amazon associate/i,
      rules: { "missing-disclosure": "warning" },
      stores: ["us"],
      exclude: ["drafts/**"],
    });
    expect(warning.error).toBeUndefined();
    expect(warning.report.summary.warnings).toBe(1);
  });

  it("opt-out at link and ancestor level: left as written, listed as opted out, still checked", async () => {
    const build = await buildFixture(SITE, { tags, stores: ["us"], exclude: ["drafts/**"] });
    const html = await build.read("optout/index.html");
    expect(html).toContain('<a href="https://www.amazon.com/dp/B07QBPDWLS?tag=friend-20" data-amazon-links="off">');
    expect(html).toContain('<a href="https://www.amazon.com/dp/B0DEADDEAD">inside an opted-out section</a>');
    const opted = build.report.links.filter((l) => l.optedOut);
    expect(opted.map((l) => l.href).sort()).toEqual([
      "https://www.amazon.com/dp/B07QBPDWLS?tag=friend-20",
      "https://www.amazon.com/dp/B0DEADDEAD",
    ]);
    expect(opted.flatMap((l) => l.findings)).toEqual([]); // no foreign-tag for a link the author chose
  });

  it("target is written on tagged links without one; an existing target is kept", async () => {
    const build = await buildFixture(SITE, { tags, target: "_blank", stores: ["us"], exclude: ["drafts/**"] });
    const disclosed = await build.read("disclosed/index.html");
    expect(disclosed).toMatch(
      /<a href="https:\/\/www\.amazon\.com\/dp\/B00OFWQS94\?tag=ours-20" rel="sponsored noopener" [^>]*target="_blank"/,
    );
    const optout = await build.read("optout/index.html");
    expect(optout).toContain('<a href="https://www.amazon.com/dp/B0052KW5W6?tag=ours-20" target="_self" rel="sponsored noopener"');
  });

  it("stores restricts the rewrite; exclude skips output paths; without them the same site fails", async () => {
    const scoped = await buildFixture(SITE, { tags, stores: ["us"], exclude: ["drafts/**"] });
    expect(scoped.error).toBeUndefined();
    expect(await scoped.read("optout/index.html")).toContain('<a href="https://www.amazon.fr/dp/2070612759">a French link</a>');
    expect(await scoped.read("drafts/draft/index.html")).toContain('href="https://www.amazon.fr/dp/2070612759"');
    expect(scoped.report.links.some((l) => l.marketplace === "fr")).toBe(false);

    const everything = await buildFixture(SITE, { tags });
    expect((everything.error as Error).message).toMatch(/2 Amazon link errors/);
    const included = await buildFixture(SITE, { tags, include: ["drafts/**"] });
    expect(included.report.links.map((l) => l.output.split("/").slice(-3).join("/"))).toEqual(["drafts/draft/index.html"]);
  });
});
