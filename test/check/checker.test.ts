import { describe, expect, it } from "vitest";
import { checkAsins, createChecker } from "../../src/check/index.js";
import { fakeAmazon, fakeAmazonOnTestClock, fast, noJitter } from "./helpers.js";

const A = "B000000001";
const B = "B000000002";
const C = "B000000003";

/** Wait (in real time, while sockets work) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 5_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

describe("createChecker / checkAsins", () => {
  it("returns one result per item, in order, asking each (store, ASIN) once", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A", [`de:${A}`]: "A (de)", [`us:${C}`]: "C" } });
    const items = [
      { asin: A, marketplace: "us" },
      { asin: B, marketplace: "us" },
      { asin: A, marketplace: "us" },
      { asin: A, marketplace: "de" },
      { asin: C.toLowerCase(), marketplace: "US" },
      { asin: C, marketplace: "us" },
    ];
    const results = await checkAsins(items, fast(fake));
    expect(results.map((r) => [r.asin, r.marketplace, r.status])).toEqual([
      [A, "us", "live"],
      [B, "us", "dead"],
      [A, "us", "live"],
      [A, "de", "live"],
      [C, "us", "live"],
      [C, "us", "live"],
    ]);
    expect(fake.count({ path: `/dp/${A}` })).toBe(2); // once per store
    expect(fake.count({ host: "www.amazon.com", path: `/dp/${C}` })).toBe(1);
    expect(fake.count()).toBe(4);
  });

  it("concurrent callers share one in-flight request per item", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" }, behaviours: [{ respond: { delay: 150 } }] });
    const checker = createChecker(fast(fake));
    const calls = await Promise.all([
      checker.check([{ asin: A, marketplace: "us" }]),
      checker.check([
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ]),
      checker.check([{ asin: B, marketplace: "us" }]),
    ]);
    expect(calls.map((c) => c.map((r) => r.status))).toEqual([["live"], ["live", "dead"], ["dead"]]);
    expect(fake.count({ path: `/dp/${A}` })).toBe(1);
    expect(fake.count({ path: `/dp/${B}` })).toBe(1);
    // Later calls in the same session are answered from memory.
    await checker.check([{ asin: A, marketplace: "us" }]);
    expect(fake.count()).toBe(2);
    expect(checker.stats.requests["www.amazon.com"]).toBe(2);
  });

  it("each caller gets its own result object", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const checker = createChecker(fast(fake));
    const [first] = await checker.check([{ asin: A, marketplace: "us" }]);
    first!.title = "changed by a caller";
    const [second] = await checker.check([{ asin: A, marketplace: "us" }]);
    expect(second!.title).toBe("A");
  });

  it("two checkers (two builds, parallel tests) share nothing", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    await createChecker(fast(fake)).check([{ asin: A, marketplace: "us" }]);
    await createChecker(fast(fake)).check([{ asin: A, marketplace: "us" }]);
    expect(fake.count()).toBe(2);
  });

  it("malformed ASINs and unknown stores are unverified without a request", async () => {
    const fake = await fakeAmazon();
    const results = await checkAsins(
      [
        { asin: "B00SHORT", marketplace: "us" },
        { asin: "0131103620", marketplace: "us" }, // ISBN-10 with a wrong check digit (0131103628 is valid)
        { asin: A, marketplace: "xx" },
        { asin: A, marketplace: "short" },
      ],
      fast(fake),
    );
    expect(results.map((r) => r.status)).toEqual(["unverified", "unverified", "unverified", "unverified"]);
    expect(results[0]!.reason).toMatch(/not a well-formed ASIN/);
    expect(results[2]!.reason).toMatch(/unknown store "xx"/);
    expect(fake.count()).toBe(0);
  });

  it("via: false checks nothing", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const [result] = await checkAsins([{ asin: A, marketplace: "us" }], fast(fake, { via: false }));
    expect(result).toMatchObject({ status: "unverified", via: "none", reason: expect.stringMatching(/checking is off/) });
    expect(fake.count()).toBe(0);
  });

  it("the time budget bounds a run against a fake that never answers: everything left is unverified", async () => {
    const { fake, clock, runtime } = await fakeAmazonOnTestClock({
      products: { [`us:${A}`]: "A" },
      behaviours: [{ respond: { delay: 30_000 } }],
    });
    const items = Array.from({ length: 12 }, (_, i) => ({ asin: `B0000000${String(i).padStart(2, "0")}`, marketplace: "us" }));
    const start = clock.now();
    let settled = false;
    const run = checkAsins(items, fast(fake, { budget: 600, timeout: "10s", concurrency: 2 }), runtime).finally(() => {
      settled = true;
    });
    // Two requests go out (the host's concurrency) and hang; the other ten queue for a slot.
    await until(() => fake.requests.filter((r) => r.held).length === 2);
    await clock.advance(599);
    expect(settled).toBe(false);
    await clock.advance(1);
    const results = await run;
    expect(results.every((r) => r.status === "unverified" && r.reason === "time budget exhausted")).toBe(true);
    expect(fake.count()).toBe(2);
    expect(clock.now() - start).toBe(600);
  });

  it("a captcha-only Amazon makes everything unverified within the budget, nothing dead", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ behaviours: [{ respond: { captcha: 200 } }] });
    const items = Array.from({ length: 8 }, (_, i) => ({ asin: `B0000001${String(i).padStart(2, "0")}`, marketplace: "de" }));
    const start = clock.now();
    const results = await run(checkAsins(items, fast(fake, { budget: "1s", backoff: 200 }), { ...runtime, ...noJitter }));
    expect(results.every((r) => r.status === "unverified")).toBe(true);
    expect(clock.now() - start).toBeLessThanOrEqual(1_000);
    // Two slots per host: every product asked, then asked again after 200 ms; the first two once
    // more after 400 ms, and their last captcha cools the host down so the rest are not asked again.
    expect(fake.requests.map((r) => r.at - start)).toEqual([...Array(8).fill(0), ...Array(8).fill(200), 600, 600]);
    expect(results.slice(0, 2).map((r) => r.reason)).toEqual(Array(2).fill("robot check (captcha page, HTTP 200)"));
    expect(results.slice(2).every((r) => r.reason?.startsWith("not asked: www.amazon.de blocked this tool"))).toBe(true);
  });

  it("the per-host rate limit holds: no 1-second window sees more requests than configured", async () => {
    const products = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`us:B0000002${i}0`, `P${i}`]));
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ products });
    const items = Object.keys(products).map((k) => ({ asin: k.slice(3), marketplace: "us" }));
    const start = clock.now();
    // 300 ms between starts: at most 4 starts in any 1-second window (0, 300, 600, 900).
    const results = await run(checkAsins(items, fast(fake, { interval: 300, concurrency: 3 }), runtime));
    expect(results.every((r) => r.status === "live")).toBe(true);
    const times = fake.requests.map((r) => r.at - start);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(4);
    // Each start as soon as the interval allows, no sooner and no later.
    expect(times).toEqual([0, 300, 600, 900, 1200, 1500, 1800, 2100]);
  });

  it("bounds concurrency per host: the third request waits for one of the first two to finish", async () => {
    const products = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`us:B0000003${i}0`, `P${i}`]));
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ products, behaviours: [{ respond: { delay: 300 } }] });
    const start = clock.now();
    const results = await run(
      checkAsins(
        Object.keys(products).map((k) => ({ asin: k.slice(3), marketplace: "us" })),
        fast(fake, { concurrency: 2 }),
        runtime,
      ),
    );
    expect(results.every((r) => r.status === "live")).toBe(true);
    // Two at once; the next two when the first two have been answered, 300 ms later.
    expect(fake.requests.map((r) => r.at - start)).toEqual([0, 0, 300, 300]);
  });

  it("rate limits are per host: another store is not slowed down", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({
      products: { [`us:${A}`]: "A", [`us:${B}`]: "B", [`de:${A}`]: "A" },
    });
    const start = clock.now();
    await run(
      checkAsins(
        [
          { asin: A, marketplace: "us" },
          { asin: B, marketplace: "us" },
          { asin: A, marketplace: "de" },
        ],
        fast(fake, { interval: 1000 }),
        runtime,
      ),
    );
    const at = (host: string) => fake.requests.filter((r) => r.host === host).map((r) => r.at - start);
    expect(at("www.amazon.com")).toEqual([0, 1000]);
    // The German request did not wait for the American interval.
    expect(at("www.amazon.de")).toEqual([0]);
  });

  it("reports progress for the network part", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const seen: number[] = [];
    await checkAsins(
      [
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ],
      fast(fake),
      {
        onProgress: (p) => {
          seen.push(p.done);
          expect(p.total).toBeGreaterThanOrEqual(p.done);
          expect(p.budgetLeft).toBeLessThanOrEqual(20_000);
        },
      },
    );
    // Said as each check goes out (done 0), then as each answer comes back.
    expect(seen).toEqual([0, 0, 1, 2]);
  });
});
