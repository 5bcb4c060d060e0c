/**
 * `amazon-links check` on the real output of Hugo and Jekyll (test/fixtures/generator-sites): what
 * ships is judged, with the built files themselves as the oracle for hrefs (read with htmlparser2,
 * not our scanner).
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseDocument, DomUtils } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { startFakeAmazon } from "../fake-amazon/server.js";
import { buildFixture } from "../helpers/eleventy.js";
import { buildGeneratorSite, generatorAvailable, prepareSite, type Generator } from "../helpers/generators.js";
import { runNode } from "../helpers/run.js";
import type { LinkRecord, Report } from "../../src/results.js";

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

    it("prints one line per link as written: the footer's once, on every page; the feeds repeat nothing", async () => {
      const site = await buildGeneratorSite(generator);
      const { stdout } = await runNode(bin, ["check", site.output], site.dir);
      const lines = stdout.trimEnd().split("\n");
      const pages = generator === "hugo" ? 5 : 4; // every HTML page has the footer (Hugo also builds a section list)
      expect(lines.filter((l) => /\(on \d+ pages\)/.test(l))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${site.output}/\\S+:\\d+:\\d+\\s+error\\s+This amazon\\.com link ships without a tag .*\\(on ${pages} pages\\)\\s+untagged$`,
          ),
        ),
      ]);
      // Footer, lamp, Stuhl, keyboard: four lines, then the summary; none at a feed.
      expect(lines).toHaveLength(5);
      expect(stdout).not.toMatch(/\.xml:\d+/);
      expect(lines[4]).toMatch(/\d+ errors, 0 warnings/);
    }, 60_000);

    it("exits 0 on a site that ships only our tags", async () => {
      const site = await buildGeneratorSite(generator, { posts: ["clean"], taggedFooter: true });
      const { code, stdout } = await runNode(bin, ["check", site.output], site.dir);
      expect(stdout).toMatch(/0 errors, 0 warnings/);
      expect(code).toBe(0);
    }, 60_000);
  });
}

/** Every file under a directory: path → [inode, contents]. An atomic write gives a file a new inode. */
async function snapshot(dir: string): Promise<Map<string, [number, string]>> {
  const files = new Map<string, [number, string]>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), [(await stat(path)).ino, await readFile(path, "utf8")]);
  }
  return files;
}

/** A file with its Amazon start tags (plain or escaped in a feed) and the given script taken out. */
function withoutAmazonTags(text: string, script: string): string {
  return text
    .split(script)
    .join("")
    .replace(/<a\s[^>]*amazon\.[^>]*>/g, "<a>")
    .replace(/&lt;a\s(?:(?!&gt;).)*amazon\.(?:(?!&gt;).)*&gt;/g, "&lt;a&gt;");
}

const amazonStartTags = (html: string) => [...html.matchAll(/<a\s[^>]*amazon\.[^>]*>/g)].map((m) => m[0]);
const scriptOf = (html: string) => html.match(/<script>[\s\S]*?<\/script>/)?.[0];

for (const generator of ["hugo", "jekyll"] as Generator[]) {
  describe.skipIf(!generatorAvailable(generator))(`amazon-links rewrite on ${generator} output`, () => {
    it("rewrites every Amazon link in place, byte for byte elsewhere; check then passes; a second run changes nothing", async () => {
      const site = await buildGeneratorSite(generator);
      const out = join(site.dir, site.output);
      await writeFile(join(out, "about.html"), "<!doctype html><p>No affiliate links here.</p>\n");
      const before = await snapshot(out);

      const first = await runNode(bin, ["rewrite", site.output], site.dir);
      // The CLI says which config it used, and nothing else goes to stderr.
      expect(first.stderr).toBe("amazon-links: config amazon-links.config.json\n");
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/0 errors, \d+ warnings? · \d+ files read · \d+ files rewritten/);
      const after = await snapshot(out);
      const page = after.get(posts[generator]("untagged"))![1];
      expect(amazonStartTags(page)).toEqual([
        '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=mysite-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">',
        '<a href="https://www.amazon.de/dp/B07WNQ2H4K?tag=mysite0d-21" rel="sponsored noopener" data-amazon-asin="B07WNQ2H4K" data-amazon-store="de">',
        '<a href="https://www.amazon.com/dp/B0BSHF7WHW?tag=mysite-20" rel="sponsored noopener" data-amazon-asin="B0BSHF7WHW" data-amazon-store="us">',
      ]);
      const script = scriptOf(page)!;
      expect(script).toContain("data-amazon-store");
      for (const [path, [ino, text]] of before) {
        const [newIno, newText] = after.get(path)!;
        if (path === "about.html") expect(newIno, path).toBe(ino); // no Amazon link: not written
        // Outside the Amazon start tags and the script, every byte is what the generator wrote.
        expect(withoutAmazonTags(newText, script), path).toBe(withoutAmazonTags(text, script));
      }
      // The feed's escaped links are tagged too, without data attributes (no script reads a feed).
      expect(after.get(feeds[generator])![1]).toMatch(/amazon\.com\/dp\/B07QBPDWLS\?tag=mysite-20&(amp;)?(quot|#34);/);
      expect(after.get(feeds[generator])![1]).not.toMatch(/someoneelse-20|data-amazon/);
      const report = JSON.parse(await readFile(join(site.dir, ".amazon-links/report.json"), "utf8")) as Report;
      expect(report.localize).toMatchObject({ script: "inline" });
      expect(report.summary.errors).toBe(0);

      const check = await runNode(bin, ["check", site.output], site.dir);
      expect(check.stdout).toMatch(/0 errors, 0 warnings/);
      expect(check.code).toBe(0);

      const second = await runNode(bin, ["rewrite", site.output], site.dir);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/ 0 files rewritten/);
      expect(await snapshot(out)).toEqual(after);
    }, 60_000);

    it("--dry-run lists what would change and writes nothing", async () => {
      const site = await buildGeneratorSite(generator);
      const out = join(site.dir, site.output);
      const before = await snapshot(out);
      const { code, stdout } = await runNode(bin, ["rewrite", site.output, "--dry-run"], site.dir);
      expect(code).toBe(0);
      expect(stdout).toContain(`would rewrite ${site.output}/${posts[generator]("foreign")} (2 hrefs, script)`);
      expect(stdout).toContain(
        "  https://www.amazon.com/dp/B07QBPDWLS?tag=someoneelse-20 → https://www.amazon.com/dp/B07QBPDWLS?tag=mysite-20",
      );
      expect(stdout).toMatch(/(\d+) files would change \(dry run: nothing written\)/);
      expect(await snapshot(out)).toEqual(before);
      expect(await readdir(site.dir)).not.toContain(".amazon-links");
    }, 60_000);

    it("fails (exit 1) on error findings, after rewriting what it can, like the Eleventy build", async () => {
      const site = await buildGeneratorSite(generator);
      await writeFile(join(site.dir, "amazon-links.config.json"), JSON.stringify({ tags: { us: "mysite-20" }, check: false }));
      const { code, stdout } = await runNode(bin, ["rewrite", site.output], site.dir);
      expect(code).toBe(1);
      expect(stdout).toMatch(
        new RegExp(`${site.output}/${posts[generator]("untagged")}:\\d+:\\d+\\s+error\\s+No Associates tag for amazon\\.de`),
      );
      expect(await site.read(posts[generator]("untagged"))).toContain('href="https://www.amazon.com/dp/B00OFWQS94?tag=mysite-20"');
    }, 60_000);

    it("file mode: writes the versioned script file once and links it with the path prefix", async () => {
      const site = await buildGeneratorSite(generator);
      await writeFile(
        join(site.dir, "amazon-links.config.json"),
        JSON.stringify({ tags: { us: "mysite-20", de: "mysite0d-21" }, check: false, localize: { script: "file" } }),
      );
      const { code } = await runNode(bin, ["rewrite", site.output, "--path-prefix", "/blog/"], site.dir);
      expect(code).toBe(0);
      const scripts = (await readdir(join(site.dir, site.output))).filter((f) => /^amazon-links\.[0-9a-f]{10}\.js$/.test(f));
      expect(scripts).toHaveLength(1);
      expect(await site.read(posts[generator]("clean"))).toContain(`<script src="/blog/${scripts[0]}" defer></script></body>`);
      const again = await runNode(bin, ["rewrite", site.output, "--path-prefix", "/blog/"], site.dir);
      expect(again.stdout).toMatch(/ 0 files rewritten/);
    }, 60_000);
  });
}

describe.skipIf(!generatorAvailable("hugo"))("rewrite gives a Hugo site what the Eleventy plugin gives the same content", () => {
  it("same anchors, same script, same report rows", async () => {
    const hugo = await buildGeneratorSite("hugo");
    expect((await runNode(bin, ["rewrite", hugo.output], hugo.dir)).code).toBe(0);
    const hugoReport = JSON.parse(await readFile(join(hugo.dir, ".amazon-links/report.json"), "utf8")) as Report;

    const input = await prepareSite("eleventy");
    const eleventy = await buildFixture(input, { tags: { us: "mysite-20", de: "mysite0d-21" } });
    expect(eleventy.error).toBeUndefined();

    const rows = (report: Report, output: string) =>
      report.links
        .filter((l) => l.output.endsWith(output))
        .map((l) => ({ original: l.original, href: l.href, asin: l.asin, marketplace: l.marketplace, findings: l.findings }))
        // Eleventy's rows are placed in the source files (the footer's in its include), Hugo's in the output.
        .sort((a, b) => (a.original < b.original ? -1 : a.original > b.original ? 1 : 0));
    for (const name of ["untagged", "foreign", "clean"]) {
      const path = `posts/${name}/index.html`;
      const [fromHugo, fromEleventy] = [await hugo.read(path), await eleventy.read(path)];
      expect(amazonStartTags(fromHugo), path).toEqual(amazonStartTags(fromEleventy));
      expect(amazonStartTags(fromHugo).length, path).toBeGreaterThan(1);
      expect(scriptOf(fromHugo), path).toBeDefined();
      expect(scriptOf(fromHugo), path).toBe(scriptOf(fromEleventy));
      expect(rows(hugoReport, `/${path}`), path).toEqual(rows(eleventy.report, `/${path}`));
    }
    // The feed (RSS with escaped HTML in both): the same rows.
    expect(rows(hugoReport, "public/index.xml")).toEqual(rows(eleventy.report, "/index.xml"));
    // Hugo also builds a section list page and feed (public/posts/index.*); apart from them, the same rows.
    const hugoRows = hugoReport.links.filter((l) => !/^public\/posts\/index\.(html|xml)$/.test(l.output));
    const findings = (links: LinkRecord[]) => links.flatMap((l) => l.findings.map((f) => `${l.asin} ${f.rule} ${f.message}`)).sort();
    expect(hugoRows.length).toBe(eleventy.report.links.length);
    expect(findings(hugoRows)).toEqual(findings(eleventy.report.links));
    expect(findings(hugoRows)).toHaveLength(2); // the foreign tag replaced, on its page and in the feed
  }, 60_000);
});

describe.skipIf(!generatorAvailable("hugo"))("rewrite with product checks (the fake Amazon on 127.0.0.1)", () => {
  it("fails on a dead product, writes the lockfile, and tells the script where each product lives", async () => {
    const fake = await startFakeAmazon({
      products: {
        "us:B00OFWQS94": "Lamp",
        "de:B00OFWQS94": "Lampe",
        "us:B07QBPDWLS": { dead: true },
        "de:B07WNQ2H4K": "Stuhl",
        "us:B0BSHF7WHW": "Mug",
      },
    });
    try {
      const site = await buildGeneratorSite("hugo");
      const config = {
        tags: { us: "mysite-20", de: "mysite0d-21" },
        check: { endpoints: fake.endpoints(), interval: 0, retries: 0, timeout: "5s" },
      };
      await writeFile(join(site.dir, "amazon-links.config.json"), JSON.stringify(config));
      const { code, stdout } = await runNode(bin, ["rewrite", site.output], site.dir);
      expect(code).toBe(1);
      expect(stdout).toMatch(
        /public\/posts\/foreign\/index\.html:\d+:\d+\s+error\s+Product B07QBPDWLS does not exist on amazon\.com.*dead-asin/,
      );
      const lock = JSON.parse(await readFile(join(site.dir, "amazon-links.lock.json"), "utf8"));
      expect(lock.entries["us:B07QBPDWLS"].status).toBe("dead");
      // The lamp is live in both stores: the script may send a German visitor to amazon.de.
      expect(await site.read("posts/untagged/index.html")).toMatch(/data-amazon-asin="B00OFWQS94"[^>]*data-amazon-live="de us"/);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
