/** Eleventy's `--quiet` is the plugin's `quiet`: only errors are printed (the Eleventy CLI, as a user runs it). */
import { cp, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const eleventyBin = resolve("node_modules/@11ty/eleventy/cmd.cjs");
const pluginUrl = pathToFileURL(resolve("dist/index.js")).href;

async function site(fixture: string, tags: string): Promise<string> {
  const dir = await tempDir("amazon-links-quiet-");
  await cp(resolve(fixture), join(dir, "content"), { recursive: true });
  await writeFile(
    join(dir, "eleventy.config.js"),
    `import amazonLinks from ${JSON.stringify(pluginUrl)};\nexport default function (c) { c.addPlugin(amazonLinks, { check: false, tags: ${tags} }); }\nexport const config = { dir: { input: "content", output: "_site" } };\n`,
  );
  await writeFile(join(dir, "package.json"), `{ "type": "module" }\n`);
  return dir;
}

describe("npx @11ty/eleventy --quiet", () => {
  it("prints nothing of ours when there are only warnings (and the summary without --quiet)", async () => {
    const dir = await site("test/fixtures/site-basic/content", `{ us: "ours-20", uk: "ours-21", de: "ours0d-21" }`);
    const loud = await runNode(eleventyBin, [], dir);
    expect(loud.stdout + loud.stderr).toMatch(/\[amazon-links\] .*warning/);
    const quiet = await runNode(eleventyBin, ["--quiet"], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout + quiet.stderr).not.toContain("[amazon-links]");
  });

  it("still prints the errors, and only them, and fails the build", async () => {
    const dir = await site("test/fixtures/site-failing/content", `{ us: "ours-20" }`);
    await writeFile(join(dir, "content/foreign.md"), "Copied: [keyboard](https://www.amazon.com/dp/B07QBPDWLS?tag=them-20)\n");
    const loud = await runNode(eleventyBin, [], dir);
    expect(loud.stdout + loud.stderr).toMatch(/content\/foreign\.md:1:\d+\s+warning\s+Replaced the tag "them-20"/);
    const { code, stdout, stderr } = await runNode(eleventyBin, ["--quiet"], dir);
    const output = stdout + stderr;
    expect(code).toBe(1);
    expect(output).toMatch(/content\/bad\.md:\d+:\d+\s+error\s+No Associates tag for amazon\.fr/);
    expect(output).not.toContain("Replaced the tag"); // the warning is not printed
    expect(output).toMatch(/Amazon link errors?: the build fails/);
  });
});
