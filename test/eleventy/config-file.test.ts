/**
 * One configuration for the Eleventy plugin and the CLI: amazon-links.config.{js,mjs,cjs,json} in the
 * project root. Real `eleventy` and `amazon-links` CLI runs of the built package (dist/, made by
 * `npm run build`, which `npm test` runs first) in temp projects.
 */
import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";
import { freePort, Watched } from "../helpers/serve.js";

const eleventyBin = resolve("node_modules/@11ty/eleventy/cmd.cjs");
const cliBin = resolve("dist/cli/main.js");
const pluginUrl = pathToFileURL(resolve("dist/index.js")).href;

const POST = "[lamp](https://www.amazon.com/dp/B00OFWQS94) [teekanne](https://www.amazon.de/dp/B07WNQ2H4K)\n";

/** A project with content/post.md, an ESM eleventy config adding the plugin with `pluginOptions`, and the given files. */
async function project(pluginOptions: string, files: Record<string, string>, type = "module"): Promise<string> {
  const dir = await tempDir("amazon-links-config-");
  await writeFile(join(dir, "package.json"), JSON.stringify({ type }));
  await writeFile(
    join(dir, "eleventy.config.mjs"),
    `import amazonLinks from ${JSON.stringify(pluginUrl)};\nexport default function (c) { c.addPlugin(amazonLinks, ${pluginOptions}); }\nexport const config = { dir: { input: "content" } };\n`,
  );
  await mkdir(join(dir, "content"));
  await writeFile(join(dir, "content/post.md"), POST);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const builtPost = (dir: string) => readFile(join(dir, "_site/post/index.html"), "utf8");

describe("amazon-links.config.* read by the Eleventy plugin", () => {
  it("takes the options from amazon-links.config.json; addPlugin's options win key by key", async () => {
    const dir = await project(`{ rel: "sponsored" }`, {
      "amazon-links.config.json": JSON.stringify({ tags: { us: "file-20", de: "file0d-21" }, rel: ["nofollow"], check: false }),
    });
    const { code, stdout, stderr } = await runNode(eleventyBin, [], dir);
    expect(code, stdout + stderr).toBe(0);
    const html = await builtPost(dir);
    expect(html).toContain(`href="https://www.amazon.com/dp/B00OFWQS94?tag=file-20" rel="sponsored"`);
    expect(html).toContain(`href="https://www.amazon.de/dp/B07WNQ2H4K?tag=file0d-21" rel="sponsored"`);
  });

  it("a key given to addPlugin replaces the file's value whole (tags are not merged store by store)", async () => {
    const dir = await project(`{ tags: { us: "plugin-20" } }`, {
      "amazon-links.config.mjs": `export default { tags: { us: "file-20", de: "file0d-21" }, check: false };\n`,
    });
    const { code, stdout, stderr } = await runNode(eleventyBin, [], dir);
    expect(code).toBe(1);
    expect(stdout + stderr).toMatch(/content\/post\.md:1:\d+\s+error\s+No Associates tag for amazon\.de/);
    expect(await builtPost(dir)).toContain("https://www.amazon.com/dp/B00OFWQS94?tag=plugin-20");
  });

  it("reads .cjs and CommonJS .js config files", async () => {
    const cjs = await project(`{}`, {
      "amazon-links.config.cjs": `module.exports = { tags: { us: "cjs-20", de: "cjs0d-21" }, check: false };\n`,
    });
    expect((await runNode(eleventyBin, [], cjs)).code).toBe(0);
    expect(await builtPost(cjs)).toContain("?tag=cjs-20");
    const js = await project(
      `{}`,
      { "amazon-links.config.js": `module.exports = { tags: { us: "js-20", de: "js0d-21" }, check: false };\n` },
      "commonjs",
    );
    expect((await runNode(eleventyBin, [], js)).code).toBe(0);
    expect(await builtPost(js)).toContain("?tag=js-20");
  });

  it("stops at start naming the config file when an option in it is wrong, or when there are two", async () => {
    const bad = await project(`{}`, { "amazon-links.config.json": JSON.stringify({ tags: { us: "bad tag" } }) });
    const first = await runNode(eleventyBin, [], bad);
    expect(first.code).toBe(1);
    expect(first.stdout + first.stderr).toMatch(/option "tags\.us": "bad tag" is not an Associates tag.*amazon-links\.config\.json/);
    const two = await project(`{}`, { "amazon-links.config.json": "{}", "amazon-links.config.mjs": "export default {};\n" });
    const second = await runNode(eleventyBin, [], two);
    expect(second.code).toBe(1);
    expect(second.stdout + second.stderr).toMatch(/found amazon-links\.config\.mjs and amazon-links\.config\.json .*keep one of them/);
  });
});

describe("the same file read by the CLI", () => {
  it("says which config file it used, or that none was found", async () => {
    const dir = await project(`{}`, {
      "amazon-links.config.cjs": `module.exports = { tags: { us: "cjs-20", de: "cjs0d-21" }, check: false };\n`,
    });
    expect((await runNode(eleventyBin, [], dir)).code).toBe(0);
    const used = await runNode(cliBin, ["check", "_site"], dir);
    expect(used.code, used.stdout + used.stderr).toBe(0);
    expect(used.stderr).toMatch(/^amazon-links: config amazon-links\.config\.cjs$/m);
    expect(used.stdout).toMatch(/2 Amazon links on 1 page .* 0 errors/);

    const none = await tempDir("amazon-links-config-none-");
    const result = await runNode(
      cliBin,
      ["check", join(dir, "_site"), "--check", "off", "--tag", "us=cjs-20", "--tag", "de=cjs0d-21"],
      none,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^amazon-links: no config file \(amazon-links\.config\.js, \.mjs, \.cjs or \.json\) in .*; options from the command line only$/m,
    );
  });

  it("--format json prints the report alone (no config line)", async () => {
    const dir = await project(`{}`, { "amazon-links.config.json": JSON.stringify({ tags: { us: "j-20", de: "j0d-21" }, check: false }) });
    expect((await runNode(eleventyBin, [], dir)).code).toBe(0);
    const { code, stdout, stderr } = await runNode(cliBin, ["check", "_site", "--format", "json"], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary).toMatchObject({ links: 2, errors: 0 });
    expect(stderr).toBe("");
    expect((await runNode(cliBin, ["check", "_site"], dir)).stderr).toMatch(/^amazon-links: config amazon-links\.config\.json$/m);
  });
});

describe("under --serve", () => {
  it("an edit to the config file is read on the rebuild it triggers", async () => {
    // An ES module: cached per URL by Node, so the reread must ask for the file as it is now.
    const dir = await project(`{}`, {
      "amazon-links.config.mjs": `export default { tags: { us: "before-20", de: "before0d-21" }, check: false };\n`,
    });
    const port = await freePort();
    const server = new Watched(
      spawn(process.execPath, [eleventyBin, "--serve", `--port=${port}`], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } }),
    );
    try {
      await server.waitFor(/Server at/, 30_000);
      await server.waitFor(/Wrote \d+ files?/, 30_000);
      expect(await builtPost(dir)).toContain("?tag=before-20");
      await server.edit(() =>
        writeFile(join(dir, "amazon-links.config.mjs"), `export default { tags: { us: "after-20", de: "after0d-21" }, check: false };\n`),
      );
      await server.waitFor(/Wrote \d+ files?[\s\S]*Wrote \d+ files?/, 30_000);
      expect(await builtPost(dir)).toContain("?tag=after-20");
    } finally {
      await server.stop();
    }
  });
});
