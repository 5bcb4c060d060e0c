/**
 * `npx @11ty/eleventy` (the built package, dist/) against the fake Amazon on 127.0.0.1 answering
 * with the real pages of test/fixtures/amazon-pages/: a dead product fails the build naming
 * file:line:column; server errors and robot walls warn; an unavailable product warns and is left
 * out of the stores the localization script may send visitors to.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { continueShoppingPage, serverErrorPage } from "../fake-amazon/pages.js";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const eleventyBin = resolve("node_modules/@11ty/eleventy/cmd.cjs");
const pluginUrl = pathToFileURL(resolve("dist/index.js")).href;
let fake: FakeAmazon;

beforeAll(async () => {
  fake = await startFakeAmazon({
    products: {
      "*:B00OFWQS94": "BenQ e-Reading LED Desk Lamp",
      "uk:B00OFWQS94": { title: "BenQ e-Reading LED Desk Lamp", unavailable: true },
      // B0DEADDEAD is listed nowhere: 404 with Amazon's dog page.
    },
    behaviours: [
      { host: "www.amazon.com", path: "/dp/B0BUSYBUSY", respond: { status: 503, body: serverErrorPage() } },
      { host: "www.amazon.de", respond: { status: 503, body: continueShoppingPage() } },
    ],
  });
});
afterAll(() => fake.close());

async function site(markdown: string, options: Record<string, unknown>): Promise<string> {
  const dir = await tempDir("amazon-links-pages-");
  await writeFile(join(dir, "post.md"), markdown);
  await writeFile(
    join(dir, "eleventy.config.js"),
    `import amazonLinks from ${JSON.stringify(pluginUrl)};\nexport default function (c) { c.addPlugin(amazonLinks, ${JSON.stringify(options)}); }\nexport const config = { dir: { input: ".", output: "_site" } };\n`,
  );
  await writeFile(join(dir, "package.json"), `{ "type": "module" }\n`);
  return dir;
}

describe("a build against Amazon's real answers", () => {
  it("fails on the dead product naming file:line:column; walls and server errors warn; an unavailable store is left out of data-amazon-live", async () => {
    const dir = await site(
      [
        "# Post",
        "",
        "A [lamp](https://www.amazon.com/dp/B00OFWQS94) and a [gone one](https://www.amazon.com/dp/B0DEADDEAD).",
        "",
        "Also [busy](https://www.amazon.com/dp/B0BUSYBUSY) and the [lamp in the UK](https://www.amazon.co.uk/dp/B00OFWQS94).",
      ].join("\n"),
      {
        tags: { us: "ours-20", uk: "ours-21", de: "ours0d-21", fr: "ours08-21" },
        check: { endpoints: fake.endpoints(), interval: 0, retries: 0, timeout: "5s", budget: "30s", lockfile: "amazon-links.lock.json" },
      },
    );
    const { code, stdout, stderr } = await runNode(eleventyBin, [], dir);
    const output = stdout + stderr;
    expect(code).toBe(1);
    expect(output).toMatch(
      /post\.md:3:65\s+error\s+Product B0DEADDEAD does not exist on amazon\.com: product page not found \(HTTP 404\).*dead-asin/,
    );
    // Unverified products are summed up per store on the console (the report keeps each link).
    expect(output).toMatch(/amazon\.com\s+warning\s+1 product unverified, Amazon server error \(HTTP 503\).*unverified/);
    expect(output).toMatch(
      /post\.md:5:76\s+warning\s+Product B00OFWQS94 is unavailable on amazon\.co\.uk \(Amazon shows “Currently unavailable\..*unavailable/,
    );
    expect(output).toMatch(/1 Amazon link error: the build fails/);
    const report = JSON.parse(await readFile(join(dir, ".amazon-links/report.json"), "utf8"));
    expect(report.links.find((l: { asin?: string }) => l.asin === "B0BUSYBUSY")).toMatchObject({
      input: "post.md",
      line: 5,
      column: 13,
      status: "unverified",
      findings: [{ rule: "unverified", message: expect.stringMatching(/Amazon server error \(HTTP 503\)/) }],
    });

    // The lamp is live in fr and us, de is behind a robot wall (unknown, assumed live by default), and uk
    // shows it unavailable: uk is treated as a store without the product.
    const html = await readFile(join(dir, "_site/post/index.html"), "utf8");
    expect(html).toMatch(/data-amazon-asin="B00OFWQS94" data-amazon-store="us" data-amazon-live="de fr us"/);
    expect(html).toMatch(/data-amazon-asin="B00OFWQS94" data-amazon-store="uk" data-amazon-live="de fr us"/);
    const lock = JSON.parse(await readFile(join(dir, "amazon-links.lock.json"), "utf8"));
    expect(lock.entries).toMatchObject({
      "us:B0DEADDEAD": { status: "dead", via: "page" },
      "uk:B00OFWQS94": { status: "live", available: false, via: "page" },
      "us:B00OFWQS94": { status: "live", via: "page" },
    });
    expect(lock.entries["us:B00OFWQS94"].available).toBeUndefined();
    expect(Object.keys(lock.entries)).not.toContain("de:B00OFWQS94");
    expect(Object.keys(lock.entries)).not.toContain("us:B0BUSYBUSY");
  });
});
