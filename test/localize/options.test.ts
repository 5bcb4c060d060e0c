import { describe, expect, it } from "vitest";
import { resolveLocalizeOptions } from "../../src/localize/options.js";

const tags = (entries: Record<string, string | string[]>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k, typeof v === "string" ? [v] : v] as const));
const two = tags({ us: "mysite-20", de: ["mysite0d-21", "other-21"] });

describe("localize option", () => {
  it("is on by default from two tagged stores, off below", () => {
    expect(resolveLocalizeOptions(undefined, two)).toBeDefined();
    expect(resolveLocalizeOptions(undefined, tags({ us: "mysite-20" }))).toBeUndefined();
    expect(resolveLocalizeOptions(undefined, new Map())).toBeUndefined();
    // Asking for it with one store changes nothing: there is nowhere else to send anyone.
    expect(resolveLocalizeOptions(true, tags({ us: "mysite-20" }))).toBeUndefined();
  });

  it("false (or null) switches it off", () => {
    expect(resolveLocalizeOptions(false, two)).toBeUndefined();
    expect(resolveLocalizeOptions(null, two)).toBeUndefined();
  });

  it("has documented defaults", () => {
    const r = resolveLocalizeOptions(true, two)!;
    expect(r.script).toBe("inline");
    expect(r.nonce).toBeUndefined();
    expect(r.fallback).toBe("search");
    expect(r.assume).toBe(true);
    expect(r.geo).toBeUndefined();
    expect(r.geoTimeout).toBe(1000);
    // The first tag is the one written.
    expect([...r.tags]).toEqual([
      ["us", "mysite-20"],
      ["de", "mysite0d-21"],
    ]);
  });

  it("maps countries to stores we have tags for, with fallback chains", () => {
    const r = resolveLocalizeOptions(undefined, tags({ us: "a-20", uk: "a-21", de: "b-21", au: "c-22" }))!;
    const map = r.countryStore;
    expect(map.get("US")).toBe("us");
    expect(map.get("PR")).toBe("us");
    expect(map.get("AT")).toBe("de");
    expect(map.get("CH")).toBe("de");
    expect(map.get("LI")).toBe("de");
    expect(map.get("NZ")).toBe("au");
    expect(map.get("IE")).toBe("uk"); // no ie tag: amazon.co.uk
    expect(map.get("BE")).toBe("de"); // be, fr, nl not tagged: de
    expect(map.get("FR")).toBeUndefined();
    expect(map.get("NO")).toBeUndefined();
    const withIe = resolveLocalizeOptions(undefined, tags({ uk: "a-21", ie: "a-22" }))!;
    expect(withIe.countryStore.get("IE")).toBe("ie");
    const withFr = resolveLocalizeOptions(undefined, tags({ us: "a-20", fr: "a-21", be: "b-21" }))!;
    expect(withFr.countryStore.get("BE")).toBe("be");
    expect(withFr.countryStore.get("LU")).toBe("fr");
    expect(withFr.countryStore.get("CH")).toBe("fr");
  });

  it("lets countries be overridden, listed or switched off", () => {
    const r = resolveLocalizeOptions(
      { countries: { ie: "uk", NO: ["se", "de"], CH: false, AT: null } },
      tags({ us: "a-20", uk: "a-21", ie: "a-22", de: "b-21" }),
    )!;
    expect(r.countryStore.get("IE")).toBe("uk");
    expect(r.countryStore.get("NO")).toBe("de");
    expect(r.countryStore.has("CH")).toBe(false);
    expect(r.countryStore.has("AT")).toBe(false);
  });

  it.each([
    [42, /option "localize" must be true, false or an object/],
    ["yes", /option "localize" must be/],
    [{ scripts: "file" }, /option "localize\.scripts" is unknown/],
    [{ script: "external" }, /option "localize\.script" must be "inline" or "file"/],
    [{ nonce: 'a" onload="x' }, /option "localize\.nonce"/],
    [{ nonce: "" }, /option "localize\.nonce"/],
    [{ fallback: "redirect" }, /option "localize\.fallback" must be "search" or "keep"/],
    [{ assume: "yes" }, /option "localize\.assume" must be true or false/],
    [{ geo: "javascript:alert(1)" }, /option "localize\.geo" must be an http\(s\) URL/],
    [{ geo: "//evil.example/x" }, /option "localize\.geo"/],
    [{ geo: 5 }, /option "localize\.geo"/],
    [{ geoTimeout: 10 }, /option "localize\.geoTimeout"/],
    [{ geoTimeout: 1.5 }, /option "localize\.geoTimeout"/],
    [{ countries: [] }, /option "localize\.countries" must be an object/],
    [{ countries: { Germany: "de" } }, /option "localize\.countries": "Germany" is not a two-letter country code/],
    [{ countries: { AT: "deu" } }, /option "localize\.countries\.AT": "deu" is not a store code/],
    [{ countries: { AT: [] } }, /option "localize\.countries\.AT" must be a store code/],
  ])("rejects %j", (option, message) => {
    expect(() => resolveLocalizeOptions(option, two)).toThrow(message);
    try {
      resolveLocalizeOptions(option, two);
    } catch (error) {
      expect((error as Error).message.startsWith('[amazon-links] option "localize')).toBe(true);
    }
  });

  it("validates even when it would be off for lack of stores", () => {
    expect(() => resolveLocalizeOptions({ script: "nope" }, tags({ us: "a-20" }))).toThrow(/localize\.script/);
  });

  it("accepts geo URLs and site paths, nonce placeholders", () => {
    expect(resolveLocalizeOptions({ geo: "/cdn-cgi/trace" }, two)!.geo).toBe("/cdn-cgi/trace");
    expect(resolveLocalizeOptions({ geo: "https://geo.example/country" }, two)!.geo).toBe("https://geo.example/country");
    expect(resolveLocalizeOptions({ nonce: "{{CSP_NONCE}}" }, two)!.nonce).toBe("{{CSP_NONCE}}");
    expect(resolveLocalizeOptions({ nonce: "r4nd0m+/base64==" }, two)!.nonce).toBe("r4nd0m+/base64==");
  });
});
