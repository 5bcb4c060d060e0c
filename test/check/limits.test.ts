/**
 * Issue 18, faults 6 and 7: durations longer than Node's timers can wait, and endpoints on ports
 * Node's fetch refuses. Against the fake Amazon on 127.0.0.1.
 */
import { describe, expect, it } from "vitest";
import { badPorts, isBadPort } from "../../src/check/bad-ports.js";
import { checkAsins, resolveCheckOptions } from "../../src/check/index.js";
import { AmazonLinksOptionError as CheckOptionError } from "../../src/rules/option-error.js";
import { MAX_TIMER_MS } from "../../src/check/duration.js";
import { fakeAmazon, fast } from "./helpers.js";

const A = "B000000001";
const B = "B000000002";

describe("durations longer than a timer can wait", () => {
  it("a budget of 30 days is capped, not overflowed: a request waiting its turn is not 'time budget exhausted'", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A", [`us:${B}`]: "B" } });
    // Two products in one store, 100 ms apart: the second waits in the host's queue with the budget's deadline.
    const results = await checkAsins(
      [
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ],
      fast(fake, { budget: "30d", interval: "100ms" }),
    );
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ["live", undefined],
      ["live", undefined],
    ]);
    expect(fake.count()).toBe(2);
    expect(resolveCheckOptions({ budget: "30d", timeout: "25d", interval: "4w" }).budget).toBe(MAX_TIMER_MS);
    expect(resolveCheckOptions({ timeout: "25d" }).timeout).toBe(MAX_TIMER_MS);
    // maxAge is never waited for: a long one stays as it is.
    expect(resolveCheckOptions({ maxAge: "520w" }).maxAge).toBe(520 * 7 * 86_400_000);
  });

  it.each([
    ["budget", "99999999w", /option "check\.budget": "99999999w" is more than 100 years/],
    ["maxAge", "5300w", /option "check\.maxAge": "5300w" is more than 100 years/],
    ["timeout", `${"9".repeat(400)}ms`, /option "check\.timeout": .* is not a duration/],
  ])("an absurd %s (%s) is refused with a message", (name, value, message) => {
    expect(() => resolveCheckOptions({ [name]: value })).toThrow(CheckOptionError);
    expect(() => resolveCheckOptions({ [name]: value })).toThrow(message);
  });
});

describe("endpoints on ports fetch refuses", () => {
  it("an endpoint on port 6667 is a configuration error naming the option, before any request", () => {
    expect(() => resolveCheckOptions({ endpoints: { us: "http://127.0.0.1:6667" } })).toThrow(CheckOptionError);
    expect(() => resolveCheckOptions({ endpoints: { "amzn.to": "http://127.0.0.1:10080/short" } })).toThrow(
      /option "check\.endpoints\.amzn\.to": port 10080 \(http:\/\/127\.0\.0\.1:10080\) is one Node's fetch refuses/,
    );
  });

  it("an endpoint function routing to such a port fails at once, not after retrying for the budget", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const options = {
      ...fast(fake, { budget: "5s", retries: 10 }),
      endpoints: (url: URL) => `http://127.0.0.1:6667/${url.hostname}${url.pathname}`,
    };
    const error = await checkAsins([{ asin: A, marketplace: "us" }], options).then(
      (results) => results,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckOptionError);
    expect((error as Error).message).toMatch(/option "check\.endpoints": port 6667 .* refuses/);
  });

  it("the list is the one Node's fetch applies: every listed port refused, its neighbours and ports 1-200 as fetch says", async () => {
    const ports = new Set<number>();
    for (let port = 1; port <= 200; port++) ports.add(port);
    for (const port of badPorts) for (const near of [port - 1, port, port + 1]) if (near > 0) ports.add(near);
    const refusedByFetch = async (port: number): Promise<boolean> => {
      try {
        // Nothing listens there (or it answers): either way only "bad port" means fetch refused it.
        await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
        return false;
      } catch (error) {
        return (error as { cause?: { message?: string } }).cause?.message === "bad port";
      }
    };
    const mismatches: number[] = [];
    const all = [...ports];
    for (let i = 0; i < all.length; i += 50) {
      const batch = all.slice(i, i + 50);
      const verdicts = await Promise.all(batch.map(refusedByFetch));
      batch.forEach((port, k) => {
        if (verdicts[k] !== isBadPort(new URL(`http://127.0.0.1:${port}/`))) mismatches.push(port);
      });
    }
    expect(mismatches).toEqual([]);
    expect(isBadPort(new URL("http://127.0.0.1/"))).toBe(false);
  });
});
