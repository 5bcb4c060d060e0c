/**
 * Issue 18, "keep what already holds": a hostile server standing in for Amazon on 127.0.0.1 cannot
 * hang a run, flood its memory or lead it elsewhere. Each server here is a plain node:http server
 * doing one bad thing; every loop in it is bounded (it stops when the client goes away).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { constants, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { checkAsins, createChecker, type CheckOptions } from "../../src/check/index.js";

const ASIN = "B000000001";
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ base: string; sent: () => number; requests: () => number }> {
  let sent = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const write = res.write.bind(res);
    res.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      sent += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, sent: () => sent, requests: () => requests };
}

function options(base: string, extra: CheckOptions = {}): CheckOptions {
  return {
    endpoints: { us: base, "amzn.to": `${base}/amzn.to` },
    interval: 0,
    backoff: 10,
    retries: 0,
    timeout: "1s",
    budget: "5s",
    lockfile: false,
    ...extra,
  };
}

/** Write `chunk` every `ms` until the client goes away (or `max` writes: a bound, should it never go). */
function trickle(res: ServerResponse, chunk: string | Buffer, ms: number, max: number): void {
  let writes = 0;
  const timer = setInterval(() => {
    if (res.destroyed || writes++ >= max) {
      clearInterval(timer);
      res.destroy();
      return;
    }
    res.write(chunk);
  }, ms);
  res.on("close", () => clearInterval(timer));
}

describe("hostile servers", () => {
  it("slowloris: a body trickled a byte at a time ends in the request timeout, unverified", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      trickle(res, "<", 100, 600);
    });
    const [result] = await checkAsins([{ asin: ASIN, marketplace: "us" }], options(server.base));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/timed out|time budget/) });
  });

  it("an endless body is read only up to the cap: the server is cut off after a few megabytes", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      trickle(res, chunk, 1, 100_000);
    });
    const [result] = await checkAsins([{ asin: ASIN, marketplace: "us" }], options(server.base, { timeout: "4s" }));
    expect(result!.status).not.toBe("dead");
    // The reader stops at 2 million characters; what was in flight on the socket comes on top.
    expect(server.sent()).toBeLessThan(16 * 1024 * 1024);
  });

  it("a 2 GB Content-Length with a short body is a timeout, not a 2 GB buffer", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-length": String(2 * 1024 ** 3) });
      res.write("<html>");
      // ... and nothing more: the socket stays open.
    });
    const before = process.memoryUsage().rss;
    const [result] = await checkAsins([{ asin: ASIN, marketplace: "us" }], options(server.base));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/timed out|time budget/) });
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });

  it("a gzip bomb (1 GB of zeros in 1 MB) is decompressed only up to the cap", async () => {
    // 64 MB of zeros compressed, sent 16 times over: 1 GB once inflated.
    const piece = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: constants.Z_BEST_COMPRESSION });
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
      let n = 0;
      const next = () => {
        if (res.destroyed || n++ >= 16) return res.end();
        res.write(piece, next);
      };
      next();
    });
    const before = process.memoryUsage().rss;
    const [result] = await checkAsins([{ asin: ASIN, marketplace: "us" }], options(server.base, { timeout: "4s" }));
    expect(result!.status).not.toBe("dead");
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });

  it("a redirect loop ends after a few hops, unverified", async () => {
    const server = await serve((req, res) => {
      res.writeHead(301, { location: req.url === `/dp/${ASIN}` ? `/dp/${ASIN}?loop=1` : `/dp/${ASIN}` });
      res.end();
    });
    const [result] = await checkAsins([{ asin: ASIN, marketplace: "us" }], options(server.base));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/more than \d+ redirects/) });
    expect(server.requests()).toBeLessThan(10);
  });

  it("a short-link loop (amzn.to → amzn.to → …) gives up after 5 hops", async () => {
    const server = await serve((req, res) => {
      res.writeHead(301, { location: req.url === "/amzn.to/a" ? "https://amzn.to/b" : "https://amzn.to/a" });
      res.end();
    });
    const result = await createChecker(options(server.base)).expandShortLink("https://amzn.to/a");
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/more than 5 redirects/) });
    expect(server.requests()).toBeLessThanOrEqual(10);
  });

  it.each([
    ["off Amazon", "https://evil.example/dp/B000000001"],
    ["to a private address", "http://169.254.169.254/latest/meta-data/"],
    ["to loopback", "http://127.0.0.1:9999/dp/B000000001"],
    ["to another store", "https://www.amazon.de/dp/B000000001"],
  ])("a product page redirect %s is not followed", async (_name, location) => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location });
      res.end();
    });
    const [result] = await checkAsins([{ asin: ASIN, marketplace: "us" }], options(server.base));
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/redirected away from www\.amazon\.com/) });
    expect(server.requests()).toBe(1);
  });

  it.each([
    ["off Amazon", "https://evil.example/dp/B000000001"],
    ["to a private address", "http://10.0.0.1/dp/B000000001"],
  ])("a short link redirecting %s is not followed", async (_name, location) => {
    const server = await serve((_req, res) => {
      res.writeHead(301, { location });
      res.end();
    });
    const result = await createChecker(options(server.base)).expandShortLink("https://amzn.to/x");
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/is not an Amazon store; not followed/) });
    expect(server.requests()).toBe(1);
  });

  it("Retry-After in 2099 is capped at maxRetryAfter: the retry happens", async () => {
    let first = true;
    const server = await serve((_req, res) => {
      if (first) {
        first = false;
        res.writeHead(429, { "retry-after": "Thu, 01 Jan 2099 00:00:00 GMT" });
        res.end("slow down");
        return;
      }
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<html><head><link rel="canonical" href="https://www.amazon.com/dp/${ASIN}"></head><body><span id="productTitle">Kettle</span></body></html>`,
      );
    });
    const [result] = await checkAsins([{ asin: ASIN, marketplace: "us" }], options(server.base, { retries: 1, maxRetryAfter: "50ms" }));
    // Uncapped, the wait would outlive the budget and the run would give up after one request.
    expect(server.requests()).toBe(2);
    expect(result!.reason ?? "").not.toMatch(/budget/);
  });
});
