/** Real Eleventy builds whose product checks go to the fake Amazon on 127.0.0.1. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { buildFixture, tempDir } from "../helpers/eleventy.js";

const tags = { us: "ours-20", uk: "ours-21", de: "ours0d-21", fr: "ours08-21" };
let fake: FakeAmazon;

beforeAll(async () => {
  fake = await startFakeAmazon({
    products: {
      "us:B00OFWQS94": "BenQ e-Reading LED Desk Lamp",
      "uk:B00OFWQS94": "BenQ e-Reading LED Desk Lamp (UK)",
      "us:B07QBPDWLS": "Keychron K2",
      // B0DEADDEAD is listed nowhere: dead, as on Amazon.
    },
    shortLinks: {
      "amzn.to/lamp": "https://www.amazon.com/dp/B00OFWQS94?tag=someone-20&ref_=x",
      "amzn.to/away": "https://evil.example/dp/B00OFWQS94",
    },
  });
  fake.addBehaviour({ host: "www.amazon.de", respond: { captcha: 503 } });
});
afterAll(() => fake.close());

async function site(markdown: string): Promise<string> {
  const dir = await tempDir("amazon-links-site-");
  await writeFile(join(dir, "post.md"), markdown);
  return dir;
}

function checkOptions(lockfile: string) {
  return { endpoints: fake.endpoints(), lockfile, interval: 0, retries: 0, backoff: 10, timeout: "5s", budget: "20s" };
}

describe("product checks in the build", () => {
  it("fails on a dead product, warns on a robot wall, expands short links, and writes a stable lockfile", async () => {
    const input = await site(
      [
        "# Post",
        "",
        "[lamp](https://www.amazon.com/dp/B00OFWQS94) [gone](https://www.amazon.com/dp/B0DEADDEAD)",
        "[stuhl](https://www.amazon.de/dp/B07WNQ2H4K) [short](https://amzn.to/lamp) [away](https://amzn.to/away)",
        "[again](https://www.amazon.com/dp/B00OFWQS94/ref=x)",
      ].join("\n"),
    );
    const lockfile = join(input, "amazon-links.lock.json");
    const before = fake.requests.length;
    const build = await buildFixture(input, { tags, localize: false, check: checkOptions(lockfile) });

    expect((build.error as Error).message).toMatch(/2 Amazon link errors/);
    const byOriginal = Object.fromEntries(build.report.links.map((l) => [l.original, l]));
    expect(byOriginal["https://www.amazon.com/dp/B00OFWQS94"]).toMatchObject({
      status: "live",
      title: "BenQ e-Reading LED Desk Lamp",
      findings: [],
    });
    expect(byOriginal["https://www.amazon.com/dp/B0DEADDEAD"]).toMatchObject({
      status: "dead",
      line: 3,
      column: 53,
      findings: [
        { rule: "dead-asin", severity: "error", message: expect.stringMatching(/^Product B0DEADDEAD does not exist on amazon\.com/) },
      ],
    });
    expect(byOriginal["https://www.amazon.de/dp/B07WNQ2H4K"]).toMatchObject({
      status: "unverified",
      findings: [{ rule: "unverified", severity: "warning", message: expect.stringMatching(/captcha|robot/i) }],
    });
    // The short link became a clean tagged product link, checked like any other.
    expect(byOriginal["https://amzn.to/lamp"]).toMatchObject({
      href: "https://www.amazon.com/dp/B00OFWQS94?tag=ours-20",
      asin: "B00OFWQS94",
      marketplace: "us",
      status: "live",
    });
    expect(byOriginal["https://amzn.to/away"]?.findings).toEqual([
      { rule: "untagged", severity: "error", message: expect.stringMatching(/could not be expanded/) },
    ]);
    const html = await build.read("post/index.html");
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">short</a>',
    );
    expect(html).toContain('<a href="https://amzn.to/away">away</a>');
    // The same product on two links was asked once.
    const asked = fake.requests.slice(before).filter((r) => r.host === "www.amazon.com" && r.path.startsWith("/dp/B00OFWQS94"));
    expect(asked).toHaveLength(1);

    // Lockfile: verdicts only (live, dead), never the captcha's unverified; the short link's target.
    const lock = JSON.parse(await readFile(lockfile, "utf8"));
    expect(Object.keys(lock.entries).sort()).toEqual(["us:B00OFWQS94", "us:B0DEADDEAD"]);
    expect(lock.entries["us:B0DEADDEAD"]).toMatchObject({ status: "dead", via: "page" });
    expect(Object.keys(lock.shortLinks)).toEqual(["https://amzn.to/lamp"]);

    // A second build answers from the lockfile and leaves it byte-identical. Of what had no verdict, the
    // short link that failed to expand is asked again; the store that answered with a captcha is cooling
    // down (check.coolDown) and is not.
    const text = await readFile(lockfile, "utf8");
    const mark = fake.requests.length;
    const second = await buildFixture(input, { tags, localize: false, check: checkOptions(lockfile) });
    expect(
      fake.requests
        .slice(mark)
        .map((r) => `${r.host}${r.path}`)
        .sort(),
    ).toEqual(["amzn.to/away"]);
    expect(second.report.links.find((l) => l.original === "https://www.amazon.de/dp/B07WNQ2H4K")).toMatchObject({
      status: "unverified",
      findings: [
        { rule: "unverified", message: expect.stringMatching(/www\.amazon\.de blocked this tool .* ago \(robot check \(HTTP 503\)\)/) },
      ],
    });
    expect(await readFile(lockfile, "utf8")).toBe(text);
  });

  it("with localization on, asks each product in every tagged store and writes where it is live", async () => {
    const input = await site("[lamp](https://www.amazon.com/dp/B00OFWQS94) [keys](https://www.amazon.com/dp/B07QBPDWLS)\n");
    const only = { us: "ours-20", uk: "ours-21" }; // de answers with a captcha in this file
    const build = await buildFixture(input, { tags: only, check: checkOptions(join(input, "lock.json")) });
    expect(build.error).toBeUndefined();
    const html = await build.read("post/index.html");
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us" data-amazon-live="uk us" data-amazon-title="BenQ e-Reading LED Desk Lamp">lamp</a>',
    );
    expect(html).toContain(
      'data-amazon-asin="B07QBPDWLS" data-amazon-store="us" data-amazon-live="us" data-amazon-title="Keychron K2">keys</a>',
    );
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.indexOf("<script>")).toBeLessThan(html.lastIndexOf("</body>") === -1 ? Infinity : html.lastIndexOf("</body>"));
    expect(build.report.links.find((l) => l.asin === "B00OFWQS94")?.liveIn).toEqual(["uk", "us"]);
  });

  it("stops with a clear message naming a corrupt lockfile, and leaves it as it was", async () => {
    const input = await site("[lamp](https://www.amazon.com/dp/B00OFWQS94)\n");
    const lockfile = join(input, "amazon-links.lock.json");
    await writeFile(lockfile, "{ not json");
    const build = await buildFixture(input, { tags, check: checkOptions(lockfile) });
    // Eleventy wraps a transform's error; the message we wrote is at the end of the chain.
    const messages: string[] = [];
    for (let e = build.error as { message?: string; originalError?: unknown; cause?: unknown } | undefined; e; ) {
      messages.push(String(e.message));
      e = (e.originalError ?? e.cause) as typeof e;
    }
    const ours = messages.find((m) => m.startsWith("[amazon-links]"));
    expect(ours).toContain(lockfile);
    expect(ours).toMatch(/delete it|fix it|refresh/i);
    expect(await readFile(lockfile, "utf8")).toBe("{ not json");
  });

  it("with via: lockfile asks nothing and reports what is missing as unverified", async () => {
    const input = await site("[lamp](https://www.amazon.co.uk/dp/B00OFWQS94)\n");
    await mkdir(join(input, "x"), { recursive: true });
    const mark = fake.requests.length;
    const build = await buildFixture(input, { tags, check: { via: "lockfile", lockfile: join(input, "none.json") } });
    expect(build.error).toBeUndefined();
    expect(fake.requests.length).toBe(mark);
    expect(build.report.links[0]).toMatchObject({ status: "unverified", findings: [{ rule: "unverified" }] });
    // No store gave a verdict, so the link carries no availability (the script assumes, as it would anyway).
    const html = await build.read("post/index.html");
    const anchor = html.match(/<a [^>]*>/)?.[0] ?? "";
    expect(anchor).toContain('data-amazon-store="uk"');
    expect(anchor).not.toContain("data-amazon-live");
  });
});
