/**
 * Issue 18, fault 5: a short link's expansion older than maxAge was thrown away when amzn.to
 * throttled the re-expansion (429), so the link shipped untagged and the build failed. The last known
 * target is used, with a warning; a short link that no longer exists is not kept alive.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChecker, serializeLock } from "../../src/check/index.js";
import { buildFixture } from "../helpers/eleventy.js";
import { START } from "../helpers/test-clock.js";
import { fakeAmazon, fakeAmazonOnTestClock, fast, tempDir } from "./helpers.js";

const TARGET = "https://www.amazon.com/dp/B00OFWQS94";
const MONTH = 30 * 86_400_000;
const MONTH_AGO = new Date(START - MONTH).toISOString();

/** A lockfile whose product was checked `now`, and whose short link was expanded a month earlier. */
async function lockWithShortLink(dir: string, now = START): Promise<string> {
  const path = join(dir, "amazon-links.lock.json");
  await writeFile(
    path,
    serializeLock({
      version: 1,
      entries: { "us:B00OFWQS94": { status: "live", checkedAt: new Date(now).toISOString(), via: "page", title: "Lamp" } },
      shortLinks: { "https://amzn.to/lamp": { target: TARGET, checkedAt: new Date(now - MONTH).toISOString() } },
    }),
  );
  return path;
}

describe("stale short-link expansions", () => {
  it("amzn.to answering 429: the last known target is used, with the reason, and the lockfile keeps it", async () => {
    const { fake, runtime, run } = await fakeAmazonOnTestClock({
      behaviours: [{ host: "amzn.to", respond: { status: 429, retryAfter: 1 } }],
    });
    const dir = await tempDir();
    const path = await lockWithShortLink(dir);
    const before = await readFile(path, "utf8");
    const checker = createChecker(fast(fake, { lockfile: path, retries: 1, maxRetryAfter: "10ms" }), runtime);
    const result = await run(checker.expandShortLink("https://amzn.to/lamp"));
    expect(result).toMatchObject({
      ok: true,
      target: TARGET,
      checkedAt: MONTH_AGO,
      fromLockfile: true,
      stale: expect.stringMatching(/HTTP 429/),
    });
    expect(fake.count({ host: "amzn.to" })).toBe(2);
    await checker.flush();
    expect(await readFile(path, "utf8")).toBe(before);
  });

  it("a short link that no longer exists (404) is not kept alive from the lockfile", async () => {
    const { fake, runtime, run } = await fakeAmazonOnTestClock();
    const dir = await tempDir();
    const path = await lockWithShortLink(dir);
    const result = await run(createChecker(fast(fake, { lockfile: path }), runtime).expandShortLink("https://amzn.to/lamp"));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/does not exist \(HTTP 404\)/) });
  });

  it("an Eleventy build ships the tagged product link with a warning, and does not fail", async () => {
    const fake = await fakeAmazon({ products: { "us:B00OFWQS94": "Lamp" }, behaviours: [{ host: "amzn.to", respond: { status: 429 } }] });
    const site = await tempDir();
    await writeFile(join(site, "post.md"), "[lamp](https://amzn.to/lamp)\n");
    // The build runs on the wall clock: the expansion is a month older than the build, not than START.
    const lockfile = await lockWithShortLink(site, Date.now());
    const build = await buildFixture(site, {
      tags: { us: "ours-20" },
      check: { endpoints: fake.endpoints(), lockfile, interval: 0, retries: 0, backoff: 10, timeout: "5s", budget: "20s" },
    });
    expect(build.error).toBeUndefined();
    expect(await build.read("post/index.html")).toContain(`href="${TARGET}?tag=ours-20"`);
    const [link] = build.report.links;
    expect(link!.findings).toEqual([
      {
        rule: "unverified",
        severity: "warning",
        message: expect.stringMatching(
          /^Short link amzn\.to\/lamp could not be expanded again \(.*HTTP 429.*\); using its target as of \d{4}-\d\d-\d\d/,
        ),
      },
    ]);
    expect(build.report.summary.errors).toBe(0);
  });
});
