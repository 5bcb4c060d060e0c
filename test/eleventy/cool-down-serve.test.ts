/**
 * Blocked is remembered under `eleventy --serve`: the real eleventy CLI, the built plugin (dist/), a fake
 * Amazon that answers nothing but captchas. The first build meets the block; rebuilds that edits trigger
 * (a page without Amazon links, a page given a new Amazon link) ask the fake nothing and do not spend the
 * time budget: judged by the requests the fake counts and by what the builds print, not by wall time.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAmazon, type FakeAmazon } from "../fake-amazon/server.js";
import { tempDir } from "../helpers/eleventy.js";
import { freePort, Watched } from "../helpers/serve.js";

const eleventyBin = resolve("node_modules/@11ty/eleventy/cmd.cjs");
const pluginUrl = pathToFileURL(resolve("dist/index.js")).href;

const running: { server?: Watched; fake?: FakeAmazon }[] = [];
afterEach(async () => {
  for (const { server, fake } of running.splice(0)) {
    await server?.stop();
    await fake?.close();
  }
});

/** A project as users have one: package.json, node_modules/ (where the cache lives), content/. */
async function project(fake: FakeAmazon, withNodeModules: boolean): Promise<string> {
  const dir = await tempDir("amazon-links-serve-cooldown-");
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  if (withNodeModules) await mkdir(join(dir, "node_modules"));
  const check = {
    endpoints: fake.endpoints(),
    interval: 0,
    retries: 1,
    backoff: 10,
    timeout: "5s",
    // Long enough that a rebuild waiting on Amazon would be seen waiting (no "Wrote" within the test's limit).
    budget: "60s",
  };
  await writeFile(
    join(dir, "eleventy.config.mjs"),
    `import amazonLinks from ${JSON.stringify(pluginUrl)};\n` +
      `export default function (c) { c.addPlugin(amazonLinks, ${JSON.stringify({ tags: { us: "ours-20", de: "ours0d-21" }, localize: false, check })}); }\n` +
      `export const config = { dir: { input: "content" } };\n`,
  );
  await mkdir(join(dir, "content"));
  await writeFile(
    join(dir, "content/lamps.md"),
    "# Lamps\n\n[lamp](https://www.amazon.com/dp/B00OFWQS94) [Teekanne](https://www.amazon.de/dp/B07WNQ2H4K)\n",
  );
  await writeFile(join(dir, "content/about.md"), "# About\n\nNo links here.\n");
  return dir;
}

/** The plugin's summary line, the last of what it prints for a build. */
const summary = () => /^\[amazon-links\] \d+ Amazon links? on [^\n]*$/gm;

/**
 * What the plugin printed for the server's `n`th build (1: the first), once it has. Cut at the plugin's
 * own summary lines, not at Eleventy's "Wrote": the plugin's warnings go to stderr and Eleventy's lines
 * to stdout, and the two pipes may deliver them in either order.
 */
async function pluginOutput(server: Watched, n: number): Promise<string> {
  await server.waitFor(new RegExp(`(?:${summary().source}[\\s\\S]*?){${n}}`, "m"), 30_000);
  const ends = [0, ...[...server.output.matchAll(summary())].map((m) => m.index + m[0].length)];
  return server.output
    .slice(ends[n - 1], ends[n])
    .split("\n")
    .filter((line) => line.startsWith("[amazon-links]"))
    .join("\n");
}

describe("blocked is remembered under --serve", () => {
  it.each([
    ["with node_modules/ (state in its cache)", true],
    ["without node_modules/ (state in memory)", false],
  ])("%s: rebuilds after edits ask a blocking Amazon nothing", async (_name, withNodeModules) => {
    const fake = await startFakeAmazon({ behaviours: [{ respond: { captcha: 503 } }] });
    const dir = await project(fake, withNodeModules);
    const port = await freePort();
    const server = new Watched(
      spawn(process.execPath, [eleventyBin, "--serve", `--port=${port}`], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } }),
    );
    running.push({ server, fake });

    await server.waitFor(/Wrote \d+ files?/, 60_000);
    await server.waitFor(/Server at/, 30_000);
    // The first build met the block: both stores asked (with one retry each), both captchas.
    const firstBuild = fake.requests.length;
    expect(firstBuild).toBe(4);
    expect(await pluginOutput(server, 1)).toMatch(/robot check/);

    // An edit to a page without Amazon links.
    await server.edit(() => writeFile(join(dir, "content/about.md"), "# About us\n\nStill no links.\n"));
    await server.waitFor(/Wrote \d+ files?[\s\S]*Wrote \d+ files?/, 30_000);
    const second = await pluginOutput(server, 2);
    expect(fake.requests.length).toBe(firstBuild);
    const notAsked = (text: string) => text.match(/\d+ products? unverified, not asked: www\.amazon\.(?:com|de) blocked this tool/g) ?? [];
    expect(notAsked(second), second).toEqual([
      "1 product unverified, not asked: www.amazon.com blocked this tool",
      "1 product unverified, not asked: www.amazon.de blocked this tool",
    ]);
    expect(second).not.toMatch(/time budget|robot check \(captcha/);

    // An edit adding an Amazon link no build has checked yet.
    await server.edit(() => writeFile(join(dir, "content/about.md"), "# About us\n\nOur [desk](https://www.amazon.com/dp/B000000042).\n"));
    await server.waitFor(/(?:Wrote \d+ files?[\s\S]*){3}/, 30_000);
    const third = await pluginOutput(server, 3);
    expect(fake.requests.length).toBe(firstBuild);
    expect(notAsked(third), third).toEqual([
      "2 products unverified, not asked: www.amazon.com blocked this tool",
      "1 product unverified, not asked: www.amazon.de blocked this tool",
    ]);
    expect(third).not.toMatch(/time budget|robot check \(captcha/);
    expect(await readFile(join(dir, "_site/about/index.html"), "utf8")).toContain("https://www.amazon.com/dp/B000000042?tag=ours-20");
    const stateFile = join(dir, "node_modules/.cache/eleventy-plugin-amazon-links/blocked-hosts.json");
    expect(existsSync(stateFile)).toBe(withNodeModules);
  });
});
