import { createHash } from "node:crypto";
import { cp, readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error Eleventy 3 ships no type declarations usable here.
import Eleventy from "@11ty/eleventy";
import { createLocalize, resolveLocalizeOptions } from "../../src/localize/index.js";
import { resolveOptions } from "../../src/rules/options.js";
import { buildFixture, tempDir } from "../helpers/eleventy.js";
import { outsideLinkTags } from "../helpers/html.js";

const BASIC = "test/fixtures/site-basic/content";
const FAILING = "test/fixtures/site-failing/content";
const tags = { us: ["ours-20", "ours-news-20"], uk: "ours-21", de: "ours0d-21" };

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join((e as { parentPath?: string }).parentPath ?? dir, e.name).slice(dir.length + 1))
    .sort();
}

async function hashTree(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of await listFiles(dir)) {
    hashes[file] = createHash("sha256")
      .update(await readFile(join(dir, file)))
      .digest("hex");
  }
  return hashes;
}

async function buildWithoutPlugin(input: string): Promise<string> {
  const output = await tempDir("amazon-links-plain-");
  const elev = new Eleventy(input, output, { configPath: false, quietMode: true });
  await elev.write();
  return output;
}

describe("guarantees on real builds", () => {
  it("changes nothing outside <a>/<area> start tags compared with Eleventy alone", async () => {
    const plain = await buildWithoutPlugin(BASIC);
    const withPlugin = await buildFixture(BASIC, { tags, localize: false });
    const files = await listFiles(plain);
    expect(files.length).toBeGreaterThan(3);
    expect(await listFiles(withPlugin.outputDir)).toEqual(files);
    let changedPages = 0;
    for (const file of files) {
      const before = await readFile(join(plain, file), "utf8");
      const after = await withPlugin.read(file);
      if (before !== after) changedPages++;
      expect(outsideLinkTags(after), file).toBe(outsideLinkTags(before));
    }
    expect(changedPages).toBe(files.length); // every page has the layout's footer link
  });

  it("with localization, adds exactly one script before </body> on pages with Amazon links and nothing else", async () => {
    const plain = await buildWithoutPlugin(BASIC);
    const withPlugin = await buildFixture(BASIC, { tags });
    // The exact snippet the plugin injects for these tags.
    const script = createLocalize(resolveLocalizeOptions(undefined, resolveOptions({ tags }).tags)!).html;
    for (const file of await listFiles(plain)) {
      const before = await readFile(join(plain, file), "utf8");
      const after = await withPlugin.read(file);
      expect(after.split(script).length - 1, file).toBe(1);
      expect(after.indexOf(script) + script.length, file).toBe(after.lastIndexOf("</body>"));
      expect(outsideLinkTags(after.replace(script, "")), file).toBe(outsideLinkTags(before));
    }
  });

  it("is idempotent: building its own output again changes no byte and finds nothing new", async () => {
    const first = await buildFixture(BASIC, { tags });
    // Feed the built pages back in as HTML templates.
    const input = await tempDir("amazon-links-again-");
    await cp(first.outputDir, input, { recursive: true });
    const second = await buildFixture(input, { tags }, (cfg) => cfg.setTemplateFormats("html"));
    expect(second.error).toBeUndefined();
    for (const file of await listFiles(first.outputDir)) {
      expect(await second.read(file), file).toBe(await first.read(file));
    }
    expect(second.report.links.flatMap((l) => l.findings)).toEqual([]);
    expect(second.report.summary.links).toBe(first.report.summary.links);
  });

  it("never writes source files", async () => {
    const before = await hashTree(BASIC);
    await buildFixture(BASIC, { tags });
    await buildFixture(FAILING, { tags });
    expect(await hashTree(BASIC)).toEqual(before);
  });

  it("reports but does not fail in watch and serve mode", async () => {
    for (const runMode of ["watch", "serve"]) {
      const build = await buildFixture(FAILING, { tags }, undefined, { runMode });
      expect(build.error, runMode).toBeUndefined();
      expect(build.report.summary.errors).toBe(3);
    }
  });

  it("with failOnError: false reports errors without failing", async () => {
    const build = await buildFixture(FAILING, { tags, failOnError: false });
    expect(build.error).toBeUndefined();
    expect(build.report.summary.errors).toBe(3);
  });

  it("keeps other pages' results across an incremental rebuild of one file", async () => {
    const input = await tempDir("amazon-links-incr-");
    await cp(BASIC, input, { recursive: true });
    const outputDir = await tempDir("amazon-links-incr-out-");
    const reportPath = join(outputDir, "report.json");
    // One Eleventy instance, as in --watch --incremental: a full build, then one changed file.
    const { default: amazonLinks } = await import("../../src/index.js");
    let transformed = 0;
    const elev = new Eleventy(input, outputDir, {
      configPath: false,
      quietMode: true,
      runMode: "watch",
      config(cfg: any) {
        cfg.addPlugin(amazonLinks, { tags, quiet: true, check: false, report: { json: reportPath } });
        cfg.addTransform("count", (content: string) => {
          transformed++;
          return content;
        });
      },
    });
    await elev.write();
    const full = JSON.parse(await readFile(reportPath, "utf8"));
    elev.setIncrementalBuild(true);
    // Eleventy matches the changed file by its ./-relative input path.
    elev.setIncrementalFile(`./${relative(process.cwd(), join(input, "posts/liquid.liquid"))}`);
    transformed = 0;
    await elev.write();
    expect(transformed).toBe(1); // only the changed page was rendered
    const incremental = JSON.parse(await readFile(reportPath, "utf8"));
    expect(incremental.summary.links).toBe(full.summary.links);
    expect(incremental.links.map((l: { href: string }) => l.href).sort()).toEqual(full.links.map((l: { href: string }) => l.href).sort());
  });

  it("composes with the bundle plugin's CSS/JS bundles in the same page", async () => {
    const build = await buildFixture(BASIC, { tags }, (cfg) => {
      // addBundle exists once Eleventy's built-in bundle plugin has run: add ours as a plugin too.
      cfg.addPlugin((c: any) => c.addBundle("css"));
      cfg.addTemplate(
        "bundled.njk",
        `{% css %}a { color: red }{% endcss %}<style>{% getBundle "css" %}</style><a href="https://amazon.com/dp/B00OFWQS94">x</a>`,
        {},
      );
    });
    expect(build.error).toBeUndefined();
    const html = await build.read("bundled/index.html");
    expect(html).toContain("<style>a { color: red }</style>");
    expect(html).toContain('href="https://www.amazon.com/dp/B00OFWQS94?tag=ours-20"');
  });
});
