/**
 * The Creators API checker against a fake that answers with the bodies Amazon documents
 * (test/fixtures/creators-api/, see test/fake-amazon/creators-api.ts).
 */
import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  checkAsins,
  CheckRunError,
  createChecker,
  ENV_CREDENTIAL_ID,
  ENV_CREDENTIAL_SECRET,
  ENV_CREDENTIAL_VERSION,
} from "../../src/check/index.js";
import { systemClock, type Clock } from "../../src/check/clock.js";
import { readGetItems } from "../../src/check/creators-answer.js";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { resolveOptions } from "../../src/rules/options.js";
import { verdictFindings } from "../../src/rules/verdicts.js";
import { creatorsFixture } from "../fake-amazon/creators-api.js";
import { fakeAmazon, fakeAmazonOnTestClock, fast, tempDir } from "./helpers.js";

const SECRET = "s3cr3t-value-never-printed";
const NA = { id: "na-id", secret: SECRET, version: "3.1" };
const EU = { id: "eu-id", secret: "eu-secret", version: "3.2" };
const FE = { id: "fe-id", secret: "fe-secret", version: "3.3" };
const env = { [ENV_CREDENTIAL_ID]: NA.id, [ENV_CREDENTIAL_SECRET]: NA.secret };
const envEU = { [`${ENV_CREDENTIAL_ID}_EU`]: EU.id, [`${ENV_CREDENTIAL_SECRET}_EU`]: EU.secret };
const envFE = { [`${ENV_CREDENTIAL_ID}_FE`]: FE.id, [`${ENV_CREDENTIAL_SECRET}_FE`]: FE.secret };
const tags = {
  us: "ours-20",
  ca: "oursca-20",
  uk: "ours-21",
  de: ["ours0d-21", "news0d-21"],
  fr: "ours08-21",
  jp: "ours-22",
  za: "oursza-21",
  cn: "ourscn-23",
};
const asin = (n: number) => `B${String(n).padStart(9, "0")}`;
const items = (store: string, ...ns: number[]) => ns.map((n) => ({ asin: asin(n), marketplace: store }));
const getItemsCalls = (fake: Awaited<ReturnType<typeof fakeAmazon>>) => fake.requests.filter((r) => r.host === "creatorsapi.amazon");

/** A clock whose sleeps do not wait: they are recorded and time jumps ahead (it runs on with real time otherwise). */
function recordingClock(): { clock: Clock; sleeps: number[] } {
  let skipped = 0;
  const now = () => Date.now() + skipped;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now,
      async sleep(ms, deadline = Infinity) {
        const wait = Math.max(0, Math.min(ms, deadline - now()));
        if (ms > 0) sleeps.push(ms);
        skipped += wait;
        return wait >= ms;
      },
      // Timers (rate-limit wake-ups, request timeouts) keep real time.
      timer: systemClock.timer,
    },
  };
}

describe('via: "creators": requests as Amazon documents them', () => {
  it("sends the documented token request, then getItems with the store's tag from `tags`, x-marketplace and the documented fields", async () => {
    const fake = await fakeAmazon({ credentials: NA, products: { [`us:${asin(1)}`]: "A lamp", [`us:${asin(3)}`]: "A chair" } });
    const results = await checkAsins(items("us", 1, 2, 3), fast(fake, { via: "creators" }), { env, tags });
    expect(results.map((r) => [r.status, r.via, r.title])).toEqual([
      ["live", "creators", "A lamp"],
      ["dead", "creators", undefined],
      ["live", "creators", "A chair"],
    ]);
    expect(results[1]!.reason).toBe("not found in www.amazon.com (Creators API: InvalidParameterValue)");
    const token = fake.requests.find((r) => r.host === "api.amazon.com")!;
    expect(token).toMatchObject({ method: "POST", path: "/auth/o2/token" });
    expect(JSON.parse(token.body)).toEqual({ ...creatorsFixture("token-lwa.request.json"), client_id: NA.id, client_secret: SECRET });
    const [call] = getItemsCalls(fake);
    expect(call).toMatchObject({ method: "POST", path: "/catalog/v1/getItems" });
    expect(call!.headers.authorization).toBe("Bearer fake-token-1");
    expect(call!.headers["x-marketplace"]).toBe("www.amazon.com");
    const sent = JSON.parse(call!.body) as Record<string, unknown>;
    expect(sent).toEqual({
      itemIds: [asin(1), asin(2), asin(3)],
      itemIdType: "ASIN",
      marketplace: "www.amazon.com",
      partnerTag: "ours-20",
      resources: ["itemInfo.title", "offersV2.listings.availability"],
    });
    // Every field we send is one the GetItems reference documents.
    const documented = Object.keys(creatorsFixture("getItems.request.reference.json"));
    expect(Object.keys(sent).filter((k) => !documented.includes(k))).toEqual([]);
  });

  it("check.creators.partnerTag overrides the tag per store (a map) or for every store (a string)", async () => {
    const fake = await fakeAmazon({ credentials: [NA, EU], products: { [`us:${asin(1)}`]: "A", [`de:${asin(1)}`]: "B" } });
    await checkAsins(
      [...items("us", 1), ...items("de", 1)],
      fast(fake, { via: "creators", creators: { partnerTag: { de: "news0d-21" } } }),
      { env: { ...env, ...envEU }, tags },
    );
    const byStore = Object.fromEntries(getItemsCalls(fake).map((r) => [r.headers["x-marketplace"], JSON.parse(r.body).partnerTag]));
    expect(byStore).toEqual({ "www.amazon.com": "ours-20", "www.amazon.de": "news0d-21" });
    const only = await fakeAmazon({ credentials: NA, products: { [`us:${asin(1)}`]: "A" } });
    await checkAsins(items("us", 1), fast(only, { via: "creators", creators: { partnerTag: "other-20" } }), { env });
    expect(JSON.parse(getItemsCalls(only)[0]!.body).partnerTag).toBe("other-20");
  });

  it("a store without a tag is not asked: unverified saying which tag is missing, or checked by page with fallback", async () => {
    const fake = await fakeAmazon({ credentials: NA, products: { [`mx:${asin(1)}`]: "Una lámpara" } });
    const [result] = await checkAsins(items("mx", 1), fast(fake, { via: "creators" }), { env, tags });
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/no partner tag for mx.*"tags"/) });
    expect(fake.count()).toBe(0);
    const [byPage] = await checkAsins(items("mx", 1), fast(fake, { via: "creators", creators: { fallback: "page" } }), { env, tags });
    expect(byPage).toMatchObject({ status: "live", via: "page", title: "Una lámpara" });
    expect(fake.count({ host: "creatorsapi.amazon" })).toBe(0);
    expect(fake.count({ host: "www.amazon.com.mx" })).toBe(1);
  });

  it("batches up to 10 ASINs per request per store: at most 0.1 requests per ASIN, one token per region", async () => {
    const products = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`us:${asin(i)}`, `P${i}`]));
    const fake = await fakeAmazon({ credentials: NA, products });
    const checker = createChecker(fast(fake, { via: "creators" }), { env, tags });
    // Eleventy renders pages in parallel: many small calls in the same turn still share batches.
    const calls = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        checker.check([
          { asin: asin(i), marketplace: "us" },
          { asin: asin(i), marketplace: "ca" },
        ]),
      ),
    );
    expect(
      calls
        .flat()
        .filter((r) => r.marketplace === "us")
        .every((r) => r.status === "live"),
    ).toBe(true);
    expect(
      calls
        .flat()
        .filter((r) => r.marketplace === "ca")
        .every((r) => r.status === "dead"),
    ).toBe(true);
    const sent = getItemsCalls(fake);
    expect(sent.filter((r) => r.headers["x-marketplace"] === "www.amazon.com").map((r) => JSON.parse(r.body).itemIds.length)).toEqual([
      10, 10, 5,
    ]);
    expect(sent.filter((r) => r.headers["x-marketplace"] === "www.amazon.ca")).toHaveLength(3);
    expect(fake.tokensIssued).toBe(1);
  });

  it("holds the documented 1 request per second by default", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ credentials: NA, products: { [`us:${asin(1)}`]: "A" } });
    const { hosts: _ignored, ...options } = fast(fake, { via: "creators" });
    const start = clock.now();
    await run(checkAsins([...items("us", 1, 2, 3, 4, 5, 6), ...items("ca", 7, 8, 9)], options, { env, tags, ...runtime }));
    // One batch per store, the second exactly when the documented second has passed.
    expect(getItemsCalls(fake).map((r) => r.at - start)).toEqual([0, 1_000]);
  });

  it("ASINs asked while a batch waits for its turn join that batch", async () => {
    const products = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`us:${asin(i)}`, `P${i}`]));
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ credentials: NA, products });
    const { hosts: _ignored, ...options } = fast(fake, { via: "creators" });
    const checker = createChecker(options, { env, tags, ...runtime });
    const calls = [checker.check(items("us", 0))];
    for (let i = 0; i < 5_000 && getItemsCalls(fake).length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    // Ten more pages, rendered 30 ms apart while the first batch holds the 1-per-second slot.
    for (let i = 1; i <= 10; i++) {
      await clock.advance(30);
      calls.push(checker.check(items("us", i)));
    }
    const results = (await run(Promise.all(calls))).flat();
    expect(results.every((r) => r.status === "live")).toBe(true);
    expect(getItemsCalls(fake).map((r) => JSON.parse(r.body).itemIds.length)).toEqual([1, 10]);
  });
});

describe('via: "creators": one credential per region', () => {
  it("sends each store to its region's credential and token endpoint", async () => {
    const fake = await fakeAmazon({
      credentials: [NA, EU, FE],
      products: { [`us:${asin(1)}`]: "A", [`de:${asin(1)}`]: "B", [`jp:${asin(1)}`]: "C" },
    });
    const results = await checkAsins([...items("us", 1), ...items("de", 1), ...items("jp", 1)], fast(fake, { via: "creators" }), {
      env: { ...env, ...envEU, ...envFE },
      tags,
    });
    expect(results.map((r) => r.status)).toEqual(["live", "live", "live"]);
    expect(["api.amazon.com", "api.amazon.co.uk", "api.amazon.co.jp"].map((host) => fake.count({ host }))).toEqual([1, 1, 1]);
    expect(fake.tokensIssued).toBe(3);
  });

  it("a store whose region has no credential is not asked, and the reason names the variables it needs", async () => {
    const fake = await fakeAmazon({ credentials: EU, products: { [`us:${asin(1)}`]: "A lamp", [`de:${asin(1)}`]: "Eine Lampe" } });
    const results = await checkAsins([...items("us", 1), ...items("de", 1)], fast(fake, { via: "creators" }), { env: envEU, tags });
    expect(results[0]).toMatchObject({
      status: "unverified",
      reason: expect.stringContaining(
        `no Creators API credential for North America (www.amazon.com): set ${ENV_CREDENTIAL_ID}_NA and ${ENV_CREDENTIAL_SECRET}_NA`,
      ),
    });
    expect(results[1]).toMatchObject({ status: "live", via: "creators" });
    expect(getItemsCalls(fake).map((r) => r.headers["x-marketplace"])).toEqual(["www.amazon.de"]);
    expect(fake.count({ host: "api.amazon.com" })).toBe(0);
  });

  it("the plain variables serve the region of their version: 3.2 is Europe", async () => {
    const fake = await fakeAmazon({ credentials: EU, products: { [`fr:${asin(1)}`]: "Une lampe" } });
    const [result] = await checkAsins(items("fr", 1), fast(fake, { via: "creators" }), {
      env: { [ENV_CREDENTIAL_ID]: EU.id, [ENV_CREDENTIAL_SECRET]: EU.secret, [ENV_CREDENTIAL_VERSION]: "3.2" },
      tags,
    });
    expect(result).toMatchObject({ status: "live", title: "Une lampe" });
    expect(fake.count({ host: "api.amazon.co.uk" })).toBe(1);
  });

  it("amazon.co.za and amazon.cn are never sent to the API (checked by page with fallback)", async () => {
    const fake = await fakeAmazon({ credentials: [NA, EU, FE], products: { [`za:${asin(1)}`]: "A lamp (ZA)" } });
    const all = { ...env, ...envEU, ...envFE };
    const results = await checkAsins([...items("za", 1), ...items("cn", 1)], fast(fake, { via: "creators" }), { env: all, tags });
    expect(results.map((r) => r.reason)).toEqual([
      "the Creators API does not serve www.amazon.co.za",
      "the Creators API does not serve www.amazon.cn",
    ]);
    expect(fake.count()).toBe(0);
    const [za] = await checkAsins(items("za", 1), fast(fake, { via: "creators", creators: { fallback: "page" } }), { env: all, tags });
    expect(za).toMatchObject({ status: "live", via: "page" });
    expect(fake.count({ host: "creatorsapi.amazon" })).toBe(0);
  });

  it.each([
    [{}, new RegExp(`no Creators API credential is set. Set ${ENV_CREDENTIAL_ID} and ${ENV_CREDENTIAL_SECRET}.*_NA, _EU, _FE`)],
    [{ [ENV_CREDENTIAL_ID]: "only-the-id" }, new RegExp(`${ENV_CREDENTIAL_SECRET} is not set but ${ENV_CREDENTIAL_ID} is`)],
    [{ ...env, [ENV_CREDENTIAL_VERSION]: "9.9" }, /unknown Creators API credential version "9\.9"/],
    [{ ...envEU, [`${ENV_CREDENTIAL_VERSION}_EU`]: "3.1" }, /_VERSION_EU is "3\.1", a North America credential/],
    [{ ...env, [`${ENV_CREDENTIAL_ID}_NA`]: "x", [`${ENV_CREDENTIAL_SECRET}_NA`]: "y" }, /two Creators API credentials for North America/],
  ])("credentials %j: one clear error before any request, the same for every caller", async (variables, message) => {
    const fake = await fakeAmazon({ credentials: NA });
    const checker = createChecker(fast(fake, { via: "creators" }), { env: variables, tags });
    const [e1, e2] = await Promise.all([
      checker.check(items("us", 1)).catch((e: unknown) => e),
      checker.check(items("us", 2)).catch((e: unknown) => e),
    ]);
    expect(e1).toBeInstanceOf(CheckRunError);
    expect(e1).toBe(e2);
    expect((e1 as CheckRunError).code).toBe("configuration");
    expect((e1 as Error).message).toMatch(message);
    expect(fake.count()).toBe(0);
  });

  it("2.x credentials use the Cognito flow: form body, Cognito scope, version in the Authorization header", async () => {
    const cognito = { id: "cog-id", secret: "cog-secret", version: "2.2" };
    const fake = await fakeAmazon({ credentials: cognito, products: { [`es:${asin(1)}`]: "Un libro" } });
    const [result] = await checkAsins(items("es", 1), fast(fake, { via: "creators" }), {
      env: {
        [`${ENV_CREDENTIAL_ID}_EU`]: cognito.id,
        [`${ENV_CREDENTIAL_SECRET}_EU`]: cognito.secret,
        [`${ENV_CREDENTIAL_VERSION}_EU`]: "2.2",
      },
      tags: { es: "ours0e-21" },
    });
    expect(result).toMatchObject({ status: "live", title: "Un libro" });
    const token = fake.requests.find((r) => r.host === "creatorsapi.auth.eu-south-2.amazoncognito.com")!;
    const documented = Object.fromEntries(
      new URLSearchParams(
        (await readFile(join(import.meta.dirname, "../fixtures/creators-api/token-cognito.request.form.txt"), "utf8")).trim(),
      ),
    );
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
      ...documented,
      client_id: cognito.id,
      client_secret: cognito.secret,
    });
    expect(getItemsCalls(fake)[0]!.headers.authorization).toBe("Bearer fake-token-1, Version 2.2");
  });
});

describe('via: "creators": Amazon\'s answers read as documented', () => {
  it("reads the GetItems reference's `itemResults` spelling as well as `itemsResult`", async () => {
    const fake = await fakeAmazon({ credentials: NA, creators: { resultKey: "itemResults" }, products: { [`us:${asin(1)}`]: "Genghis" } });
    const [result] = await checkAsins(items("us", 1), fast(fake, { via: "creators" }), { env, tags });
    expect(result).toMatchObject({ status: "live", title: "Genghis" });
  });

  it("reads the documented partial answer: items live, InvalidParameterValue dead, ItemNotAccessible unverified with Amazon's message", async () => {
    const fake = await fakeAmazon({
      credentials: NA,
      products: { [`us:${asin(1)}`]: "A", [`us:${asin(3)}`]: { title: "Hidden", notAccessible: true } },
    });
    const results = await checkAsins(items("us", 1, 2, 3), fast(fake, { via: "creators" }), { env, tags });
    expect(results.map((r) => r.status)).toEqual(["live", "dead", "unverified"]);
    expect(results[2]!.reason).toBe(
      `the Creators API cannot say (ItemNotAccessible: The ItemId ${asin(3)} is not accessible through the Creators API.)`,
    );
  });

  it("ItemNotAccessible is confirmed by page with fallback: live there stays live", async () => {
    const fake = await fakeAmazon({ credentials: NA, products: { [`us:${asin(3)}`]: { title: "Hidden", notAccessible: true } } });
    const [result] = await checkAsins(items("us", 3), fast(fake, { via: "creators", creators: { fallback: "page" } }), { env, tags });
    expect(result).toMatchObject({ status: "live", via: "page", title: "Hidden" });
  });

  it("404 ResourceNotFoundException (no items found) makes every ASIN of the batch dead", async () => {
    const fake = await fakeAmazon({ credentials: EU });
    const results = await checkAsins(items("fr", 1, 2), fast(fake, { via: "creators" }), { env: envEU, tags });
    expect(getItemsCalls(fake)[0]!.status).toBe(404);
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ["dead", "not found in www.amazon.fr (Creators API: ResourceNotFoundException, no items found)"],
      ["dead", "not found in www.amazon.fr (Creators API: ResourceNotFoundException, no items found)"],
    ]);
  });

  it.each([
    ["an HTML 404 (a proxy's page)", "<html><body>Not Found</body></html>"],
    ["a JSON 404 of another kind", JSON.stringify({ message: "Not Found" })],
  ])("any other 404 proves nothing: %s is unverified", async (_name, body) => {
    const fake = await fakeAmazon({ credentials: NA, behaviours: [{ host: "creatorsapi.amazon", respond: { status: 404, body } }] });
    const results = await checkAsins(items("us", 1, 2), fast(fake, { via: "creators" }), { env, tags });
    expect(results.map((r) => r.status)).toEqual(["unverified", "unverified"]);
    expect(results[0]!.reason).toMatch(/HTTP 404 without Amazon's ResourceNotFoundException/);
  });

  it.each([
    [
      "error.400.invalid-partner-tag.json",
      "InvalidPartnerTag: Partner tag in the request is invalid or is not mapped to the store associated with your credential.",
    ],
    [
      "error.400.invalid-associate.json",
      "InvalidAssociate: Your credential is not linked to the partner tag in the request for the given Marketplace.",
    ],
    ["error.400.field-validation-failed.partnerTag.json", "FieldValidationFailed: Request validation failed. (fields: partnerTag)"],
  ])("400 %s is ONE configuration error for the run naming the store, the tag and Amazon's reason", async (file, said) => {
    const body = JSON.stringify(creatorsFixture(file));
    const fake = await fakeAmazon({ credentials: [NA, EU], behaviours: [{ host: "creatorsapi.amazon", respond: { status: 400, body } }] });
    const checker = createChecker(fast(fake, { via: "creators" }), { env: { ...env, ...envEU }, tags });
    const errors = await Promise.all([
      checker.check(items("de", 1, 2)).catch((e: unknown) => e),
      checker.check(items("de", 3)).catch((e: unknown) => e),
    ]);
    const later = await checker.check(items("us", 4)).catch((e: unknown) => e);
    expect(errors[0]).toBeInstanceOf(CheckRunError);
    expect(new Set([...errors, later]).size).toBe(1);
    const message = (errors[0] as Error).message;
    expect(message).toContain('for www.amazon.de (store "de", tag "ours0d-21"');
    expect(message).toContain(`HTTP 400 ${said}`);
    expect(message).toContain("tags.de");
    expect(getItemsCalls(fake)).toHaveLength(1);
  });

  it("the fake's own account check answers InvalidPartnerTag for a tag of another account, read the same way", async () => {
    const fake = await fakeAmazon({ credentials: NA, creators: { partnerTags: { "www.amazon.com": ["theirs-20"] } } });
    const error = await checkAsins(items("us", 1), fast(fake, { via: "creators" }), { env, tags }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckRunError);
    expect((error as Error).message).toMatch(/rejected the partner tag "ours-20" for www\.amazon\.com.*InvalidPartnerTag/);
  });

  it("403 AssociateNotEligible: one warning explaining the 10-sales rule, products unverified, the store not asked again, no run error", async () => {
    const fake = await fakeAmazon({
      credentials: NA,
      creators: { ineligible: ["www.amazon.com"] },
      products: { [`us:${asin(1)}`]: "A", [`ca:${asin(1)}`]: "B" },
    });
    const warnings: string[] = [];
    const checker = createChecker(fast(fake, { via: "creators" }), { env, tags, onWarning: (m) => warnings.push(m) });
    const first = await checker.check(items("us", 1, 2));
    const second = await checker.check(items("us", 3));
    const canada = await checker.check(items("ca", 1));
    expect([...first, ...second].map((r) => r.status)).toEqual(["unverified", "unverified", "unverified"]);
    expect(first[0]!.reason).toMatch(/not eligible \(AssociateNotEligible\)/);
    expect(canada[0]).toMatchObject({ status: "live" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/10 qualifying sales in the last 30 days/);
    expect(warnings[0]).toMatch(/does not fail the build/);
    expect(getItemsCalls(fake).map((r) => r.headers["x-marketplace"])).toEqual(["www.amazon.com", "www.amazon.ca"]);
  });

  it("403 AssociateNotEligible with fallback: the store's products are checked by page instead", async () => {
    const fake = await fakeAmazon({
      credentials: NA,
      creators: { ineligible: ["www.amazon.com"] },
      products: { [`us:${asin(1)}`]: "A lamp" },
    });
    const results = await checkAsins(items("us", 1, 2), fast(fake, { via: "creators", creators: { fallback: "page" } }), {
      env,
      tags,
      onWarning: () => undefined,
    });
    expect(results.map((r) => [r.status, r.via])).toEqual([
      ["live", "page"],
      ["dead", "page"],
    ]);
  });

  it("a 401 the API keeps giving is one run error after one refresh, with Amazon's reason", async () => {
    const body = JSON.stringify(creatorsFixture("error.401.token-expired.json"));
    const fake = await fakeAmazon({ credentials: NA, behaviours: [{ host: "creatorsapi.amazon", respond: { status: 401, body } }] });
    const error = await checkAsins(items("us", 1, 2), fast(fake, { via: "creators" }), { env, tags }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckRunError);
    expect((error as Error).message).toMatch(/HTTP 401 twice \(TokenExpired: Authentication token has expired\.\)/);
    expect(fake.tokensIssued).toBe(2);
    expect(getItemsCalls(fake)).toHaveLength(2);
  });

  it("refreshes the token once after the documented 401 InvalidToken and carries on", async () => {
    const fake = await fakeAmazon({ credentials: NA, products: { [`us:${asin(1)}`]: "A", [`us:${asin(2)}`]: "B" } });
    const checker = createChecker(fast(fake, { via: "creators" }), { env, tags });
    await checker.check(items("us", 1));
    fake.revokeTokens();
    const [result] = await checker.check(items("us", 2));
    expect(result).toMatchObject({ status: "live", title: "B" });
    expect(fake.tokensIssued).toBe(2);
    expect(getItemsCalls(fake).map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it("caches the token until it expires, then fetches a new one", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({
      credentials: NA,
      tokenTtl: 1,
      products: { [`us:${asin(1)}`]: "A", [`us:${asin(2)}`]: "B", [`us:${asin(3)}`]: "C", [`us:${asin(4)}`]: "D" },
    });
    const checker = createChecker(fast(fake, { via: "creators" }), { env, tags, ...runtime });
    await run(checker.check(items("us", 1)));
    await run(checker.check(items("us", 2)));
    expect(fake.tokensIssued).toBe(1);
    // A 1-second token is refreshed after half its life (the 30 s safety margin does not fit).
    await clock.advance(499);
    await run(checker.check(items("us", 3)));
    expect(fake.tokensIssued).toBe(1);
    await clock.advance(1);
    const [third] = await run(checker.check(items("us", 4)));
    expect(third).toMatchObject({ status: "live" });
    expect(fake.tokensIssued).toBe(2);
  });

  it("bad credentials are ONE error for the whole run, the token endpoint asked once, nothing secret in the message", async () => {
    const fake = await fakeAmazon({ credentials: { ...NA, secret: "the-right-one" }, products: { [`us:${asin(1)}`]: "A" } });
    const checker = createChecker(fast(fake, { via: "creators" }), { env, tags });
    const errors = await Promise.all([
      checker.check(items("us", 1)).catch((e: unknown) => e),
      checker.check(items("ca", 2, 3)).catch((e: unknown) => e),
    ]);
    expect(errors[0]).toBeInstanceOf(CheckRunError);
    expect(errors[1]).toBe(errors[0]);
    const error = errors[0] as CheckRunError;
    expect(error.code).toBe("credentials");
    expect(error.message).toMatch(
      new RegExp(`rejected the credentials in ${ENV_CREDENTIAL_ID} / ${ENV_CREDENTIAL_SECRET}.*invalid_client`),
    );
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(NA.id);
    expect(fake.count({ host: "api.amazon.com" })).toBe(1);
    expect(getItemsCalls(fake)).toHaveLength(0);
  });

  it("honours retryAfterSeconds from a 429 body (Amazon documents no header), capped by maxRetryAfter", async () => {
    for (const [seconds, cap, expected] of [
      [3, "60s", 3_000],
      [60, "5s", 5_000],
    ] as const) {
      const fake = await fakeAmazon({
        credentials: NA,
        creatorsPerSecond: 0,
        creators: { retryAfterSeconds: seconds },
        products: { [`us:${asin(1)}`]: "A" },
      });
      const { clock, sleeps } = recordingClock();
      const [result] = await checkAsins(items("us", 1), fast(fake, { via: "creators", retries: 1, maxRetryAfter: cap, budget: "10m" }), {
        env,
        tags,
        clock,
      });
      expect(result).toMatchObject({
        status: "unverified",
        reason: expect.stringMatching(/^throttled by the Creators API \(HTTP 429, ThrottleException: The request was denied/),
      });
      expect(sleeps).toContain(expected);
      expect(getItemsCalls(fake)).toHaveLength(2);
    }
  });

  it("throttling that passes is retried and the products are checked", async () => {
    const body = JSON.stringify(creatorsFixture("error.429.throttle.json"));
    const fake = await fakeAmazon({
      credentials: NA,
      products: { [`us:${asin(1)}`]: "A" },
      behaviours: [{ host: "creatorsapi.amazon", times: 1, respond: { status: 429, body } }],
    });
    const [result] = await checkAsins(items("us", 1), fast(fake, { via: "creators" }), { env, tags });
    expect(result).toMatchObject({ status: "live" });
    expect(getItemsCalls(fake).map((r) => r.status)).toEqual([429, 200]);
  });

  it("the fake's own quota answers Amazon's 429 when asked faster than allowed, and the checker recovers", async () => {
    const products = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`us:${asin(i)}`, `P${i}`]));
    const fake = await fakeAmazon({ credentials: NA, creatorsPerSecond: 1, products });
    const results = await checkAsins(
      items("us", ...Array.from({ length: 20 }, (_, i) => i)),
      fast(fake, { via: "creators", backoff: 600, retries: 3 }),
      { env, tags },
    );
    expect(results.every((r) => r.status === "live")).toBe(true);
    expect(fake.requests.some((r) => r.status === 429)).toBe(true);
  });

  it("500 InternalServerException is unverified with Amazon's message", async () => {
    const body = JSON.stringify(creatorsFixture("error.500.internal.json"));
    const fake = await fakeAmazon({ credentials: NA, behaviours: [{ host: "creatorsapi.amazon", respond: { status: 500, body } }] });
    const [result] = await checkAsins(items("us", 1), fast(fake, { via: "creators", retries: 0 }), { env, tags });
    expect(result).toMatchObject({
      status: "unverified",
      reason: "Creators API answered HTTP 500 (InternalServerException: An unexpected error occurred while processing your request.)",
    });
  });

  it("an unreachable token endpoint makes ASINs unverified (offline is not an error)", async () => {
    const fake = await fakeAmazon({ credentials: NA, behaviours: [{ host: "api.amazon.com", respond: { drop: true } }] });
    const [result] = await checkAsins(items("us", 1), fast(fake, { via: "creators", retries: 0 }), { env, tags });
    expect(result).toMatchObject({ status: "unverified", reason: expect.stringMatching(/token endpoint: connection reset/) });
  });
});

describe('via: "creators": what is stored', () => {
  it("the lockfile keeps the API's verdicts without titles (the licence allows 24 hours for those); results still carry them", async () => {
    const dir = await tempDir();
    const lockfile = join(dir, "amazon-links.lock.json");
    const fake = await fakeAmazon({ credentials: NA, products: { [`us:${asin(1)}`]: "A lamp" } });
    const results = await checkAsins(items("us", 1, 2), fast(fake, { via: "creators", lockfile }), { env, tags });
    expect(results[0]).toMatchObject({ status: "live", title: "A lamp" });
    const text = await readFile(lockfile, "utf8");
    expect(JSON.parse(text).entries).toEqual({
      [`us:${asin(1)}`]: { status: "live", checkedAt: expect.any(String), via: "creators" },
      [`us:${asin(2)}`]: { status: "dead", checkedAt: expect.any(String), via: "creators" },
    });
    for (const secret of [SECRET, NA.id, "fake-token", "A lamp"]) expect(text + JSON.stringify(results.slice(1))).not.toContain(secret);
  });

  it("titles live in the cache directory for 24 hours: a later run answers from the lockfile with the title, a day later without", async () => {
    const dir = await tempDir();
    const lockfile = join(dir, "amazon-links.lock.json");
    const cacheDir = join(dir, "node_modules", ".cache", "eleventy-plugin-amazon-links");
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ credentials: NA, products: { [`us:${asin(1)}`]: "A lamp" } });
    const options = fast(fake, { via: "creators", lockfile, maxAge: "30d" });
    const on = { env, tags, cacheDir, ...runtime };
    await run(checkAsins(items("us", 1), options, on));
    const cached = JSON.parse(await readFile(join(cacheDir, "creators-titles.json"), "utf8"));
    expect(cached.entries[`us:${asin(1)}`]).toEqual({ value: "A lamp", expires: clock.now() + 24 * 3_600_000 });
    const asked = fake.count();
    await clock.advance(24 * 3_600_000 - 1);
    const [soon] = await run(checkAsins(items("us", 1), options, on));
    expect(soon).toMatchObject({ status: "live", fromLockfile: true, title: "A lamp" });
    await clock.advance(1);
    const [dayLater] = await run(checkAsins(items("us", 1), options, on));
    expect(dayLater).toMatchObject({ status: "live", fromLockfile: true });
    expect(dayLater!.title).toBeUndefined();
    expect(fake.count()).toBe(asked);
  });
});

describe('via: "creators": availability from offersV2.listings.availability', () => {
  /** The documented cURL body with its first item's offersV2 replaced (types from Amazon's OffersV2 reference). */
  function answer(offersV2: unknown): string {
    const body = creatorsFixture<{ itemsResult: { items: Record<string, unknown>[] } }>("getItems.200.using-curl.json");
    body.itemsResult.items[0]!.offersV2 = offersV2;
    return JSON.stringify(body);
  }
  const ASIN = "B09B2SBHQK";
  const offers =
    creatorsFixture<Record<"inStock" | "outOfStock", { listings: { availability: { type: string } }[] }>>("offersV2.listings.derived.json");
  const withType = (type: string) => ({ listings: [{ ...offers.outOfStock.listings[0]!, availability: { type } }] });
  const verdict = (offersV2: unknown) => {
    const outcome = readGetItems(200, answer(offersV2), [ASIN], "www.amazon.com");
    if (outcome.kind !== "verdicts") throw new Error(outcome.kind);
    return outcome.verdicts.get(ASIN)!;
  };

  it("OUT_OF_STOCK and UNAVAILABLE are unavailable, with Amazon's type and message as the reason", () => {
    expect(verdict(offers.outOfStock)).toMatchObject({
      status: "live",
      available: false,
      reason: "the Creators API says OUT_OF_STOCK \u201cCurrently unavailable.\u201d",
    });
    expect(verdict(withType("UNAVAILABLE"))).toMatchObject({
      status: "live",
      available: false,
      reason: "the Creators API says UNAVAILABLE",
    });
  });

  it("anything that can be ordered, an unknown type, no listings or no offersV2 is not called unavailable", () => {
    for (const type of ["IN_STOCK", "IN_STOCK_SCARCE", "PREORDER", "AVAILABLE_DATE", "LEADTIME", "UNKNOWN", "SOMETHING_NEW"]) {
      expect(verdict(withType(type)), type).toEqual({ status: "live", title: expect.any(String) });
    }
    // Variation parents have no offers although their children sell (Amazon, "Items that do not have offers").
    for (const none of [null, {}, { listings: [] }, { listings: [{}] }, { listings: [{ availability: {} }] }]) {
      expect(verdict(none).available, JSON.stringify(none)).toBeUndefined();
    }
    // One buyable listing is enough.
    expect(verdict({ listings: [...offers.outOfStock.listings, ...offers.inStock.listings] }).available).toBeUndefined();
  });

  it("Amazon's message stays one plain line, bounded", () => {
    const hostile = { listings: [{ availability: { type: "OUT_OF_STOCK", message: `<img src=x onerror=alert(1)>\n${"x".repeat(500)}` } }] };
    const { reason } = verdict(hostile);
    expect(reason).not.toContain("\n");
    expect(reason!.length).toBeLessThan(200);
  });

  it("is requested, reported as the unavailable finding with the store, and stored as available: false", async () => {
    const dir = await tempDir();
    const lockfile = join(dir, "amazon-links.lock.json");
    const fake = await fakeAmazon({
      credentials: [NA, EU],
      products: {
        [`us:${asin(1)}`]: { title: "A lamp", unavailable: true },
        [`us:${asin(2)}`]: "A chair",
        [`de:${asin(1)}`]: "Eine Lampe",
      },
    });
    const results = await checkAsins([...items("us", 1, 2), ...items("de", 1)], fast(fake, { via: "creators", lockfile }), {
      env: { ...env, ...envEU },
      tags,
    });
    expect(results.map((r) => [r.marketplace, r.status, r.available])).toEqual([
      ["us", "live", false],
      ["us", "live", undefined],
      ["de", "live", undefined],
    ]);
    for (const call of getItemsCalls(fake)) expect(JSON.parse(call.body).resources).toContain("offersV2.listings.availability");
    const options = resolveOptions({ tags: { us: "ours-20" } });
    expect(verdictFindings(parseAmazonUrl(`https://www.amazon.com/dp/${asin(1)}`)!, results[0]!, options)).toEqual([
      {
        rule: "unavailable",
        severity: "warning",
        message: expect.stringMatching(
          /^Product B000000001 is unavailable on amazon\.com \(the Creators API says OUT_OF_STOCK “Currently unavailable\.”\)/,
        ),
      },
    ]);
    expect(JSON.parse(await readFile(lockfile, "utf8")).entries).toEqual({
      [`us:${asin(1)}`]: { status: "live", checkedAt: expect.any(String), via: "creators", available: false },
      [`us:${asin(2)}`]: { status: "live", checkedAt: expect.any(String), via: "creators" },
      [`de:${asin(1)}`]: { status: "live", checkedAt: expect.any(String), via: "creators" },
    });
  });
});
