/**
 * The Eleventy CLI (`npx @11ty/eleventy`) in a temp dir, with the built package
 * (dist/, made by `npm run build`, which `npm test` runs first).
 */
import { spawn } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const eleventyBin = resolve("node_modules/@11ty/eleventy/cmd.cjs");
const pluginUrl = pathToFileURL(resolve("dist/index.js")).href;

async function site(fixture: string, options: string): Promise<string> {
  const dir = await tempDir("amazon-links-cli-");
  await cp(resolve(fixture), join(dir, "content"), { recursive: true });
  await writeFile(
    join(dir, "eleventy.config.js"),
    `import amazonLinks from ${JSON.stringify(pluginUrl)};\nexport default function (c) { c.addPlugin(amazonLinks, { check: false, ...${options} }); }\nexport const config = { dir: { input: "content", output: "_site" } };\n`,
  );
  await writeFile(join(dir, "package.json"), `{ "type": "module" }\n`);
  return dir;
}

function eleventy(cwd: string) {
  return runNode(eleventyBin, [], cwd);
}

describe("npx @11ty/eleventy with the plugin", () => {
  it("exits 1 with one clear message and file:line:column findings when a link would ship untagged", async () => {
    const dir = await site("test/fixtures/site-failing/content", `{ tags: { us: "ours-20" } }`);
    const { code, stdout, stderr } = await eleventy(dir);
    const output = stdout + stderr;
    expect(code).toBe(1);
    expect(output).toMatch(/content\/bad\.md:6:54\s+error\s+No Associates tag for amazon\.fr \(store "fr"\).*untagged/);
    expect(output).toMatch(/content\/bad\.md:8:26\s+error\s+"0596517743" is not a valid ASIN.*invalid-asin/);
    expect(output).toMatch(/3 Amazon link errors: the build fails/);
    expect(output.match(/3 Amazon link errors/g)).toHaveLength(1); // printed once, no stack
    expect(output).not.toMatch(/at .*\.js:\d+/);
    // Pages were still written, and the report sits outside the output directory.
    expect(await readFile(join(dir, "_site/bad/index.html"), "utf8")).toContain("https://www.amazon.com/dp/B00OFWQS94?tag=ours-20");
    const report = JSON.parse(await readFile(join(dir, ".amazon-links/report.json"), "utf8"));
    expect(report.summary).toMatchObject({ errors: 3, links: 4 });
  });

  it("exits 0 and prints the summary when every link is tagged", async () => {
    const dir = await site("test/fixtures/site-basic/content", `{ tags: { us: "ours-20", uk: "ours-21", de: "ours0d-21" } }`);
    const { code, stdout, stderr } = await eleventy(dir);
    expect(code).toBe(0);
    expect(stdout + stderr).toMatch(/\[amazon-links\] .*Amazon links on \d+ pages .* 0 errors, 2 warnings/);
  });

  it("--watch prints the errors and keeps watching instead of exiting", async () => {
    const dir = await site("test/fixtures/site-failing/content", `{ tags: { us: "ours-20" } }`);
    const child = spawn(process.execPath, [eleventyBin, "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    let exited = false;
    child.on("exit", () => (exited = true));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "Watching" within 30 s:\n${output}`)), 30_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Watching")) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
      });
      expect(output).toMatch(/content\/bad\.md:6:54\s+error\s+No Associates tag for amazon\.fr/);
      expect(output).not.toMatch(/the build fails/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(exited).toBe(false);
    } finally {
      child.kill();
    }
  });

  it("stops at start naming a bad option", async () => {
    const dir = await site("test/fixtures/site-basic/content", `{ tags: { us: "bad tag" } }`);
    const { code, stdout, stderr } = await eleventy(dir);
    expect(code).toBe(1);
    expect(stdout + stderr).toMatch(/option "tags\.us": "bad tag" is not an Associates tag/);
  });
});
