/**
 * The HTML report page in real headless Chromium, loaded from a file:// URL
 * like a person opening it from disk. Also writes docs/report-screenshot.png.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtmlReport } from "../helpers/report-page.js";
import { browserAvailable, launchBrowser } from "../helpers/browser.js";
import { buildFixture } from "../helpers/eleventy.js";
import { bigReport, hostile, sampleReport } from "./sample-report.js";

// Browser globals used inside page.evaluate callbacks, which run in Chromium: typed loosely and
// module-locally, because the DOM lib would clash with Node's types in the rest of the test program.
declare const document: any, window: any, getComputedStyle: any, performance: any, Event: any;
type HTMLElement = any;
type Element = any;

const screenshotPath = fileURLToPath(new URL("../../docs/report-screenshot.png", import.meta.url));

describe.skipIf(!browserAvailable())("HTML report page in Chromium", () => {
  const report = sampleReport();
  let dir: string;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "amazon-links-report-"));
    const file = join(dir, "report.html");
    await writeFile(file, renderHtmlReport(report));
    url = pathToFileURL(file).href;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A fresh page with console errors and page errors collected. */
  async function open(
    options: Parameters<Browser["newContext"]>[0] = {},
  ): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    // file:// only: any other request would be an external asset.
    const requests: string[] = [];
    context.on("request", (r) => requests.push(r.url()));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(url);
    problems.push(...requests.filter((r) => !r.startsWith("file://")).map((r) => `external request: ${r}`));
    return { page, context, problems };
  }

  /** Rows the filter and search let through (whichever view is shown). */
  const visibleRows = (page: Page, table = "#links-by-page") =>
    page
      .locator(`${table} tr[data-i]`)
      .evaluateAll((rows) =>
        rows
          .filter(
            (r) => !(r as HTMLElement).hidden && !(r.closest("tbody") as HTMLElement).hidden && !(r.closest("table") as HTMLElement).hidden,
          )
          .map((r) => Number(r.getAttribute("data-i"))),
      );
  const levels = (page: Page) =>
    page
      .locator("#links-by-page tr[data-i]")
      .evaluateAll((rows) => rows.filter((r) => (r as HTMLElement).offsetParent !== null).map((r) => r.className));

  it("renders every link row from file:// with no console errors, page errors or external requests, and writes the screenshot", async () => {
    const { page, context, problems } = await open();
    expect(await page.locator("h1").textContent()).toBe("Amazon links report");
    expect(await visibleRows(page)).toHaveLength(report.links.length);
    // The product view is built by the script when it is first shown (see the product view tests).
    expect(await page.locator("#links-by-product tr[data-i]").count()).toBe(0);
    expect(await page.locator("#links-by-product").isVisible()).toBe(false);
    expect(await page.locator("#count").textContent()).toBe(`Showing all ${report.links.length} links`);
    // Hostile strings are shown as text and ran nothing.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("#links-by-page td", { hasText: "Kettle </script>" }).count()).toBe(1);
    expect(await page.locator(`#links-by-page a[href="${hostile.href}"]`).getAttribute("rel")).toBe("noopener");
    const cards = await page.locator(".card").allTextContents();
    expect(cards.map((c) => c.replace(/\s+/g, " ").trim())).toEqual([
      "9 links",
      "4 pages",
      "5 products",
      "5 stores DE FR JP UK US",
      "1 dead",
      "2 untagged",
      "1 unverified",
      "5 errors",
      "3 warnings",
    ]);
    expect(await page.locator("#page-findings tbody tr").count()).toBe(2);
    await mkdir(join(screenshotPath, ".."), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("filters: errors only hides warning and clean rows; errors and warnings hides clean rows", async () => {
    const { page, context, problems } = await open();
    const errorRows = report.links.flatMap((l, i) => (l.findings.some((f) => f.severity === "error") ? [i] : []));
    const problemRows = report.links.flatMap((l, i) => (l.findings.length > 0 ? [i] : []));

    await page.getByLabel("Errors only").check();
    expect((await visibleRows(page)).sort()).toEqual(errorRows.sort());
    expect(new Set(await levels(page))).toEqual(new Set(["lvl-error"]));
    expect(await page.locator("#count").textContent()).toBe(`Showing ${errorRows.length} of 9 links`);
    // The product view, built after the filter was set, applies it too.
    await page.getByLabel("Product", { exact: true }).check();
    expect((await visibleRows(page, "#links-by-product")).sort()).toEqual(errorRows.sort());
    expect(await page.locator("#count").textContent()).toBe(`Showing ${errorRows.length} of 9 links`);
    await page.getByLabel("Page", { exact: true }).check();
    // Page findings follow the filter too: the warning one is hidden.
    expect(await page.locator("#page-findings tbody tr:visible").count()).toBe(1);
    // A page whose links are all filtered out loses its group header too.
    expect(await page.locator("#links-by-page tbody:visible").count()).toBe(3);

    await page.getByLabel("Errors and warnings").check();
    expect((await visibleRows(page)).sort()).toEqual(problemRows.sort());
    expect(new Set(await levels(page))).toEqual(new Set(["lvl-error", "lvl-warning"]));
    expect((await visibleRows(page, "#links-by-product")).sort()).toEqual(problemRows.sort());

    await page.getByLabel("All links").check();
    expect(await visibleRows(page)).toHaveLength(9);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("search filters by ASIN, by page, by message, combined with the filter, and says when nothing matches", async () => {
    const { page, context, problems } = await open();
    const search = page.getByLabel("Search");
    await search.fill("b000dead00");
    expect(await visibleRows(page)).toEqual([3]);
    await search.fill("old-gear");
    expect((await visibleRows(page)).sort()).toEqual([3, 4, 5]);
    expect(await page.locator("#links-by-page tbody:visible").count()).toBe(1);
    await search.fill("B07XJ8C8F5");
    expect((await visibleRows(page)).sort()).toEqual([0, 1, 8]);
    await page.getByLabel("Product", { exact: true }).check();
    expect((await visibleRows(page, "#links-by-product")).sort()).toEqual([0, 1, 8]);
    expect(await page.locator("#links-by-product tbody:visible").count()).toBe(1);
    await page.getByLabel("Page", { exact: true }).check();
    await search.fill("kettle uk");
    expect(await visibleRows(page)).toEqual([1]);
    await search.fill("captcha");
    expect(await visibleRows(page)).toEqual([4]);
    await page.getByLabel("Errors only").check();
    await search.fill("old-gear");
    expect((await visibleRows(page)).sort()).toEqual([3, 5]);
    await search.fill("no such thing");
    expect(await visibleRows(page)).toEqual([]);
    expect(await page.locator("#no-match").isVisible()).toBe(true);
    expect(await page.locator("#count").textContent()).toBe("Showing 0 of 9 links");
    await search.fill("");
    await page.getByLabel("All links").check();
    expect(await visibleRows(page)).toHaveLength(9);
    expect(await visibleRows(page, "#links-by-product")).toHaveLength(9);
    expect(await page.locator("#no-match").isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("sorting by a column reorders rows within each page and sets aria-sort", async () => {
    const { page, context, problems } = await open();
    const order = () =>
      page
        .locator("#links-by-page tbody")
        .evaluateAll((tbs) => tbs.map((tb) => [...tb.querySelectorAll("tr[data-i]")].map((r) => Number(r.getAttribute("data-i")))));
    const asinOf = (i: number) => report.links[i]!.asin ?? "\uffff";
    const before = await order();
    const asinHeader = page.locator("#links-by-page th[data-key=asin]");
    expect(await asinHeader.getAttribute("aria-sort")).toBeNull();

    await page.locator("#links-by-page button.sort[data-key=asin]").click();
    expect(await asinHeader.getAttribute("aria-sort")).toBe("ascending");
    const asc = await order();
    for (const group of asc) expect(group.map(asinOf)).toEqual([...group.map(asinOf)].sort());
    expect(asc).not.toEqual(before);
    // The other view follows the same sort.
    expect(await page.locator("#links-by-product th[data-key=asin]").getAttribute("aria-sort")).toBe("ascending");

    await page.locator("#links-by-page button.sort[data-key=asin]").click();
    expect(await asinHeader.getAttribute("aria-sort")).toBe("descending");
    const desc = await order();
    for (const group of desc) expect(group.map(asinOf)).toEqual([...group.map(asinOf)].sort().reverse());

    await page.locator("#links-by-page button.sort[data-key=status]").click();
    expect(await asinHeader.getAttribute("aria-sort")).toBeNull();
    expect(await page.locator("#links-by-page th[data-key=status]").getAttribute("aria-sort")).toBe("ascending");
    const byStatus = (await order()).find((g) => g.includes(3))!;
    expect(byStatus.map((i) => report.links[i]!.status)).toEqual(["dead", "unverified", "unchecked"]);

    // Sorting by source orders by line numerically.
    await page.locator("#links-by-page button.sort[data-key=source]").click();
    const bySource = (await order()).find((g) => g.includes(0))!;
    expect(bySource.map((i) => report.links[i]!.line)).toEqual([3, 12, 20]);

    // The product view, built after sorting, is sorted the same way (by file, then line).
    await page.getByLabel("Product", { exact: true }).check();
    expect(await page.locator("#links-by-product th[data-key=source]").getAttribute("aria-sort")).toBe("ascending");
    const kettle = await page
      .locator("#links-by-product tbody", { hasText: "B07XJ8C8F5" })
      .evaluate((tb) => [...tb.querySelectorAll("tr[data-i]")].map((r) => Number(r.getAttribute("data-i"))));
    expect(kettle).toEqual([8, 0, 1]);
    // Sorting in the product view reorders both views.
    await page.locator("#links-by-product button.sort[data-key=source]").click();
    expect(await page.locator("#links-by-product th[data-key=source]").getAttribute("aria-sort")).toBe("descending");
    expect(await asinHeader.getAttribute("aria-sort")).toBeNull();
    expect(await page.locator("#links-by-page th[data-key=source]").getAttribute("aria-sort")).toBe("descending");
    expect((await order()).find((g) => g.includes(0))!.map((i) => report.links[i]!.line)).toEqual([20, 12, 3]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("is usable from the keyboard: Tab reaches every control, keys operate them", async () => {
    const { page, context, problems } = await open();
    const seen: string[] = [];
    for (let k = 0; k < 40; k++) {
      await page.keyboard.press("Tab");
      seen.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return "";
          if (el.tagName === "INPUT") return `${el.type}:${el.name || el.id}:${el.value}`;
          return `${el.tagName.toLowerCase()}:${el.className}:${el.getAttribute("data-key") ?? el.textContent?.trim().slice(0, 20)}`;
        }),
      );
    }
    expect(seen[0]).toBe("a:skip:Skip to the links");
    expect(seen).toContain("radio:show:all");
    expect(seen).toContain("radio:view:page");
    expect(seen).toContain("search:search:");
    for (const key of ["status", "asin", "title", "store", "source", "findings", "href"]) expect(seen).toContain(`button:sort:${key}`);
    // Focus is visible (outline drawn).
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");

    // Arrow keys move between radios (native), and the filter follows.
    await page.getByLabel("All links").focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await page.getByLabel("Errors only").isChecked()).toBe(true);
    expect(new Set(await levels(page))).toEqual(new Set(["lvl-error"]));
    // Enter on a sort button sorts.
    await page.locator("#links-by-page button.sort[data-key=title]").focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("#links-by-page th[data-key=title]").getAttribute("aria-sort")).toBe("ascending");
    // Typing in the search box filters.
    await page.getByLabel("Search").focus();
    await page.keyboard.type("B000DEAD00");
    expect(await visibleRows(page)).toEqual([3]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("groups by product with per-store availability", async () => {
    const { page, context, problems } = await open();
    expect(await page.locator("#links-by-product").isVisible()).toBe(false);
    await page.getByLabel("Product", { exact: true }).check();
    expect(await page.locator("#links-by-product").isVisible()).toBe(true);
    expect(await page.locator("#links-by-page").isVisible()).toBe(false);
    expect(await visibleRows(page, "#links-by-product")).toHaveLength(report.links.length);
    // One group per ASIN, sorted, then the links without a product.
    const headers = (await page.locator("#links-by-product tr.group th").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(headers.map((h) => h.split(" ")[0])).toEqual(["012345678X", "B000DEAD00", "B00UNVER1F", "B07XJ8C8F5", "B0TESTDE01", "Links"]);
    expect(await page.locator("#links-by-product th[scope=rowgroup][colspan='7']").count()).toBe(6);
    const kettle = page.locator("#links-by-product tbody", { hasText: "B07XJ8C8F5" });
    expect(await kettle.locator("tr[data-i]").count()).toBe(3);
    expect(headers[3]).toContain("B07XJ8C8F5 Fellow Stagg EKG Electric Kettle · 3 links on 2 pages Availability:");
    expect(headers[1]).toContain("(title unknown) · 1 link on 1 page");
    const chips = (await kettle.locator(".stores li").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
    expect(chips).toEqual(["✓ DE live", "✗ FR not known live", "✓ UK live", "✓ US live"]);
    expect(await kettle.locator(".stores li").first().getAttribute("title")).toBe("Live in Germany");
    expect(await kettle.locator(".stores li [aria-hidden=true]").count()).toBe(4);
    // A product without availability data has no chips; the hostile title is text, not markup.
    expect(await page.locator("#links-by-product tbody", { hasText: "B00UNVER1F" }).locator(".stores").count()).toBe(0);
    expect(await page.locator("#links-by-product tr.group .ptitle", { hasText: "Kettle </script>" }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("#links-by-product tbody", { hasText: "Links without a product" }).locator("tr[data-i]").count()).toBe(2);
    // Rows from many pages meet here, so Source names the file too; the row's cells are the page view's.
    const rowText = (table: string, i: number) =>
      page.locator(`${table} tr[data-i="${i}"] td`).evaluateAll((tds) => tds.map((td) => (td.textContent ?? "").trim()));
    const [inProduct, inPage] = [await rowText("#links-by-product", 8), await rowText("#links-by-page", 8)];
    expect(inProduct[4]).toBe("content/about.md:1:1");
    expect(inPage[4]).toBe("1:1");
    expect([...inProduct.slice(0, 4), ...inProduct.slice(5)]).toEqual([...inPage.slice(0, 4), ...inPage.slice(5)]);
    // Back to the page view: it is intact.
    await page.getByLabel("Page", { exact: true }).check();
    expect(await page.locator("#links-by-product").isVisible()).toBe(false);
    expect(await visibleRows(page)).toHaveLength(report.links.length);
    expect(await page.locator("#links-by-page tr[data-i]").count()).toBe(report.links.length);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("is readable on a phone: no horizontal scrolling, rows stacked with labels", async () => {
    const { page, context, problems } = await open({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const display = await page
      .locator("#links-by-page td")
      .first()
      .evaluate((td) => getComputedStyle(td).display);
    expect(display).toBe("grid");
    const label = await page
      .locator("#links-by-page td")
      .first()
      .evaluate((td) => getComputedStyle(td, "::before").content);
    expect(label).toBe('"Status"');
    // Sort buttons stay reachable and filters still work.
    expect(await page.locator("#links-by-page button.sort[data-key=asin]").isVisible()).toBe(true);
    // Cells with several parts stack them beside the label; an empty Findings cell says "None".
    const storeCell = page.locator('#links-by-page tr[data-i="0"] td').nth(3);
    const placed = await storeCell.evaluate((td) => [...td.children].map((c) => getComputedStyle(c).gridColumnStart));
    expect(placed).toEqual(["2", "2"]);
    const none = await page
      .locator('#links-by-page tr[data-i="1"] td')
      .nth(5)
      .evaluate((td) => getComputedStyle(td, "::after").content);
    expect(none).toBe('"None"');
    await page.getByLabel("Errors only").check();
    expect(new Set(await levels(page))).toEqual(new Set(["lvl-error"]));
    // The product view fits too.
    await page.getByLabel("Product", { exact: true }).check();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    it(`meets WCAG AA contrast for text, badges, cards and links (${colorScheme})`, async () => {
      const { page, context, problems } = await open({ colorScheme });
      const check = () =>
        page.evaluate(() => {
          const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
          const lum = ([r, g, b]: number[]) => {
            const f = (v: number) => {
              const s = v / 255;
              return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
            };
            return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
          };
          const background = (el: Element | null): number[] => {
            for (let e = el; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
            }
            return parse(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
          };
          const out: string[] = [];
          const selector =
            "h1, h2, p, .badge, .card .num, .card .label, .card .detail, td a, .sub, .none, .rule, .was, td small, td code, .ptitle, caption, .sort, legend, label, .meta";
          for (const el of document.querySelectorAll(selector)) {
            if (!(el as HTMLElement).offsetParent && el.tagName !== "BODY") continue;
            if (!el.textContent?.trim()) continue;
            const fg = parse(getComputedStyle(el).color).slice(0, 3);
            const bg = background(el);
            const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
            const ratio = (a! + 0.05) / (b! + 0.05);
            if (ratio < 4.5) out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
          }
          // "None" in an empty Findings cell is CSS generated content.
          for (const td of document.querySelectorAll("td:empty")) {
            if (!(td as HTMLElement).offsetParent) continue;
            const after = getComputedStyle(td, "::after");
            if (after.content !== '"None"') out.push(`empty cell without "None": ${td.closest("tr").getAttribute("data-i")}`);
            const [a, b] = [lum(parse(after.color).slice(0, 3)), lum(background(td))].sort((x, y) => y - x);
            if ((a! + 0.05) / (b! + 0.05) < 4.5) out.push(`td:empty::after ${((a! + 0.05) / (b! + 0.05)).toFixed(2)}`);
          }
          return out;
        });
      expect(await page.locator("#links-by-page td:empty").count()).toBeGreaterThan(0);
      expect(await check()).toEqual([]);
      await page.getByLabel("Product", { exact: true }).check();
      expect(await check()).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it("works without JavaScript: every row shown with its link, controls hidden, a note on what needs JavaScript", async () => {
    const { page, context } = await open({ javaScriptEnabled: false });
    expect(await visibleRows(page)).toHaveLength(9);
    expect(await page.locator("#links-by-page tr[data-i]:visible").count()).toBe(9);
    for (const l of report.links.filter((x) => x.href.startsWith("https://"))) {
      expect(await page.locator(`#links-by-page a[href="${l.href}"]:visible`).count()).toBe(1);
    }
    expect(await page.locator("#links-by-page .was:visible").count()).toBe(report.links.filter((l) => l.original !== l.href).length);
    expect(await page.locator("#links-by-page tr[data-i] small:visible", { hasText: "live in US, UK, DE" }).count()).toBe(3);
    expect(await page.locator("#controls").isVisible()).toBe(false);
    expect(await page.locator("#links-by-product").isVisible()).toBe(false);
    expect(await page.locator("#noscript-note").isVisible()).toBe(true);
    expect(await page.locator("#noscript-note").textContent()).toContain("grouping by product need JavaScript");
    await context.close();
  });

  it("hides the no-JavaScript note when JavaScript runs", async () => {
    const { page, context, problems } = await open();
    expect(await page.locator("#noscript-note").count()).toBe(0);
    expect(await page.locator("#controls").isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("renders the report of a real Eleventy build (failing fixture) without errors", async () => {
    const build = await buildFixture("test/fixtures/site-failing/content", { tags: { us: "ours-20" } });
    try {
      const file = join(dir, "real.html");
      await writeFile(file, renderHtmlReport(build.report));
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator("#links-by-page tr[data-i]").count()).toBe(build.report.links.length);
      await page.getByLabel("Errors only").check();
      const shown = await visibleRows(page);
      expect(shown.length).toBe(build.report.links.filter((l) => l.findings.some((f) => f.severity === "error")).length);
      expect(shown.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await rm(build.outputDir, { recursive: true, force: true });
      await rm(build.reportPath, { force: true });
    }
  });

  it("with 3,000 links: search, sort and the product view show the right rows", async () => {
    const big = bigReport(3000);
    const file = join(dir, "big.html");
    await writeFile(file, renderHtmlReport(big));
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator("#links-by-page tr[data-i]").count()).toBe(3000);
    // One search, then a sort by ASIN, descending (a second click): post-42's ten links, last ASIN first.
    await page.locator("#search").fill("post-42/");
    const sortByAsin = page.locator("#links-by-page button.sort[data-key=asin]");
    await sortByAsin.click();
    await sortByAsin.click();
    const post42 = Array.from({ length: 10 }, (_, k) => 429 - k);
    expect(await visibleRows(page)).toEqual(post42);
    expect(await page.locator("#links-by-page th[data-key=asin]").getAttribute("aria-sort")).toBe("descending");
    // The product view is built from the 3,000 rows on first use, with the same search and sort:
    // one group per ASIN in ASIN order, each holding the one post-42 link to it.
    await page.locator("input[name=view][value=product]").check();
    expect(await page.locator("#links-by-product tr[data-i]").count()).toBe(3000);
    expect(await visibleRows(page, "#links-by-product")).toEqual([...post42].reverse());
    expect(await page.locator("#links-by-product tbody:visible").count()).toBe(10);
    expect(await page.locator("#links-by-product th[data-key=asin]").getAttribute("aria-sort")).toBe("descending");
    expect(errors).toEqual([]);
    await context.close();
  });
});
