/**
 * The page checker judged by pages Amazon really served (test/fixtures/amazon-pages/index.json):
 * each page read from its file and classified with the status it came with, and each served by
 * the fake Amazon to the checker over real HTTP.
 */
import { readFileSync } from "node:fs";
import { Tokenizer } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { readAmazonPage } from "../../src/check/amazon-page.js";
import { checkAsins } from "../../src/check/index.js";
import { classifyAnswer } from "../../src/check/page-checker.js";
import { productNameFromTitle } from "../../src/check/store-title.js";
import { fakeAmazon, fast } from "./helpers.js";

interface CorpusPage {
  file: string;
  case: string;
  store: string;
  status: number;
  alsoStatus?: number[];
  asin: string;
  expect: { status: string; title?: string; available?: false; reason?: string };
}

const DIR = new URL("../fixtures/amazon-pages/", import.meta.url);
const corpus = JSON.parse(readFileSync(new URL("index.json", DIR), "utf8")) as { pages: CorpusPage[] };
const html = (file: string): string => readFileSync(new URL(file, DIR), "utf8");
const read = (body: string) => readAmazonPage(Tokenizer, body);

/** What the checker said, in the shape the corpus states it. */
function said(verdict: { status: string; title?: string; available?: false; reason?: string }, expected: CorpusPage["expect"]) {
  return {
    status: verdict.status,
    ...(expected.title !== undefined ? { title: verdict.title } : {}),
    ...(expected.available !== undefined ? { available: verdict.available } : {}),
    ...(expected.reason !== undefined ? { reason: verdict.reason } : {}),
  };
}

describe("the corpus of real Amazon answers", () => {
  const cases = corpus.pages.flatMap((page) =>
    [page.status, ...(page.alsoStatus ?? [])].map((status) => [page.file, status, page] as const),
  );

  it.each(cases)("%s (HTTP %d)", (file, status, page) => {
    const verdict = classifyAnswer(status, new Headers(), read(html(file)), page.asin);
    const expected = {
      ...page.expect,
      ...(page.expect.reason ? { reason: page.expect.reason.replace(`HTTP ${page.status}`, `HTTP ${status}`) } : {}),
    };
    expect(said(verdict, expected)).toEqual(expected);
    // Only an unavailable product carries the flag; nothing else is ever called unavailable.
    if (page.expect.available === undefined) expect(verdict.available).toBeUndefined();
  });

  it("covers every case the issue names, in several stores", () => {
    const byCase = new Map<string, Set<string>>();
    for (const page of corpus.pages) byCase.set(page.expect.status, (byCase.get(page.expect.status) ?? new Set()).add(page.store));
    expect([...byCase.get("live")!].sort()).toEqual(["de", "es", "jp", "uk", "us"]);
    const kinds = new Set(corpus.pages.map((page) => page.case));
    for (const kind of [
      "404 dog page",
      "captcha",
      "continue shopping",
      "AWS WAF challenge",
      "503 server error",
      "sign-in",
      "Kindle",
      "pre-order (book)",
      "currently unavailable",
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it("served by the fake Amazon, each page gets the same verdict through the page checker", async () => {
    for (const page of corpus.pages) {
      const fake = await fakeAmazon({
        behaviours: [{ path: `/dp/${page.asin}`, respond: { status: page.status, body: html(page.file) } }],
      });
      const [result] = await checkAsins([{ asin: page.asin, marketplace: page.store }], fast(fake, { retries: 0 }));
      const expected = {
        file: page.file,
        ...page.expect,
        ...(page.expect.reason ? { reason: expect.stringContaining(page.expect.reason) } : {}),
      };
      expect({ file: page.file, ...said(result!, page.expect) }).toEqual(expected);
      expect(fake.count()).toBe(1);
      await fake.close();
    }
  });
});

describe("titles", () => {
  it.each([
    ["Amazon.com: SainSmart 4-Channel Relay Module : Automotive", "SainSmart 4-Channel Relay Module"],
    [
      'Amazon.com: Gorilla Black Duct Tape, 1.88" x 12 yd, Black, (Pack of 2) : Industrial & Scientific',
      'Gorilla Black Duct Tape, 1.88" x 12 yd, Black, (Pack of 2)',
    ],
    [
      "Tiamat's Wrath: Book 8 of the Expanse now a major TV series on Netflix: Amazon.de: James S. A. Corey: Fremdsprachige Bücher",
      "Tiamat's Wrath: Book 8 of the Expanse now a major TV series on Netflix",
    ],
    ["WINOMO Kleiderhaken Klappbar Wand-Kleiderständer: Amazon.de: Küche & Haushalt", "WINOMO Kleiderhaken Klappbar Wand-Kleiderständer"],
    ["Die Argonauten eBook: Maggie Nelson, Jan Wilm: Amazon.de: Kindle-Shop", "Die Argonauten"],
    [
      "Vegetable Perfection: 100 delicious recipes for roots, bulbs, shoots and stems: Amazon.co.uk: Follas, Mat: 9781849757096: Books",
      "Vegetable Perfection: 100 delicious recipes for roots, bulbs, shoots and stems",
    ],
    [
      "The Whole Truth (A. Shaw Book 1) - Kindle edition by Baldacci, David. Mystery, Thriller & Suspense Kindle eBooks @ Amazon.com.",
      "The Whole Truth (A. Shaw Book 1)",
    ],
    ["Cecotec Robot Limpiacristales Windroid 880 : Amazon.es: Hogar y cocina", "Cecotec Robot Limpiacristales Windroid 880"],
    ["Modern LED Wall Sconce (with G9 Bulbs Not Dimmable) - - Amazon.com", "Modern LED Wall Sconce (with G9 Bulbs Not Dimmable)"],
    ["Amazon.in", undefined],
    ["Amazon.com", undefined],
    ["Robot Check", "Robot Check"],
  ])("%j → %j", (title, name) => {
    expect(productNameFromTitle(title)).toBe(name);
  });

  it("every real page's <title> loses its store decoration", () => {
    for (const page of corpus.pages.filter((p) => p.expect.title && !p.file.startsWith("live-us-serenity"))) {
      const title = read(html(page.file)).documentTitle!;
      const name = productNameFromTitle(title)!;
      expect(name, page.file).not.toMatch(/Amazon\.|Kindle eBooks|Kindle-Shop|&[a-z]+;/);
      expect(page.expect.title!.replace(/[()]/g, "").startsWith(name.replace(/[()]/g, "").slice(0, 20)), `${page.file}: ${name}`).toBe(
        true,
      );
    }
  });

  it("decodes every entity with the HTML decoder, and drops controls and bidi overrides", () => {
    const facts = read(`<span id="productTitle">Eiwei&szlig;pulver &ndash; f&uuml;r &#x1F600; &amp;&lt;b&gt; \u202eevil\u0007 </span>`);
    expect(facts.productTitle).toBe("Eiweißpulver – für 😀 &<b> evil");
  });
});

describe("hostile answers are read in linear time", () => {
  const size = 2_000_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  // Each shape with the verdict it must get: a page of real product-title elements is a product page.
  const shapes: Record<string, [string, string]> = {
    "an unclosed productTitle tag, repeated": [fill("<span id='productTitle' "), "unverified"],
    "productTitle spans never closed": [fill('<span id="productTitle">x'), "live"],
    "nested availability boxes": [fill('<div id="availability">'), "unverified"],
    "an unclosed comment": [`<!--${fill("-- -")}`, "unverified"],
    "an unclosed title": [`<title>${fill("Amazon.de: ")}`, "unverified"],
    "an unclosed script full of near-markers": [`<script>${fill("awsWafCookieDomainLis gokuProp opfcaptcha.amazon.co ")}`, "unverified"],
    "attributes without end": [`<a ${fill('href="cs_40 alt="Sorry! We couldn ')}`, "unverified"],
    "open tags then stray end tags": [fill("<b>") + fill("</i>"), "unverified"],
    "entities everywhere": [`<span id="productTitle">${fill("&amp;&#x26;&ndash")}</span>`, "live"],
  };

  // CPU time of this process, not the wall clock: other work on a busy machine does not count.
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1_000;
  };

  it("each 2 MB shape is classified well under a second of CPU time, never dead, titles capped", () => {
    const timings: Record<string, number> = {};
    for (const [name, [body, status]] of Object.entries(shapes)) {
      const started = process.cpuUsage();
      const verdict = classifyAnswer(200, new Headers(), read(body), "B000000000");
      timings[name] = cpuMs(started);
      expect(verdict.status, name).toBe(status);
      expect(verdict.title?.length ?? 0, name).toBeLessThanOrEqual(4_000);
    }
    const worst = Math.max(...Object.values(timings));
    console.log(
      `hostile 2 MB answers, worst case ${worst.toFixed(1)} ms of CPU:`,
      Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
    );
    expect(worst).toBeLessThan(1_000);
  });
});
