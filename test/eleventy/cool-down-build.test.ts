/**
 * The measure of issue 15 part 5: a second build within the cool-down, against a fake Amazon that
 * answers nothing but captchas, makes no request, and costs about what a build with checks off costs.
 * Prints the figures (requests, build times); asserts the requests only.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/check/clock.js";
import { checkAsins } from "../../src/check/index.js";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { buildFixture, tempDir } from "../helpers/eleventy.js";

const PAGES = 40;
let fake: FakeAmazon;

beforeAll(async () => {
  fake = await startFakeAmazon({ behaviours: [{ respond: { captcha: 503 } }] });
});
afterAll(() => fake.close());

async function site(): Promise<string> {
  const dir = await tempDir("amazon-links-cooldown-");
  await mkdir(join(dir, "posts"));
  for (let i = 0; i < PAGES; i++) {
    const asin = `B${String(i).padStart(9, "0")}`;
    await writeFile(
      join(dir, "posts", `p${i}.md`),
      `# Post ${i}\n\n[us](https://www.amazon.com/dp/${asin}) [de](https://www.amazon.de/dp/${asin})\n`,
    );
  }
  return dir;
}

describe("blocked is remembered across builds", () => {
  it("a second build within the cool-down makes 0 requests and costs about what check: false costs", async () => {
    const input = await site();
    const lockfile = join(input, "amazon-links.lock.json");
    const check = { endpoints: fake.endpoints(), lockfile, interval: 0, retries: 1, backoff: 10, timeout: "5s", budget: "30s" };
    const tags = { us: "ours-20", de: "ours0d-21" };

    const first = await buildFixture(input, { tags, localize: false, check });
    expect(first.error).toBeUndefined();
    const firstRequests = fake.requests.length;
    expect(firstRequests).toBeGreaterThan(0);

    const timed = async (options: Parameters<typeof buildFixture>[1]) => {
      const start = performance.now();
      const build = await buildFixture(input, options);
      return { build, ms: performance.now() - start };
    };
    const second = await timed({ tags, localize: false, check });
    const secondRequests = fake.requests.length - firstRequests;
    const off = await timed({ tags, localize: false, check: false });
    // Once more each, in the other order, so warm-up favours neither.
    const offAgain = await timed({ tags, localize: false, check: false });
    const secondAgain = await timed({ tags, localize: false, check });

    expect(second.build.error).toBeUndefined();
    expect(secondRequests).toBe(0);
    expect(fake.requests.length - firstRequests).toBe(0);
    const cooled = second.build.report.links.filter((l) => l.findings.some((f) => /blocked this tool .* ago/.test(f.message)));
    expect(cooled.length).toBe(PAGES * 2);

    const figures = {
      pages: PAGES,
      links: PAGES * 2,
      firstBuildRequests: firstRequests,
      secondBuildRequests: secondRequests,
      secondBuildMs: [second.ms, secondAgain.ms].map(Math.round),
      checkFalseMs: [off.ms, offAgain.ms].map(Math.round),
      differenceMs: Math.round(Math.min(second.ms, secondAgain.ms) - Math.min(off.ms, offAgain.ms)),
    };
    console.log(`cool-down measure: ${JSON.stringify(figures)}`);
  });

  it("a dead verdict due for a re-check does not fail a build that Amazon blocks, in the build nor in the next one", async () => {
    const input = await tempDir("amazon-links-cooldown-dead-");
    await writeFile(join(input, "post.md"), "# Gone\n\n[old lamp](https://www.amazon.com/dp/B0DEADDEAD)\n");
    const lockfile = join(input, "amazon-links.lock.json");
    // A real check, 10 days ago, found it dead (maxAge is 7 days: it is due again).
    const earlier = await startFakeAmazon({});
    // The builds below run on the wall clock, so this check is dated from it.
    const tenDaysAgo: Clock = { ...systemClock, now: () => Date.now() - 10 * 86_400_000 };
    const [dead] = await checkAsins(
      [{ asin: "B0DEADDEAD", marketplace: "us" }],
      { endpoints: earlier.endpoints(), lockfile },
      {
        clock: tenDaysAgo,
      },
    );
    await earlier.close();
    expect(dead!.status).toBe("dead");

    // A fake of its own: the one above is cooling down already.
    const blocking = await startFakeAmazon({ behaviours: [{ respond: { captcha: 503 } }] });
    const check = { endpoints: blocking.endpoints(), lockfile, interval: 0, retries: 0, timeout: "5s", budget: "30s" };
    const tags = { us: "ours-20" };
    for (const [build, asks] of [
      ["blocked in this build", 1],
      ["cooling down from that block", 0],
    ] as const) {
      const before = blocking.requests.length;
      const { error, report } = await buildFixture(input, { tags, localize: false, check });
      expect(error, build).toBeUndefined();
      expect(blocking.requests.length - before, build).toBe(asks);
      expect(report.links[0], build).toMatchObject({ status: "unverified", findings: [{ rule: "unverified", severity: "warning" }] });
      expect(report.links[0]!.findings[0]!.message, build).toMatch(/last known dead/);
    }
    await blocking.close();
    expect(JSON.parse(await readFile(lockfile, "utf8")).entries["us:B0DEADDEAD"]).toMatchObject({ status: "dead" });
  });
});
