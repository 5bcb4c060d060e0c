/**
 * Issue 18, fault 1: locating each link's source line was quadratic in the links of one file
 * (100,000 identical links took about 11 minutes). A real Eleventy build with 100,000 links in one
 * Markdown file must finish in seconds; the bound is generous, and the quadratic locator misses it.
 * Measured in CPU time of this process, not wall-clock time: other work on a shared machine does not
 * count against it.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFixture, tempDir } from "../helpers/eleventy.js";

const LINKS = 100_000;

describe("source locations on a page with 100,000 links", () => {
  it("are found in one pass: the build finishes well under a minute, each link on its own line", async () => {
    const site = await tempDir("amazon-links-many-");
    await mkdir(join(site, "content"));
    const identical = "https://www.amazon.com/dp/B00005N5PF";
    // Identical links (the worst case of the old search) then distinct ones, one per line.
    const lines: string[] = ["# Many links", ""];
    for (let i = 0; i < LINKS / 2; i++) lines.push(`[same](${identical})`);
    for (let i = 0; i < LINKS / 2; i++) lines.push(`[other](https://www.amazon.com/dp/B0${String(i).padStart(8, "0")})`);
    await writeFile(join(site, "content/many.md"), `${lines.join("\n")}\n`);

    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const build = await buildFixture(join(site, "content"), { tags: { us: "mysite-20" }, rules: { "invalid-asin": "off" } });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[many-links] ${LINKS} links in one Markdown file: build with locations in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU)`,
    );

    expect(build.error).toBeUndefined();
    expect(build.report.links).toHaveLength(LINKS);
    // Link n (0-based) is on line n + 3 of the source, column 8 ("[same](" is 7 characters).
    for (const n of [0, 1, 49_999, 50_000, 77_777, LINKS - 1]) {
      const link = build.report.links[n]!;
      expect(link.input, `link ${n}`).toMatch(/content\/many\.md$/);
      expect(link.line, `link ${n}`).toBe(n + 3);
      expect(link.column, `link ${n}`).toBe(n < LINKS / 2 ? 8 : 9);
    }
    expect(cpuSeconds).toBeLessThan(60);
  }, 180_000);
});
