/**
 * Answers without a pause: `checkNow` / `expandNow` give exactly what `check` / `expandShortLink` give when
 * no network is needed, and nothing otherwise; the page pipeline gives the same answers either way.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkLinks } from "../../src/audit/check-links.js";
import { createChecker, serializeLock, type CheckResult } from "../../src/check/index.js";
import { processPage } from "../../src/eleventy/process-page.js";
import { findDecidedLinks } from "../helpers/decided-links.js";
import { resolveOptions } from "../../src/rules/options.js";
import { fakeAmazon, fast, tempDir } from "./helpers.js";

const A = "B000000001";
const B = "B000000002";
const C = "B000000003";
const NOW = new Date().toISOString();
const TARGET = `https://www.amazon.com/dp/${C}`;

async function lockfileWith(entries: Record<string, object>, shortLinks: Record<string, object> = {}): Promise<string> {
  const path = join(await tempDir(), "amazon-links.lock.json");
  await writeFile(path, serializeLock({ version: 1, entries, shortLinks } as never));
  return path;
}

const lock = () =>
  lockfileWith(
    {
      [`us:${A}`]: { status: "live", checkedAt: NOW, via: "page", title: "A" },
      [`uk:${A}`]: { status: "dead", checkedAt: NOW, via: "page" },
    },
    { "https://amzn.to/3abcd": { target: TARGET, checkedAt: NOW } },
  );

/** `results` with the times of unverified answers (stamped when asked) taken from `like`. */
function sameInstant(results: CheckResult[], like: CheckResult[]): CheckResult[] {
  return results.map((result, i) => (result.status === "unverified" ? { ...result, checkedAt: like[i]!.checkedAt } : result));
}

describe("checkNow / expandNow", () => {
  it("say nothing until the lockfile is loaded, then answer exactly as check does, counting each entry once", async () => {
    const fake = await fakeAmazon();
    const checker = createChecker(fast(fake, { lockfile: await lock() }));
    const items = [
      { asin: A, marketplace: "us" },
      { asin: A, marketplace: "uk" },
      { asin: "B00SHORT", marketplace: "us" },
    ];
    expect(checker.checkNow(items)).toBeUndefined();
    await checker.prepare();
    const now = checker.checkNow(items);
    expect(now).toEqual(sameInstant(await checker.check(items), now!));
    expect(now!.map((r) => r.status)).toEqual(["live", "dead", "unverified"]);
    expect(checker.stats.fromLockfile).toBe(2);
    expect(fake.count()).toBe(0);
  });

  it("give undefined when an item needs the network, and while or after it is checked (check answers those)", async () => {
    const fake = await fakeAmazon({ products: { [`us:${B}`]: "B" }, behaviours: [{ respond: { delay: 100 } }] });
    const checker = createChecker(fast(fake, { lockfile: await lock() }));
    await checker.prepare();
    expect(
      checker.checkNow([
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ]),
    ).toBeUndefined();
    const inFlight = checker.check([{ asin: B, marketplace: "us" }]);
    expect(checker.checkNow([{ asin: B, marketplace: "us" }])).toBeUndefined();
    expect((await inFlight)[0]!.status).toBe("live");
    expect(checker.checkNow([{ asin: B, marketplace: "us" }])).toBeUndefined();
    expect((await checker.check([{ asin: B, marketplace: "us" }]))[0]!.status).toBe("live");
    expect(fake.count()).toBe(1);
  });

  it("answer lockfile-only runs for every item, known or not", async () => {
    const checker = createChecker({ via: "lockfile", lockfile: await lock() });
    await checker.prepare();
    const items = [
      { asin: A, marketplace: "us" },
      { asin: B, marketplace: "us" },
    ];
    const now = checker.checkNow(items);
    expect(now!.map((r) => r.status)).toEqual(["live", "unverified"]);
    expect(now![1]!.reason).toMatch(/not in the lockfile/);
    expect(now).toEqual(sameInstant(await checker.check(items), now!));
  });

  it("prepare never rejects; a broken lockfile still fails check, naming the file", async () => {
    const path = join(await tempDir(), "amazon-links.lock.json");
    await writeFile(path, "{ not json");
    const checker = createChecker({ via: "lockfile", lockfile: path });
    await expect(checker.prepare()).resolves.toBeUndefined();
    expect(checker.checkNow([{ asin: A, marketplace: "us" }])).toBeUndefined();
    await expect(checker.check([{ asin: A, marketplace: "us" }])).rejects.toThrow(path);
  });

  it("expandNow gives the lockfile's expansion, a refusal when the network is off, and undefined when it must ask", async () => {
    const fake = await fakeAmazon({ shortLinks: { "amzn.to/9zzzz": TARGET } });
    const online = createChecker(fast(fake, { lockfile: await lock() }));
    expect(online.expandNow("https://amzn.to/3abcd")).toBeUndefined(); // not loaded yet
    await online.prepare();
    const now = online.expandNow("https://amzn.to/3abcd");
    expect(now).toMatchObject({ ok: true, target: TARGET, fromLockfile: true });
    expect(now).toEqual(await online.expandShortLink("https://amzn.to/3abcd"));
    expect(online.expandNow("https://amzn.to/9zzzz")).toBeUndefined();
    expect(fake.count()).toBe(0);

    const offline = createChecker({ via: "lockfile", lockfile: await lock() });
    await offline.prepare();
    expect(offline.expandNow("https://amzn.to/9zzzz")).toMatchObject({ ok: false, reason: expect.stringMatching(/network is off/) });
  });
});

describe("the page pipeline, from the lockfile or the network", () => {
  const options = resolveOptions({ tags: { us: "site-20", uk: "site-21" } });
  const page = `<p><a href="https://www.amazon.com/dp/${A}">A</a> <a href="https://amzn.to/3abcd">C</a></p>`;

  it("checkLinks and processPage give the lockfile's answers when it answers every link", async () => {
    const checker = createChecker({ via: "lockfile", lockfile: await lock() });
    await checker.prepare();
    const checked = await checkLinks(findDecidedLinks(page, options).links, checker, options, { availabilityIn: ["us", "uk"] });
    expect(checked.map((l) => [l.status, l.liveIn])).toEqual([
      ["live", ["us"]],
      ["unverified", undefined], // expanded from the lockfile, C is not in it
    ]);
    const processed = await processPage({
      html: page,
      kind: "html",
      inputPath: "src/a.md",
      outputPath: "/site/_site/a/index.html",
      root: "/site",
      options,
      checker,
    });
    expect(processed.html).toContain(`https://www.amazon.com/dp/${C}?tag=site-20`);
  });

  it("and the network's, when a link needs it, each asked once", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A", [`us:${C}`]: "C" }, shortLinks: { "amzn.to/3abcd": TARGET } });
    const checker = createChecker(fast(fake));
    await checker.prepare();
    const checked = await checkLinks(findDecidedLinks(page, options).links, checker, options);
    expect(checked.map((l) => l.status)).toEqual(["live", "live"]);
    expect([fake.count({ path: `/dp/${A}` }), fake.count({ host: "amzn.to" }), fake.count({ path: `/dp/${C}` })]).toEqual([1, 1, 1]);
    const processed = await processPage({
      html: page,
      kind: "html",
      inputPath: "src/a.md",
      outputPath: "/site/_site/a/index.html",
      root: "/site",
      options,
      checker,
    });
    expect(processed.result!.links.map((l) => l.status)).toEqual(["live", "live"]);
    expect(processed.html).toContain(`https://www.amazon.com/dp/${C}?tag=site-20`);
    // The page asked nothing again: the run remembers its answers.
    expect(fake.count()).toBe(3);
  });
});
