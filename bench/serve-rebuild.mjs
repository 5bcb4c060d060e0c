#!/usr/bin/env node
/**
 * A `--serve --incremental` rebuild after one page with Amazon links is edited: Eleventy alone, then
 * with the plugin from dist/ (or the dist/index.js URL given), on a site kept by `node bench/build.mjs --keep`.
 * Prints Eleventy's own "Wrote … in X seconds" for the first build and each rebuild.
 *
 *   node bench/serve-rebuild.mjs /dev/shm/amazon-links-bench-XXXXXX/default [file:///other/dist/index.js]
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { benchPluginOptions } from "./generate-site.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const site = process.argv[2];
if (!site) {
  console.error("usage: node bench/serve-rebuild.mjs <site kept by bench/build.mjs --keep>/default [plugin URL]");
  process.exit(2);
}
const page = join(site, "src/posts/000/post-00003.md");
const original = await readFile(page, "utf8");
const WROTE = /Wrote (\d+) files?(?: \(skipped \d+\))? in ([\d.]+) seconds/g;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function run(plugin, port, edits = 5) {
  const child = spawn(
    process.execPath,
    [
      join(REPO, "node_modules/@11ty/eleventy/cmd.cjs"),
      "--serve",
      "--incremental",
      `--port=${port}`,
      "--input=src",
      "--output=_site-serve",
    ],
    { cwd: site, env: { ...process.env, BENCH_PLUGIN: plugin, BENCH_OPTIONS: JSON.stringify(benchPluginOptions()), NO_COLOR: "1" } },
  );
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  child.stderr.on("data", (chunk) => (out += chunk));
  const builds = () => [...out.matchAll(WROTE)];
  try {
    while (builds().length < 1) await sleep(50);
    await sleep(1500);
    for (let i = 0; i < edits; i++) {
      const edit = (note) => writeFile(page, original.replace(/\n$/, `\n\nEdit ${i}${note}.\n`));
      await edit("");
      // A watcher that missed the edit gets it again every 4 s.
      for (let since = Date.now(); builds().length < i + 2; await sleep(50)) {
        if (Date.now() - since > 4000) {
          since = Date.now();
          await edit(` again ${since}`);
        }
      }
      await sleep(2500);
    }
  } finally {
    child.kill();
    await writeFile(page, original);
  }
  return builds().map((m) => `${m[1]} file(s) ${m[2]} s`);
}

console.log("eleventy:", (await run("", 41001)).join(" | "));
console.log("plugin:  ", (await run(process.argv[3] ?? pathToFileURL(join(REPO, "dist/index.js")).href, 41002)).join(" | "));
