/**
 * Eleventy's default layout, input ".": the project root is the input, so the plugin's own files (reports,
 * lockfile, the files they are written through) sit inside it. Real `eleventy` CLI runs of the built package
 * (dist/, made by `npm run build`, which `npm test` runs first); product checks go to the fake Amazon.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { buildFixture, tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";
import { freePort, Watched } from "../helpers/serve.js";

const eleventyBin = resolve("node_modules/@11ty/eleventy/cmd.cjs");
const pluginUrl = pathToFileURL(resolve("dist/index.js")).href;
const SECRET = "s3cr3t-from-dot-env";
/** Product titles a template engine would evaluate: an include of a secrets file, and a tag that breaks Liquid. */
const INCLUDE_TITLE = `{% include ".env" %}`;
const LOOP_TITLE = "the {% for %} Loop Explained";

let fake: FakeAmazon;
beforeAll(async () => {
  fake = await startFakeAmazon({ products: { "us:B00OFWQS94": INCLUDE_TITLE, "us:B07QBPDWLS": LOOP_TITLE } });
});
afterAll(() => fake.close());

/** A site as the README's minimal config makes it: no input directory, so Eleventy's input is the project root. */
async function rootSite(): Promise<string> {
  const dir = await tempDir("amazon-links-root-");
  const options = {
    tags: { us: "ours-20" },
    check: { endpoints: fake.endpoints(), interval: 0, retries: 0, timeout: "5s", budget: "20s" },
  };
  await writeFile(join(dir, "package.json"), `{ "type": "module" }\n`);
  await writeFile(
    join(dir, "eleventy.config.js"),
    `import amazonLinks from ${JSON.stringify(pluginUrl)};\nexport default function (eleventyConfig) {\n  eleventyConfig.addPlugin(amazonLinks, ${JSON.stringify(options)});\n}\n`,
  );
  await writeFile(join(dir, ".env"), `API_KEY=${SECRET}\n`);
  await writeFile(
    join(dir, "index.md"),
    "# Desk\n\n[A lamp](https://www.amazon.com/dp/B00OFWQS94) and [a keyboard](https://www.amazon.com/dp/B07QBPDWLS).\n",
  );
  return dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("a site whose input is the project root", () => {
  it("builds twice with stable counts, publishes nothing of ours, and keeps product titles text", async () => {
    const dir = await rootSite();
    const summaries = [];
    for (const build of [1, 2]) {
      const { code, stdout, stderr } = await runNode(eleventyBin, [], dir);
      expect(code, `build ${build}:\n${stdout}${stderr}`).toBe(0);
      const report = JSON.parse(await readFile(join(dir, ".amazon-links/report.json"), "utf8"));
      summaries.push(report.summary);
      expect(report.links.map((l: { title?: string }) => l.title).sort()).toEqual([INCLUDE_TITLE, LOOP_TITLE].sort());
    }
    expect(summaries[1]).toEqual(summaries[0]);
    expect(summaries[0]).toMatchObject({ pages: 1, links: 2, errors: 0 });

    // Only the page is published: no report, no lockfile, and the secret nowhere.
    const published = await filesUnder(join(dir, "_site"));
    expect(published.map((p) => p.slice(dir.length + 1))).toEqual(["_site/index.html"]);
    for (const file of published) expect(await readFile(file, "utf8")).not.toContain(SECRET);
    // The HTML report shows the titles as text, escaped, never evaluated.
    const html = await readFile(join(dir, ".amazon-links/report.html"), "utf8");
    expect(html).toMatch(/<td>\{% include (&#34;|&quot;)\.env(&#34;|&quot;) %\}</);
    expect(html).toContain("<td>the {% for %} Loop Explained");
    expect(html).not.toContain(SECRET);
    expect(JSON.parse(await readFile(join(dir, "amazon-links.lock.json"), "utf8"))).toBeTruthy();
  });

  it("--dryrun writes no report, no lockfile and no page", async () => {
    const dir = await rootSite();
    const { code, stdout, stderr } = await runNode(eleventyBin, ["--dryrun"], dir);
    expect(code, stdout + stderr).toBe(0);
    expect(stdout + stderr).toMatch(/\[amazon-links\]/);
    expect(existsSync(join(dir, ".amazon-links"))).toBe(false);
    expect(existsSync(join(dir, "amazon-links.lock.json"))).toBe(false);
    expect(existsSync(join(dir, "_site"))).toBe(false);
  });

  it("a programmatic dry run (new Eleventy(…, { dryRun: true })) writes no report either", async () => {
    const input = await tempDir("amazon-links-dry-");
    await writeFile(join(input, "post.md"), "[lamp](https://www.amazon.com/dp/B00OFWQS94)\n");
    const build = await buildFixture(input, { tags: { us: "ours-20" } }, undefined, { dryRun: true });
    expect(build.error).toBeUndefined();
    expect(existsSync(build.reportPath)).toBe(false);
    expect(existsSync(build.outputDir) ? await readdir(build.outputDir) : []).toEqual([]);
    // The same build without dryRun writes it: the absence above is the dry run's doing.
    const real = await buildFixture(input, { tags: { us: "ours-20" } });
    expect(real.report.summary).toMatchObject({ pages: 1, links: 1 });
  });

  it("moves the default report folder out of an output directory that contains the project root", async () => {
    const dir = await rootSite();
    const config = await readFile(join(dir, "eleventy.config.js"), "utf8");
    await writeFile(join(dir, "eleventy.config.js"), `${config}export const config = { dir: { input: "content", output: "." } };\n`);
    await mkdir(join(dir, "content"));
    await rename(join(dir, "index.md"), join(dir, "content/index.md"));
    const { code, stdout, stderr } = await runNode(eleventyBin, [], dir);
    expect(code, stdout + stderr).toBe(0);
    expect(existsSync(join(dir, ".amazon-links"))).toBe(false);
    const moved = join(dir, "node_modules/.cache/eleventy-plugin-amazon-links/report.json");
    expect(JSON.parse(await readFile(moved, "utf8")).summary).toMatchObject({ links: 2 });
    expect(stdout + stderr).toContain("Report: node_modules/.cache/eleventy-plugin-amazon-links/report.html");
  });

  it("--serve rebuilds exactly once for one edit, and not at all for its own report and lockfile writes", async () => {
    const dir = await rootSite();
    const port = await freePort();
    const server = new Watched(
      spawn(process.execPath, [eleventyBin, "--serve", `--port=${port}`], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } }),
    );
    try {
      await server.waitFor(/Server at/, 30_000);
      await server.waitFor(/Wrote \d+ files?/, 30_000);
      // Its own writes (report, lockfile) come after "Wrote": a rebuild they caused would show within a quiet spell.
      await server.quiet(3_000);
      expect(server.count(/Wrote \d+ files?/), server.output).toBe(1);
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(await response.text()).toContain("tag=ours-20");

      await server.edit(() => writeFile(join(dir, "index.md"), "# Desk, edited\n\n[A lamp](https://www.amazon.com/dp/B00OFWQS94).\n"));
      await server.waitFor(/Wrote \d+ files?[\s\S]*Wrote \d+ files?/, 30_000);
      await server.quiet(3_000);
      expect(server.count(/Wrote \d+ files?/), server.output).toBe(2);
      expect(server.count(/File changed: /), server.output).toBe(1);
      const report = JSON.parse(await readFile(join(dir, ".amazon-links/report.json"), "utf8"));
      expect(report.summary).toMatchObject({ pages: 1, links: 1 });
    } finally {
      await server.stop();
    }
  });
});
