/** Report files written in pieces: the same bytes as the one-string renderers, whatever falls on a boundary. */
import fc from "fast-check";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderHtmlReport } from "../helpers/report-page.js";
import { piecesOf, writeFileAtomic } from "../../src/atomic-file.js";
import { reportJsonPieces, serializeReport } from "../../src/report/write-json.js";
import type { Report } from "../../src/results.js";
import { writeReports } from "../../src/report/write-reports.js";
import { bigReport, hostile } from "./sample-report.js";

describe("report files written in pieces", () => {
  it("slices text without cutting a surrogate pair, and the slices give back the text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), fc.integer({ min: 2, max: 16 }), (text, size) => {
        const pieces = [...piecesOf(text, size)];
        expect(pieces.join("")).toBe(text);
        for (const piece of pieces) {
          expect(piece.length).toBeGreaterThan(0);
          // Each piece encodes to UTF-8 on its own: no lone high surrogate at its end.
          const last = piece.charCodeAt(piece.length - 1);
          expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
        }
        expect(Buffer.concat(pieces.map((p) => Buffer.from(p))).toString("utf8")).toBe(text);
      }),
    );
  });

  it("serializes a report in pieces to exactly JSON.stringify's text", () => {
    const value = fc.oneof(fc.string({ unit: "grapheme" }), fc.integer(), fc.constant(undefined), fc.constant(null), fc.boolean());
    const record = fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 6 });
    const report = fc.record({
      version: fc.constant(1),
      generator: fc.string(),
      summary: record,
      pages: fc.array(record, { maxLength: 5 }),
      links: fc.array(fc.oneof(record, fc.constant(undefined)), { maxLength: 400 }),
      checking: fc.oneof(fc.constant(undefined), record),
      extra: fc.array(value),
    });
    fc.assert(
      fc.property(report, (r) => {
        expect([...reportJsonPieces(r as unknown as Report)].join("")).toBe(JSON.stringify(r));
      }),
      { numRuns: 300 },
    );
    const big = bigReport(2000);
    const pieces = [...reportJsonPieces(big)];
    expect(pieces.join("")).toBe(JSON.stringify(big));
    // A row at a time: many pieces, none much longer than the piece size.
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(40 * 1024);
  });

  it("writes the HTML page and the JSON report byte for byte as the one-string renderers make them", async () => {
    // Big enough for many pieces, with markup, an ampersand, U+2028 and astral characters throughout.
    const report = bigReport(4000);
    report.links.forEach((link, i) => {
      if (i % 7 === 0) link.title = `${hostile.title} 𝄞 ${"é".repeat(i % 13)} 🙂`;
    });
    const dir = await mkdtemp(join(tmpdir(), "amazon-links-report-"));
    await writeReports(report, { json: "r/report.json", html: "r/report.html" }, dir);
    const json = serializeReport(report);
    expect(json.length).toBeGreaterThan(4 * 256 * 1024);
    expect(await readFile(join(dir, "r/report.json"), "utf8")).toBe(json);
    expect(await readFile(join(dir, "r/report.html"), "utf8")).toBe(renderHtmlReport(report, json));
    expect(await readdir(join(dir, "r"))).toEqual(["report.html", "report.json"]);
  });

  it("writes the HTML page again only when what it shows changed, not when only the time or the checking figures did", async () => {
    const dir = await mkdtemp(join(tmpdir(), "amazon-links-report-"));
    const page = join(dir, "report.html");
    const report: Report = { ...bigReport(300), checking: { via: "lockfile", ms: 12, fromLockfile: 40, fromNetwork: 0 } };
    await writeReports(report, { json: "report.json", html: "report.html" }, dir);
    const written = await stat(page);
    const later = {
      ...report,
      generatedAt: "2030-01-01T00:00:00.000Z",
      checking: { via: "lockfile", ms: 0, fromLockfile: 0, fromNetwork: 0 },
    };
    await writeReports(later, { json: "report.json", html: "report.html" }, dir);
    expect((await stat(page)).ino).toBe(written.ino);
    // The JSON report is written every time.
    expect(JSON.parse(await readFile(join(dir, "report.json"), "utf8")).generatedAt).toBe(later.generatedAt);

    const moved = { ...later, links: later.links.map((link, i) => (i === 5 ? { ...link, line: link.line + 1 } : link)) };
    await writeReports(moved, { json: "report.json", html: "report.html" }, dir);
    expect((await stat(page)).ino).not.toBe(written.ino);
    expect(await readFile(page, "utf8")).toBe(renderHtmlReport(moved, serializeReport(moved)));
    // A page without a digest (another writer, an older version) is written again.
    await writeFile(page, "<!doctype html><p>old</p>");
    await writeReports(moved, { html: "report.html" }, dir);
    expect(await readFile(page, "utf8")).toBe(renderHtmlReport(moved, serializeReport(moved)));
  });

  it("leaves nothing behind when the pieces fail midway", async () => {
    const dir = await mkdtemp(join(tmpdir(), "amazon-links-report-"));
    const pieces = (function* () {
      yield "x".repeat(300 * 1024);
      throw new Error("renderer failed");
    })();
    await expect(writeFileAtomic(join(dir, "report.html"), pieces)).rejects.toThrow("renderer failed");
    expect(await readdir(dir)).toEqual([]);
  });
});
