/** An unreachable host (refused, or DNS failure) is asked once per run: queued requests give up at once. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createChecker } from "../../src/check/index.js";
import { TestClock } from "../helpers/test-clock.js";

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe("unreachable hosts", () => {
  it("sends one request to a refusing host, not one per queued ASIN, and reports each as unverified", async () => {
    const base = await closedPort();
    const clock = new TestClock();
    let connecting = 0;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      connecting++;
      try {
        return await globalThis.fetch(input, init);
      } finally {
        connecting--;
      }
    };
    const checker = createChecker(
      {
        lockfile: false,
        endpoints: { us: `${base}/www.amazon.com` },
        interval: "1s",
        concurrency: 1,
        retries: 2,
      },
      { clock, fetch },
    );
    const asins = ["B00OFWQS94", "B07QBPDWLS", "B07PGL2WVS", "B0052KW5W6", "B00KGCZ9VK", "B07WNQ2H4K"];
    const start = clock.now();
    const results = await clock.run(checker.check(asins.map((asin) => ({ asin, marketplace: "us" }))), () => connecting > 0);
    expect(results.map((r) => r.status)).toEqual(asins.map(() => "unverified"));
    expect(results.every((r) => /connection refused/.test(r.reason ?? ""))).toBe(true);
    expect(checker.stats.requests["www.amazon.com"]).toBe(1);
    // Six ASINs at one per second would wait five seconds for slots: none waited at all.
    expect(clock.now()).toBe(start);
  });
});
