/**
 * Chromium is the oracle for which spellings of a host count: for every row
 * of the spelled-hosts table, the browser's own reading of the href (HTML
 * attribute decoding, then its URL parser with IDNA and percent-decoding of
 * the host) must land on the row's store, and parseAmazonUrl, given the
 * attribute value as our scanner decodes it, must say the same.
 */
import { decodeHTMLAttribute } from "entities";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { browserAvailable, launchBrowser } from "../helpers/browser.js";
import { spelledHosts } from "../html/spelled-hosts.js";

/** Amazon's hosts for the stores the table uses, written out here (not read from stores.ts). */
const STORE_OF_HOST: Record<string, string> = {
  "www.amazon.com": "us",
  "amazon.com": "us",
  "www.amazon.co.uk": "uk",
  "www.amazon.de": "de",
  "amazon.de": "de",
  "www.amazon.co.jp": "jp",
  "www.amazon.fr": "fr",
  "www.amazon.it": "it",
  "www.amazon.es": "es",
  "www.amazon.ca": "ca",
  "amzn.to": "short",
  "a.co": "short",
};

const run = browserAvailable();

describe.runIf(run)("spelled-out hosts in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("every spelling resolves where the table says, in a link and in an iframe srcdoc, and parseAmazonUrl agrees", async () => {
    const page = await browser.newPage();
    // Nothing may leave the machine: every request is refused.
    await page.route("**/*", (route) => route.abort());
    const links = spelledHosts.map((row, i) => `<a id="l${i}" href="${row.source}">${i}</a>`).join("\n");
    const escaped = spelledHosts.map((row, i) => `<a id=l${i} href=&quot;${row.source.replace(/&/g, "&amp;")}&quot;>${i}</a>`).join("");
    await page.setContent(
      `<!doctype html><meta charset="utf-8"><base href="https://site.example/"><body>${links}<iframe srcdoc="${escaped}"></iframe></body>`,
    );
    // Runs in the page: each link's attribute as the HTML parser decoded it, and the host the browser's URL parser made.
    const read = (links: Array<{ getAttribute(name: string): string | null }>) =>
      links.map((a) => ({ attribute: a.getAttribute("href"), hostname: (a as unknown as { hostname: string }).hostname }));
    const top = await page.$$eval("a", read);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    await frame!.waitForSelector(`#l${spelledHosts.length - 1}`, { state: "attached" });
    const inFrame = await frame!.$$eval("a", read);

    const rows = spelledHosts.map((row, i) => {
      const decoded = decodeHTMLAttribute(row.source);
      return {
        source: row.source,
        expected: row.store,
        chromium: STORE_OF_HOST[top[i]!.hostname.replace(/\.$/, "")] ?? null,
        chromiumInSrcdoc: STORE_OF_HOST[inFrame[i]!.hostname.replace(/\.$/, "")] ?? null,
        sameDecoding: decoded === top[i]!.attribute,
        parsed: parseAmazonUrl(decoded)?.marketplace ?? null,
      };
    });
    for (const row of rows) {
      expect(row, row.source).toEqual({
        ...row,
        chromium: row.expected,
        chromiumInSrcdoc: row.expected,
        sameDecoding: true,
        parsed: row.expected,
      });
    }
    await page.close();
  });
});
