/** `amazon-links rewrite` edge cases on hand-written HTML (the generator builds are in generators.test.ts). */
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const bin = resolve("dist/cli/main.js");

async function site(): Promise<string> {
  const dir = await tempDir("amazon-links-rewrite-");
  await cp(resolve("test/fixtures/plain-site"), join(dir, "public"), { recursive: true });
  await writeFile(join(dir, "amazon-links.config.json"), JSON.stringify({ tags: { us: "plain-20", de: "plain0d-21" }, check: false }));
  return dir;
}

describe("amazon-links rewrite", () => {
  it("leaves a file that is not UTF-8 as it is, saying so, and rewrites the others", async () => {
    const dir = await site();
    // windows-1252 "é" (0xE9) is not UTF-8: decoding and re-encoding would change that byte.
    const latin1 = Buffer.concat([
      Buffer.from("<html><body><p>caf"),
      Buffer.from([0xe9]),
      Buffer.from('</p><a href="https://www.amazon.com/dp/B00OFWQS94">x</a></body></html>'),
    ]);
    await writeFile(join(dir, "public/latin1.html"), latin1);
    const { code, stdout, stderr } = await runNode(bin, ["rewrite", "public"], dir);
    expect(code).toBe(0);
    expect(stderr).toContain("public/latin1.html is not valid UTF-8; left as it is.");
    expect(await readFile(join(dir, "public/latin1.html"))).toEqual(latin1);
    expect(await readFile(join(dir, "public/blog/post.htm"), "utf8")).toContain(
      'href="https://www.amazon.de/dp/B07WNQ2H4K?tag=plain0d-21"',
    );
    expect(stdout).toMatch(/ 2 files rewritten/);
  });

  it("refuses to write a report inside the site it rewrites (it would be published)", async () => {
    const dir = await site();
    const { code, stderr } = await runNode(bin, ["rewrite", "public", "--json", "public/report.json"], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/the report public\/report\.json would be written inside public and published with the site/);
    expect(await readdir(join(dir, "public"))).not.toContain("report.json");
    const missing = await runNode(bin, ["rewrite"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/rewrite needs the built site's directory/);
  });

  it("keeps an opted-out link as written", async () => {
    const dir = await site();
    const page =
      '<html><body><div data-amazon-links="off"><a href="https://www.amazon.com/dp/B07QBPDWLS?tag=friend-20">theirs</a></div></body></html>';
    await writeFile(join(dir, "public/optout.html"), page);
    await runNode(bin, ["rewrite", "public"], dir);
    expect(await readFile(join(dir, "public/optout.html"), "utf8")).toBe(page);
  });
});
