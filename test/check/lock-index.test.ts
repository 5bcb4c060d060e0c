/** The packed lockfile: what a build queries instead of one object per entry. */
import { describe, expect, it } from "vitest";
import { LockIndex, packLock } from "../../src/check/lock-index.js";
import { emptyLock, type LockData } from "../../src/check/lockfile.js";

const data: LockData = {
  version: 1,
  entries: {
    "us:B00OFWQS94": { status: "live", checkedAt: "2026-11-01T10:00:00.000Z", via: "page", title: "BenQ lamp — «ünïcode» 𝄞" },
    "de:B00OFWQS94": { status: "dead", checkedAt: "2026-11-02T10:00:00Z", via: "creators" },
    "uk:B07QBPDWLS": { status: "live", checkedAt: "2026-11-03T10:00:00.000Z", via: "page", redirectedTo: "B07QBPDWLX" },
    "uk:B00OFWQS94": { status: "live", checkedAt: "2026-11-04T10:00:00.000Z", via: "page", title: "Lamp", redirectedTo: "B00OFWQS95" },
    "jp:4003101014": { status: "live", checkedAt: "2026-11-05T10:00:00.000Z", via: "page", title: "" },
  },
  shortLinks: { "https://amzn.to/3abcd": { target: "https://www.amazon.com/dp/B00OFWQS94", checkedAt: "2026-11-01T10:00:00.000Z" } },
};

describe("packed lockfile", () => {
  it("answers every entry as the file holds it, with its status and time, and knows what it does not hold", () => {
    const index = new LockIndex(packLock(data));
    expect(index.size).toBe(5);
    for (const [key, entry] of Object.entries(data.entries)) {
      const [store, asin] = key.split(":") as [string, string];
      const row = index.row(store, asin);
      expect(row).toBeGreaterThanOrEqual(0);
      expect(index.status(row)).toBe(entry.status);
      expect(index.checkedAtMs(row)).toBe(Date.parse(entry.checkedAt));
      // An empty title is no title (the report and the script have nothing to show for it).
      const { title, ...rest } = entry;
      expect(index.entry(row)).toEqual(title ? entry : rest);
    }
    expect(index.row("fr", "B00OFWQS94")).toBe(-1);
    expect(index.row("us", "B07QBPDWLS")).toBe(-1);
    expect(index.row("us", "B000000000")).toBe(-1);
    // Store codes are compared whole: "u" + "k" is not "us".
    expect(index.row("ub", "B00OFWQS94")).toBe(-1);
    expect(index.shortLinks).toEqual(data.shortLinks);
  });

  it("gives every entry back keyed <store>:<ASIN> (refresh), and counts each row once", () => {
    const index = new LockIndex(packLock(data));
    const { "jp:4003101014": jp, ...others } = data.entries;
    const { title: _empty, ...jpWithoutTitle } = jp!;
    expect(index.entries()).toEqual({ ...others, "jp:4003101014": jpWithoutTitle });
    const row = index.row("uk", "B07QBPDWLS");
    expect(index.firstHit(row)).toBe(true);
    expect(index.firstHit(row)).toBe(false);
    expect(index.firstHit(index.row("us", "B00OFWQS94"))).toBe(true);
  });

  it("packs an empty lockfile", () => {
    const empty = new LockIndex(packLock(emptyLock()));
    expect(empty.size).toBe(0);
    expect(empty.row("us", "B00OFWQS94")).toBe(-1);
    expect(empty.entries()).toEqual({});
  });
});
