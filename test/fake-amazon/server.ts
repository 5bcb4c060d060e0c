/**
 * A fake Amazon on 127.0.0.1 for tests: real HTTP, real sockets, honest
 * answers. Every Amazon host is served under a path prefix named after it, so
 * one server stands in for all of them:
 *
 *   http://127.0.0.1:<port>/www.amazon.de/dp/B00EXAMPLE   product pages (any store host)
 *   http://127.0.0.1:<port>/amzn.to/3abcd                  short links (amzn.to, amzn.eu, amzn.asia, a.co)
 *   http://127.0.0.1:<port>/api.amazon.com/auth/o2/token   Creators API token (also .co.uk, .co.jp, Cognito hosts)
 *   http://127.0.0.1:<port>/creatorsapi.amazon/catalog/v1/getItems
 *
 * `fake.endpoints()` is the matching `check.endpoints` option. Usage:
 *
 *   const fake = await startFakeAmazon({ products: { "de:B000000001": "A Book" } });
 *   const results = await checkAsins(items, { endpoints: fake.endpoints(), interval: 0, lockfile: false });
 *   expect(fake.count({ host: "www.amazon.de" })).toBe(1);
 *   await fake.close();
 *
 * Products: "<store>:<ASIN>" (or "*:<ASIN>" for every store) → a title (live),
 * `{ title }`, `{ title, unavailable: true }` (live, "Currently unavailable."),
 * `{ dead: true }` or `{ mergedInto: "<ASIN>" }`. Anything not listed is dead
 * (404 with Amazon's dog page), as on Amazon. Pages are the real ones of
 * test/fixtures/amazon-pages/ (see pages.ts).
 *
 * Behaviours override the normal answer for matching requests, optionally a
 * limited number of `times`: `{ captcha: 200 | 503 }`, `{ waf: true }` (AWS
 * WAF's challenge, 202), `{ status, retryAfter?,
 * headers?, body? }`, `{ drop: true }` (socket destroyed, no answer), and
 * `{ delay: ms }` (alone: a slow normal answer; with another: slow that one).
 *
 * Every request is logged in `fake.requests` with its arrival time, so tests
 * can count requests and measure the gaps between them. Given a `clock` (the
 * checker's, see test/helpers/test-clock.ts), arrival times and delays are on it.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { marketplaceByHost, marketplaces, shortLinkHosts } from "../../src/amazon/stores.js";
import { FakeCreatorsApi, TOKEN_HOST_VERSION, type CreatorsScenario, type FakeCredential } from "./creators-api.js";
import { captchaPage, notFoundPage, productPage, serverErrorPage, wafChallengePage } from "./pages.js";

/**
 * `{ notAccessible: true }`: live on the store, but the Creators API answers ItemNotAccessible for it.
 * `{ unavailable: true }`: live, but the store's page shows "Currently unavailable." and the Creators API
 *   lists its offer OUT_OF_STOCK.
 */
export type FakeProduct =
  | string
  | { title: string; unavailable?: true }
  | { dead: true }
  | { mergedInto: string }
  | { title: string; notAccessible: true };

export interface FakeShortLink {
  /** Where it redirects (absolute URL; may be another short link, or a non-Amazon host). */
  to: string;
  /** Redirect status (default 301). */
  status?: number;
  /** Answer HEAD with this status instead of the redirect (e.g. 405), so clients must fall back to GET. */
  headStatus?: number;
}

export interface FakeResponse {
  /** Wait this long (ms) before answering; alone, the normal answer comes late. */
  delay?: number;
  /** Answer with the robot check page, with this status. */
  captcha?: 200 | 503;
  /** Answer with AWS WAF's JavaScript challenge (HTTP 202). */
  waf?: true;
  /** Answer with this status (body: a small page, or `body`). */
  status?: number;
  /** Retry-After header value (seconds or an HTTP date). */
  retryAfter?: number | string;
  headers?: Record<string, string>;
  body?: string;
  /** Destroy the socket without answering (a connection reset). */
  drop?: boolean;
}

export interface FakeBehaviour {
  /** Virtual host the request was meant for ("www.amazon.de", "amzn.to", "creatorsapi.amazon", …); any when absent. */
  host?: string;
  /** Path (with query) prefix, or a RegExp tested against it. */
  path?: string | RegExp;
  method?: string;
  /** Apply to this many matching requests, then stop (default: every one). */
  times?: number;
  respond: FakeResponse;
}

/** The part of the checker's Clock the fake uses. */
export interface FakeClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

export interface FakeScenario {
  /** Arrival times and `delay`s on this clock (default: the wall clock). */
  clock?: FakeClock;
  products?: Record<string, FakeProduct>;
  /** "amzn.to/abc" → target URL or a FakeShortLink. */
  shortLinks?: Record<string, string | FakeShortLink>;
  /**
   * Creators API credentials the token endpoints accept, each at the token host of its version
   * (default one: id "fake-id", secret "fake-secret", version "3.1").
   */
  credentials?: FakeCredential | readonly FakeCredential[];
  /** Lifetime of issued tokens in seconds (default 3600). */
  tokenTtl?: number;
  /** getItems requests allowed per rolling second before Amazon's 429 ThrottleException (default unlimited). */
  creatorsPerSecond?: number;
  /** The rest of the Creators API account (see creators-api.ts). */
  creators?: Pick<CreatorsScenario, "partnerTags" | "ineligible" | "resultKey" | "retryAfterSeconds">;
  behaviours?: FakeBehaviour[];
}

export interface FakeRequest {
  /** Arrival time, epoch ms (on the scenario's clock). */
  at: number;
  method: string;
  /** The Amazon host meant (the first path segment). */
  host: string;
  /** Path and query on that host. */
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Status answered; undefined for dropped connections. */
  status?: number;
  /** True while a `delay` holds the answer back. */
  held?: boolean;
}

export interface FakeAmazon {
  /** Base URL, e.g. http://127.0.0.1:41234/~3f9a0c1b2d4e (the last segment is this server's own). */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: FakeRequest[];
  /** The `check.endpoints` map routing every Amazon host to this server. */
  endpoints(): Record<string, string>;
  /** Requests matching a host and/or a path prefix. */
  count(filter?: { host?: string; path?: string; method?: string }): number;
  setProduct(key: string, product: FakeProduct): void;
  setShortLink(from: string, to: string | FakeShortLink): void;
  addBehaviour(behaviour: FakeBehaviour): void;
  /** Invalidate every issued token (getItems answers 401 until a new one is fetched). */
  revokeTokens(): void;
  /** Tokens issued so far. */
  readonly tokensIssued: number;
  close(): Promise<void>;
}

const CREATORS_HOST = "creatorsapi.amazon";
const TOKEN_HOSTS = Object.keys(TOKEN_HOST_VERSION);
const STORE_HOSTS = marketplaces.flatMap((m) => m.hosts);
const ALL_HOSTS = new Set([...STORE_HOSTS, ...shortLinkHosts, CREATORS_HOST, ...TOKEN_HOSTS]);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  const type = body.startsWith("{") ? "application/json" : "text/html; charset=utf-8";
  res.writeHead(status, { "content-type": type, "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value), headers);
}

export async function startFakeAmazon(scenario: FakeScenario = {}): Promise<FakeAmazon> {
  const products = new Map<string, FakeProduct>(Object.entries(scenario.products ?? {}));
  const shortLinks = new Map<string, FakeShortLink>();
  for (const [from, to] of Object.entries(scenario.shortLinks ?? {})) shortLinks.set(from, typeof to === "string" ? { to } : to);
  const behaviours: FakeBehaviour[] = [...(scenario.behaviours ?? [])];
  const credentials = scenario.credentials ?? { id: "fake-id", secret: "fake-secret" };
  const requests: FakeRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const clock = scenario.clock;
  const now = (): number => (clock ? clock.now() : Date.now());
  let closing: Promise<void> | undefined;

  function product(code: string, asin: string): FakeProduct | undefined {
    return products.get(`${code}:${asin}`) ?? products.get(`*:${asin}`);
  }

  function titleOf(p: FakeProduct | undefined, code: string): string | undefined {
    if (p === undefined) return undefined;
    if (typeof p === "string") return p;
    if ("title" in p) return p.title;
    if ("mergedInto" in p) return titleOf(product(code, p.mergedInto), code);
    return undefined;
  }

  function matching(entry: FakeRequest): FakeBehaviour | undefined {
    for (const b of behaviours) {
      if (b.times !== undefined && b.times <= 0) continue;
      if (b.host && b.host !== entry.host) continue;
      if (b.method && b.method.toUpperCase() !== entry.method) continue;
      if (typeof b.path === "string" && !entry.path.startsWith(b.path)) continue;
      if (b.path instanceof RegExp && !b.path.test(entry.path)) continue;
      if (b.times !== undefined) b.times--;
      return b;
    }
    return undefined;
  }

  function serveStore(res: ServerResponse, host: string, path: string): void {
    const store = marketplaceByHost(host)!;
    if (path.startsWith("/errors/validateCaptcha")) return send(res, 200, captchaPage());
    const parsed = parseAmazonUrl(`https://${host}${path}`);
    if (parsed?.kind !== "product" || !parsed.asin) return send(res, 404, notFoundPage());
    const p = product(store.code, parsed.asin);
    if (p !== undefined && typeof p === "object" && "mergedInto" in p) {
      return send(res, 301, "", { location: `https://${host}/dp/${p.mergedInto}` });
    }
    const title = titleOf(p, store.code);
    if (title === undefined) return send(res, 404, notFoundPage());
    const unavailable = typeof p === "object" && "unavailable" in p && p.unavailable === true;
    return send(res, 200, productPage(store.host, parsed.asin, title, { unavailable }));
  }

  function serveShortLink(res: ServerResponse, method: string, host: string, path: string): void {
    const link = shortLinks.get(`${host}${path}`);
    if (!link) return send(res, 404, notFoundPage());
    if (method === "HEAD" && link.headStatus) return send(res, link.headStatus, "");
    return send(res, link.status ?? 301, "", { location: link.to });
  }

  const creators = new FakeCreatorsApi(
    {
      ...scenario.creators,
      credentials: Array.isArray(credentials) ? credentials : [credentials as FakeCredential],
      tokenTtl: scenario.tokenTtl ?? 3600,
    },
    (host, asin) => {
      const code = marketplaceByHost(host)?.code;
      const p = code ? product(code, asin) : undefined;
      if (p !== undefined && typeof p === "object" && "notAccessible" in p) return "not-accessible";
      const title = code ? titleOf(p, code) : undefined;
      if (title === undefined) return undefined;
      return typeof p === "object" && "unavailable" in p && p.unavailable === true ? { title, unavailable: true } : { title };
    },
    now,
  );

  function serveGetItems(res: ServerResponse, headers: IncomingMessage["headers"]): void {
    if (scenario.creatorsPerSecond !== undefined) {
      const at = now();
      const recent = requests.filter(
        (r) => r.host === CREATORS_HOST && r.path.startsWith("/catalog/v1/getItems") && at - r.at < 1000 && r.status !== 429,
      );
      // The current request is already logged: more than the quota in the window means over it.
      if (recent.length > scenario.creatorsPerSecond) {
        const { status, body } = creators.throttled();
        return json(res, status, body);
      }
    }
    const entry = requests[requests.length - 1]!;
    const { status, body } = creators.getItems(headers, entry.body);
    return json(res, status, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // `url` ends in this server's own segment ("/~<id>", optional here): state a checker keeps per
    // endpoint (hosts cooling down) never carries over to another server that gets the same port.
    const raw = (req.url ?? "/").replace(/^\/~[0-9a-f]+(?=\/)/, "");
    const slash = raw.indexOf("/", 1);
    const host = (slash === -1 ? raw.slice(1) : raw.slice(1, slash)).toLowerCase();
    const path = slash === -1 ? "/" : raw.slice(slash);
    const method = (req.method ?? "GET").toUpperCase();
    const body = await readBody(req);
    const entry: FakeRequest = { at: now(), method, host, path, headers: req.headers, body };
    requests.push(entry);
    res.on("finish", () => {
      entry.status = res.statusCode;
    });

    const behaviour = matching(entry);
    const answer = behaviour?.respond;
    if (answer?.delay) {
      entry.held = true;
      await (clock
        ? clock.sleep(answer.delay)
        : new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, answer.delay);
            timers.add(timer);
          }));
      delete entry.held;
      if (res.destroyed || req.socket.destroyed) return;
    }
    if (answer?.drop) {
      req.socket.destroy();
      return;
    }
    if (answer?.captcha) return send(res, answer.captcha, captchaPage(), answer.headers);
    if (answer?.waf) return send(res, 202, wafChallengePage(), answer.headers);
    if (answer?.status !== undefined) {
      const headers = { ...answer.headers };
      if (answer.retryAfter !== undefined) headers["retry-after"] = String(answer.retryAfter);
      const page = answer.body ?? (answer.status >= 500 ? serverErrorPage() : answer.status === 404 ? notFoundPage() : "");
      return send(res, answer.status, page, headers);
    }

    if (!ALL_HOSTS.has(host)) return send(res, 400, `fake-amazon: unknown host "${host}"; paths start with the Amazon host`);
    if (STORE_HOSTS.includes(host)) return serveStore(res, host, path);
    if (shortLinkHosts.includes(host)) return serveShortLink(res, method, host, path);
    if (TOKEN_HOSTS.includes(host) && method === "POST") {
      const answer = creators.token(host, req.headers, body);
      return json(res, answer.status, answer.body);
    }
    if (host === CREATORS_HOST && method === "POST" && path.startsWith("/catalog/v1/getItems")) return serveGetItems(res, req.headers);
    return send(res, 404, notFoundPage());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `fake-amazon crashed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/~${randomBytes(6).toString("hex")}`;

  return {
    url,
    requests,
    endpoints() {
      const map: Record<string, string> = {};
      for (const host of ALL_HOSTS) map[host] = `${url}/${host}`;
      return map;
    },
    count(filter = {}) {
      return requests.filter(
        (r) =>
          (!filter.host || r.host === filter.host) &&
          (!filter.path || r.path.startsWith(filter.path)) &&
          (!filter.method || r.method === filter.method.toUpperCase()),
      ).length;
    },
    setProduct(key, p) {
      products.set(key, p);
    },
    setShortLink(from, to) {
      shortLinks.set(from, typeof to === "string" ? { to } : to);
    },
    addBehaviour(b) {
      behaviours.push(b);
    },
    revokeTokens() {
      creators.revokeTokens();
    },
    get tokensIssued() {
      return creators.issued;
    },
    close() {
      // Idempotent: a test may close early to simulate "offline", the cleanup closes again.
      closing ??= new Promise((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
