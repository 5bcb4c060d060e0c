/**
 * The page cache's key, part by part: the real page processor (src/eleventy/process-page.ts) and the
 * real checker reading a real lockfile, through the cache; each change of one part of the key must
 * make the page be processed again. "Processed" is seen by the processor being called.
 */
import { mkdir, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clock, systemClock } from "../../src/check/clock.js";
import { createChecker, type Checker } from "../../src/check/index.js";
import { LocatorWithPlaces } from "../../src/eleventy/cached-places.js";
import { PageCache, type PageCacheBuild, WRITE_DELAY_MS } from "../../src/eleventy/page-cache.js";
import {
  KEPT_FILES,
  PAGE_CACHE_VERSION,
  pageCacheFile,
  readPageCacheFile,
  writePageCacheFile,
} from "../../src/eleventy/page-cache-file.js";
import type { PageResult } from "../../src/eleventy/page-result.js";
import { processPage, rewriteFragment } from "../../src/eleventy/process-page.js";
import { resolveOptions } from "../../src/rules/options.js";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { tempDir } from "../helpers/eleventy.js";
import { TestClock } from "../helpers/test-clock.js";

const DAY = 86_400_000;
const CHECKED = "2026-01-10T00:00:00.000Z";
const checkedMs = Date.parse(CHECKED);
const tags = { us: "ours-20", de: "ours0d-21" };

let fake: FakeAmazon;
beforeAll(async () => {
  fake = await startFakeAmazon({ products: { "us:B00OFWQS94": "Desk lamp", "de:B07QBPDWLS": "Keyboard" } });
});
afterAll(() => fake.close());

/** The time a test sets (forward or back); waits are real (only the fake Amazon's answers are waited for). */
class FixedClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
  sleep(ms: number, deadline?: number): Promise<boolean> {
    return systemClock.sleep(ms, deadline);
  }
  timer(ms: number, fire: () => void): () => void {
    return systemClock.timer(ms, fire);
  }
}

const page = (body: string) => `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;
const LAMP = `<p><a href="https://www.amazon.com/dp/B00OFWQS94">lamp</a></p>`;

interface Project {
  root: string;
  lockfile: string;
  cacheFile: string;
  input: string;
}

async function project(): Promise<Project> {
  const root = await tempDir("amazon-links-page-cache-");
  await mkdir(join(root, "content"), { recursive: true });
  const input = "./content/post.md";
  await writeFile(join(root, input), "# Post\n\n[lamp](https://www.amazon.com/dp/B00OFWQS94)\n");
  const lockfile = join(root, "amazon-links.lock.json");
  await writeLock(lockfile, { "us:B00OFWQS94": { status: "live", checkedAt: CHECKED, via: "page" } });
  return {
    root,
    lockfile,
    input,
    cacheFile: pageCacheFile(join(root, "node_modules/.cache/eleventy-plugin-amazon-links"), join(root, "_site")),
  };
}

function writeLock(path: string, entries: Record<string, object>): Promise<void> {
  return writeFile(path, `${JSON.stringify({ version: 1, entries, shortLinks: {} }, null, 2)}\n`);
}

interface Run {
  html: string;
  result: PageResult | undefined;
  processed: boolean;
}

/** One build of one page through a cache: begin, process, end (rows are placed in the input, as finishBuild would). */
async function build(
  cache: PageCache<PageResult>,
  p: Project,
  opts: { html?: string; output?: string; input?: string; checker: Checker; write?: boolean; later?: boolean },
): Promise<Run> {
  const outputPath = opts.output ?? "./_site/post/index.html";
  const inputPath = opts.input ?? p.input;
  const html = opts.html ?? page(LAMP);
  const build: PageCacheBuild = {
    file: p.cacheFile,
    root: p.root,
    pathPrefix: "/",
    lockfile: p.lockfile,
    incremental: false,
    sharedFiles: async () => [],
  };
  cache.beginBuild(build);
  let processed = false;
  const out = await cache.process({ html, outputPath, inputPath }, (watch) => {
    processed = true;
    return processPage({
      html,
      kind: "html",
      inputPath,
      outputPath,
      root: p.root,
      options: resolveOptions({ tags }),
      checker: watch(opts.checker),
    });
  });
  // The end of a build: rows placed by the locator, through the cache.
  if (out.result) await new LocatorWithPlaces(p.root, [], cache).locate(inputPath, out.result.links);
  await cache.endBuild({ write: opts.write ?? true, later: opts.later ?? false, current: () => out.result });
  return { ...out, processed };
}

/**
 * An incremental rebuild that renders nothing: the page rendered before keeps its result, and the
 * end of the build places its rows (through the cache, as finishBuild does). Returns their places.
 */
async function rebuildWithout(
  cache: PageCache<PageResult>,
  p: Project,
  kept: PageResult,
  opts: { later?: boolean; during?: () => Promise<void> } = {},
) {
  cache.beginBuild({
    file: p.cacheFile,
    root: p.root,
    pathPrefix: "/",
    lockfile: p.lockfile,
    incremental: true,
    sharedFiles: async () => [],
  });
  await opts.during?.();
  const given = await cache.placesGiven(kept.links);
  const places = await new LocatorWithPlaces(p.root, [], cache).locate(kept.inputPath, kept.links);
  await cache.endBuild({ write: true, later: opts.later ?? false, current: () => kept });
  return { given, places };
}

function newCache(settings: unknown = { tags }, clock: Clock = new FixedClock(checkedMs + DAY), plugin: unknown = "test-1") {
  return new PageCache<PageResult>({
    settings,
    clock,
    plugin,
    rowsOf: (result) => result.links,
  });
}

function lockfileChecker(p: Project, clock: Clock, via: "lockfile" | "page" = "lockfile"): Checker {
  return createChecker(
    { via, lockfile: p.lockfile, maxAge: "7d", endpoints: fake.endpoints(), interval: 0, retries: 0, timeout: "5s" },
    { configDir: p.root, tags: new Map(Object.entries(tags).map(([k, v]) => [k, [v]])), clock },
  );
}

describe("page cache key", () => {
  it("gives the page back, the same, from memory and from the file; each part of the key changed makes it processed again", async () => {
    const p = await project();
    const clock = new FixedClock(checkedMs + DAY);
    const cache = newCache(undefined, clock);
    const first = await build(cache, p, { checker: lockfileChecker(p, clock) });
    expect(first.processed).toBe(true);
    expect(first.html).toContain("tag=ours-20");
    expect(first.result?.links[0]).toMatchObject({ status: "live", asin: "B00OFWQS94" });

    // Unchanged: from memory, then (a new process) from the file.
    const again = await build(cache, p, { checker: lockfileChecker(p, clock) });
    expect(again).toEqual({ ...first, processed: false });
    // Its rows keep the places found for them: the end of the build does not search the sources again.
    expect(cache.placesGiven(again.result!.links)).toEqual([{ file: "content/post.md", line: 3, column: 8 }]);
    const fileCache = newCache(undefined, clock);
    const fromFile = await build(fileCache, p, { checker: lockfileChecker(p, clock) });
    expect(fromFile).toEqual({ ...first, processed: false });
    expect(fileCache.placesGiven(fromFile.result!.links)).toEqual([{ file: "content/post.md", line: 3, column: 8 }]);

    // The page's bytes.
    const other = page(`${LAMP}<p>more</p>`);
    expect((await build(newCache(undefined, clock), p, { html: other, checker: lockfileChecker(p, clock) })).processed).toBe(true);
    expect((await build(newCache(undefined, clock), p, { html: other, checker: lockfileChecker(p, clock) })).processed).toBe(false);
    // Its output path, its input path.
    expect(
      (await build(newCache(undefined, clock), p, { output: "./_site/moved/index.html", checker: lockfileChecker(p, clock) })).processed,
    ).toBe(true);
    expect(
      (await build(newCache(undefined, clock), p, { input: "./content/other.md", checker: lockfileChecker(p, clock) })).processed,
    ).toBe(true);
    await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) });
    expect((await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) })).processed).toBe(false);

    // The source file's bytes (the output would be the same: rows are placed in the source).
    await writeFile(join(p.root, p.input), "---\ntitle: Post\n---\n# Post\n\n[lamp](https://www.amazon.com/dp/B00OFWQS94)\n");
    expect((await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) })).processed).toBe(true);
    expect((await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) })).processed).toBe(false);

    // The options, the plugin's version.
    expect((await build(newCache({ tags, rel: ["nofollow"] }, clock), p, { checker: lockfileChecker(p, clock) })).processed).toBe(true);
    expect((await build(newCache(undefined, clock, "test-2"), p, { checker: lockfileChecker(p, clock) })).processed).toBe(true);
    expect((await build(newCache(undefined, clock, "test-2"), p, { checker: lockfileChecker(p, clock) })).processed).toBe(false);

    // The lockfile edited (an entry for another product: this page's verdict is the same, the lockfile is not).
    await writeLock(p.lockfile, {
      "us:B00OFWQS94": { status: "live", checkedAt: CHECKED, via: "page" },
      "de:B07QBPDWLS": { status: "live", checkedAt: CHECKED, via: "page" },
    });
    const inMemory = newCache(undefined, clock, "test-2");
    await build(inMemory, p, { checker: lockfileChecker(p, clock) });
    expect((await build(inMemory, p, { checker: lockfileChecker(p, clock) })).processed).toBe(false);
    await writeLock(p.lockfile, { "us:B00OFWQS94": { status: "dead", checkedAt: CHECKED, via: "page" } });
    const dead = await build(inMemory, p, { checker: lockfileChecker(p, clock) });
    expect(dead.processed).toBe(true);
    expect(dead.result?.links[0]?.status).toBe("dead");
  });

  it("keeps a page while its oldest verdict is younger than maxAge, by the injected clock; then asks again", async () => {
    const p = await project();
    // Two verdicts, the newer one first on the page: the page holds while the older one does.
    await writeLock(p.lockfile, {
      "us:B00OFWQS94": { status: "live", checkedAt: CHECKED, via: "page" },
      "de:B07QBPDWLS": { status: "live", checkedAt: new Date(checkedMs + 2 * DAY).toISOString(), via: "page" },
    });
    const html = page(`<a href="https://www.amazon.de/dp/B07QBPDWLS">kb</a>${LAMP}`);
    const clock = new FixedClock(checkedMs + 3 * DAY);
    const cache = newCache(undefined, clock);
    // A network checker: lockfile verdicts younger than maxAge (7 days) answer, older ones are asked again.
    const first = await build(cache, p, { html, checker: lockfileChecker(p, clock, "page") });
    expect(first.processed).toBe(true);
    expect(first.result?.links.map((l) => l.status)).toEqual(["live", "live"]);
    clock.at = checkedMs + 7 * DAY - 1;
    expect((await build(cache, p, { html, checker: lockfileChecker(p, clock, "page") })).processed).toBe(false);
    expect((await build(newCache(undefined, clock), p, { html, checker: lockfileChecker(p, clock, "page") })).processed).toBe(false);

    const requests = fake.requests.length;
    clock.at = checkedMs + 7 * DAY;
    const expired = await build(cache, p, { html, checker: lockfileChecker(p, clock, "page") });
    expect(expired.processed).toBe(true);
    expect(fake.requests.length).toBe(requests + 1);
    // Answered by the network in this build: never kept (the lockfile it would be written to is not the one read).
    expect((await build(cache, p, { html, checker: lockfileChecker(p, clock, "page") })).processed).toBe(true);

    // A clock gone back before a verdict: the checker would not call it fresh, nor does the cache.
    const back = new FixedClock(checkedMs + 3 * DAY);
    const early = newCache(undefined, back);
    await build(early, p, { html, checker: lockfileChecker(p, back, "page") });
    back.at = checkedMs + 2 * DAY - 1;
    expect((await build(early, p, { html, checker: lockfileChecker(p, back, "page") })).processed).toBe(true);
  });

  it("keeps the caches of the most recent output directories only, and none of other versions", async () => {
    const p = await project();
    const dir = dirname(p.cacheFile);
    await mkdir(dir, { recursive: true });
    const names = Array.from({ length: KEPT_FILES + 4 }, (_, i) => `pages-v${PAGE_CACHE_VERSION}-${i.toString(16).padStart(16, "0")}.bin`);
    for (const [i, name] of names.entries()) {
      await writeFile(join(dir, name), "x");
      await utimes(join(dir, name), 1_000 + i, 1_000 + i);
    }
    await writeFile(join(dir, `pages-v${PAGE_CACHE_VERSION + 1}-00000000000000ff.bin`), "x");
    await writeFile(join(dir, "lockfile-0123456789abcdef.bin"), "not ours to prune");
    const clock = new FixedClock(checkedMs + DAY);
    await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) });
    const left = (await readdir(dir)).sort();
    expect(left).toEqual([basename(p.cacheFile), "lockfile-0123456789abcdef.bin", ...names.slice(names.length - (KEPT_FILES - 1))].sort());
  });

  it("gives back feed fragments by their bytes, from memory and from the file", async () => {
    const p = await project();
    const fragmentBuild = async (cache: PageCache<PageResult>, content: string) => {
      cache.beginBuild({
        file: p.cacheFile,
        root: p.root,
        pathPrefix: "/",
        lockfile: p.lockfile,
        incremental: false,
        sharedFiles: async () => [],
      });
      let processed = false;
      const html = await cache.fragment(content, () => {
        processed = true;
        return rewriteFragment(content, resolveOptions({ tags }));
      });
      await cache.endBuild({ write: true, current: () => undefined });
      return { html, processed };
    };
    const content = `<p><a href="https://www.amazon.com/dp/B00OFWQS94?tag=stranger-20">lamp</a></p>`;
    const cache = newCache();
    const first = await fragmentBuild(cache, content);
    expect(first).toEqual({
      html: `<p><a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener">lamp</a></p>`,
      processed: true,
    });
    expect(await fragmentBuild(cache, content)).toEqual({ ...first, processed: false });
    expect(await fragmentBuild(newCache(), content)).toEqual({ ...first, processed: false });
    expect((await fragmentBuild(newCache({ tags, rel: ["nofollow"] }), content)).processed).toBe(true);
    expect((await fragmentBuild(newCache(), `${content} `)).processed).toBe(true);
  });

  it("never keeps a page with an unverified verdict", async () => {
    const p = await project();
    const clock = new FixedClock(checkedMs + DAY);
    const cache = newCache(undefined, clock);
    // B07QBPDWLS is not in the lockfile: unverified under `via: "lockfile"`.
    const html = page(`${LAMP}<a href="https://www.amazon.de/dp/B07QBPDWLS">kb</a>`);
    const first = await build(cache, p, { html, checker: lockfileChecker(p, clock) });
    expect(first.result?.links.map((l) => l.status)).toEqual(["live", "unverified"]);
    expect((await build(cache, p, { html, checker: lockfileChecker(p, clock) })).processed).toBe(true);
    expect((await build(newCache(undefined, clock), p, { html, checker: lockfileChecker(p, clock) })).processed).toBe(true);
  });

  it("places each page's bytes where its record says, whatever their encoding: text of 1 to 4 UTF-8 bytes per character, raw bytes", async () => {
    const file = join(await tempDir("amazon-links-page-cache-file-"), "pages.bin");
    const meta = (output: string) => ({ output, input: null, page: "p", source: "", shared: null, notBefore: null, expires: null });
    const pages = [
      { meta: meta("a"), html: "<p>café – 日本 😀</p>", result: '{"title":"Ünïcödé"}', places: "[]" },
      { meta: meta("b"), html: Buffer.from("<p>bytes ünchanged</p>", "utf8"), result: null, places: null },
      // Longer than one piece of the writer, with a four-byte character at the seam.
      { meta: meta("c"), html: `${"x".repeat(32 * 1024 - 1)}😀${"é".repeat(40_000)}`, result: "{}", places: "[]" },
    ];
    await writePageCacheFile(file, "build", pages);
    const loaded = (await readPageCacheFile(file, "build"))!;
    const text = (range: [number, number] | null) => (range === null ? null : loaded.bytes.toString("utf8", range[0], range[1]));
    expect(loaded.entries.map((entry) => [text(entry.html), text(entry.result), text(entry.places)])).toEqual(
      pages.map((page) => [typeof page.html === "string" ? page.html : page.html.toString("utf8"), page.result, page.places]),
    );
  });

  it("ignores, silently, a file that is missing, cut short, corrupt, of another version or another build", async () => {
    const p = await project();
    const clock = new FixedClock(checkedMs + DAY);
    await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) });
    const good = await readFile(p.cacheFile);
    expect((await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) })).processed).toBe(false);

    // The index is the last line.
    const header = good.subarray(good.lastIndexOf(10, good.length - 2) + 1).toString();
    const variants: Record<string, string | Buffer> = {
      "cut short": good.subarray(0, good.length - 40),
      "cut in the index": good.subarray(0, good.length - 30),
      "cut in the pages": good.subarray(0, 30),
      "no index": good.subarray(0, good.lastIndexOf(10, good.length - 2) + 1),
      garbage: Buffer.from([0xff, 0x00, 0x7b, 0x0a, 0x01]),
      "not JSON": "{ not json\nbytes",
      "another version": good.toString("latin1").replace(`"version":${PAGE_CACHE_VERSION}`, `"version":${PAGE_CACHE_VERSION + 1}`),
      "another build": good.toString("latin1").replace(/"build":"[0-9a-f]+"/, `"build":"${"0".repeat(64)}"`),
      "a range past the end": good.toString("latin1").replace(header, header.replace(/"result":\[(\d+),(\d+)\]/, `"result":[$1,99999999]`)),
      empty: "",
    };
    for (const [name, bytes] of Object.entries(variants)) {
      await writeFile(p.cacheFile, typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
      const run = await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) });
      expect(run.processed, name).toBe(true);
      expect(run.html, name).toBe((await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) })).html);
    }
    await rm(p.cacheFile);
    expect((await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) })).processed).toBe(true);
    // A dry run keeps nothing on disk.
    await rm(p.cacheFile);
    await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock), write: false });
    await expect(readFile(p.cacheFile)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("an incremental rebuild keeps a page's places while its source holds, and places its rows again when it moved them", async () => {
    const p = await project();
    const clock = new FixedClock(checkedMs + DAY);
    const cache = newCache(undefined, clock);
    const first = await build(cache, p, { checker: lockfileChecker(p, clock) });
    const kept = first.result!;
    const where = [{ file: "content/post.md", line: 3, column: 8 }];

    // Nothing changed: the places the page was kept with, without a search.
    expect(await rebuildWithout(cache, p, kept)).toEqual({ given: where, places: where });
    // The source edited (two lines above the link), the page not rendered again: searched again.
    await writeFile(join(p.root, p.input), "# Post\n\nA line.\nAnother.\n[lamp](https://www.amazon.com/dp/B00OFWQS94)\n");
    const moved = [{ file: "content/post.md", line: 5, column: 8 }];
    expect(await rebuildWithout(cache, p, kept)).toEqual({ given: undefined, places: moved });
    // ... and kept with its new places, which the next build gives.
    expect(await rebuildWithout(cache, p, kept)).toEqual({ given: moved, places: moved });
    // A new process reads them from the file.
    const fromFile = await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) });
    expect(fromFile.processed).toBe(false);
  });

  it("under --serve, writes the file a moment after the build, never in the middle of another", async () => {
    const p = await project();
    const clock = new TestClock(checkedMs + DAY);
    const cache = newCache(undefined, clock);
    await build(cache, p, { checker: lockfileChecker(p, clock), later: true });
    const exists = () =>
      readFile(p.cacheFile).then(
        () => true,
        () => false,
      );
    expect(await exists()).toBe(false);
    await clock.advance(WRITE_DELAY_MS);
    await cache.saved();
    expect(await exists()).toBe(true);

    // A build starts before the delay is over: the write waits for its end, which writes it.
    await rm(p.cacheFile);
    await writeFile(join(p.root, p.input), "# Post, edited\n\n[lamp](https://www.amazon.com/dp/B00OFWQS94)\n");
    const edited = await build(cache, p, { checker: lockfileChecker(p, clock), later: true });
    await rebuildWithout(cache, p, edited.result!, {
      later: true,
      during: async () => {
        await clock.advance(WRITE_DELAY_MS);
        await cache.saved();
        expect(await exists()).toBe(false);
      },
    });
    expect(await exists()).toBe(false);
    await clock.advance(WRITE_DELAY_MS);
    await cache.saved();
    expect(await exists()).toBe(true);
    // What was written is the edited page's: a new process gives it back.
    expect((await build(newCache(undefined, clock), p, { checker: lockfileChecker(p, clock) })).processed).toBe(false);
  });
});
