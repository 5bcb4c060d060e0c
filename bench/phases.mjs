#!/usr/bin/env node
/**
 * Where a build's time goes, side by side: Eleventy alone, the plugin from dist/, and optionally another
 * build of the plugin (an earlier commit, an experiment), on a site kept by `bench/build.mjs --keep`.
 *
 *   node bench/build.mjs --keep                       # prints "kept /dev/shm/amazon-links-bench-XXXXXX"
 *   node bench/phases.mjs --site /dev/shm/amazon-links-bench-XXXXXX/default [--rounds 8]
 *                         [--compare ../old-checkout/dist ...] [--plugin-options '{"check":false}']
 *
 * Each build is a fresh `node` process; the variants take turns within a round, in an order that
 * rotates from round to round. Phases are marked inside the build: render (until the first page
 * reaches the transforms), transforms (until eleventy.after: Eleventy runs every page's transforms,
 * then writes it), end (eleventy.after until write() resolves: the plugin's reports); and the CPU
 * time of the build, all threads (steadier than wall time when the machine is busy). Medians are
 * printed. Steadier than separate bench runs for telling two commits apart on a shared machine, since
 * both run in the same minutes.
 */
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { benchPluginOptions, runForResult } from "./generate-site.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : argv[at + 1];
};

if (argv.includes("--child")) await child();
else await parent();

async function parent() {
  const site = arg("site", undefined);
  if (!site || !existsSync(join(site, "src"))) {
    console.error(
      "usage: node bench/phases.mjs --site <a site dir kept by `node bench/build.mjs --keep`, e.g. /dev/shm/amazon-links-bench-XXXXXX/default> [--rounds 8] [--compare other/dist]... [--plugin-options JSON] [--page-cache cold|warm]",
    );
    process.exit(2);
  }
  const options = { ...benchPluginOptions(), ...JSON.parse(arg("plugin-options", "{}")) };
  const variants = [
    { name: "eleventy", plugin: "" },
    { name: "plugin", plugin: pathToFileURL(join(REPO, "dist/index.js")).href },
  ];
  // --compare may be given more than once: each build of the plugin runs as its own variant.
  const compares = argv.flatMap((a, i) => (a === "--compare" && argv[i + 1] ? [argv[i + 1]] : []));
  for (const [i, dir] of compares.entries()) {
    variants.push({
      name: compares.length === 1 ? "compare" : `compare${i + 1}`,
      plugin: pathToFileURL(join(resolve(dir), "index.js")).href,
    });
  }
  const rounds = Number(arg("rounds", "8"));
  const runs = new Map(variants.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length];
      const result = await runChild(site, variant, options);
      runs.get(variant.name).push(result);
      console.error(`[phases] round ${round + 1}/${rounds} ${variant.name.padEnd(8)} ${Math.round(result.total)} ms`);
    }
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[sorted.length >> 1];
  };
  const base = median(runs.get("eleventy").map((r) => r.total));
  console.log(`site ${site}; ${rounds} rounds; medians in ms (peak RSS in MB)`);
  console.log(
    ["variant", "total", "ratio", "render", "transforms", "end", "CPU", "peak RSS"]
      .map((h, i) => (i ? h.padStart(11) : h.padEnd(9)))
      .join(""),
  );
  for (const [name, list] of runs) {
    const m = (key) => median(list.map((r) => r[key]));
    const cells = [m("total"), m("total") / base, m("render"), m("transforms"), m("end"), m("cpu"), m("rss")];
    console.log(name.padEnd(9) + cells.map((c, i) => (i === 1 ? c.toFixed(3) : String(Math.round(c))).padStart(11)).join(""));
  }
}

async function runChild(site, variant, options) {
  // Without this, each build would be given its pages by the page cache its variant's last build left
  // (node_modules/.cache/eleventy-plugin-amazon-links/pages-*). --page-cache warm keeps them.
  if (arg("page-cache", "cold") !== "warm") {
    const dir = join(site, "node_modules/.cache/eleventy-plugin-amazon-links");
    const names = await readdir(dir).catch(() => []);
    await Promise.all(names.filter((name) => name.startsWith("pages-")).map((name) => rm(join(dir, name), { force: true })));
  }
  const { code, stderr, result } = await runForResult(
    process.execPath,
    [fileURLToPath(import.meta.url), "--child", resolve(site)],
    {
      cwd: site,
      env: {
        ...process.env,
        PHASES_PLUGIN: variant.plugin,
        // Each variant its own output directory, so --page-cache warm keeps one page cache per variant.
        PHASES_OUTPUT: `_site-phases-${variant.name}`,
        PHASES_OPTIONS: JSON.stringify(options),
        BENCH_PLUGIN: "",
        DEBUG: "",
        NODE_OPTIONS: "",
      },
    },
    "PHASES_RESULT ",
  );
  if (code !== 0 || !result) throw new Error(`${variant.name} build failed (exit ${code}):\n${stderr.slice(-3000)}`);
  return result;
}

async function child() {
  const site = argv[argv.indexOf("--child") + 1];
  const { default: Eleventy } = await import(pathToFileURL(join(REPO, "node_modules/@11ty/eleventy/src/Eleventy.js")).href);
  const plugin = process.env.PHASES_PLUGIN ? (await import(process.env.PHASES_PLUGIN)).default : undefined;
  const options = JSON.parse(process.env.PHASES_OPTIONS);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let firstTransform;
  let after;
  const elev = new Eleventy(join(site, "src"), join(site, process.env.PHASES_OUTPUT ?? "_site-phases"), {
    quietMode: true,
    config(config) {
      config.addTransform("phases-first", (content) => {
        firstTransform ??= performance.now();
        return content;
      });
      // Before the plugin's own listener: the end phase starts when eleventy.after does.
      config.on("eleventy.after", () => {
        after = performance.now();
      });
      if (plugin) config.addPlugin(plugin, options);
    },
  });
  await elev.write();
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const result = {
    cpu: (cpu.user + cpu.system) / 1000,
    total: end - t0,
    render: firstTransform - t0,
    transforms: after - firstTransform,
    end: end - after,
    rss: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`\nPHASES_RESULT ${JSON.stringify(result)}\n`);
}
