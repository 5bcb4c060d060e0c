/** Blocked is remembered: hosts that blocked this tool are left alone for check.coolDown, across runs. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAsins, ENV_CREDENTIAL_ID, ENV_CREDENTIAL_SECRET } from "../../src/check/index.js";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { resolveOptions } from "../../src/rules/options.js";
import { verdictFindings } from "../../src/rules/verdicts.js";
import { fakeAmazon, fakeAmazonOnTestClock, fast, tempDir } from "./helpers.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
const items = (store: string, ...asins: string[]) => asins.map((asin) => ({ asin, marketplace: store }));

async function project() {
  const dir = await tempDir();
  return { lockfile: join(dir, "amazon-links.lock.json"), cacheDir: join(dir, "node_modules", ".cache", "eleventy-plugin-amazon-links") };
}

describe("check.coolDown", () => {
  it("a host that answered with a captcha after every retry is not asked again in the run", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({
      products: { "de:B000000001": "Eins", "de:B000000002": "Zwei" },
      behaviours: [{ host: "www.amazon.de", respond: { captcha: 200 } }],
    });
    const first = await run(checkAsins(items("de", "B000000001"), fast(fake, { retries: 1 }), runtime));
    expect(first[0]).toMatchObject({ status: "unverified" });
    const asked = fake.count();
    expect(asked).toBe(2);
    const { lockfile, cacheDir } = await project();
    await run(checkAsins(items("de", "B000000001"), fast(fake, { retries: 1, lockfile }), { cacheDir, ...runtime }));
    await clock.advance(5 * MINUTE);
    const results = await run(
      checkAsins(items("de", "B000000002", "B000000003"), fast(fake, { retries: 1, lockfile }), { cacheDir, ...runtime }),
    );
    expect(results.map((r) => r.status)).toEqual(["unverified", "unverified"]);
    expect(results[0]!.reason).toBe(
      "not asked: www.amazon.de blocked this tool 5 min ago (robot check (HTTP 200)); it is left alone for 55 min more (check.coolDown)",
    );
    // Two requests for the first product of the second run, none since.
    expect(fake.count()).toBe(asked + 2);
  });

  it("across runs: state in the cache directory, never in the lockfile; the last verdict known answers, with its age", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ products: { "us:B000000001": "A lamp" } });
    const { lockfile, cacheDir } = await project();
    const on = { cacheDir, ...runtime };
    // The lamp was live; ten days later the verdict is older than maxAge.
    await run(checkAsins(items("us", "B000000001"), fast(fake, { lockfile }), on));
    await clock.advance(10 * DAY);
    fake.addBehaviour({
      host: "www.amazon.com",
      respond: { status: 503, body: "<html><form action='/errors/validateCaptcha'><input id='captchacharacters'></form></html>" },
    });
    const blocked = await run(checkAsins(items("us", "B000000001", "B000000002"), fast(fake, { lockfile, retries: 0 }), on));
    expect(blocked.map((r) => r.status)).toEqual(["unverified", "unverified"]);
    const state = JSON.parse(await readFile(join(cacheDir, "blocked-hosts.json"), "utf8"));
    expect(Object.values(state.entries)).toEqual([
      { value: { reason: "robot check (HTTP 503)", since: clock.now() }, expires: clock.now() + 60 * MINUTE },
    ]);
    expect(await readFile(lockfile, "utf8")).not.toMatch(/blocked|captcha|robot/i);

    const mark = fake.count();
    await clock.advance(30 * MINUTE);
    const later = await run(checkAsins(items("us", "B000000001", "B000000002"), fast(fake, { lockfile }), on));
    expect(fake.count()).toBe(mark);
    expect(later[0]).toMatchObject({
      status: "live",
      title: "A lamp",
      reason: expect.stringMatching(/^last known live, checked 10 days ago; not asked: www\.amazon\.com blocked this tool 30 min ago/),
    });
    expect(later[1]).toMatchObject({
      status: "unverified",
      reason: expect.stringMatching(/^not asked: www\.amazon\.com blocked this tool/),
    });

    // Once the hour is over, the store is asked again.
    await clock.advance(31 * MINUTE);
    await run(checkAsins(items("us", "B000000002"), fast(fake, { lockfile, retries: 0 }), on));
    expect(fake.count()).toBe(mark + 1);
  });

  it("a dead verdict due for a re-check the block prevents is unverified (a warning), saying so and its age; a fresh one stays dead", async () => {
    const { fake, clock, runtime, run } = await fakeAmazonOnTestClock({ products: { "us:B000000001": "A lamp" } });
    const { lockfile, cacheDir } = await project();
    const on = { cacheDir, ...runtime };
    // Real checks: B000000008 found dead 10 days before the blocked run (past maxAge, 7 days), B000000009 an hour before.
    const [old] = await run(checkAsins(items("us", "B000000008"), fast(fake, { lockfile }), on));
    await clock.advance(10 * DAY - 60 * MINUTE);
    const [recent] = await run(checkAsins(items("us", "B000000009"), fast(fake, { lockfile }), on));
    expect([old!.status, recent!.status]).toEqual(["dead", "dead"]);
    fake.addBehaviour({ host: "www.amazon.com", respond: { captcha: 503 } });
    await clock.advance(60 * MINUTE);

    // Blocked within this run: the re-check is unverified, naming the last verdict.
    const [blocked] = await run(checkAsins(items("us", "B000000008"), fast(fake, { lockfile, retries: 0 }), on));
    expect(blocked).toMatchObject({ status: "unverified", reason: expect.stringMatching(/; last known dead on \d{4}-\d\d-\d\d$/) });

    // Later, within the cool-down: nothing asked, the same outcome, said with the verdict's age.
    const mark = fake.count();
    await clock.advance(20 * MINUTE);
    const later = await run(checkAsins(items("us", "B000000008", "B000000009"), fast(fake, { lockfile }), on));
    expect(fake.count()).toBe(mark);
    expect(later[0]).toMatchObject({
      status: "unverified",
      reason: expect.stringMatching(
        /^last known dead, checked 10 days ago, due for a re-check; not asked: www\.amazon\.com blocked this tool 20 min ago \(robot check \(HTTP 503\)\); it is left alone for 40 min more \(check\.coolDown\)$/,
      ),
    });
    expect(later[0]!.fromLockfile).toBeUndefined();
    expect(later[1]).toMatchObject({ status: "dead", fromLockfile: true });
    const link = parseAmazonUrl("https://www.amazon.com/dp/B000000008")!;
    const [finding] = verdictFindings(link, later[0]!, resolveOptions({ tags: { us: "ours-20" } }));
    expect(finding).toMatchObject({ rule: "unverified", severity: "warning" });
    expect(finding!.message).toMatch(/^Could not check B000000008 on amazon\.com: last known dead, checked 10 days ago/);
    // The lockfile keeps the dead verdict for when Amazon answers again.
    expect(JSON.parse(await readFile(lockfile, "utf8")).entries["us:B000000008"]).toMatchObject({ status: "dead" });
  });

  it.each([
    ["a WAF challenge (202)", { status: 202, body: "<html><script src='challenge.js'></script></html>" }, true],
    ["403", { status: 403 }, true],
    ["429", { status: 429 }, true],
    ["Amazon's 404 page for a removed product", { status: 404 }, false],
    ["a server error (500)", { status: 500 }, false],
  ])("%s after every retry: remembered as a block: %s", async (_name, respond, remembered) => {
    const fake = await fakeAmazon({ behaviours: [{ host: "www.amazon.co.uk", respond }] });
    const { cacheDir } = await project();
    await checkAsins(items("uk", "B000000001"), fast(fake, { retries: 0 }), { cacheDir });
    await checkAsins(items("uk", "B000000002"), fast(fake, { retries: 0 }), { cacheDir });
    expect(fake.count()).toBe(remembered ? 1 : 2);
  });

  it("coolDown: 0 remembers nothing", async () => {
    const fake = await fakeAmazon({ behaviours: [{ host: "www.amazon.com", respond: { status: 403 } }] });
    const { cacheDir } = await project();
    await checkAsins(items("us", "B000000001", "B000000002"), fast(fake, { retries: 0, coolDown: 0 }), { cacheDir });
    await checkAsins(items("us", "B000000003"), fast(fake, { retries: 0, coolDown: 0 }), { cacheDir });
    expect(fake.count()).toBe(3);
  });

  it("a cache file that cannot be read is ignored, not an error", async () => {
    const fake = await fakeAmazon({ products: { "us:B000000001": "A" } });
    const { cacheDir } = await project();
    await mkdir(cacheDir, { recursive: true });
    await writeFile(join(cacheDir, "blocked-hosts.json"), "{ not json");
    const [result] = await checkAsins(items("us", "B000000001"), fast(fake), { cacheDir });
    expect(result).toMatchObject({ status: "live" });
  });

  it("the Creators API cools down on throttling, not on an account that is not eligible", async () => {
    const env = { [ENV_CREDENTIAL_ID]: "fake-id", [ENV_CREDENTIAL_SECRET]: "fake-secret" };
    const throttled = await fakeAmazon({ creatorsPerSecond: 0 });
    const { cacheDir } = await project();
    const run = (fake: typeof throttled) =>
      checkAsins(items("us", "B000000001"), fast(fake, { via: "creators", retries: 0 }), {
        env,
        tags: { us: "ours-20" },
        cacheDir,
        onWarning: () => undefined,
      });
    await run(throttled);
    const [second] = await run(throttled);
    expect(second!.reason).toMatch(/^not asked: creatorsapi\.amazon blocked this tool .*throttled by the Creators API \(HTTP 429\)/);
    expect(throttled.count({ host: "creatorsapi.amazon" })).toBe(1);
    const ineligible = await fakeAmazon({ creators: { ineligible: ["www.amazon.com"] } });
    await run(ineligible);
    await run(ineligible);
    expect(ineligible.count({ host: "creatorsapi.amazon" })).toBe(2);
  });
});
