/**
 * `amazon-links check` on the real output of Hugo and Jekyll (test/fixtures/generator-sites): what
 * ships is judged, with the built files themselves as the oracle for hrefs (read with htmlparser2,
 * not our scanner).
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseDocument, DomUtils } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { buildGeneratorSite, generatorAvailable, type Generator } from "../helpers/generators.js";
import { runNode } from "../helpers/run.js";
import type { LinkRecord, Report } from "../../src/report/types.js";

const bin = resolve("dist/cli/main.js");

/** Every Amazon href in a built HTML page, as htmlparser2 decodes it. */
async function amazonHrefs(file: string): Promise<string[]> {
  const dom = parseDocument(await readFile(file, "utf8"));
  return DomUtils.findAll((el) => el.name === "a", dom.children)
    .map((a) => a.attribs.href ?? "")
    .filter((href) => /^https:\/\/www\.amazon\./.test(href));
}

const rulesOf = (link: LinkRecord) => link.findings.map((f) => `${f.rule}:${f.severity}`);

const posts = { hugo: (name: string) => `posts/${name}/index.html`, jekyll: (name: string) => `${name}/index.html` };
const feeds = { hugo: "index.xml", jekyll: "feed.xml" };

for (const generator of ["hugo", "jekyll"] as Generator[]) {
  describe.skipIf(!generatorAvailable(generator))(`amazon-links check on ${generator} output`, () => {
    it("exits 1 naming each untagged and foreign-tag link as it ships; the tagged link passes", async () => {
      const site = await buildGeneratorSite(generator);
      const { code, stdout, stderr } = await runNode(bin, ["check", site.output, "--format", "json"], site.dir);
      expect(stderr).toBe("");
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as Report;
      const at = (name: string) => report.links.filter((l) => l.output === `${site.output}/${posts[generator](name)}`);

      const untagged = at("untagged");
      expect(untagged.map((l) => [l.asin, l.marketplace, rulesOf(l)])).toEqual([
        ["B00OFWQS94", "us", ["untagged:error"]],
        ["B07WNQ2H4K", "de", ["untagged:error"]],
        ["B0BSHF7WHW", "us", ["untagged:error"]], // the layout's footer link
      ]);
      expect(at("foreign").map((l) => [l.asin, rulesOf(l), l.findings[0]?.message])).toEqual([
        ["B07QBPDWLS", ["foreign-tag:error"], expect.stringContaining('ships with the tag "someoneelse-20", not yours ("mysite-20")')],
        ["B0BSHF7WHW", ["untagged:error"], expect.any(String)],
      ]);
      expect(at("clean").map((l) => [l.asin, l.href, rulesOf(l)])).toEqual([
        ["B00OFWQS94", "https://www.amazon.com/dp/B00OFWQS94?tag=mysite-20", []],
        ["B0BSHF7WHW", "https://www.amazon.com/dp/B0BSHF7WHW", ["untagged:error"]],
      ]);
      // The feed ships the posts' links too, and is judged the same way.
      const feed = report.links.filter((l) => l.output === `${site.output}/${feeds[generator]}`);
      expect(feed.map((l) => [l.asin, rulesOf(l)])).toEqual([
        ["B00OFWQS94", []],
        ["B07QBPDWLS", ["foreign-tag:error"]],
        ["B00OFWQS94", ["untagged:error"]],
        ["B07WNQ2H4K", ["untagged:error"]],
      ]);
      // href is what the file holds, page by page.
      for (const name of ["untagged", "foreign", "clean"]) {
        expect(at(name).map((l) => l.href)).toEqual(await amazonHrefs(join(site.dir, site.output, posts[generator](name))));
      }
      expect(stdout).not.toMatch(/Replaced/);
    }, 60_000);

    it("exits 0 on a site that ships only our tags", async () => {
      const site = await buildGeneratorSite(generator, { posts: ["clean"], taggedFooter: true });
      const { code, stdout } = await runNode(bin, ["check", site.output], site.dir);
      expect(stdout).toMatch(/0 errors, 0 warnings/);
      expect(code).toBe(0);
    }, 60_000);
  });
}
