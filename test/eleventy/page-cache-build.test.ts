/**
 * The page cache in real Eleventy builds (programmatic API; a new Eleventy each time, as a new
 * `npx @11ty/eleventy` would be). Pages the cache gives back ask the checker nothing, so the report's
 * `checking.fromLockfile` (answers the checker took from the lockfile in this build) counts the
 * pages processed: every product here is in the lockfile in both stores (localization asks both).
 */
import { existsSync } from "node:fs";
import { stat, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
// @ts-expect-error Eleventy 3 ships no type declarations usable here.
import Eleventy from "@11ty/eleventy";
import { afterAll, describe, expect, it, vi } from "vitest";
import { lockCacheDir } from "../../src/check/lock-cache.js";
import { pageCacheFile } from "../../src/eleventy/page-cache-file.js";
import amazonLinks from "../../src/index.js";
import type { AmazonLinksOptions } from "../../src/options.js";
import type { Report } from "../../src/results.js";
import { startFakeAmazon } from "../fake-amazon/server.js";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const tags = { us: "ours-20", de: "ours0d-21" };
const CHECKED = new Date(Date.now() - 86_400_000).toISOString();
const P1 = "B00OFWQS94";
const P2 = "B07QBPDWLS";
const P3 = "B0000TEST3";

// The cache lives in the project's node_modules (here, this repository's): each test's file is removed after.
const cacheFiles: string[] = [];
afterAll(async () => {
  for (const file of cacheFiles) await rm(file, { force: true });
});

interface Site {
  dir: string;
  input: string;
  output: string;
  lockfile: string;
  json: string;
  html: string;
  cacheFile: string;
}

async function site(): Promise<Site> {
  const dir = await tempDir("amazon-links-cached-site-");
  const input = join(dir, "content");
  await mkdir(join(input, "_includes"), { recursive: true });
  await writeFile(
    join(input, "_includes", "layout.njk"),
    `<!doctype html>\n<html><head><title>{{ title }}</title></head>\n<body>\n{{ content | safe }}\n<footer><a href="https://www.amazon.com/dp/${P2}">Our keyboard</a></footer>\n</body></html>\n`,
  );
  await writeFile(
    join(input, "a.md"),
    `---\nlayout: layout.njk\ntitle: A\n---\n# A\n\n[lamp](https://www.amazon.com/dp/${P1}) and [search](https://www.amazon.de/s?k=lampe)\n`,
  );
  await writeFile(join(input, "b.md"), `# B\n\nA [thing](https://www.amazon.de/dp/${P3}/ref=x?tag=someone-21).\n`);
  await writeFile(join(input, "c.md"), "# C\n\nNo links to a shop here.\n");
  await writeFile(join(input, "d.md"), "# D\n\nI wrote amazon.com in plain text, and `https://www.amazon.com/dp/B00OFWQS94` in code.\n");
  const lockfile = join(dir, "amazon-links.lock.json");
  await writeLock(lockfile, {});
  const output = join(dir, "_site");
  cacheFiles.push(pageCacheFile(lockCacheDir(process.cwd())!, output));
  return {
    dir,
    input,
    output,
    lockfile,
    json: join(dir, "report.json"),
    html: join(dir, "report.html"),
    cacheFile: cacheFiles.at(-1)!,
  };
}

function writeLock(path: string, extra: Record<string, object>): Promise<void> {
  const entries: Record<string, object> = {};
  for (const asin of [P1, P2, P3])
    for (const store of ["de", "us"]) entries[`${store}:${asin}`] = { status: "live", checkedAt: CHECKED, via: "page" };
  return writeFile(path, `${JSON.stringify({ version: 1, entries: { ...entries, ...extra }, shortLinks: {} }, null, 2)}\n`);
}

interface Built {
  report: Report;
  pages: Record<string, string>;
  error: unknown;
}

async function build(s: Site, options: AmazonLinksOptions = {}): Promise<Built> {
  const elev = new Eleventy(s.input, s.output, {
    configPath: false,
    quietMode: true,
    config(cfg: any) {
      cfg.addPlugin(amazonLinks, {
        tags,
        quiet: true,
        check: { via: "lockfile", lockfile: s.lockfile },
        report: { json: s.json, html: s.html },
        ...options,
      });
    },
  });
  elev.disableLogger?.();
  let error: unknown;
  await elev.write().catch((e: unknown) => (error = e));
  const pages: Record<string, string> = {};
  for (const entry of await readdir(s.output, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    pages[relative(s.output, path)] = await readFile(path, "utf8");
  }
  return { report: JSON.parse(await readFile(s.json, "utf8")) as Report, pages, error };
}

/** The report without what describes the run rather than the site: when, and what the checker did. */
function rows(report: Report): Omit<Report, "generatedAt" | "checking"> {
  const { generatedAt: _at, checking: _checking, ...rest } = report;
  return rest;
}

const fileState = async (path: string) => {
  const s = await stat(path);
  return { ino: s.ino, mtimeMs: s.mtimeMs };
};

describe("page cache, real builds", () => {
  it("an unchanged second build takes every page from the cache: the same pages, the same report, no report page written", async () => {
    const s = await site();
    const first = await build(s);
    expect(first.error).toBeUndefined();
    expect(first.report.summary).toMatchObject({ pages: 2, links: 4, live: 3, errors: 0 });
    // Three products, each in both stores.
    expect(first.report.checking).toMatchObject({ via: "lockfile", fromLockfile: 6, fromNetwork: 0 });
    const htmlReport = await fileState(s.html);
    const cacheFile = await fileState(s.cacheFile);

    const second = await build(s);
    expect(second.report.checking).toMatchObject({ via: "lockfile", fromLockfile: 0, fromNetwork: 0 });
    expect(second.pages).toEqual(first.pages);
    expect(rows(second.report)).toEqual(rows(first.report));
    expect(second.report.generatedAt).not.toBe(first.report.generatedAt);
    // Nothing changed: neither the cache file nor the HTML report page is written again.
    expect(await fileState(s.cacheFile)).toEqual(cacheFile);
    expect(await fileState(s.html)).toEqual(htmlReport);
  });

  it("a source edit that leaves the output as it was moves the link's row; a layout edit moves the layout's link", async () => {
    const s = await site();
    const first = await build(s);
    const row = (report: Report, asin: string) => report.links.find((l) => l.asin === asin)!;
    expect(row(first.report, P3)).toMatchObject({ input: expect.stringMatching(/content\/b\.md$/), line: 3 });
    expect(row(first.report, P2)).toMatchObject({ input: expect.stringMatching(/content\/_includes\/layout\.njk$/), line: 5 });
    const htmlReport = await fileState(s.html);

    // Front matter the page does not use: the same output, the link three lines down.
    await writeFile(
      join(s.input, "b.md"),
      `---\nunused: yes\n---\n# B\n\nA [thing](https://www.amazon.de/dp/${P3}/ref=x?tag=someone-21).\n`,
    );
    const edited = await build(s);
    expect(edited.pages).toEqual(first.pages);
    expect(edited.report.checking?.fromLockfile).toBe(2); // b only
    expect(row(edited.report, P3)).toMatchObject({ input: expect.stringMatching(/content\/b\.md$/), line: 6 });
    // Its rows changed: the HTML report page is written again, and shows the new line.
    expect(await fileState(s.html)).not.toEqual(htmlReport);
    expect(await readFile(s.html, "utf8")).toContain(`"line":6`);

    // A comment that renders nothing, two lines long, above the layout's link: a is placed again, b is not.
    const layout = join(s.input, "_includes", "layout.njk");
    await writeFile(layout, `{#- a note\nfor later -#}\n${await readFile(layout, "utf8")}`);
    const relaid = await build(s);
    expect(relaid.pages).toEqual(first.pages);
    expect(relaid.report.checking?.fromLockfile).toBe(4); // a's two products
    expect(row(relaid.report, P2)).toMatchObject({ input: expect.stringMatching(/content\/_includes\/layout\.njk$/), line: 7 });
    expect(row(relaid.report, P1)).toMatchObject({ input: expect.stringMatching(/content\/a\.md$/), line: 7 });
  });

  it("processes every page again when the lockfile, the options or the cache file change; a corrupt file is no error", async () => {
    const s = await site();
    const first = await build(s);
    expect((await build(s)).report.checking?.fromLockfile).toBe(0);

    // An entry for another product: the pages' verdicts are the same, but the lockfile is not.
    await writeLock(s.lockfile, { "us:B0000OTHER": { status: "dead", checkedAt: CHECKED, via: "page" } });
    const relocked = await build(s);
    expect(relocked.report.checking?.fromLockfile).toBe(6);
    expect(relocked.pages).toEqual(first.pages);

    const rel = await build(s, { rel: ["nofollow"] });
    expect(rel.report.checking?.fromLockfile).toBe(6);
    expect(rel.pages["a/index.html"]).toContain(`rel="nofollow"`);

    await writeFile(s.cacheFile, "{ not a cache\n\u0000\u0001");
    const afterCorrupt = await build(s, { rel: ["nofollow"] });
    expect(afterCorrupt.error).toBeUndefined();
    expect(afterCorrupt.report.checking?.fromLockfile).toBe(6);
    expect(afterCorrupt.pages).toEqual(rel.pages);
    await rm(s.cacheFile);
    expect((await build(s, { rel: ["nofollow"] })).report.checking?.fromLockfile).toBe(6);
    expect((await build(s, { rel: ["nofollow"] })).report.checking?.fromLockfile).toBe(0);
  });

  it("never keeps a page with an unverified verdict; with check: false, pages are kept and given back the same", async () => {
    const s = await site();
    await writeFile(
      join(s.input, "e.md"),
      `# E\n\n[unknown](https://www.amazon.com/dp/B0000NOTIN) [lamp](https://www.amazon.com/dp/${P1})\n`,
    );
    const first = await build(s);
    expect(first.report.links.find((l) => l.asin === "B0000NOTIN")).toMatchObject({ status: "unverified" });
    // e's lamp, in both stores: e is processed again, the others are not.
    expect((await build(s)).report.checking?.fromLockfile).toBe(2);
    expect((await build(s)).report.checking?.fromLockfile).toBe(2);

    const unchecked = await build(s, { check: false });
    const cacheFile = await fileState(s.cacheFile);
    const again = await build(s, { check: false });
    expect(again.pages).toEqual(unchecked.pages);
    expect(rows(again.report)).toEqual(rows(unchecked.report));
    expect(again.report.links.every((l) => l.status === "unchecked")).toBe(true);
    expect(await fileState(s.cacheFile)).toEqual(cacheFile);
  });

  it("a site with a feed: the second build gives back pages and feed entries, byte for byte", async () => {
    const s = await site();
    // @ts-expect-error the RSS plugin ships no type declarations.
    const { feedPlugin } = await import("@11ty/eleventy-plugin-rss");
    await writeFile(
      join(s.input, "a.md"),
      `---\nlayout: layout.njk\ntitle: A\ntags: posts\n---\n# A\n\n[lamp](https://www.amazon.com/dp/${P1}?tag=stranger-20)\n`,
    );
    await writeFile(join(s.input, "b.md"), `---\ntags: posts\n---\n# B\n\n[thing](https://www.amazon.de/dp/${P3})\n`);
    const feedBuild = async () => {
      const elev = new Eleventy(s.input, s.output, {
        configPath: false,
        quietMode: true,
        config(cfg: any) {
          cfg.addPlugin(feedPlugin, {
            type: "atom",
            outputPath: "/feed.xml",
            collection: { name: "posts", limit: 10 },
            metadata: { language: "en", title: "T", base: "https://example.com/", author: { name: "A" } },
          });
          cfg.addPlugin(amazonLinks, { tags, quiet: true, check: { via: "lockfile", lockfile: s.lockfile }, report: { json: s.json } });
        },
      });
      elev.disableLogger?.();
      await elev.write();
      return { feed: await readFile(join(s.output, "feed.xml"), "utf8"), report: JSON.parse(await readFile(s.json, "utf8")) as Report };
    };
    const first = await feedBuild();
    expect(first.feed).toContain(`https://www.amazon.com/dp/${P1}?tag=ours-20`);
    const cacheFile = await fileState(s.cacheFile);
    const second = await feedBuild();
    expect(second.feed).toBe(first.feed);
    expect(rows(second.report)).toEqual(rows(first.report));
    expect(second.report.checking?.fromLockfile).toBe(0);
    expect(await fileState(s.cacheFile)).toEqual(cacheFile);
  });

  it("a page expires with its verdict's maxAge (Date faked): then the product is asked again", async () => {
    const fake = await startFakeAmazon({ products: { [`us:${P1}`]: "Desk lamp" } });
    const s = await site();
    await writeFile(join(s.input, "b.md"), "# B\n\nNothing to sell.\n");
    await writeFile(join(s.input, "a.md"), `# A\n\n[lamp](https://www.amazon.com/dp/${P1})\n`);
    const checkedAt = Date.parse("2026-03-01T00:00:00.000Z");
    await writeFile(
      s.lockfile,
      `${JSON.stringify({ version: 1, entries: { [`us:${P1}`]: { status: "live", checkedAt: new Date(checkedAt).toISOString(), via: "page" } }, shortLinks: {} })}\n`,
    );
    const check = {
      via: "page" as const,
      lockfile: s.lockfile,
      maxAge: "7d",
      endpoints: fake.endpoints(),
      interval: 0,
      retries: 0,
      timeout: "5s",
    };
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(checkedAt + 86_400_000);
      const first = await build(s, { check, localize: false });
      expect(first.report.checking).toMatchObject({ fromLockfile: 1, fromNetwork: 0 });
      vi.setSystemTime(checkedAt + 7 * 86_400_000 - 1_000);
      const second = await build(s, { check, localize: false });
      expect(second.report.checking).toMatchObject({ fromLockfile: 0, fromNetwork: 0 });
      expect(second.pages).toEqual(first.pages);
      const requests = fake.requests.length;
      vi.setSystemTime(checkedAt + 7 * 86_400_000 + 1_000);
      const third = await build(s, { check, localize: false });
      expect(third.report.checking).toMatchObject({ fromLockfile: 0, fromNetwork: 1 });
      expect(fake.requests.length).toBe(requests + 1);
      expect(third.report.links[0]).toMatchObject({
        asin: P1,
        status: "live",
        checkedAt: new Date(checkedAt + 7 * 86_400_000 + 1_000).toISOString(),
      });
    } finally {
      vi.useRealTimers();
      await fake.close();
    }
  });

  it("under --watch, a rebuild after one page is edited takes every other page from memory", async () => {
    const s = await site();
    let rebuilt: (() => void) | undefined;
    const elev = new Eleventy(s.input, s.output, {
      configPath: false,
      quietMode: true,
      runMode: "watch",
      config(cfg: any) {
        cfg.addPlugin(amazonLinks, { tags, quiet: true, check: { via: "lockfile", lockfile: s.lockfile }, report: { json: s.json } });
        cfg.on("eleventy.afterwatch", () => rebuilt?.());
      },
    });
    elev.disableLogger?.();
    await elev.init();
    await elev.watch();
    const report = async () => JSON.parse(await readFile(s.json, "utf8")) as Report;
    try {
      expect((await report()).checking?.fromLockfile).toBe(6);
      const done = new Promise<void>((resolve) => (rebuilt = resolve));
      await writeFile(join(s.input, "b.md"), `# B, edited\n\nA [thing](https://www.amazon.de/dp/${P3}).\n`);
      await done;
      const after = await report();
      expect(after.checking?.fromLockfile).toBe(2); // b's product, in both stores
      expect(after.summary).toMatchObject({ pages: 2, links: 4, live: 3 });
      expect(after.links.find((l) => l.asin === P3)?.original).toBe(`https://www.amazon.de/dp/${P3}`);
    } finally {
      await elev.stopWatch?.();
      await (elev as { watcher?: { close(): Promise<void> } }).watcher?.close();
    }
  });

  it("eleventy --dryrun neither writes nor needs the cache; a real build after it does", async () => {
    const dir = await tempDir("amazon-links-cached-cli-");
    await mkdir(join(dir, "content"));
    await mkdir(join(dir, "node_modules"));
    await writeFile(join(dir, "content", "post.md"), `# Post\n\n[lamp](https://www.amazon.com/dp/${P1})\n`);
    await writeLock(join(dir, "amazon-links.lock.json"), {});
    const plugin = pathToFileURL(resolve("dist/index.js")).href;
    await writeFile(
      join(dir, "eleventy.config.js"),
      `import amazonLinks from ${JSON.stringify(plugin)};\nexport default function (c) { c.addPlugin(amazonLinks, { tags: ${JSON.stringify(tags)}, check: { via: "lockfile" } }); }\nexport const config = { dir: { input: "content", output: "_site" } };\n`,
    );
    await writeFile(join(dir, "package.json"), `{ "type": "module" }\n`);
    const eleventyBin = resolve("node_modules/@11ty/eleventy/cmd.cjs");
    const cacheFile = pageCacheFile(join(dir, "node_modules/.cache/eleventy-plugin-amazon-links"), join(dir, "_site"));

    const dry = await runNode(eleventyBin, ["--dryrun"], dir);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(existsSync(cacheFile)).toBe(false);
    expect(existsSync(join(dir, "_site"))).toBe(false);

    const real = await runNode(eleventyBin, [], dir);
    expect(real.code, real.stdout + real.stderr).toBe(0);
    const written = await fileState(cacheFile);
    const page = await readFile(join(dir, "_site/post/index.html"), "utf8");
    expect(page).toContain("tag=ours-20");

    const dryAgain = await runNode(eleventyBin, ["--dryrun"], dir);
    expect(dryAgain.code, dryAgain.stdout + dryAgain.stderr).toBe(0);
    expect(dryAgain.stdout + dryAgain.stderr).toMatch(/1 Amazon link on 1 page/);
    expect(await fileState(cacheFile)).toEqual(written);
    const again = await runNode(eleventyBin, [], dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await readFile(join(dir, "_site/post/index.html"), "utf8")).toBe(page);
    expect(await fileState(cacheFile)).toEqual(written);
  });
});
