import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAsins } from "../../src/check/index.js";
import { continueShoppingPage, notFoundPage, signInPage } from "../fake-amazon/pages.js";
import { fakeAmazon, fakeAmazonOnTestClock, fast, gaps, noJitter } from "./helpers.js";

const LIVE = "B000000001";
const OTHER = "B000000002";

describe('via: "page"', () => {
  it("live: 200 product page, title from #productTitle", async () => {
    const fake = await fakeAmazon({ products: { [`de:${LIVE}`]: "Der Process & Die Verwandlung" } });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "de" }], fast(fake));
    expect(result).toMatchObject({ asin: LIVE, marketplace: "de", status: "live", via: "page", title: "Der Process & Die Verwandlung" });
    expect(Date.parse(result!.checkedAt)).not.toBeNaN();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: "GET", host: "www.amazon.de", path: `/dp/${LIVE}` });
    expect(fake.requests[0]!.headers["user-agent"]).toMatch(/eleventy-plugin-amazon-links/);
  });

  it.each([
    ["Amazon.com: Widget Pro 3000 : Tools & Home Improvement", "us"],
    ["Widget Pro 3000 : Amazon.de: Baumarkt", "de"],
  ])("falls back to <title> %j when the page has a product but no #productTitle", async (pageTitle, store) => {
    const fake = await fakeAmazon({
      behaviours: [
        {
          path: `/dp/${LIVE}`,
          respond: {
            status: 200,
            body: `<html><head><title>${pageTitle}</title><link rel="canonical" href="https://www.amazon.com/Widget/dp/${LIVE}"></head><body><div id="buybox"></div></body></html>`,
          },
        },
      ],
    });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: store }], fast(fake));
    expect(result).toMatchObject({ status: "live", title: "Widget Pro 3000" });
  });

  it("a <title> and a link to the product are not a product page", async () => {
    const fake = await fakeAmazon({
      behaviours: [
        {
          path: `/dp/${LIVE}`,
          respond: {
            status: 200,
            body: `<html><head><title>Amazon.com: Widget Pro 3000</title></head><body><a href="/dp/${LIVE}">x</a></body></html>`,
          },
        },
      ],
    });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({
      status: "unverified",
      reason: expect.stringMatching(/no product on the page “Amazon\.com: Widget Pro 3000”/),
    });
  });

  it("dead: 404 with Amazon's dog page, never retried", async () => {
    const fake = await fakeAmazon();
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "uk" }], fast(fake));
    expect(result).toMatchObject({ status: "dead", via: "page", reason: expect.stringMatching(/not found \(HTTP 404\)/) });
    expect(fake.count()).toBe(1);
  });

  it("dead: 410 Gone with the dog page", async () => {
    const fake = await fakeAmazon({ behaviours: [{ path: `/dp/${LIVE}`, respond: { status: 410, body: notFoundPage() } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "dead", reason: expect.stringMatching(/HTTP 410/) });
  });

  it.each([404, 410])("unverified: HTTP %d without Amazon's not-found page (a proxy's page proves nothing)", async (status) => {
    const fake = await fakeAmazon({
      behaviours: [{ path: `/dp/${LIVE}`, respond: { status, body: "<html><title>404 Not Found</title><h1>Not Found</h1></html>" } }],
    });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(new RegExp(`HTTP ${status} without Amazon's`)) });
  });

  it("unverified, not dead: the dog page served with 200", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { status: 200, body: notFoundPage() } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/page not found” page with HTTP 200/) });
  });

  it("unverified: AWS WAF's challenge (HTTP 202), retried", async () => {
    const fake = await fakeAmazon({ products: { [`us:${LIVE}`]: "Live" }, behaviours: [{ respond: { waf: true } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { retries: 1 }));
    expect(result).toMatchObject({ status: "unverified", reason: "robot check (AWS WAF JavaScript challenge, HTTP 202)" });
    expect(fake.count()).toBe(2);
  });

  it("unverified: the continue-shopping wall, even as a 503", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { status: 503, body: continueShoppingPage() } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "in" }], fast(fake, { retries: 0 }));
    expect(result).toMatchObject({ status: "unverified", reason: "robot check (“continue shopping” page, HTTP 503)" });
  });

  it("unverified: the sign-in page is not a product", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { status: 200, body: signInPage() } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "de" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/sign-in page/) });
  });

  it("live but unavailable: recorded in the lockfile, read back from it", async () => {
    const fake = await fakeAmazon({ products: { [`de:${LIVE}`]: { title: "Gone for now", unavailable: true } } });
    const lockfile = join(await mkdtemp(join(tmpdir(), "amazon-unavailable-")), "amazon-links.lock.json");
    const [first] = await checkAsins([{ asin: LIVE, marketplace: "de" }], { ...fast(fake), lockfile });
    expect(first).toMatchObject({
      status: "live",
      available: false,
      title: "Gone for now",
      reason: expect.stringMatching(/Currently unavailable/),
    });
    const stored = JSON.parse(await readFile(lockfile, "utf8"));
    expect(stored.entries[`de:${LIVE}`]).toMatchObject({ status: "live", available: false });
    const [again] = await checkAsins([{ asin: LIVE, marketplace: "de" }], { ...fast(fake), lockfile });
    expect(again).toMatchObject({ status: "live", available: false, fromLockfile: true });
    expect(fake.count()).toBe(1);
  });

  it.each([200, 503] as const)("unverified: a captcha page with HTTP %d, retried, never dead", async (status) => {
    const fake = await fakeAmazon({ products: { [`us:${LIVE}`]: "Live" }, behaviours: [{ respond: { captcha: status } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { retries: 2 }));
    expect(result).toMatchObject({ status: "unverified", reason: `robot check (captcha page, HTTP ${status})` });
    expect(fake.count()).toBe(3);
  });

  it("a captcha that goes away on retry gives the real answer", async () => {
    const fake = await fakeAmazon({ products: { [`us:${LIVE}`]: "Live" }, behaviours: [{ times: 1, respond: { captcha: 200 } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "live", title: "Live" });
    expect(fake.count()).toBe(2);
  });

  it("unverified: a redirect to /errors/validateCaptcha", async () => {
    const fake = await fakeAmazon({
      behaviours: [{ path: "/dp/", respond: { status: 302, headers: { location: "/errors/validateCaptcha?amzn=x" } } }],
    });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/robot check/) });
  });

  it("unverified: 403 is blocked, not broken, and not retried", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { status: 403 } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: "blocked by Amazon (HTTP 403)" });
    expect(fake.count()).toBe(1);
  });

  it("unverified: 429 after the retries run out", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { status: 429 } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { retries: 1 }));
    expect(result).toMatchObject({ status: "unverified", reason: "throttled by Amazon (HTTP 429)" });
    expect(fake.count()).toBe(2);
  });

  it("unverified: 5xx after retries with exponential backoff", async () => {
    const { fake, runtime, run } = await fakeAmazonOnTestClock({ behaviours: [{ respond: { status: 500 } }] });
    const [result] = await run(
      checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { retries: 3, backoff: 100 }), { ...runtime, ...noJitter }),
    );
    expect(result).toMatchObject({ status: "unverified", reason: "Amazon server error (HTTP 500)" });
    expect(fake.count()).toBe(4);
    // Waits of 100, 200, 400 ms (no jitter).
    expect(gaps(fake)).toEqual([100, 200, 400]);
  });

  it("honours Retry-After (seconds) before asking again", async () => {
    const { fake, runtime, run } = await fakeAmazonOnTestClock({
      products: { [`us:${LIVE}`]: "Live" },
      behaviours: [{ times: 1, respond: { status: 429, retryAfter: 1 } }],
    });
    const [result] = await run(checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake), runtime));
    expect(result).toMatchObject({ status: "live" });
    expect(gaps(fake)).toEqual([1_000]);
  });

  it("honours Retry-After as an HTTP date, and caps a long one at maxRetryAfter", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ products: { [`us:${LIVE}`]: "Live", [`us:${OTHER}`]: "Other" } });
    fake.addBehaviour({
      path: `/dp/${LIVE}`,
      times: 1,
      respond: { status: 503, retryAfter: new Date(clock.now() + 3_600_000).toUTCString() },
    });
    const [result] = await run(checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { maxRetryAfter: 400 }), runtime));
    expect(result).toMatchObject({ status: "live" });
    // An hour asked for, 400 ms waited.
    expect(gaps(fake)).toEqual([400]);
  });

  it("a Retry-After longer than the time budget gives up at once instead of hanging", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ behaviours: [{ respond: { status: 429, retryAfter: 30 } }] });
    const start = clock.now();
    const [result] = await run(checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { budget: "2s" }), runtime));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/HTTP 429.*time budget exhausted/) });
    // No time spent waiting.
    expect(clock.now()).toBe(start);
    expect(fake.count()).toBe(1);
  });

  it("unverified: a dropped connection (reset), retried", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { drop: true } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { retries: 1 }));
    expect(result).toMatchObject({ status: "unverified", reason: "connection reset" });
    expect(fake.count()).toBe(2);
  });

  it("a reset that heals on retry gives the real answer", async () => {
    const fake = await fakeAmazon({ products: { [`us:${LIVE}`]: "Live" }, behaviours: [{ times: 1, respond: { drop: true } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "live" });
  });

  it("unverified: a slow answer times out", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({
      products: { [`us:${LIVE}`]: "Live" },
      behaviours: [{ respond: { delay: 5_000 } }],
    });
    const start = clock.now();
    const [result] = await run(
      checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake, { timeout: 200, retries: 1, backoff: 10 }), { ...runtime, ...noJitter }),
    );
    expect(result).toMatchObject({ status: "unverified", reason: "timed out after 200 ms" });
    // Each attempt given up after exactly its timeout, with the backoff of 10 ms between.
    expect(fake.requests.map((r) => r.at - start)).toEqual([0, 210]);
    expect(clock.now() - start).toBe(410);
  });

  it("unverified: nothing listening (offline), without retries", async () => {
    const fake = await fakeAmazon();
    const endpoints = fake.endpoints();
    await fake.close();
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], { ...fast(fake), endpoints });
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/connection refused/) });
  });

  it("live with redirectedTo: a merged ASIN redirects to another product of the same store", async () => {
    const fake = await fakeAmazon({ products: { [`de:${LIVE}`]: { mergedInto: OTHER }, [`de:${OTHER}`]: "New listing" } });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "de" }], fast(fake));
    expect(result).toMatchObject({ status: "live", redirectedTo: OTHER });
    expect(fake.count()).toBe(1);
  });

  it("follows a redirect to the same ASIN on the same store (slug, bare host)", async () => {
    const fake = await fakeAmazon({ products: { [`us:${LIVE}`]: "Live" } });
    fake.addBehaviour({
      path: `/dp/${LIVE}`,
      times: 1,
      respond: { status: 301, headers: { location: `https://amazon.com/Some-Slug/dp/${LIVE}/ref=x` } },
    });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "live", title: "Live" });
    expect(fake.requests.map((r) => `${r.host}${r.path}`)).toEqual([`www.amazon.com/dp/${LIVE}`, `amazon.com/Some-Slug/dp/${LIVE}/ref=x`]);
  });

  it("follows a redirect expressed as the configured endpoint's own URL", async () => {
    const fake = await fakeAmazon({ products: { [`us:${LIVE}`]: "Live" } });
    fake.addBehaviour({ path: `/dp/${LIVE}?`, respond: { status: 200, body: "unused" } });
    fake.addBehaviour({
      path: `/dp/${LIVE}`,
      times: 1,
      respond: { status: 302, headers: { location: `${fake.url}/www.amazon.com/gp/product/${LIVE}` } },
    });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "live" });
    expect(fake.requests[1]).toMatchObject({ host: "www.amazon.com", path: `/gp/product/${LIVE}` });
  });

  it.each([
    ["another store", `https://www.amazon.com/dp/${LIVE}`],
    ["a lookalike host", `https://www.amazon.de.evil.example/dp/${LIVE}`],
    ["a non-Amazon host", "https://example.com/"],
  ])("refuses a redirect to %s", async (_name, location) => {
    const fake = await fakeAmazon({ behaviours: [{ host: "www.amazon.de", respond: { status: 302, headers: { location } } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "de" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/redirected away from www\.amazon\.de/) });
    expect(fake.count()).toBe(1);
  });

  it("a redirect to a non-product page of the store is unverified, not dead", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { status: 302, headers: { location: "/s?k=widget" } } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/not a product page/) });
  });

  it("stops after 5 redirects", async () => {
    const fake = await fakeAmazon({ behaviours: [{ respond: { status: 301, headers: { location: `/dp/${LIVE}` } } }] });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified", reason: "more than 5 redirects" });
    expect(fake.count()).toBe(6);
  });

  it("a 200 that is neither product nor error page is unverified", async () => {
    const fake = await fakeAmazon({
      behaviours: [{ respond: { status: 200, body: "<html><title>Amazon.com</title><body>Hello</body></html>" } }],
    });
    const [result] = await checkAsins([{ asin: LIVE, marketplace: "us" }], fast(fake));
    expect(result).toMatchObject({ status: "unverified" });
  });
});
