import { describe, expect, it } from "vitest";
import { checkAsins, CheckRunError, createChecker, ENV_CREDENTIAL_ID, ENV_CREDENTIAL_SECRET, ENV_CREDENTIAL_VERSION } from "../../src/check/index.js";
import { fakeAmazon, fast } from "./helpers.js";

const SECRET = "s3cr3t-value-never-printed";
const env = { [ENV_CREDENTIAL_ID]: "cred-id-1", [ENV_CREDENTIAL_SECRET]: SECRET };
const credentials = { id: "cred-id-1", secret: SECRET };
const asin = (n: number) => `B${String(n).padStart(9, "0")}`;

describe('via: "creators"', () => {
  it("asks getItems with a bearer token, the store's x-marketplace and camelCase JSON; items are live, not-found errors dead", async () => {
    const fake = await fakeAmazon({ credentials, products: { [`de:${asin(1)}`]: "Ein Buch", [`de:${asin(3)}`]: "Noch eins" } });
    const results = await checkAsins(
      [1, 2, 3].map((n) => ({ asin: asin(n), marketplace: "de" })),
      fast(fake, { via: "creators", creators: { partnerTag: { de: "mysite0d-21" } } }),
      { env },
    );
    expect(results.map((r) => [r.status, r.via, r.title])).toEqual([
      ["live", "creators", "Ein Buch"],
      ["dead", "creators", undefined],
      ["live", "creators", "Noch eins"],
    ]);
    expect(results[1]!.reason).toMatch(/not found in www\.amazon\.de \(Creators API: ItemNotAccessible\)/);
    const token = fake.requests.find((r) => r.host === "api.amazon.com")!;
    expect(token).toMatchObject({ method: "POST", path: "/auth/o2/token" });
    expect(JSON.parse(token.body)).toEqual({ grant_type: "client_credentials", client_id: "cred-id-1", client_secret: SECRET, scope: "creatorsapi::default" });
    const call = fake.requests.find((r) => r.host === "creatorsapi.amazon")!;
    expect(call).toMatchObject({ method: "POST", path: "/catalog/v1/getItems" });
    expect(call.headers.authorization).toBe("Bearer fake-token-1");
    expect(call.headers["x-marketplace"]).toBe("www.amazon.de");
    expect(JSON.parse(call.body)).toEqual({ itemIds: [asin(1), asin(2), asin(3)], partnerTag: "mysite0d-21", resources: ["itemInfo.title"] });
  });

  it("batches up to 10 ASINs per request per store: at most 0.1 requests per ASIN, one token", async () => {
    const products = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`us:${asin(i)}`, `P${i}`]));
    const fake = await fakeAmazon({ credentials, products });
    const checker = createChecker(fast(fake, { via: "creators" }), { env });
    // Eleventy renders pages in parallel: many small calls in the same turn still share batches.
    const calls = await Promise.all(Array.from({ length: 25 }, (_, i) => checker.check([{ asin: asin(i), marketplace: "us" }, { asin: asin(i), marketplace: "uk" }])));
    expect(calls.flat().filter((r) => r.marketplace === "us").every((r) => r.status === "live")).toBe(true);
    expect(calls.flat().filter((r) => r.marketplace === "uk").every((r) => r.status === "dead")).toBe(true);
    const getItems = fake.requests.filter((r) => r.host === "creatorsapi.amazon");
    expect(getItems.filter((r) => r.headers["x-marketplace"] === "www.amazon.com").map((r) => JSON.parse(r.body).itemIds.length)).toEqual([10, 10, 5]);
    expect(getItems.filter((r) => r.headers["x-marketplace"] === "www.amazon.co.uk")).toHaveLength(3);
    expect(fake.tokensIssued).toBe(1);
  });

  it("holds the documented 1 request per second by default", async () => {
    const fake = await fakeAmazon({ credentials, products: { [`us:${asin(1)}`]: "A" } });
    const items = Array.from({ length: 12 }, (_, i) => ({ asin: asin(i), marketplace: i < 6 ? "us" : "de" }));
    const { hosts: _ignored, ...options } = fast(fake, { via: "creators" });
    await checkAsins(items, options, { env });
    const times = fake.requests.filter((r) => r.host === "creatorsapi.amazon").map((r) => r.at);
    expect(times).toHaveLength(2);
    // 1 s between starts; arrival times carry some connection noise.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });

  it("ASINs asked while a batch waits for its turn join that batch", async () => {
    const products = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`us:${asin(i)}`, `P${i}`]));
    const fake = await fakeAmazon({ credentials, products });
    const { hosts: _ignored, ...options } = fast(fake, { via: "creators" });
    const checker = createChecker(options, { env });
    const calls = [checker.check([{ asin: asin(0), marketplace: "us" }])];
    // Ten more pages, rendered 30 ms apart while the first batch holds the 1-per-second slot.
    for (let i = 1; i <= 10; i++) {
      await new Promise((r) => setTimeout(r, 30));
      calls.push(checker.check([{ asin: asin(i), marketplace: "us" }]));
    }
    const results = (await Promise.all(calls)).flat();
    expect(results.every((r) => r.status === "live")).toBe(true);
    const batches = fake.requests.filter((r) => r.host === "creatorsapi.amazon").map((r) => JSON.parse(r.body).itemIds.length);
    expect(batches).toEqual([1, 10]);
  });

  it("404 for a whole batch (no items found) makes every ASIN dead", async () => {
    const fake = await fakeAmazon({ credentials });
    const results = await checkAsins([{ asin: asin(1), marketplace: "fr" }, { asin: asin(2), marketplace: "fr" }], fast(fake, { via: "creators" }), { env });
    expect(results.map((r) => r.status)).toEqual(["dead", "dead"]);
  });

  it("caches the token until it expires, then fetches a new one", async () => {
    const fake = await fakeAmazon({ credentials, tokenTtl: 1, products: { [`us:${asin(1)}`]: "A", [`us:${asin(2)}`]: "B", [`us:${asin(3)}`]: "C" } });
    const checker = createChecker(fast(fake, { via: "creators" }), { env });
    await checker.check([{ asin: asin(1), marketplace: "us" }]);
    await checker.check([{ asin: asin(2), marketplace: "us" }]);
    expect(fake.tokensIssued).toBe(1);
    // A 1-second token is refreshed after half its life (the 30 s safety margin does not fit).
    await new Promise((r) => setTimeout(r, 600));
    const [third] = await checker.check([{ asin: asin(3), marketplace: "us" }]);
    expect(third).toMatchObject({ status: "live" });
    expect(fake.tokensIssued).toBe(2);
  });

  it("refreshes the token once after a 401 and carries on", async () => {
    const fake = await fakeAmazon({ credentials, products: { [`us:${asin(1)}`]: "A", [`us:${asin(2)}`]: "B" } });
    const checker = createChecker(fast(fake, { via: "creators" }), { env });
    await checker.check([{ asin: asin(1), marketplace: "us" }]);
    fake.revokeTokens();
    const [result] = await checker.check([{ asin: asin(2), marketplace: "us" }]);
    expect(result).toMatchObject({ status: "live", title: "B" });
    expect(fake.tokensIssued).toBe(2);
    expect(fake.requests.filter((r) => r.host === "creatorsapi.amazon").map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it("bad credentials are ONE error for the whole run: the same instance for every caller, the token endpoint asked once", async () => {
    const fake = await fakeAmazon({ credentials: { id: "cred-id-1", secret: "the-right-one" }, products: { [`us:${asin(1)}`]: "A" } });
    const checker = createChecker(fast(fake, { via: "creators" }), { env });
    const errors = await Promise.all([
      checker.check([{ asin: asin(1), marketplace: "us" }]).catch((e: unknown) => e),
      checker.check([{ asin: asin(2), marketplace: "de" }, { asin: asin(3), marketplace: "de" }]).catch((e: unknown) => e),
      checker.check([{ asin: asin(4), marketplace: "jp" }]).catch((e: unknown) => e),
    ]);
    const later = await checker.check([{ asin: asin(5), marketplace: "fr" }]).catch((e: unknown) => e);
    expect(errors[0]).toBeInstanceOf(CheckRunError);
    expect(new Set([...errors, later]).size).toBe(1);
    const error = errors[0] as CheckRunError;
    expect(error.code).toBe("credentials");
    expect(error.message).toMatch(/^\[amazon-links\] the Creators API token endpoint rejected the credentials/);
    expect(error.message).toContain(ENV_CREDENTIAL_ID);
    expect(error.message).toContain("invalid_client");
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain("cred-id-1");
    expect(fake.count({ host: "api.amazon.com" })).toBe(1);
    expect(fake.count({ host: "creatorsapi.amazon" })).toBe(0);
  });

  it("a token the API keeps refusing is one run error after one refresh", async () => {
    const fake = await fakeAmazon({ credentials, behaviours: [{ host: "creatorsapi.amazon", respond: { status: 401, body: "{}" } }] });
    const checker = createChecker(fast(fake, { via: "creators" }), { env });
    const error = await checker.check([{ asin: asin(1), marketplace: "us" }, { asin: asin(2), marketplace: "us" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckRunError);
    expect((error as Error).message).toMatch(/HTTP 401 twice/);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.count({ host: "creatorsapi.amazon" })).toBe(2);
  });

  it("missing environment variables are one clear error naming them, before any request", async () => {
    const fake = await fakeAmazon({ credentials });
    const checker = createChecker(fast(fake, { via: "creators" }), { env: { [ENV_CREDENTIAL_ID]: "only-the-id" } });
    const [e1, e2] = await Promise.all([
      checker.check([{ asin: asin(1), marketplace: "us" }]).catch((e: unknown) => e),
      checker.check([{ asin: asin(2), marketplace: "us" }]).catch((e: unknown) => e),
    ]);
    expect(e1).toBeInstanceOf(CheckRunError);
    expect(e1).toBe(e2);
    expect((e1 as CheckRunError).code).toBe("configuration");
    expect((e1 as Error).message).toContain(`${ENV_CREDENTIAL_ID} and ${ENV_CREDENTIAL_SECRET}`);
    expect(fake.count()).toBe(0);
  });

  it("an unknown credential version is a clear error", async () => {
    const fake = await fakeAmazon({ credentials });
    const error = await checkAsins([{ asin: asin(1), marketplace: "us" }], fast(fake, { via: "creators" }), { env: { ...env, [ENV_CREDENTIAL_VERSION]: "9.9" } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/unknown Creators API credential version "9\.9"/);
  });

  it("2.x credentials use the Cognito flow: form body, Cognito scope, version in the Authorization header", async () => {
    const fake = await fakeAmazon({ credentials, products: { [`es:${asin(1)}`]: "Un libro" } });
    const [result] = await checkAsins([{ asin: asin(1), marketplace: "es" }], fast(fake, { via: "creators" }), { env: { ...env, [ENV_CREDENTIAL_VERSION]: "2.2" } });
    expect(result).toMatchObject({ status: "live", title: "Un libro" });
    const token = fake.requests.find((r) => r.host === "creatorsapi.auth.eu-south-2.amazoncognito.com")!;
    expect(Object.fromEntries(new URLSearchParams(token.body))).toMatchObject({ scope: "creatorsapi/default", grant_type: "client_credentials" });
    expect(fake.requests.find((r) => r.host === "creatorsapi.amazon")!.headers.authorization).toBe("Bearer fake-token-1, Version 2.2");
  });

  it("throttling (429) is retried after Retry-After", async () => {
    const fake = await fakeAmazon({
      credentials,
      products: { [`us:${asin(1)}`]: "A" },
      behaviours: [{ host: "creatorsapi.amazon", times: 1, respond: { status: 429, retryAfter: 1, body: '{"errors":[{"code":"TooManyRequests"}]}' } }],
    });
    const [result] = await checkAsins([{ asin: asin(1), marketplace: "us" }], fast(fake, { via: "creators" }), { env });
    expect(result).toMatchObject({ status: "live" });
    const times = fake.requests.filter((r) => r.host === "creatorsapi.amazon").map((r) => r.at);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990);
  });

  it("a quota that stays exceeded ends unverified, never dead", async () => {
    const fake = await fakeAmazon({ credentials, creatorsPerSecond: 1, products: { [`us:${asin(1)}`]: "A" } });
    fake.addBehaviour({ host: "creatorsapi.amazon", respond: { status: 429, body: '{"errors":[{"code":"TooManyRequests"}]}' } });
    const [result] = await checkAsins([{ asin: asin(1), marketplace: "us" }], fast(fake, { via: "creators", retries: 1 }), { env });
    expect(result).toMatchObject({ status: "unverified", reason: "throttled by the Creators API (HTTP 429)" });
  });

  it("the fake's own quota answers 429 when asked faster than allowed, and the checker recovers", async () => {
    const products = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`us:${asin(i)}`, `P${i}`]));
    const fake = await fakeAmazon({ credentials, creatorsPerSecond: 1, products });
    const results = await checkAsins(
      Object.keys(products).map((k) => ({ asin: k.slice(3), marketplace: "us" })),
      fast(fake, { via: "creators", backoff: 600, retries: 3 }),
      { env },
    );
    expect(results.every((r) => r.status === "live")).toBe(true);
    expect(fake.requests.some((r) => r.status === 429)).toBe(true);
  });

  it("an unreachable token endpoint makes ASINs unverified (offline is not an error)", async () => {
    const fake = await fakeAmazon({ credentials, behaviours: [{ host: "api.amazon.com", respond: { drop: true } }] });
    const results = await checkAsins([{ asin: asin(1), marketplace: "us" }], fast(fake, { via: "creators", retries: 0 }), { env });
    expect(results[0]).toMatchObject({ status: "unverified", reason: expect.stringMatching(/token endpoint: connection reset/) });
  });

  it("an invalid partner tag is one configuration error", async () => {
    const fake = await fakeAmazon({ credentials });
    const error = await checkAsins([{ asin: asin(1), marketplace: "us" }], fast(fake, { via: "creators", creators: { partnerTag: "bad-tag-20" } }), { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckRunError);
    expect((error as Error).message).toMatch(/partner tag/);
  });

  it("never puts credentials in results or the lockfile", async () => {
    const fake = await fakeAmazon({ credentials, products: { [`us:${asin(1)}`]: "A" } });
    const results = await checkAsins([{ asin: asin(1), marketplace: "us" }, { asin: asin(2), marketplace: "us" }], fast(fake, { via: "creators" }), { env });
    const text = JSON.stringify(results);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("cred-id-1");
    expect(text).not.toContain("fake-token");
  });
});
