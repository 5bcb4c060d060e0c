/** `amazon-links check` with product checks and `amazon-links refresh`, against the fake Amazon, as child processes. */
import { cp, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const bin = resolve("dist/cli/main.js");
let fake: FakeAmazon;

beforeAll(async () => {
  fake = await startFakeAmazon({ products: { "us:B00OFWQS94": "Lamp", "us:B07QBPDWLS": "Keyboard", "de:B07WNQ2H4K": "Stuhl" } });
});
afterAll(() => fake.close());

function cli(args: string[], cwd: string) {
  return runNode(bin, args, cwd);
}

async function project(): Promise<string> {
  const dir = await tempDir("amazon-links-refresh-");
  await cp(resolve("test/fixtures/plain-site"), join(dir, "public"), { recursive: true });
  // check judges what ships: the German link carries our tag, so only product checks can fail the run.
  const post = join(dir, "public/blog/post.htm");
  await writeFile(post, (await readFile(post, "utf8")).replace('/dp/B07WNQ2H4K"', '/dp/B07WNQ2H4K?tag=plain0d-21"'));
  const config = {
    tags: { us: "plain-20", de: "plain0d-21" },
    rules: { "foreign-tag": "off" },
    check: { endpoints: fake.endpoints(), interval: 0, retries: 0, timeout: "5s" },
  };
  await writeFile(join(dir, "amazon-links.config.json"), JSON.stringify(config));
  return dir;
}

describe("checks from the CLI", () => {
  it("check writes the lockfile beside the config; refresh re-asks every entry and reports what changed", async () => {
    const dir = await project();
    const first = await cli(["check", "public"], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/3 live, 0 dead, 0 unverified/);
    const lockPath = join(dir, "amazon-links.lock.json");
    const lock = JSON.parse(await readFile(lockPath, "utf8"));
    expect(Object.keys(lock.entries)).toEqual(["de:B07WNQ2H4K", "us:B00OFWQS94", "us:B07QBPDWLS"]);

    // --stale: everything is fresh, nothing is asked.
    const mark = fake.requests.length;
    const stale = await cli(["refresh", "--stale"], dir);
    expect(stale.code).toBe(0);
    expect(fake.requests.length).toBe(mark);
    expect(stale.stdout).toMatch(/3 lockfile entries · 0 asked · 3 live/);

    // The keyboard is gone: a full refresh asks all three and fails on the dead one, naming where it is linked
    // (from the last build's JSON report).
    await cli(["check", "public", "--check", "lockfile", "--json", ".amazon-links/report.json"], dir);
    fake.setProduct("us:B07QBPDWLS", { dead: true });
    const full = await cli(["refresh"], dir);
    expect(full.code).toBe(1);
    expect(fake.requests.length).toBe(mark + 3);
    expect(full.stdout).toMatch(
      /us:B07QBPDWLS\s+live → dead\s+\(product page not found \(HTTP 404\)\)\s+linked from public\/index\.html:5:52/,
    );
    expect(full.stdout).toMatch(/3 asked · 2 live, 1 dead, 0 unverified · wrote /);
    expect(JSON.parse(await readFile(lockPath, "utf8")).entries["us:B07QBPDWLS"].status).toBe("dead");

    // The audit now fails on the dead product at its output location.
    const again = await cli(["check", "public", "--check", "lockfile"], dir);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/public\/index\.html:5:52\s+error\s+Product B07QBPDWLS does not exist on amazon\.com.*dead-asin/);
  });

  it("a corrupt lockfile is a configuration error (exit 2) naming the file, and is left as it was", async () => {
    const dir = await project();
    await writeFile(join(dir, "amazon-links.lock.json"), "[]");
    const result = await cli(["check", "public"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(dir, "amazon-links.lock.json"));
    expect(await readFile(join(dir, "amazon-links.lock.json"), "utf8")).toBe("[]");
  });

  it("refresh refuses to run without the network", async () => {
    const dir = await project();
    const result = await cli(["refresh", "--check", "lockfile"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refresh asks the network/);
  });
});
