/** The `unavailable` verdict: its finding, its place in the lockfile (old lockfiles still read), and lookups. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { createChecker } from "../../src/check/index.js";
import { LockIndex, packLock } from "../../src/check/lock-index.js";
import { readLockfile, validateLock } from "../../src/check/lockfile.js";
import { resolveOptions } from "../../src/rules/options.js";
import { verdictFindings } from "../../src/rules/verdicts.js";

const link = parseAmazonUrl("https://www.amazon.de/dp/B000000001")!;
const checkedAt = "2026-12-01T10:00:00.000Z";

describe("the unavailable rule", () => {
  it("is a warning by default, names the store and what Amazon shows, and can be raised or switched off", () => {
    const verdict = { status: "live" as const, available: false as const, reason: "Amazon shows “Derzeit nicht verfügbar.”" };
    expect(verdictFindings(link, verdict, resolveOptions({ tags: { de: "x-21" } }))).toEqual([
      {
        rule: "unavailable",
        severity: "warning",
        message: expect.stringMatching(/^Product B000000001 is unavailable on amazon\.de \(Amazon shows “Derzeit nicht verfügbar\.”\)/),
      },
    ]);
    expect(verdictFindings(link, verdict, resolveOptions({ tags: { de: "x-21" }, rules: { unavailable: "error" } }))[0]?.severity).toBe(
      "error",
    );
    expect(verdictFindings(link, verdict, resolveOptions({ tags: { de: "x-21" }, rules: { unavailable: "off" } }))).toEqual([]);
    expect(verdictFindings(link, { status: "live" }, resolveOptions({ tags: { de: "x-21" } }))).toEqual([]);
  });
});

describe("unavailable in the lockfile", () => {
  it("reads lockfiles written before the field existed, and stores only `available: false` on live entries", () => {
    const old = { version: 1, entries: { "de:B000000001": { status: "live", checkedAt, via: "page", title: "A" } }, shortLinks: {} };
    expect(validateLock(old, "old.json").entries["de:B000000001"]).toEqual({ status: "live", checkedAt, via: "page", title: "A" });
    for (const [entry, why] of [
      [{ status: "live", checkedAt, via: "page", available: true }, /"available" true/],
      [{ status: "dead", checkedAt, via: "page", available: false }, /"available" false/],
    ] as const) {
      expect(() => validateLock({ version: 1, entries: { "de:B000000001": entry }, shortLinks: {} }, "bad.json")).toThrow(why);
    }
  });

  it("survives packing: the entry, its status and the lookup the localization script uses", async () => {
    const data = {
      version: 1 as const,
      entries: {
        "de:B000000001": { status: "live" as const, checkedAt, via: "page" as const, available: false as const },
        "uk:B000000001": { status: "live" as const, checkedAt, via: "page" as const },
        "us:B000000001": { status: "dead" as const, checkedAt, via: "page" as const },
      },
      shortLinks: {},
    };
    const index = new LockIndex(packLock(data));
    expect(index.entries()).toEqual(data.entries);
    const de = index.row("de", "B000000001");
    expect([index.status(de), index.available(de)]).toEqual(["live", false]);

    const lockfile = join(await mkdtemp(join(tmpdir(), "amazon-unavailable-")), "lock.json");
    await writeFile(lockfile, JSON.stringify(data));
    expect((await readLockfile(lockfile)).entries["de:B000000001"]?.available).toBe(false);
    const checker = createChecker({ via: "lockfile", lockfile });
    const [result] = await checker.check([{ asin: "B000000001", marketplace: "de" }]);
    expect(result).toMatchObject({
      status: "live",
      available: false,
      fromLockfile: true,
      reason: "unavailable at the check of 2026-12-01 (lockfile)",
    });
    expect(["de", "uk", "us", "fr"].map((store) => checker.lookup(store, "B000000001"))).toEqual([
      "unavailable",
      "live",
      "dead",
      undefined,
    ]);
  });
});
