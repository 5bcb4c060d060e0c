#!/usr/bin/env node
/**
 * A `--serve --incremental` rebuild after one page with Amazon links is edited: Eleventy alone, then
 * with the plugin from dist/ (or the dist/index.js URL given), on a site kept by `node bench/build.mjs --keep`.
 * Prints Eleventy's own "Wrote … in X seconds" for the first build and each rebuild, and the plugin's
 * own time in each: its transform and event handlers, timed from outside through a proxy of the
 * Eleventy config it is given (so the figure does not rest on the plugin's own account of itself).
 *
 *   node bench/serve-rebuild.mjs /dev/shm/amazon-links-bench-XXXXXX/default [file:///other/dist/index.js]
 *
 * Side by side: `--compare <other dist/>` (repeatable) runs this dist/ and each other build in turn,
 * `--rounds N` times (5 rebuilds each), and prints the median plugin time per rebuild of each.
 *
 *   node bench/serve-rebuild.mjs <site> --rounds 3 --compare /tmp/old-checkout/dist
 */
import { spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { benchPluginOptions } from "./generate-site.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const site = argv[0];
const compares = argv.flatMap((a, i) => (a === "--compare" && argv[i + 1] ? [argv[i + 1]] : []));
const roundsAt = argv.indexOf("--rounds");
const rounds = roundsAt === -1 ? 1 : Number(argv[roundsAt + 1]);
if (!site || !(rounds >= 1)) {
  console.error(
    "usage: node bench/serve-rebuild.mjs <site kept by bench/build.mjs --keep>/default [plugin URL] [--rounds N] [--compare other/dist]...",
  );
  process.exit(2);
}
const page = join(site, "src/posts/000/post-00003.md");
const original = await readFile(page, "utf8");
const WROTE = /Wrote (\d+) files?(?: \(skipped \d+\))? in ([\d.]+) seconds/g;
const OWN = /SERVE_BENCH_PLUGIN (\{.*\})/g;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// The plugin, given a proxy of Eleventy's config that times every handler it registers; a line per build.
const CONFIG = `// Written by bench/serve-rebuild.mjs.
import { performance } from "node:perf_hooks";
const pluginUrl = process.env.BENCH_PLUGIN;
const plugin = pluginUrl ? (await import(pluginUrl)).default : undefined;
let own = { before: 0, transforms: 0, pages: 0, after: 0 };
const timed = (phase, fn) =>
  function (...args) {
    const start = performance.now();
    const add = () => {
      own[phase] += performance.now() - start;
      if (phase !== "after") return;
      process.stdout.write("SERVE_BENCH_PLUGIN " + JSON.stringify(own) + "\\n");
      own = { before: 0, transforms: 0, pages: 0, after: 0 };
    };
    if (phase === "transforms") own.pages++;
    const value = fn.apply(this, args);
    if (value && typeof value.then === "function") return value.finally(add);
    add();
    return value;
  };
const proxy = (config) =>
  new Proxy(config, {
    get(target, key) {
      if (key === "addTransform") return (name, fn) => target.addTransform(name, timed("transforms", fn));
      if (key === "on")
        return (event, fn) =>
          target.on(event, event === "eleventy.before" ? timed("before", fn) : event === "eleventy.after" ? timed("after", fn) : fn);
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
export default function (eleventyConfig) {
  if (plugin) eleventyConfig.addPlugin((config, options) => plugin(proxy(config), options), JSON.parse(process.env.BENCH_OPTIONS || "{}"));
}
`;

async function run(plugin, port, edits = 5) {
  const config = join(site, "eleventy.serve-bench.config.mjs");
  await writeFile(config, CONFIG);
  const child = spawn(
    process.execPath,
    [
      join(REPO, "node_modules/@11ty/eleventy/cmd.cjs"),
      "--serve",
      "--incremental",
      `--port=${port}`,
      "--input=src",
      "--output=_site-serve",
      `--config=${config}`,
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
    await rm(config, { force: true });
  }
  const own = [...out.matchAll(OWN)].map((m) => JSON.parse(m[1]));
  return builds().map((m, i) => {
    const mine = own[i];
    // The first build's pages overlap (they wait on the lockfile together): their sum is not a time.
    const plugin =
      mine && i > 0
        ? `, plugin ${Math.round(mine.before + mine.transforms + mine.after)} ms (before ${Math.round(mine.before)}, ${mine.pages} page(s) ${Math.round(mine.transforms)}, after ${Math.round(mine.after)})`
        : "";
    return `${m[1]} file(s) ${m[2]} s${plugin}`;
  });
}

console.log("eleventy:\n  " + (await run("", 41001)).join("\n  "));
if (compares.length === 0) {
  console.log(
    "plugin:\n  " +
      (await run(argv[1] && !argv[1].startsWith("--") ? argv[1] : pathToFileURL(join(REPO, "dist/index.js")).href, 41002)).join("\n  "),
  );
} else {
  // This dist/ and each other build in turn, round after round; each a new `eleventy --serve` process.
  const variants = [join(REPO, "dist"), ...compares.map((dir) => resolve(dir))];
  const times = new Map(variants.map((dir) => [dir, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [k, dir] of variants.entries()) {
      const lines = await run(pathToFileURL(join(dir, "index.js")).href, 41002 + k + round * variants.length);
      console.log(`${dir} (round ${round + 1}):\n  ${lines.join("\n  ")}`);
      for (const line of lines.slice(1)) times.get(dir).push(Number(/plugin (\d+) ms/.exec(line)?.[1]));
    }
  }
  for (const [dir, list] of times) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(`${dir}: plugin's own ms per rebuild, median ${sorted[sorted.length >> 1]} of ${sorted.length} (${sorted.join(", ")})`);
  }
}
