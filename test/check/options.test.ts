import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration, resolveCheckOptions } from "../../src/check/index.js";

describe("parseDuration", () => {
  it.each([
    ["30d", 30 * 86_400_000],
    ["12h", 12 * 3_600_000],
    ["90m", 90 * 60_000],
    ["45s", 45_000],
    ["250ms", 250],
    ["2w", 14 * 86_400_000],
    ["1.5h", 5_400_000],
    [1500, 1500],
    [0, 0],
  ])("%s → %d ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["7 days", "", "d", "-1d", "1y", "10", Number.NaN, -5, Infinity, null, {}])("rejects %s", (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it("formats for messages", () => {
    expect(formatDuration(500)).toBe("500 ms");
    expect(formatDuration(1500)).toBe("1.5 s");
    expect(formatDuration(3 * 86_400_000)).toBe("3 days");
  });
});

describe("resolveCheckOptions", () => {
  it("has the documented defaults", () => {
    const o = resolveCheckOptions({}, { configDir: "/site" });
    expect(o.via).toBe("page");
    expect(o.lockfile).toBe("/site/amazon-links.lock.json");
    expect(o.maxAge).toBe(7 * 86_400_000);
    expect(o.deadMaxAge).toBe(86_400_000);
    expect(o.hostLimit("www.amazon.de")).toEqual({ concurrency: 2, interval: 1000 });
    expect(o.hostLimit("creatorsapi.amazon")).toEqual({ concurrency: 1, interval: 1000 });
    expect(o.retries).toBe(2);
    expect(o.maxRetryAfter).toBe(60_000);
    expect(o.timeout).toBe(15_000);
    expect(o.budget).toBe(60_000);
    expect(o.coolDown).toBe(3_600_000);
    expect(o.userAgent).toMatch(/eleventy-plugin-amazon-links/);
    expect(o.creators.batchSize).toBe(10);
  });

  it("sends the first of the plugin's tags for each store as the Creators API partner tag, unless overridden", () => {
    const tags = new Map([
      ["us", ["ours-20"]],
      ["de", ["ours0d-21", "news0d-21"]],
    ]);
    const plain = resolveCheckOptions({}, { tags }).creators;
    expect(["us", "de", "fr"].map(plain.partnerTag)).toEqual(["ours-20", "ours0d-21", undefined]);
    const override = resolveCheckOptions(
      { creators: { partnerTag: { de: "news0d-21" } } },
      { tags: { us: "ours-20", de: ["ours0d-21"] } },
    ).creators;
    expect(["us", "de"].map(override.partnerTag)).toEqual(["ours-20", "news0d-21"]);
    expect(resolveCheckOptions({ creators: { partnerTag: "one-20" } }, { tags }).creators.partnerTag("de")).toBe("one-20");
    expect(plain.fallback).toBe(false);
  });

  it("resolves a relative lockfile against configDir, keeps an absolute one, and accepts false", () => {
    expect(resolveCheckOptions({ lockfile: "data/lock.json" }, { configDir: "/site" }).lockfile).toBe("/site/data/lock.json");
    expect(resolveCheckOptions({ lockfile: "/abs/lock.json" }, { configDir: "/site" }).lockfile).toBe("/abs/lock.json");
    expect(resolveCheckOptions({ lockfile: false }).lockfile).toBe(false);
  });

  it.each([
    [{ via: "api" }, /\[amazon-links\] option "check\.via"/],
    [{ maxAge: "a week" }, /^\[amazon-links\] option "check\.maxAge": "a week" is not a duration/],
    [{ deadMaxAge: -1 }, /"check\.deadMaxAge"/],
    [{ budget: "forever" }, /"check\.budget"/],
    [{ coolDown: "a while" }, /"check\.coolDown"/],
    [{ timeout: "1y" }, /"check\.timeout"/],
    [{ retries: 1.5 }, /"check\.retries" must be a whole number/],
    [{ concurrency: 0 }, /"check\.concurrency"/],
    [{ lockfile: "" }, /"check\.lockfile"/],
    [{ via: "lockfile", lockfile: false }, /"check\.via" is "lockfile" but "check\.lockfile" is false/],
    [{ endpoints: { "www.amazon.de": "not a url" } }, /"check\.endpoints\.www\.amazon\.de" must be an absolute http\(s\) base URL/],
    [{ endpoints: { "www.amazon.de": "ftp://x" } }, /"check\.endpoints\.www\.amazon\.de"/],
    [{ endpoints: { germany: "http://127.0.0.1" } }, /"check\.endpoints": key "germany"/],
    [{ endpoints: "http://proxy" }, /"check\.endpoints" must be an object/],
    [{ hosts: { "www.amazon.de": { interval: "soon" } } }, /"check\.hosts\.www\.amazon\.de\.interval"/],
    [{ creators: { secret: "x" } }, /unknown option "check\.creators\.secret".*environment variables/],
    [{ creators: { batchSize: 11 } }, /"check\.creators\.batchSize"/],
    [{ creators: { partnerTag: 5 } }, /"check\.creators\.partnerTag"/],
    [{ creators: { partnerTag: { germany: "x-21" } } }, /"check\.creators\.partnerTag": "germany" is not a store code/],
    [{ creators: { fallback: "pages" } }, /"check\.creators\.fallback" must be "page" or false/],
    [{ userAgent: "a\nb" }, /"check\.userAgent"/],
    [{ colour: "red" }, /unknown option "check\.colour"/],
    ["page", /option "check" must be an object/],
  ])("rejects %j naming the option", (input, message) => {
    expect(() => resolveCheckOptions(input)).toThrow(message);
    expect(() => resolveCheckOptions(input)).toThrow(/^\[amazon-links\] /);
  });

  it("routes Amazon hosts and store codes to base URLs, path appended, and maps them back", () => {
    const o = resolveCheckOptions({
      endpoints: {
        "www.amazon.de": "http://127.0.0.1:8099/proxy/de/",
        uk: "http://127.0.0.1:8099/uk",
        "amzn.to": "http://127.0.0.1:8099/short",
      },
    });
    expect(o.route(new URL("https://www.amazon.de/dp/B000000001?x=1")).href).toBe("http://127.0.0.1:8099/proxy/de/dp/B000000001?x=1");
    // A store code routes every host of that store.
    expect(o.route(new URL("https://amazon.co.uk/dp/B000000001")).href).toBe("http://127.0.0.1:8099/uk/dp/B000000001");
    expect(o.route(new URL("https://amzn.to/3abc")).href).toBe("http://127.0.0.1:8099/short/3abc");
    // Unlisted hosts are left alone.
    expect(o.route(new URL("https://www.amazon.fr/dp/B000000001")).href).toBe("https://www.amazon.fr/dp/B000000001");
    expect(o.unroute(new URL("http://127.0.0.1:8099/proxy/de/dp/B000000002"))?.href).toBe("https://www.amazon.de/dp/B000000002");
    expect(o.unroute(new URL("http://127.0.0.1:8099/uk/gp/product/B000000002"))?.href).toBe(
      "https://www.amazon.co.uk/gp/product/B000000002",
    );
    expect(o.unroute(new URL("http://127.0.0.1:8099/elsewhere"))).toBeUndefined();
    expect(o.unroute(new URL("http://127.0.0.1:10/uk/dp/B000000002"))).toBeUndefined();
  });

  it("accepts a routing function", () => {
    const o = resolveCheckOptions({
      endpoints: (url: URL) =>
        url.hostname === "www.amazon.de" ? `http://proxy.local/fetch?u=${encodeURIComponent(url.href)}` : undefined,
    });
    expect(o.route(new URL("https://www.amazon.de/dp/B000000001")).href).toBe(
      "http://proxy.local/fetch?u=https%3A%2F%2Fwww.amazon.de%2Fdp%2FB000000001",
    );
    expect(o.route(new URL("https://www.amazon.com/dp/B000000001")).href).toBe("https://www.amazon.com/dp/B000000001");
  });

  it("lets per-host limits override the defaults, including the Creators API quota", () => {
    const o = resolveCheckOptions({
      interval: "2s",
      concurrency: 4,
      hosts: { "creatorsapi.amazon": { interval: 0 }, "www.amazon.de": { concurrency: 1 } },
    });
    expect(o.hostLimit("creatorsapi.amazon")).toEqual({ concurrency: 1, interval: 0 });
    expect(o.hostLimit("www.amazon.de")).toEqual({ concurrency: 1, interval: 2000 });
    expect(o.hostLimit("www.amazon.fr")).toEqual({ concurrency: 4, interval: 2000 });
  });
});
