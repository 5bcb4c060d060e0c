/**
 * The localization script in real Chromium (Debian's, via playwright-core),
 * over pages shaped exactly like the rewriter's output, served from
 * 127.0.0.1. Nothing leaves the machine: every other request is recorded and
 * answered locally.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { browserAvailable, launchBrowser } from "../helpers/browser.js";
import { createLocalize, resolveLocalizeOptions, type LocalizeSetup } from "../../src/localize/index.js";
import { clientCode } from "../localize/client-harness.js";
import { HOST, linkHrefs, newVisitor, serve, type TestServer } from "../localize/browser-harness.js";

const TAGS: Record<string, string> = {
  us: "mysite-20",
  ca: "mysite0c-20",
  uk: "mysite-21",
  de: "mysite0d-21",
  fr: "mysite0f-21",
  jp: "mysite-22",
  au: "mysite03-22",
  in: "mysite0i-21",
};
const tagMap = new Map(Object.entries(TAGS).map(([k, v]) => [k, [v]] as const));
const TITLE = 'Echo Dot (5th Gen) <Charcoal> & "more"';
const dp = (store: string, asin: string) => `https://${HOST[store]}/dp/${asin}?tag=${TAGS[store]}`;
const search = (store: string, text: string) => `https://${HOST[store]}/s?k=${encodeURIComponent(text)}&tag=${TAGS[store]}`;
const attr = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** What the rewriter writes: canonical tagged hrefs plus data attributes. */
const LINKS = `
<ul>
  <li><a id="live-all" href="${dp("us", "B0000000A1")}" rel="sponsored noopener" data-amazon-asin="B0000000A1" data-amazon-store="us" data-amazon-live="au ca de fr in jp uk us">Everywhere</a></li>
  <li><a id="unknown" href="${dp("us", "B0000000A2")}" data-amazon-asin="B0000000A2" data-amazon-store="us">Unknown availability</a></li>
  <li><a id="us-only" href="${dp("us", "B0000000A3")}" data-amazon-asin="B0000000A3" data-amazon-store="us" data-amazon-live="us" data-amazon-title="${attr(TITLE)}">US only, titled</a></li>
  <li><a id="de-uk" href="${dp("de", "B0000000A4")}" data-amazon-asin="B0000000A4" data-amazon-store="de" data-amazon-live="de uk">DE and UK</a></li>
  <li><a id="search" href="https://www.amazon.com/s?tag=mysite-20&amp;k=usb+c+hub" data-amazon-store="us">Search</a></li>
  <li><a id="brand" href="https://www.amazon.com/stores/Anker/page/ABC?tag=mysite-20" data-amazon-store="us">Brand store</a></li>
  <li><a id="other" href="https://example.com/">Not Amazon</a></li>
</ul>`;
const page = (body: string, head = "") =>
  `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Test</title>${head}</head>\n<body>\n<main id="main">${body}</main>\n</body>\n</html>\n`;

const ORIGINAL: Record<string, string> = {
  "live-all": dp("us", "B0000000A1"),
  unknown: dp("us", "B0000000A2"),
  "us-only": dp("us", "B0000000A3"),
  "de-uk": dp("de", "B0000000A4"),
  search: "https://www.amazon.com/s?tag=mysite-20&k=usb+c+hub",
  brand: "https://www.amazon.com/stores/Anker/page/ABC?tag=mysite-20",
};

/** Independent statement of the rules, per visitor store (undefined: no store). */
function expected(store: string | undefined): Record<string, string> {
  if (!store) return ORIGINAL;
  return {
    "live-all": dp(store, "B0000000A1"),
    unknown: dp(store, "B0000000A2"),
    "us-only": store === "us" ? ORIGINAL["us-only"]! : search(store, TITLE),
    "de-uk": store === "de" ? ORIGINAL["de-uk"]! : store === "uk" ? dp("uk", "B0000000A4") : search(store, "B0000000A4"),
    search: store === "us" ? ORIGINAL.search! : `https://${HOST[store]}/s?tag=${TAGS[store]}&k=usb+c+hub`,
    brand: ORIGINAL.brand!,
  };
}

const VISITORS: Array<[name: string, timezoneId: string, locale: string, store: string | undefined]> = [
  ["United States", "America/New_York", "en-US", "us"],
  ["United States (Pacific)", "America/Los_Angeles", "es-US", "us"],
  ["United Kingdom", "Europe/London", "en-GB", "uk"],
  ["Germany", "Europe/Berlin", "de-DE", "de"],
  ["Austria", "Europe/Vienna", "de-AT", "de"],
  ["Switzerland", "Europe/Zurich", "fr-CH", "de"],
  ["France", "Europe/Paris", "fr-FR", "fr"],
  ["Japan", "Asia/Tokyo", "ja-JP", "jp"],
  ["Australia", "Australia/Sydney", "en-AU", "au"],
  ["New Zealand", "Pacific/Auckland", "en-NZ", "au"],
  ["India", "Asia/Kolkata", "hi-IN", "in"],
  ["Canada", "America/Toronto", "en-CA", "ca"],
  ["Norway (no store)", "Europe/Oslo", "nb-NO", undefined],
  ["Brazil (store without a tag)", "America/Sao_Paulo", "pt-BR", undefined],
  ["Germany, English browser", "Europe/Berlin", "en-US", "de"],
  ["UTC, Austrian German", "UTC", "de-AT", "de"],
];

// Page-side code (page.evaluate) runs in the browser; the test program has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const PerformanceObserver: any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Element = { closest(selector: string): { getAttribute(name: string): string | null } | null };

let browser: Browser;
let server: TestServer;
const setups: Record<string, LocalizeSetup> = {};

function make(option: unknown): LocalizeSetup {
  return createLocalize(resolveLocalizeOptions(option, tagMap)!, { clientCode: (geo) => (geo ? code.geo : code.code) });
}
let code: { code: string; geo: string };

describe.skipIf(!browserAvailable())("localization script in Chromium", () => {
  beforeAll(async () => {
    code = await clientCode();
    setups.inline = make({});
    setups.keep = make({ fallback: "keep", assume: false });
    setups.nonce = make({ nonce: "r4nd0mN0nce==" });
    setups.file = make({ script: "file" });
    setups.geoFast = make({ geo: "/geo/fast", geoTimeout: 1500 });
    setups.geoSlow = make({ geo: "/geo/slow", geoTimeout: 300 });
    setups.geoFail = make({ geo: "/geo/fail" });
    setups.geoTrace = make({ geo: "/cdn-cgi/trace" });
    const inline = setups.inline;
    const sha = inline.sha256!;
    const file = setups.file.files[0]!;
    server = await serve({
      "/": { body: inline.injectIntoPage(page(LINKS)) },
      "/keep": { body: setups.keep.injectIntoPage(page(LINKS)) },
      "/csp-hash": {
        body: inline.injectIntoPage(page(LINKS)),
        headers: { "content-security-policy": `default-src 'none'; script-src '${sha}'` },
      },
      "/csp-bad-hash": {
        body: inline.injectIntoPage(page(LINKS)),
        headers: { "content-security-policy": `default-src 'none'; script-src 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='` },
      },
      "/csp-nonce": {
        body: setups.nonce.injectIntoPage(page(LINKS)),
        headers: { "content-security-policy": "default-src 'none'; script-src 'nonce-r4nd0mN0nce=='" },
      },
      "/csp-file": {
        body: setups.file.injectIntoPage(page(LINKS)),
        headers: { "content-security-policy": "default-src 'none'; script-src 'self'" },
      },
      [`/${file.path}`]: { body: file.contents, type: "text/javascript" },
      "/head-only": { body: inline.injectIntoPage(`<!doctype html><html><head><title>x</title></head>${LINKS}`) },
      "/later": {
        body: inline.injectIntoPage(
          page(
            '<p id="empty">nothing yet</p><a id="seed" data-amazon-store="us" href="https://www.amazon.com/s?tag=mysite-20&amp;k=x">seed</a>',
          ),
        ),
      },
      "/removed": {
        body: inline.injectIntoPage(page(LINKS)).replace("</main>", "</main><script>document.getElementById('main').remove()</script>"),
      },
      "/geo-fast": { body: setups.geoFast.injectIntoPage(page(LINKS)) },
      "/geo-slow": { body: setups.geoSlow.injectIntoPage(page(LINKS)) },
      "/geo-fail": { body: setups.geoFail.injectIntoPage(page(LINKS)) },
      "/geo-trace": { body: setups.geoTrace.injectIntoPage(page(LINKS)) },
      "/geo/fast": { body: "JP\n", type: "text/plain", delay: 50 },
      "/geo/slow": { body: "JP\n", type: "text/plain", delay: 3000 },
      "/geo/fail": { body: "FR", type: "text/plain", status: 500 },
      "/cdn-cgi/trace": { body: "fl=1\nh=127.0.0.1\nip=203.0.113.9\ncolo=NRT\nloc=FR\ntls=off\n", type: "text/plain" },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe("visitors (time zone and locale emulation)", () => {
    for (const [name, timezoneId, locale, store] of VISITORS) {
      it(`${name}: ${timezoneId}, ${locale} → ${store ?? "links left as they are"}`, async () => {
        const visitor = await newVisitor(browser, { timezoneId, locale });
        try {
          await visitor.page.goto(`${server.origin}/`);
          const hrefs = await linkHrefs(visitor.page);
          expect(hrefs).toEqual(expected(store));
          expect(visitor.errors).toEqual([]);
          expect(visitor.outside).toEqual([]);
        } finally {
          await visitor.context.close();
        }
      });
    }
  });

  it("fallback keep (and assume: false): products not known to be in the visitor's store keep their link", async () => {
    const visitor = await newVisitor(browser, { timezoneId: "Europe/London", locale: "en-GB" });
    try {
      await visitor.page.goto(`${server.origin}/keep`);
      expect(await linkHrefs(visitor.page)).toEqual({
        ...ORIGINAL,
        "live-all": dp("uk", "B0000000A1"),
        "de-uk": dp("uk", "B0000000A4"),
        search: "https://www.amazon.co.uk/s?tag=mysite-21&k=usb+c+hub",
      });
    } finally {
      await visitor.context.close();
    }
  });

  it("JavaScript disabled: the static tagged links are untouched and work", async () => {
    const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE", javaScriptEnabled: false });
    try {
      await visitor.page.goto(`${server.origin}/`);
      expect(await linkHrefs(visitor.page)).toEqual(ORIGINAL);
      await Promise.all([visitor.page.waitForURL(/amazon\.com/), visitor.page.click("#live-all")]);
      expect(visitor.outside).toEqual([ORIGINAL["live-all"]]);
    } finally {
      await visitor.context.close();
    }
  });

  it("makes no network request by default, and causes no layout shift", async () => {
    const visitor = await newVisitor(browser, { timezoneId: "Asia/Tokyo", locale: "ja-JP" });
    try {
      await visitor.page.goto(`${server.origin}/`);
      await visitor.page.waitForTimeout(300);
      expect(visitor.requests.filter((u) => !u.endsWith("/favicon.ico"))).toEqual([`${server.origin}/`]);
      expect(visitor.outside).toEqual([]);
      const shifts = await visitor.page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list: { getEntries(): unknown[] }) => resolve(list.getEntries().length)).observe({
              type: "layout-shift",
              buffered: true,
            });
            setTimeout(() => resolve(0), 200);
          }),
      );
      expect(shifts).toBe(0);
      expect((await linkHrefs(visitor.page))["live-all"]).toBe(dp("jp", "B0000000A1"));
    } finally {
      await visitor.context.close();
    }
  });

  it("links added after load are fixed at use: click, middle-click, Enter, hover", async () => {
    const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
    const { page } = visitor;
    const add = (id: string, asin: string) =>
      page.evaluate(
        ([id, asin, href]) => {
          const a = document.createElement("a");
          a.id = id!;
          a.href = href!;
          a.textContent = `late ${id}`;
          a.style.display = "block";
          a.setAttribute("data-amazon-asin", asin!);
          a.setAttribute("data-amazon-store", "us");
          document.getElementById("empty")!.append(a);
        },
        [id, asin, dp("us", asin)],
      );
    try {
      await page.goto(`${server.origin}/later`);
      // A link present at load is fixed before any interaction.
      expect((await linkHrefs(page)).seed).toBe("https://www.amazon.de/s?tag=mysite0d-21&k=x");

      // Plain click (element.click(): no hover, no mousedown first).
      await add("late-click", "B0000000C1");
      expect(await page.getAttribute("#late-click", "href")).toBe(dp("us", "B0000000C1"));
      await Promise.all([page.waitForURL(/amazon\.de/), page.evaluate(() => document.getElementById("late-click")!.click())]);
      expect(visitor.outside.at(-1)).toBe(dp("de", "B0000000C1"));

      // Middle-click. A real background tab would bypass Playwright's routing (and try the
      // internet), so a page listener records the href the browser would open and cancels it.
      await page.goto(`${server.origin}/later`);
      await page.evaluate(() => {
        (window as unknown as { opened: string[] }).opened = [];
        window.addEventListener("auxclick", (e: { target: Element; preventDefault(): void }) => {
          (window as unknown as { opened: string[] }).opened.push((e.target as Element).closest("a")!.getAttribute("href")!);
          e.preventDefault();
        });
      });
      await add("late-aux", "B0000000C2");
      // An auxclick alone (no hover, no mousedown before it)…
      await page.dispatchEvent("#late-aux", "auxclick", { button: 1 });
      // …and a real middle-click on a fresh link.
      await add("late-middle", "B0000000C5");
      await page.click("#late-middle", { button: "middle" });
      expect(await page.evaluate(() => (window as unknown as { opened: string[] }).opened)).toEqual([
        dp("de", "B0000000C2"),
        dp("de", "B0000000C5"),
      ]);
      expect(visitor.context.pages()).toHaveLength(1);

      // Keyboard: focus without the mouse, press Enter.
      await add("late-key", "B0000000C3");
      await page.evaluate(() => document.getElementById("late-key")!.focus());
      await Promise.all([page.waitForURL(/amazon\.de/), page.keyboard.press("Enter")]);
      expect(visitor.outside.at(-1)).toBe(dp("de", "B0000000C3"));

      // Hover shows the real destination before any click.
      await page.goto(`${server.origin}/later`);
      await add("late-hover", "B0000000C4");
      await page.hover("#late-hover");
      expect(await page.getAttribute("#late-hover", "href")).toBe(dp("de", "B0000000C4"));
      expect(visitor.errors).toEqual([]);
    } finally {
      await visitor.context.close();
    }
  });

  it("no error on a page whose links were removed, nor on clicks elsewhere", async () => {
    const visitor = await newVisitor(browser, { timezoneId: "Europe/Paris", locale: "fr-FR" });
    try {
      await visitor.page.goto(`${server.origin}/removed`);
      expect(await linkHrefs(visitor.page)).toEqual({});
      await visitor.page.mouse.click(5, 5);
      await visitor.page.keyboard.press("Enter");
      await visitor.page.waitForTimeout(100);
      expect(visitor.errors).toEqual([]);
    } finally {
      await visitor.context.close();
    }
  });

  it("a page without <body> gets the script before </head> and it still works", async () => {
    const visitor = await newVisitor(browser, { timezoneId: "Europe/London", locale: "en-GB" });
    try {
      await visitor.page.goto(`${server.origin}/head-only`);
      expect(await linkHrefs(visitor.page)).toEqual(expected("uk"));
    } finally {
      await visitor.context.close();
    }
  });

  describe("strict Content-Security-Policy", () => {
    for (const [path, label] of [
      ["/csp-hash", "script-src 'sha256-…' (inline)"],
      ["/csp-nonce", "script-src 'nonce-…' (inline)"],
      ["/csp-file", "script-src 'self' (file mode)"],
    ] as const) {
      it(`${label}: the script runs, no violation`, async () => {
        const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
        try {
          const violations: string[] = [];
          await visitor.page.exposeFunction("__violation", (v: string) => violations.push(v));
          await visitor.page.addInitScript(() =>
            document.addEventListener("securitypolicyviolation", (e: { violatedDirective: string; blockedURI: string }) =>
              (window as unknown as { __violation(v: string): void }).__violation(`${e.violatedDirective} ${e.blockedURI}`),
            ),
          );
          await visitor.page.goto(`${server.origin}${path}`);
          await visitor.page.waitForTimeout(100);
          expect(await linkHrefs(visitor.page)).toEqual(expected("de"));
          expect(violations).toEqual([]);
          expect(visitor.errors).toEqual([]);
        } finally {
          await visitor.context.close();
        }
      });
    }

    it("control: with a wrong hash Chromium blocks the script and says so (so the checks above can fail)", async () => {
      const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
      try {
        await visitor.page.goto(`${server.origin}/csp-bad-hash`);
        await visitor.page.waitForTimeout(100);
        expect(await linkHrefs(visitor.page)).toEqual(ORIGINAL);
        expect(visitor.errors.join("\n")).toMatch(/Content Security Policy/);
      } finally {
        await visitor.context.close();
      }
    });
  });

  describe("geo endpoint (optional)", () => {
    /**
     * The page's timers (the geo timeout) wait for the test: however slow the machine, an answer
     * comes before the timeout unless the test runs the page's clock past it.
     */
    async function holdPageTimers(page: Page): Promise<void> {
      const time = Date.UTC(2026, 0, 1);
      await page.clock.install({ time });
      await page.clock.pauseAt(time + 60_000);
    }

    it("a fast answer wins over the time zone; exactly one request, to the endpoint", async () => {
      const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
      try {
        await holdPageTimers(visitor.page);
        await visitor.page.goto(`${server.origin}/geo-fast`);
        await visitor.page.waitForFunction(() => document.getElementById("live-all")!.getAttribute("href")!.includes("co.jp"));
        expect(await linkHrefs(visitor.page)).toEqual(expected("jp"));
        expect(visitor.requests).toEqual([`${server.origin}/geo-fast`, `${server.origin}/geo/fast`]);
      } finally {
        await visitor.context.close();
      }
    });

    it("Cloudflare's /cdn-cgi/trace format", async () => {
      const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
      try {
        await holdPageTimers(visitor.page);
        await visitor.page.goto(`${server.origin}/geo-trace`);
        await visitor.page.waitForFunction(() => document.getElementById("live-all")!.getAttribute("href")!.includes("amazon.fr"));
        expect(await linkHrefs(visitor.page)).toEqual(expected("fr"));
      } finally {
        await visitor.context.close();
      }
    });

    it("a slow endpoint is abandoned after its timeout; the time-zone guess stands", async () => {
      const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
      try {
        await holdPageTimers(visitor.page);
        const failures: string[] = [];
        visitor.page.on("requestfailed", (request) => failures.push(request.url()));
        const asked = visitor.page.waitForRequest(`${server.origin}/geo/slow`);
        await visitor.page.goto(`${server.origin}/geo-slow`);
        await asked;
        // The guess is in place at once, before the endpoint answers.
        expect(await linkHrefs(visitor.page)).toEqual(expected("de"));
        await visitor.page.clock.runFor(299);
        expect(failures).toEqual([]);
        // At the 300 ms timeout (the endpoint answers after 3 s of real time), the request is abandoned.
        const failed = visitor.page.waitForEvent("requestfailed");
        await visitor.page.clock.runFor(1);
        expect((await failed).url()).toBe(`${server.origin}/geo/slow`);
        await visitor.page.clock.runFor(10_000);
        expect(await linkHrefs(visitor.page)).toEqual(expected("de"));
        expect(visitor.errors.filter((e) => !/Failed to load resource|net::ERR_ABORTED/.test(e))).toEqual([]);
      } finally {
        await visitor.context.close();
      }
    });

    it("a failing endpoint (HTTP 500) changes nothing", async () => {
      const visitor = await newVisitor(browser, { timezoneId: "Europe/Berlin", locale: "de-DE" });
      try {
        await visitor.page.goto(`${server.origin}/geo-fail`);
        await visitor.page.waitForLoadState("networkidle");
        expect(await linkHrefs(visitor.page)).toEqual(expected("de"));
      } finally {
        await visitor.context.close();
      }
    });
  });
});
