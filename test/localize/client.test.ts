/**
 * The browser script's logic, run in node:vm against a fake DOM: detection
 * for every time zone and country, the rewrite decisions, idempotence.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createLocalize } from "../../src/localize/index.js";
import { resolveLocalizeOptions } from "../../src/localize/options.js";
import { countryZones, shippedZones } from "../../src/localize/zones.js";
import { marketplaces } from "../../src/amazon/stores.js";
import { clientCode, fakeLink, scriptBody, visit, type FakeLink } from "./client-harness.js";

let code: { code: string; geo: string };
beforeAll(async () => {
  code = await clientCode();
});

const tagMap = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, [v]] as const));
const EIGHT = tagMap({ us: "s-20", ca: "s0c-20", uk: "s-21", de: "s0d-21", fr: "s0f-21", it: "s0e-21", es: "s0a-21", jp: "s-22" });
const ALL = tagMap(Object.fromEntries(marketplaces.map((m) => [m.code, `t${m.code}-21`])));

function script(option: unknown, tags = EIGHT): string {
  const setup = createLocalize(resolveLocalizeOptions(option, tags)!, { clientCode: (geo) => (geo ? code.geo : code.code) });
  return scriptBody(setup.html);
}

const product = (store: string, extra: Record<string, string> = {}) =>
  fakeLink({
    href: `https://www.amazon.${store === "us" ? "com" : store === "uk" ? "co.uk" : store}/dp/B000000001?tag=orig-${store}`,
    "data-amazon-asin": "B000000001",
    "data-amazon-store": store,
    ...extra,
  });

/** The store a bare probe link ends up in ("" when left alone). */
function detect(js: string, timeZone: string | undefined, languages: string[] = []): string {
  const probe = fakeLink({ href: "https://probe.invalid/", "data-amazon-asin": "B000000001", "data-amazon-store": "zz" });
  const result = visit(js, { timeZone, languages, links: [probe] });
  expect(result.errors).toEqual([]);
  const href = probe.getAttribute("href")!;
  if (href === "https://probe.invalid/") return "";
  const host = new URL(href).host.replace(/^www\.amazon\./, "");
  return marketplaces.find((m) => m.domain === `amazon.${host}`)!.code;
}

describe("country detection (every zone)", () => {
  for (const [label, tags] of [
    ["8 stores", EIGHT],
    ["every store", ALL],
  ] as const) {
    it(`maps every shipped zone to its country's store, and no zone to another store (${label})`, () => {
      const js = script({}, tags);
      const countryStore = resolveLocalizeOptions({}, tags)!.countryStore;
      const wrong: string[] = [];
      let shipped = 0;
      for (const [country, zones] of countryZones()) {
        const expected = countryStore.get(country) ?? "";
        const shippedHere = new Set(shippedZones(country));
        for (const zone of zones) {
          const got = detect(js, zone);
          if (shippedHere.has(zone) && expected) {
            shipped++;
            if (got !== expected) wrong.push(`${zone} (${country}) → "${got}", want "${expected}"`);
          } else if (got !== "" && got !== expected) {
            wrong.push(`${zone} (${country}) → "${got}", want "${expected}" or none`);
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(shipped).toBeGreaterThan(30);
    });
  }

  it("falls back to the first region in the browser languages", () => {
    const js = script({});
    expect(detect(js, "UTC", ["de-AT", "de", "en-US"])).toBe("de");
    expect(detect(js, "Etc/GMT+1", ["fr", "en-GB"])).toBe("uk");
    expect(detect(js, "UTC", ["zh-Hans-CN"])).toBe("");
    expect(detect(js, undefined, ["ja-JP"])).toBe("jp");
    expect(detect(js, "UTC", ["en"])).toBe("");
    expect(detect(js, "UTC", [])).toBe("");
    expect(detect(js, "UTC", ["es-419"])).toBe("");
    expect(detect(js, "UTC", ["fr-RE"])).toBe("fr"); // a territory whose zone does not ship
  });

  it("prefers the time zone to the languages", () => {
    const js = script({});
    expect(detect(js, "Europe/Berlin", ["en-US"])).toBe("de");
    expect(detect(js, "America/New_York", ["de-DE"])).toBe("us");
  });

  it("honours the countries option in both zone and language detection", () => {
    const js = script({ countries: { NO: "de", IE: false } }, tagMap({ us: "a-20", de: "b-21", uk: "c-21" }));
    expect(detect(js, "Europe/Oslo")).toBe("de");
    expect(detect(js, "UTC", ["nb-NO"])).toBe("de");
    expect(detect(js, "Europe/Dublin", ["en-IE"])).toBe("");
    expect(detect(js, "Europe/London")).toBe("uk");
  });
});

describe("rewriting", () => {
  const run = (js: string, timeZone: string, links: FakeLink[], languages: string[] = []) => {
    const result = visit(js, { timeZone, languages, links });
    expect(result.errors).toEqual([]);
    return result;
  };

  it("sends a product to the visitor's store with that store's tag", () => {
    const link = product("us");
    run(script({}), "Europe/Berlin", [link]);
    expect(link.attrs.href).toBe("https://www.amazon.de/dp/B000000001?tag=s0d-21");
  });

  it("leaves links in the visitor's own store and visitors without a store alone", () => {
    const own = product("de");
    run(script({}), "Europe/Vienna", [own]);
    expect(own.attrs.href).toBe("https://www.amazon.de/dp/B000000001?tag=orig-de");
    const far = product("us");
    run(script({}), "America/Buenos_Aires", [far], ["es-AR"]);
    expect(far.attrs.href).toBe("https://www.amazon.com/dp/B000000001?tag=orig-us");
  });

  it("uses availability: live there → product; not live → search for the title, or the ASIN; keep", () => {
    const live = product("us", { "data-amazon-live": "de us" });
    const dead = product("us", { "data-amazon-live": "uk us", "data-amazon-title": 'Kindle "Paperwhite" & <case>' });
    const noTitle = product("us", { "data-amazon-live": "us" });
    const nowhere = product("us", { "data-amazon-live": "" });
    run(script({}), "Europe/Berlin", [live, dead, noTitle, nowhere]);
    expect(live.attrs.href).toBe("https://www.amazon.de/dp/B000000001?tag=s0d-21");
    expect(dead.attrs.href).toBe(`https://www.amazon.de/s?k=${encodeURIComponent('Kindle "Paperwhite" & <case>')}&tag=s0d-21`);
    expect(noTitle.attrs.href).toBe("https://www.amazon.de/s?k=B000000001&tag=s0d-21");
    expect(nowhere.attrs.href).toBe("https://www.amazon.de/s?k=B000000001&tag=s0d-21");

    const kept = product("us", { "data-amazon-live": "us" });
    run(script({ fallback: "keep" }), "Europe/Berlin", [kept]);
    expect(kept.attrs.href).toBe("https://www.amazon.com/dp/B000000001?tag=orig-us");
  });

  it("assume: false treats unknown availability as not live", () => {
    const unknown = product("us");
    run(script({ assume: false }), "Europe/Paris", [unknown]);
    expect(unknown.attrs.href).toBe("https://www.amazon.fr/s?k=B000000001&tag=s0f-21");
    const keep = product("us");
    run(script({ assume: false, fallback: "keep" }), "Europe/Paris", [keep]);
    expect(keep.attrs.href).toBe("https://www.amazon.com/dp/B000000001?tag=orig-us");
  });

  it("moves search links, leaves other non-product pages", () => {
    const search = fakeLink({ href: "https://www.amazon.com/s?tag=orig-20&k=usb+c+cable", "data-amazon-store": "us" });
    const brand = fakeLink({ href: "https://www.amazon.com/stores/Anker/page/1?tag=orig-20", "data-amazon-store": "us" });
    run(script({}), "Asia/Tokyo", [search, brand]);
    expect(search.attrs.href).toBe("https://www.amazon.co.jp/s?tag=s-22&k=usb+c+cable");
    expect(brand.attrs.href).toBe("https://www.amazon.com/stores/Anker/page/1?tag=orig-20");
  });

  it("ignores unmarked links, is idempotent; a marked product is written from its attributes alone", () => {
    const plain = fakeLink({ href: "https://www.amazon.com/dp/B000000001" });
    const noHref = fakeLink({ "data-amazon-asin": "B000000001", "data-amazon-store": "us" });
    const link = product("us");
    const js = script({});
    const result = run(js, "Europe/London", [plain, noHref, link]);
    expect(plain.attrs.href).toBe("https://www.amazon.com/dp/B000000001");
    // The rewriter always writes href; the script reads only data attributes for products (speed).
    expect(noHref.attrs.href).toBe("https://www.amazon.co.uk/dp/B000000001?tag=s-21");
    const searchNoHref = fakeLink({ "data-amazon-store": "us" });
    run(js, "Europe/London", [searchNoHref]);
    expect(searchNoHref.attrs.href).toBeUndefined();
    const once = link.attrs.href;
    expect(once).toBe("https://www.amazon.co.uk/dp/B000000001?tag=s-21");
    result.fire("click", link);
    run(js, "Europe/London", [link]);
    expect(link.attrs.href).toBe(once);
  });

  it("waits for DOMContentLoaded while the page is loading", () => {
    const link = product("us");
    const result = visit(script({}), { timeZone: "Europe/Rome", links: [link], readyState: "loading" });
    expect(link.attrs.href).toContain("amazon.com");
    result.contentLoaded();
    expect(link.attrs.href).toBe("https://www.amazon.it/dp/B000000001?tag=s0e-21");
  });

  it("fixes links added later when they are used (delegation), and survives events on other targets", () => {
    const links: FakeLink[] = [];
    const result = visit(script({}), { timeZone: "Asia/Tokyo", links });
    expect([...result.listeners.keys()]).toEqual(expect.arrayContaining(["mousedown", "click", "auxclick", "keydown"]));
    const late = product("us");
    for (const type of ["click", "auxclick", "keydown", "mousedown", "mouseover"]) {
      late.attrs.href = "https://www.amazon.com/dp/B000000001?tag=orig-us";
      result.fire(type, late);
      expect(late.attrs.href, type).toBe("https://www.amazon.co.jp/dp/B000000001?tag=s-22");
    }
    // Targets that are not elements (window, document) must not throw.
    expect(() => {
      for (const listener of result.listeners.get("keydown") ?? []) listener({ type: "keydown", target: {} });
    }).not.toThrow();
  });
});

describe("geo endpoint", () => {
  // The script's timers (the geo timeout) and the answers' delays run on vitest's fake timers.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const respond =
    (body: string, ok = true, delay = 0) =>
    () =>
      new Promise<{ ok: boolean; text(): Promise<string> }>((resolve) => setTimeout(() => resolve({ ok, text: async () => body }), delay));

  it.each([
    ["DE", "de"],
    ["de\n", "de"],
    ['"FR"', "fr"],
    ["fl=123\nh=example.com\nip=203.0.113.1\nts=1\nvisit_scheme=https\ncolo=FRA\nloc=JP\ntls=TLSv1.3\n", "jp"],
    ['{"ip":"203.0.113.1","country":"Italy","countryCode":"IT"}', "it"],
    ['{"country_code": "ES"}', "es"],
    ["NO", ""],
  ])("reads %j", async (body, store) => {
    const link = product("us");
    visit(script({ geo: "/geo" }), { timeZone: "America/New_York", links: [link], fetch: respond(body) });
    await vi.advanceTimersByTimeAsync(0);
    const expected = store === "" || store === "us" ? "https://www.amazon.com/dp/B000000001?tag=orig-us" : undefined;
    if (expected) expect(link.attrs.href).toBe(expected);
    else expect(new URL(link.attrs.href!).host).toBe(`www.amazon.${store === "uk" ? "co.uk" : store === "jp" ? "co.jp" : store}`);
  });

  it("undoes the first guess when the endpoint disagrees, keeps it on errors and timeouts", async () => {
    const moved = product("us");
    visit(script({ geo: "/geo" }), { timeZone: "Europe/Berlin", links: [moved], fetch: respond("US") });
    expect(moved.attrs.href).toContain("amazon.de");
    await vi.advanceTimersByTimeAsync(0);
    expect(moved.attrs.href).toBe("https://www.amazon.com/dp/B000000001?tag=orig-us");

    const failed = product("us");
    visit(script({ geo: "/geo" }), { timeZone: "Europe/Berlin", links: [failed], fetch: respond("FR", false) });
    await vi.advanceTimersByTimeAsync(0);
    expect(failed.attrs.href).toBe("https://www.amazon.de/dp/B000000001?tag=s0d-21");

    const slow = product("us");
    let aborted = false;
    visit(script({ geo: "/geo", geoTimeout: 50 }), {
      timeZone: "Europe/Berlin",
      links: [slow],
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          });
        }),
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(aborted).toBe(true);
    expect(slow.attrs.href).toBe("https://www.amazon.de/dp/B000000001?tag=s0d-21");
  });
});
