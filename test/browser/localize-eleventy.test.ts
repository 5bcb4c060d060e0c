/**
 * End to end: a real Eleventy build through the plugin (programmatic API),
 * the built site served from 127.0.0.1, visitors in Chromium.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildClient } from "../../scripts/build-client.mjs";
import { browserAvailable, launchBrowser } from "../helpers/browser.js";
import { buildFixture, tempDir, type BuildResult } from "../helpers/eleventy.js";
import { HOST, linkHrefs, newVisitor, serve, type TestServer } from "../localize/browser-harness.js";

const TAGS = { us: "mysite-20", uk: "mysite-21", de: "mysite0d-21", jp: "mysite-22" } as const;
type Store = keyof typeof TAGS;
const dp = (store: Store, asin: string) => `https://${HOST[store]}/dp/${asin}?tag=${TAGS[store]}`;

const INDEX_MD = `---
title: Gear
---
# Gear I use

- [Kindle](https://www.amazon.com/Kindle-Paperwhite/dp/B0000000A1/ref=sr_1_1?keywords=kindle&tag=someone-else-20)
- [Ein Buch](https://amazon.de/gp/product/B0000000A4?psc=1)
- [USB-C hubs](https://www.amazon.com/s?k=usb+c+hub)

In code it stays as written: \`https://www.amazon.com/dp/B0000000A9\`
`;
const ABOUT_MD = `---
title: About
---
# About

No shopping here. [Eleventy](https://www.11ty.dev/).
`;
const LAYOUT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>{{ content | safe }}</main>
</body>
</html>
`;

async function site(): Promise<string> {
  const input = await tempDir("amazon-links-localize-site-");
  await mkdir(join(input, "_includes"), { recursive: true });
  await writeFile(join(input, "_includes", "base.njk"), LAYOUT);
  await writeFile(join(input, "_data.json"), "{}");
  await writeFile(join(input, "index.md"), INDEX_MD.replace("---\n#", "layout: base.njk\n---\n#"));
  await writeFile(join(input, "about.md"), ABOUT_MD.replace("---\n#", "layout: base.njk\n---\n#"));
  return input;
}

function expectedFor(store: Store | undefined): Record<string, string> {
  const original = {
    "0": dp("us", "B0000000A1"),
    "1": dp("de", "B0000000A4"),
    "2": "https://www.amazon.com/s?tag=mysite-20&k=usb+c+hub",
  };
  if (!store) return original;
  return {
    "0": store === "us" ? original["0"] : dp(store, "B0000000A1"),
    "1": store === "de" ? original["1"] : dp(store, "B0000000A4"),
    "2": store === "us" ? original["2"] : `https://${HOST[store]}/s?tag=${TAGS[store]}&k=usb+c+hub`,
  };
}

let browser: Browser;
let inline: BuildResult;
let file: BuildResult;
let inlineServer: TestServer;
let fileServer: TestServer;

describe.skipIf(!browserAvailable())("localization through a real Eleventy build", () => {
  beforeAll(async () => {
    await buildClient(); // the plugin reads dist/client/localize.min.js
    const input = await site();
    inline = await buildFixture(input, { tags: { ...TAGS }, localize: {} });
    file = await buildFixture(input, { tags: { ...TAGS }, localize: { script: "file" } });
    if (inline.error) throw inline.error;
    if (file.error) throw file.error;
    const sha = inline.report.localize?.sha256;
    inlineServer = await serve(
      {
        "/csp/": {
          body: await inline.read("index.html"),
          headers: { "content-security-policy": `default-src 'none'; script-src '${sha}'` },
        },
      },
      inline.outputDir,
    );
    fileServer = await serve(
      { "/csp/": { body: await file.read("index.html"), headers: { "content-security-policy": "default-src 'none'; script-src 'self'" } } },
      file.outputDir,
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await inlineServer?.close();
    await fileServer?.close();
  });

  it("injects exactly one script into pages with Amazon links and none elsewhere; the report has its sha256", async () => {
    const index = await inline.read("index.html");
    const about = await inline.read("about/index.html");
    expect(index.match(/<script/g)).toHaveLength(1);
    expect(index).toMatch(/<\/main>\n<script>[\s\S]+?<\/script><\/body>\n<\/html>\n$/);
    expect(about).not.toContain("<script");
    const body = /<script>([\s\S]+?)<\/script>/.exec(index)![1]!;
    expect(inline.report.localize?.sha256).toBe(`sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
    // The link in code is neither rewritten nor marked.
    expect(index).toContain("<code>https://www.amazon.com/dp/B0000000A9</code>");
  });

  it("file mode writes one versioned script and a deferred tag", async () => {
    const files = (await readdir(file.outputDir)).filter((f) => f.startsWith("amazon-links."));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^amazon-links\.[0-9a-f]{10}\.js$/);
    const index = await file.read("index.html");
    expect(index).toContain(`</main>\n<script src="/${files[0]}" defer></script></body>\n</html>`);
    expect(await file.read("about/index.html")).not.toContain("<script");
    expect(await readFile(join(file.outputDir, files[0]!), "utf8")).not.toContain("__AMAZON_LINKS_CONFIG__");
  });

  for (const [name, timezoneId, locale, store] of [
    ["Germany", "Europe/Berlin", "de-DE", "de"],
    ["United Kingdom", "Europe/London", "en-GB", "uk"],
    ["Japan", "Asia/Tokyo", "ja-JP", "jp"],
    ["United States", "America/Chicago", "en-US", "us"],
    ["Norway (no store)", "Europe/Oslo", "nb-NO", undefined],
  ] as const) {
    it(`${name}: built links point at ${store ?? "their own store"}, tag included`, async () => {
      const visitor = await newVisitor(browser, { timezoneId, locale });
      try {
        await visitor.page.goto(`${inlineServer.origin}/`);
        expect(await linkHrefs(visitor.page)).toEqual(expectedFor(store));
        expect(visitor.errors).toEqual([]);
        expect(visitor.outside).toEqual([]);
      } finally {
        await visitor.context.close();
      }
    });
  }

  for (const which of ["inline (sha256 from the report)", "file mode ('self')"] as const) {
    it(`strict CSP, ${which}: runs without a violation`, async () => {
      const server = which.startsWith("inline") ? inlineServer : fileServer;
      const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
      try {
        await visitor.page.goto(`${server.origin}/csp/`);
        await visitor.page.waitForTimeout(100);
        expect(await linkHrefs(visitor.page)).toEqual(expectedFor("de"));
        expect(visitor.errors).toEqual([]);
      } finally {
        await visitor.context.close();
      }
    });
  }

  it("JavaScript disabled: the built links are the static tagged ones", async () => {
    const visitor = await newVisitor(browser, { timezoneId: "Asia/Tokyo", locale: "ja-JP", javaScriptEnabled: false });
    try {
      await visitor.page.goto(`${inlineServer.origin}/`);
      expect(await linkHrefs(visitor.page)).toEqual(expectedFor(undefined));
    } finally {
      await visitor.context.close();
    }
  });
});
