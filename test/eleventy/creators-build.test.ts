/**
 * Real Eleventy builds checking products with the Creators API, against the fake that answers with
 * Amazon's documented bodies. Credentials come from process.env, as in a user's build.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeAmazon, type FakeAmazon, type FakeScenario } from "../fake-amazon/server.js";
import { buildFixture, tempDir } from "../helpers/eleventy.js";

const tags = { us: "ours-20", de: "ours0d-21" };
const VARS = [
  "AMAZON_CREATORS_CREDENTIAL_ID",
  "AMAZON_CREATORS_CREDENTIAL_SECRET",
  "AMAZON_CREATORS_CREDENTIAL_ID_EU",
  "AMAZON_CREATORS_CREDENTIAL_SECRET_EU",
];
const saved = new Map<string, string | undefined>();
const fakes: FakeAmazon[] = [];

beforeEach(() => {
  for (const name of VARS) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
});
afterEach(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  for (const fake of fakes.splice(0)) await fake.close();
  vi.restoreAllMocks();
});

async function fake(scenario: FakeScenario): Promise<FakeAmazon> {
  const started = await startFakeAmazon({
    credentials: [
      { id: "na-id", secret: "na-secret" },
      { id: "eu-id", secret: "eu-secret", version: "3.2" },
    ],
    ...scenario,
  });
  fakes.push(started);
  return started;
}

function credentials(): void {
  process.env.AMAZON_CREATORS_CREDENTIAL_ID = "na-id";
  process.env.AMAZON_CREATORS_CREDENTIAL_SECRET = "na-secret";
  process.env.AMAZON_CREATORS_CREDENTIAL_ID_EU = "eu-id";
  process.env.AMAZON_CREATORS_CREDENTIAL_SECRET_EU = "eu-secret";
}

async function site(markdown: string): Promise<string> {
  const dir = await tempDir("amazon-links-creators-");
  await writeFile(join(dir, "post.md"), markdown);
  return dir;
}

function check(amazon: FakeAmazon, extra: Record<string, unknown> = {}) {
  return {
    via: "creators" as const,
    endpoints: amazon.endpoints(),
    lockfile: false as const,
    interval: 0,
    hosts: { "creatorsapi.amazon": { interval: 0 } },
    retries: 1,
    backoff: 10,
    timeout: "5s",
    budget: "20s",
    ...extra,
  };
}

/** Eleventy wraps errors; the message we wrote is down the chain. */
function ourMessage(error: unknown): string | undefined {
  for (
    let e = error as { message?: string; originalError?: unknown; cause?: unknown } | undefined;
    e;
    e = (e.originalError ?? e.cause) as typeof e
  ) {
    if (String(e.message).startsWith("[amazon-links]")) return e.message;
  }
  return undefined;
}

const POST = [
  "# Lamps",
  "",
  "[lamp](https://www.amazon.com/dp/B00OFWQS94)",
  "",
  "Gone: [old lamp](https://www.amazon.de/dp/B0DEADDEAD)",
  "",
].join("\n");

describe("Eleventy builds with the Creators API", () => {
  it("a dead product fails the build naming file:line:column; the request carries the store's own tag", async () => {
    credentials();
    const amazon = await fake({ products: { "us:B00OFWQS94": "BenQ e-Reading LED Desk Lamp" } });
    const build = await buildFixture(await site(POST), { tags, localize: false, check: check(amazon) });
    expect((build.error as Error).message).toMatch(/1 Amazon link error/);
    const dead = build.report.links.find((l) => l.asin === "B0DEADDEAD")!;
    expect(dead).toMatchObject({
      input: expect.stringMatching(/\/post\.md$/),
      line: 5,
      column: 18,
      status: "dead",
      findings: [{ rule: "dead-asin", severity: "error" }],
    });
    expect(dead.findings[0]!.message).toMatch(/Creators API: ResourceNotFoundException/);
    expect(build.report.links.find((l) => l.asin === "B00OFWQS94")).toMatchObject({ status: "live", findings: [] });
    const sent = amazon.requests
      .filter((r) => r.host === "creatorsapi.amazon")
      .map((r) => [r.headers["x-marketplace"], JSON.parse(r.body).partnerTag]);
    expect(sent.sort()).toEqual([
      ["www.amazon.com", "ours-20"],
      ["www.amazon.de", "ours0d-21"],
    ]);
  });

  it("an out-of-stock product is the unavailable warning with its store, file:line:column, and available: false in the lockfile", async () => {
    credentials();
    const amazon = await fake({ products: { "us:B00OFWQS94": { title: "BenQ e-Reading LED Desk Lamp", unavailable: true } } });
    const dir = await site(POST);
    const lockfile = join(dir, "amazon-links.lock.json");
    const build = await buildFixture(dir, { tags, localize: false, check: check(amazon, { lockfile }) });
    const lamp = build.report.links.find((l) => l.asin === "B00OFWQS94")!;
    expect(lamp).toMatchObject({ line: 3, column: 8, status: "live", findings: [{ rule: "unavailable", severity: "warning" }] });
    expect(lamp.findings[0]!.message).toMatch(/unavailable on amazon\.com \(the Creators API says OUT_OF_STOCK/);
    expect(JSON.parse(await readFile(lockfile, "utf8")).entries["us:B00OFWQS94"]).toEqual({
      status: "live",
      checkedAt: expect.any(String),
      via: "creators",
      available: false,
    });
  });

  it("an account that is not eligible never fails the build: one warning, products unverified", async () => {
    credentials();
    const amazon = await fake({ creators: { ineligible: ["www.amazon.com", "www.amazon.de"] } });
    const stderr: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => {
      stderr.push(String(chunk));
      return true;
    });
    const build = await buildFixture(await site(POST), { tags, localize: false, check: check(amazon) });
    vi.restoreAllMocks();
    expect(build.error).toBeUndefined();
    expect(build.report.links.map((l) => l.status)).toEqual(["unverified", "unverified"]);
    expect(build.report.summary.errors).toBe(0);
    expect(stderr.filter((line) => line.includes("AssociateNotEligible"))).toHaveLength(1);
    expect(stderr.join("")).toMatch(/10 qualifying sales in the last 30 days/);
  });

  it("throttling never fails the build", async () => {
    credentials();
    const amazon = await fake({ creatorsPerSecond: 0, creators: { retryAfterSeconds: 0 } });
    const build = await buildFixture(await site(POST), { tags, localize: false, check: check(amazon) });
    expect(build.error).toBeUndefined();
    expect(build.report.links.map((l) => [l.status, l.findings[0]?.rule])).toEqual([
      ["unverified", "unverified"],
      ["unverified", "unverified"],
    ]);
    expect(amazon.requests.filter((r) => r.host === "creatorsapi.amazon").every((r) => r.status === 429)).toBe(true);
  });

  it("a partner tag Amazon rejects fails the build once, naming the store, the tag and Amazon's reason", async () => {
    credentials();
    const amazon = await fake({ creators: { partnerTags: { "www.amazon.de": ["someone-else-21"] } } });
    const build = await buildFixture(await site(POST), { tags, localize: false, check: check(amazon) });
    expect(ourMessage(build.error)).toMatch(
      /rejected the partner tag "ours0d-21" for www\.amazon\.de \(store "de".*InvalidPartnerTag: Partner tag in the request is invalid/,
    );
  });

  it('check: { via: "creators" } without credentials stops the build before any page is rendered', async () => {
    const amazon = await fake({});
    let started = false;
    const build = await buildFixture(await site(POST), { tags, localize: false, check: check(amazon) }, (cfg) => {
      cfg.on("eleventy.before", () => (started = true));
    });
    // Stopped while the config was read: Eleventy never started building.
    expect(started).toBe(false);
    expect(ourMessage(build.error)).toMatch(
      /no Creators API credential is set\. Set AMAZON_CREATORS_CREDENTIAL_ID and AMAZON_CREATORS_CREDENTIAL_SECRET/,
    );
    expect(await readdir(build.outputDir)).toEqual([]);
    expect(amazon.requests).toEqual([]);
  });
});
