/** The fake itself: other suites (plugin, CLI, browser script) rely on its small API. */
import { describe, expect, it } from "vitest";
import { TestClock } from "../helpers/test-clock.js";
import { fakeAmazon } from "./helpers.js";

describe("fake Amazon", () => {
  it("listens on 127.0.0.1 and routes every Amazon host by path prefix", async () => {
    const fake = await fakeAmazon({ products: { "*:B000000001": "Everywhere" } });
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/~[0-9a-f]{12}$/);
    const endpoints = fake.endpoints();
    for (const host of ["www.amazon.com", "amazon.de", "www.amazon.co.jp", "amzn.to", "a.co", "creatorsapi.amazon", "api.amazon.co.uk"]) {
      expect(endpoints[host]).toBe(`${fake.url}/${host}`);
    }
    const res = await fetch(`${fake.url}/www.amazon.fr/dp/B000000001`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<span id="productTitle"');
  });

  it("serves the dog page with 404 for unknown products and logs every request with its time", async () => {
    const clock = new TestClock();
    const fake = await fakeAmazon({ clock });
    await clock.advance(1_234);
    const res = await fetch(`${fake.url}/www.amazon.com/dp/B000000009`, { headers: { "x-test": "1" } });
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/Sorry! We couldn't find that page/);
    expect(fake.requests).toEqual([
      {
        at: clock.now(),
        method: "GET",
        host: "www.amazon.com",
        path: "/dp/B000000009",
        headers: expect.objectContaining({ "x-test": "1" }),
        body: "",
        status: 404,
      },
    ]);
    expect(fake.count({ host: "www.amazon.com" })).toBe(1);
    expect(fake.count({ host: "www.amazon.de" })).toBe(0);
  });

  it("holds a delayed answer until its clock has passed the delay, marking the request held meanwhile", async () => {
    const clock = new TestClock();
    const fake = await fakeAmazon({ clock, products: { "us:B000000001": "A" }, behaviours: [{ respond: { delay: 500 } }] });
    const answer = fetch(`${fake.url}/www.amazon.com/dp/B000000001`);
    for (let i = 0; i < 2_000 && !fake.requests[0]?.held; i++) await new Promise((resolve) => setTimeout(resolve, 2));
    expect(fake.requests[0]).toMatchObject({ held: true });
    await clock.advance(499);
    expect(fake.requests[0]).toMatchObject({ held: true });
    await clock.advance(1);
    expect(fake.requests[0]!.held).toBeUndefined();
    expect((await answer).status).toBe(200);
  });

  it("applies behaviours a limited number of times, then answers normally", async () => {
    const fake = await fakeAmazon({ products: { "us:B000000001": "A" } });
    fake.addBehaviour({ host: "www.amazon.com", times: 2, respond: { status: 429, retryAfter: 7 } });
    const first = await fetch(`${fake.url}/www.amazon.com/dp/B000000001`);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("7");
    expect((await fetch(`${fake.url}/www.amazon.com/dp/B000000001`)).status).toBe(429);
    expect((await fetch(`${fake.url}/www.amazon.com/dp/B000000001`)).status).toBe(200);
  });

  it("serves captcha pages with 200 or 503, and can drop connections", async () => {
    const fake = await fakeAmazon({
      behaviours: [
        { path: "/dp/B000000001", respond: { captcha: 503 } },
        { path: "/dp/B000000002", respond: { drop: true } },
      ],
    });
    const captcha = await fetch(`${fake.url}/www.amazon.com/dp/B000000001`);
    expect(captcha.status).toBe(503);
    expect(await captcha.text()).toMatch(/captchacharacters/);
    await expect(fetch(`${fake.url}/www.amazon.com/dp/B000000002`)).rejects.toThrow();
  });

  it("setProduct and setShortLink change answers at run time", async () => {
    const fake = await fakeAmazon();
    fake.setProduct("de:B000000001", { mergedInto: "B000000002" });
    fake.setShortLink("amzn.eu/d/x", "https://www.amazon.de/dp/B000000002");
    const merged = await fetch(`${fake.url}/www.amazon.de/dp/B000000001`, { redirect: "manual" });
    expect(merged.status).toBe(301);
    expect(merged.headers.get("location")).toBe("https://www.amazon.de/dp/B000000002");
    const short = await fetch(`${fake.url}/amzn.eu/d/x`, { method: "HEAD", redirect: "manual" });
    expect(short.headers.get("location")).toBe("https://www.amazon.de/dp/B000000002");
  });
});
