import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChecker, serializeLock } from "../../src/check/index.js";
import { fakeAmazon, fast, tempDir } from "./helpers.js";

const TARGET = "https://www.amazon.com/dp/B000000001?tag=someone-20&linkCode=ll1";

describe("expandShortLink", () => {
  it("follows amzn.to to the Amazon URL with HEAD, without fetching the product page", async () => {
    const fake = await fakeAmazon({ shortLinks: { "amzn.to/3abcd": TARGET } });
    const checker = createChecker(fast(fake));
    const result = await checker.expandShortLink("https://amzn.to/3abcd");
    expect(result).toEqual({ ok: true, href: "https://amzn.to/3abcd", target: TARGET, checkedAt: expect.any(String) });
    expect(fake.requests.map((r) => `${r.method} ${r.host}${r.path}`)).toEqual(["HEAD amzn.to/3abcd"]);
  });

  it.each(["amzn.eu/d/0abc", "amzn.asia/d/0abc", "a.co/d/0abc"])("expands %s", async (link) => {
    const fake = await fakeAmazon({ shortLinks: { [link]: "https://www.amazon.co.jp/dp/B000000001" } });
    const result = await createChecker(fast(fake)).expandShortLink(`http://${link}`);
    expect(result).toMatchObject({ ok: true, target: "https://www.amazon.co.jp/dp/B000000001" });
  });

  it("falls back to GET when HEAD is not answered with a redirect", async () => {
    const fake = await fakeAmazon({ shortLinks: { "amzn.to/x": { to: TARGET, headStatus: 405 } } });
    const result = await createChecker(fast(fake)).expandShortLink("https://amzn.to/x");
    expect(result).toMatchObject({ ok: true, target: TARGET });
    expect(fake.requests.map((r) => r.method)).toEqual(["HEAD", "GET"]);
  });

  it("follows a chain of short links (a.co → amzn.to → store)", async () => {
    const fake = await fakeAmazon({ shortLinks: { "a.co/d/1": "https://amzn.to/2", "amzn.to/2": TARGET } });
    const result = await createChecker(fast(fake)).expandShortLink("https://a.co/d/1");
    expect(result).toMatchObject({ ok: true, target: TARGET });
  });

  it("refuses to follow a redirect to a non-Amazon host", async () => {
    const fake = await fakeAmazon({ shortLinks: { "amzn.to/evil": "https://amazon.com.evil.example/dp/B000000001" } });
    const result = await createChecker(fast(fake)).expandShortLink("https://amzn.to/evil");
    expect(result).toEqual({
      ok: false,
      href: "https://amzn.to/evil",
      reason: expect.stringMatching(/redirects to amazon\.com\.evil\.example, which is not an Amazon store; not followed/),
    });
    expect(fake.count()).toBe(1);
  });

  it("gives up after 5 hops", async () => {
    const shortLinks = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`amzn.to/${i}`, `https://amzn.to/${i + 1}`]));
    const fake = await fakeAmazon({ shortLinks });
    const result = await createChecker(fast(fake)).expandShortLink("https://amzn.to/0");
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/more than 5 redirects/) });
    expect(fake.count({ method: "HEAD" })).toBe(5);
  });

  it("a short link that does not exist, or does not redirect, is a reason", async () => {
    const fake = await fakeAmazon({ shortLinks: { "amzn.to/ok": { to: TARGET, status: 200 } } });
    const checker = createChecker(fast(fake));
    expect(await checker.expandShortLink("https://amzn.to/missing")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not exist \(HTTP 404\)/),
    });
    expect(await checker.expandShortLink("https://amzn.to/ok")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/did not redirect \(HTTP 200\)/),
    });
  });

  it("network trouble is a reason, not a crash", async () => {
    const fake = await fakeAmazon({ behaviours: [{ host: "amzn.to", respond: { drop: true } }] });
    const result = await createChecker(fast(fake, { retries: 0 })).expandShortLink("https://amzn.to/x");
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/could not expand https:\/\/amzn\.to\/x: connection reset/) });
  });

  it("rejects what is not a short link", async () => {
    const fake = await fakeAmazon();
    const result = await createChecker(fast(fake)).expandShortLink("https://www.amazon.com/dp/B000000001");
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/not an Amazon short link/) });
    expect(fake.count()).toBe(0);
  });

  it("is asked once per link per session, and cached in the lockfile for the next build", async () => {
    const fake = await fakeAmazon({ shortLinks: { "amzn.to/3abcd": TARGET } });
    const dir = await tempDir();
    const options = fast(fake, { lockfile: "lock.json" });
    const first = createChecker(options, { configDir: dir });
    await Promise.all([first.expandShortLink("https://amzn.to/3abcd"), first.expandShortLink("http://AMZN.TO/3abcd")]);
    expect(fake.count()).toBe(1);
    await first.flush();
    const lock = JSON.parse(await readFile(join(dir, "lock.json"), "utf8"));
    expect(lock.shortLinks).toEqual({ "https://amzn.to/3abcd": { checkedAt: expect.any(String), target: TARGET } });

    const second = createChecker(fast(fake, { lockfile: "lock.json", via: "lockfile" }), { configDir: dir });
    expect(await second.expandShortLink("https://amzn.to/3abcd")).toMatchObject({ ok: true, target: TARGET, fromLockfile: true });
    expect(await second.expandShortLink("https://amzn.to/other")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not in the lockfile/),
    });
    expect(fake.count()).toBe(1);
    expect(await second.flush()).toMatchObject({ written: false });
  });

  it("failures are not cached in the lockfile", async () => {
    const fake = await fakeAmazon();
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    const original = serializeLock({ version: 1, entries: {}, shortLinks: {} });
    await writeFile(path, original);
    const checker = createChecker(fast(fake, { lockfile: path }));
    expect(await checker.expandShortLink("https://amzn.to/missing")).toMatchObject({ ok: false });
    expect(await checker.flush()).toMatchObject({ written: false });
    expect(await readFile(path, "utf8")).toBe(original);
  });
});
