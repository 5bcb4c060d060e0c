/**
 * Product titles are data, never markup: hostile titles arriving from a product page (the fake
 * Amazon on 127.0.0.1), from the Creators API (the same fake, answering Amazon's documented bodies)
 * and from a hand-edited lockfile, written into `data-amazon-title` on pages
 * with and without `</body>`, create no element and open no dialog in Chromium.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildClient } from "../../scripts/build-client.mjs";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { browserAvailable, launchBrowser } from "../helpers/browser.js";
import { buildFixture, tempDir, type BuildResult } from "../helpers/eleventy.js";
import { newVisitor, serve, type TestServer } from "../localize/browser-harness.js";

const TAGS = { us: "ours-20", uk: "ours-21" };
const HOSTILE = {
  B00OFWQS94: `Lamp </body><img src=x onerror=alert(1)>`,
  B07QBPDWLS: `Keyboard "><img src=x onerror=alert(2)> '><svg onload=alert(3)>`,
  B01N5IB20Q: `Kettle <script>alert(4)</script></body></html><!--`,
};
const FROM_LOCKFILE = {
  B00OFWQS94: `Edited </body><script>alert(5)</script>`,
  B07QBPDWLS: `Edited "><img src=x onerror=alert(6)>`,
  B01N5IB20Q: `Edited <iframe srcdoc="<script>alert(7)</script>"></iframe>`,
};
const FROM_API = {
  B00OFWQS94: `API </body><script>alert(8)</script>`,
  B07QBPDWLS: `API "><img src=x onerror=alert(9)>`,
  B01N5IB20Q: `API '><svg onload=alert(10)></body></html><!--`,
};
const CREDENTIAL = { AMAZON_CREATORS_CREDENTIAL_ID: "na-id", AMAZON_CREATORS_CREDENTIAL_SECRET: "na-secret" };
const LINKS = Object.keys(HOSTILE)
  .map((asin) => `[${asin}](https://www.amazon.com/dp/${asin})`)
  .join(" ");
const LAYOUT = `<!doctype html>\n<html><head><meta charset="utf-8"><title>{{ title }}</title></head>\n<body>\n{{ content | safe }}\n</body>\n</html>\n`;

async function site(): Promise<string> {
  const input = await tempDir("amazon-links-hostile-");
  await import("node:fs/promises").then((fs) => fs.mkdir(join(input, "_includes")));
  await writeFile(join(input, "_includes", "base.njk"), LAYOUT);
  await writeFile(join(input, "with-body.md"), `---\nlayout: base.njk\ntitle: With body\n---\n# Gear\n\n${LINKS}\n`);
  // No layout: the built page is a fragment with no </body> at all.
  await writeFile(join(input, "fragment.md"), `# Gear\n\n${LINKS}\n`);
  return input;
}

/** Every object with a string `title` in the lockfile gets the hand-edited one for its ASIN. */
function editTitles(value: unknown, asin?: string): void {
  if (Array.isArray(value)) {
    for (const v of value) editTitles(v, asin);
    return;
  }
  if (!value || typeof value !== "object") return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    const here = Object.keys(FROM_LOCKFILE).find((a) => key.includes(a)) ?? asin;
    if (key === "title" && typeof child === "string" && here) record[key] = FROM_LOCKFILE[here as keyof typeof FROM_LOCKFILE];
    else editTitles(child, here);
  }
}

let fake: FakeAmazon;
let api: FakeAmazon;
let browser: Browser;
let fromPage: BuildResult;
let fromLockfile: BuildResult;
let fromApi: BuildResult;

/** A build with Creators API credentials in process.env, as in a user's CI. */
async function withCredentials<T>(run: () => Promise<T>): Promise<T> {
  const saved = Object.keys(CREDENTIAL).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, CREDENTIAL);
  try {
    return await run();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
let servers: TestServer[] = [];

describe.skipIf(!browserAvailable())("hostile product titles", () => {
  beforeAll(async () => {
    await buildClient();
    fake = await startFakeAmazon({ products: Object.fromEntries(Object.entries(HOSTILE).map(([asin, title]) => [`us:${asin}`, title])) });
    const input = await site();
    const lockfile = join(input, "amazon-links.lock.json");
    const check = { endpoints: fake.endpoints(), lockfile, interval: 0, retries: 0, timeout: "5s", budget: "30s" };
    fromPage = await buildFixture(input, { tags: TAGS, check });
    if (fromPage.error) throw fromPage.error;
    const locked = JSON.parse(await readFile(lockfile, "utf8")) as unknown;
    editTitles(locked);
    await writeFile(lockfile, JSON.stringify(locked, null, 2));
    const requests = fake.requests.length;
    fromLockfile = await buildFixture(input, { tags: TAGS, check });
    if (fromLockfile.error) throw fromLockfile.error;
    expect(fake.requests.length, "the second build reads titles from the lockfile only").toBe(requests);

    api = await startFakeAmazon({
      credentials: { id: CREDENTIAL.AMAZON_CREATORS_CREDENTIAL_ID, secret: CREDENTIAL.AMAZON_CREATORS_CREDENTIAL_SECRET },
      products: Object.fromEntries(Object.entries(FROM_API).map(([asin, title]) => [`us:${asin}`, title])),
    });
    const apiInput = await site();
    const viaApi = {
      via: "creators" as const,
      endpoints: api.endpoints(),
      lockfile: join(apiInput, "amazon-links.lock.json"),
      interval: 0,
      hosts: { "creatorsapi.amazon": { interval: 0 } },
      retries: 0,
      timeout: "5s",
      budget: "30s",
    };
    fromApi = await withCredentials(() => buildFixture(apiInput, { tags: TAGS, check: viaApi }));
    if (fromApi.error) throw fromApi.error;
    expect(api.count({ host: "creatorsapi.amazon" }), "titles came from getItems").toBeGreaterThan(0);
    expect(api.count({ host: "www.amazon.com" }), "no product page was fetched").toBe(0);
    servers = [await serve({}, fromPage.outputDir), await serve({}, fromLockfile.outputDir), await serve({}, fromApi.outputDir)];
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
    await fake?.close();
    await api?.close();
  });

  const cases = [
    ["product page", 0, HOSTILE],
    ["hand-edited lockfile", 1, FROM_LOCKFILE],
    ["Creators API", 2, FROM_API],
  ] as const;
  for (const [source, index, titles] of cases) {
    for (const path of ["/with-body/", "/fragment/"]) {
      it(`${source}, ${path === "/fragment/" ? "page without </body>" : "page with </body>"}: titles stay attribute values`, async () => {
        const built = await [fromPage, fromLockfile, fromApi][index]!.read(`${path.slice(1)}index.html`);
        // Written as the standard's serializer writes attribute values.
        for (const title of Object.values(titles))
          expect(built).toContain(
            `data-amazon-title="${title.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}"`,
          );
        const visitor = await newVisitor(browser, { timezoneId: "America/Chicago", locale: "en-US" });
        const dialogs: string[] = [];
        visitor.page.on("dialog", (dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
        try {
          await visitor.page.goto(`${servers[index]!.origin}${path}`);
          await visitor.page.waitForLoadState("load");
          // Runs in the page (this file is type-checked without the DOM library).
          const seen = await visitor.page.evaluate(`({
            elements: document.querySelectorAll("img, svg, iframe").length,
            scripts: document.scripts.length,
            titles: [...document.querySelectorAll("a[data-amazon-title]")].map((a) => a.getAttribute("data-amazon-title")),
            links: document.querySelectorAll("a").length,
          })`);
          expect(seen).toEqual({ elements: 0, scripts: 1, titles: Object.values(titles), links: 3 });
          expect(dialogs).toEqual([]);
        } finally {
          await visitor.context.close();
        }
      });
    }
  }
});
