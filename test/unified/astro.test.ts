/**
 * A real Astro 5 build (`astro build` from node_modules/.bin, the devDependency)
 * of test/fixtures/astro-site with each unified plugin in astro.config.mjs,
 * pointed at the built package (dist/, made by `npm run build`, which
 * `npm test` runs first). One page per case.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, rm, symlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/eleventy.js";

const astroBin = resolve("node_modules/.bin/astro");
const entry = pathToFileURL(resolve("dist/index.js")).href;
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The fixture site with one page from cases/, and this repository's node_modules (where astro is). */
async function site(page: "clean" | "untagged"): Promise<string> {
  const dir = await tempDir("amazon-links-astro-");
  dirs.push(dir);
  await cp(resolve("test/fixtures/astro-site"), dir, { recursive: true, filter: (source) => !source.includes("/cases") });
  await mkdir(join(dir, "src/pages"), { recursive: true });
  await cp(resolve(`test/fixtures/astro-site/cases/${page}.md`), join(dir, `src/pages/${page}.md`));
  await symlink(resolve("node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

async function astroBuild(dir: string, plugin: "remark" | "rehype"): Promise<{ code: number; output: string }> {
  const env = { ...process.env, AMAZON_LINKS_ENTRY: entry, AMAZON_LINKS_PLUGIN: plugin, ASTRO_TELEMETRY_DISABLED: "1", NO_COLOR: "1" };
  try {
    const { stdout, stderr } = await promisify(execFile)(astroBin, ["build"], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe.each(["remark", "rehype"] as const)("astro build with %sAmazonLinks", { timeout: 180_000 }, (plugin) => {
  it("fails on a link that would ship untagged, printing each with file:line:column and rule", async () => {
    const dir = await site("untagged");
    const { code, output } = await astroBuild(dir, plugin);
    expect(code).toBe(1);
    expect(output).toContain("2 Amazon link errors: the build fails");
    expect(output).toMatch(/src\/pages\/untagged\.md:7:3 {2}error {2}No Associates tag for amazon\.de \(store "de"\).* {2}untagged/);
    expect(output).toMatch(/src\/pages\/untagged\.md:9:21 {2}error {2}No Associates tag for amazon\.fr \(store "fr"\).* {2}untagged/);
  });

  it("builds a clean site whose HTML has the tagged links, rel and data attributes", async () => {
    const dir = await site("clean");
    const { code, output } = await astroBuild(dir, plugin);
    expect(output).not.toContain("Amazon link error");
    expect(code).toBe(0);
    const html = await readFile(join(dir, "dist/clean/index.html"), "utf8");
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/B00OFWQS94?tag=mysite-20" rel="sponsored noopener" data-amazon-asin="B00OFWQS94" data-amazon-store="us">desk lamp</a>',
    );
    expect(html).toContain(
      '<a href="https://www.amazon.com/dp/0596517742?tag=mysite-20" rel="sponsored noopener" data-amazon-asin="0596517742" data-amazon-store="us">book</a>',
    );
    expect(html).toContain(
      '<a href="https://www.amazon.co.uk/dp/0596517742?tag=mysite-21" rel="sponsored noopener" data-amazon-asin="0596517742" data-amazon-store="uk">in the UK store</a>',
    );
    expect(html).toContain("<code>https://www.amazon.com/dp/B00OFWQS94</code>");
  });
});
