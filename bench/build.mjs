#!/usr/bin/env node
/**
 * Build benchmark: Eleventy alone vs Eleventy + eleventy-plugin-amazon-links
 * on a generated site. See bench/README.md.
 *
 *   node bench/build.mjs [--site synthetic|blog] [--pages 4000] [--runs 5] [--json] [--scale]
 *                        [--scale-runs 3] [--profile] [--out bench/results/build] [--keep]
 *
 * Two profiles: `synthetic` (default; generate-site.mjs, many small pages and nothing else) and
 * `blog` (generate-blog.mjs, 2,000 posts by default with the official plugins a real blog uses).
 *
 * Each build runs in a fresh child process (`node run-build.mjs`, Eleventy's
 * programmatic API), so time and memory are per build. Builds are interleaved
 * A/B (order alternating ABBA…) after one discarded warm-up build of each, and
 * we report medians: wall time of the build (import of Eleventy excluded,
 * config + plugin load included), wall time of the whole process, the median
 * of the per-pair ratios, peak RSS (from /usr/bin/time -v when present, else
 * the child's process.resourceUsage().maxRSS), and pages per second.
 *
 * Never touches the network: product checks run with `check: { via: "lockfile" }`.
 * The lockfile is warm, as the issue asks: before the measured runs, the
 * plugin's own checker (`checkAsins`, page checker) asks the test suite's fake
 * Amazon on 127.0.0.1 about every product in every tagged store, and writes
 * the lockfile a real first build would leave (every product live). With
 * `--lockfile empty` the lockfile stays empty instead: every product is then
 * an `unverified` warning, a heavier report.
 *
 * The plugin is loaded from a snapshot of dist/ copied at start, so a rebuild
 * of dist/ by someone else during the run cannot mix two versions in one figure.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { generateBlog } from "./generate-blog.mjs";
import { benchPluginOptions, generateSite, runForResult } from "./generate-site.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TIME = "/usr/bin/time";

// ---------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
function arg(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value`);
  return value;
}
const has = (name) => argv.includes(`--${name}`);
if (has("help") || has("h")) {
  console.log(`usage: node bench/build.mjs [--site synthetic|blog] [--pages 4000] [--runs 5] [--json] [--scale] [--scale-runs 3] [--profile] [--out prefix] [--keep]

  --site NAME      synthetic (default): generate-site.mjs's pages; blog: generate-blog.mjs's blog with
                   the official plugins (syntax highlighting, RSS feed, HtmlBase, InputPathToUrl, bundle)
  --pages N        pages (posts for the blog) in the default and no-links sites (default 4000; blog 2000)
  --runs N         measured A/B pairs per site (default 5; one warm-up pair is discarded)
  --scale          also measure 1,000 / 4,000 / 16,000 pages (linear growth)
  --scale-runs N   pairs per size for --scale (default 3)
  --profile        also CPU-profile one plugin build (node --cpu-prof) and print the top costs
  --json           print JSON instead of text
  --out PREFIX     also write PREFIX.txt and PREFIX.json (e.g. bench/results/build)
  --lockfile warm|empty   warm (default): every product checked once against the local fake Amazon
                   before the runs; empty: no entries, every product unverified
  --lockfile-cache on|off  on (default): each site has a node_modules/ directory, as a project does, where
                   the plugin keeps a packed copy of the lockfile between builds; off: none, every
                   build parses the lockfile (as the first build of a fresh clone does)
  --page-cache cold|warm  cold (default): the plugin's page cache is removed before each plugin build, so
                   every build is a first build; warm: kept, so each measured build is a rebuild of an
                   unchanged site (the warm-up pair fills it). Needs node_modules/ (--lockfile-cache on)
  --plugin-options JSON   merged over the plugin options, e.g. '{"localize":false}'
  --tmpdir DIR     where sites are generated and built (default /dev/shm when writable, else the OS temp dir)
  --keep           keep the temp dir (printed) for inspection`);
  process.exit(0);
}
const SITE = arg("site", "synthetic");
if (SITE !== "synthetic" && SITE !== "blog") throw new Error(`--site must be "synthetic" or "blog", got ${SITE}`);
const PAGES = Number(arg("pages", SITE === "blog" ? "2000" : "4000"));
/** The first-build target for each profile, as the performance issue (#20) sets it. */
const FIRST_BUILD_TARGET = SITE === "blog" ? 1.05 : 1.15;
const LOCKFILE = arg("lockfile", "warm");
if (LOCKFILE !== "warm" && LOCKFILE !== "empty") throw new Error(`--lockfile must be "warm" or "empty", got ${LOCKFILE}`);
const LOCKFILE_CACHE = arg("lockfile-cache", "on");
if (LOCKFILE_CACHE !== "on" && LOCKFILE_CACHE !== "off") throw new Error(`--lockfile-cache must be "on" or "off", got ${LOCKFILE_CACHE}`);
const PAGE_CACHE = arg("page-cache", "cold");
if (PAGE_CACHE !== "cold" && PAGE_CACHE !== "warm") throw new Error(`--page-cache must be "cold" or "warm", got ${PAGE_CACHE}`);
const RUNS = Number(arg("runs", "5"));
const SCALE_RUNS = Number(arg("scale-runs", "3"));
const JSON_OUT = has("json");
const OUT = arg("out", undefined);
for (const [k, v] of Object.entries({ PAGES, RUNS, SCALE_RUNS })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive whole number`);
}
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------- stats
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------- setup
async function machine() {
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const git = (...args) => {
    try {
      return execFileSync("git", args, { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return undefined;
    }
  };
  const dirty = git("status", "--porcelain", "--", "src")?.split("\n").filter(Boolean).length ?? 0;
  const eleventy = JSON.parse(await readFile(join(REPO, "node_modules/@11ty/eleventy/package.json"), "utf8")).version;
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: model,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    eleventy,
    commit: git("rev-parse", "--short", "HEAD"),
    uncommittedSrcFiles: dirty,
    date: new Date().toISOString(),
  };
}

const RUNNER = `// Written by bench/build.mjs: one Eleventy build, then a result line on stdout.
import { performance } from "node:perf_hooks";
const [input, output, configPath] = process.argv.slice(2);
const t0 = performance.now();
const { default: Eleventy } = await import(process.env.BENCH_ELEVENTY);
const t1 = performance.now();
let error;
try {
  const elev = new Eleventy(input, output, { configPath, quietMode: true });
  await elev.write();
} catch (e) {
  error = String(e?.stack ?? e);
}
const t2 = performance.now();
const ru = process.resourceUsage();
process.stdout.write("\\nBENCH_RESULT " + JSON.stringify({
  importMs: t1 - t0, buildMs: t2 - t1, maxRssKb: ru.maxRSS,
  userMs: ru.userCPUTime / 1000, systemMs: ru.systemCPUTime / 1000,
  error, exitCode: process.exitCode ?? 0,
}) + "\\n");
if (error) process.exitCode = 1;
`;

const CONFIG = `// Written by bench/build.mjs. BENCH_PLUGIN empty: Eleventy alone.
const pluginUrl = process.env.BENCH_PLUGIN;
const plugin = pluginUrl ? (await import(pluginUrl)).default : undefined;
const options = JSON.parse(process.env.BENCH_OPTIONS || "{}");
export default function (eleventyConfig) {
  if (plugin) eleventyConfig.addPlugin(plugin, options);
}
`;

/** Where sites are built: tmpfs when there is one, so other processes' disk writes do not swamp the figures. */
export function defaultTmpBase() {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
}

export async function setup(base = arg("tmpdir", undefined) ?? defaultTmpBase()) {
  if (!existsSync(join(REPO, "dist/index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm run bench does).");
  }
  const tmp = await mkdtemp(join(base, "amazon-links-bench-"));
  // Snapshot of the built plugin, resolving its dependencies from the repo.
  const pkg = join(tmp, "plugin");
  await mkdir(pkg, { recursive: true });
  await cp(join(REPO, "dist"), join(pkg, "dist"), { recursive: true });
  await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "bench-plugin-snapshot", type: "module" }));
  await symlink(join(REPO, "node_modules"), join(pkg, "node_modules"), "dir");
  await writeFile(join(tmp, "run-build.mjs"), RUNNER);
  return {
    tmp,
    runner: join(tmp, "run-build.mjs"),
    pluginUrl: pathToFileURL(join(pkg, "dist/index.js")).href,
    pluginDir: join(pkg, "dist"),
    eleventyUrl: pathToFileURL(join(REPO, "node_modules/@11ty/eleventy/src/Eleventy.js")).href,
  };
}

export async function makeSite(env, name, pages, linkShare) {
  const dir = join(env.tmp, name);
  await mkdir(join(dir, ".bench"), { recursive: true });
  const { config, ...info } =
    SITE === "blog"
      ? await generateBlog({ dir, posts: pages, linkShare })
      : { ...(await generateSite({ dir, pages, linkShare })), config: CONFIG };
  await writeFile(join(dir, "eleventy.config.mjs"), config);
  // A project has a node_modules/ (Eleventy is installed there): the plugin keeps its lockfile cache in it.
  if (LOCKFILE_CACHE === "on" || SITE === "blog") await mkdir(join(dir, "node_modules"), { recursive: true });
  // The blog's config imports Eleventy's official plugins by name: resolve them from the repository.
  if (SITE === "blog") await symlink(join(REPO, "node_modules/@11ty"), join(dir, "node_modules/@11ty"), "dir");
  return { name, ...info };
}

/** Plugin options: everything the issue asks for; keys the plugin rejects are dropped (and said). */
export async function pluginOptions(env) {
  const full = benchPluginOptions();
  // --plugin-options '{"check":false}' merges over these (to attribute cost to one feature).
  const extra = arg("plugin-options", undefined);
  if (extra) Object.assign(full, JSON.parse(extra));
  const dropped = [];
  const { resolveOptions } = await import(pathToFileURL(join(env.pluginDir, "rules/options.js")).href);
  for (const key of ["localize", "check"]) {
    try {
      resolveOptions(full);
      break;
    } catch (e) {
      if (!String(e.message).includes(`"${key}"`)) throw e;
      delete full[key];
      dropped.push(key);
    }
  }
  resolveOptions(full);
  return { options: full, dropped };
}

// ---------------------------------------------------------------- one build
function parseTimeV(stderr) {
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return kb ? Number(kb[1]) : undefined;
}

/**
 * One build in a fresh process. variant "eleventy" | "plugin".
 * Returns { buildMs, processMs, peakRssMb, ... }.
 */
export async function buildOnce(env, site, variant, options, { profileDir } = {}) {
  const output = join(site.dir, `_site-${variant}`);
  const nodeArgs = [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    env.runner,
    site.input,
    output,
    join(site.dir, "eleventy.config.mjs"),
  ];
  // The page cache (node_modules/.cache/eleventy-plugin-amazon-links/pages-*): a first build has none.
  if (variant === "plugin" && PAGE_CACHE === "cold") await removePageCaches(site.dir);
  const useTime = existsSync(TIME) && !profileDir;
  const [cmd, args] = useTime ? [TIME, ["-v", process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const childEnv = {
    ...process.env,
    BENCH_ELEVENTY: env.eleventyUrl,
    BENCH_PLUGIN: variant === "plugin" ? env.pluginUrl : "",
    BENCH_OPTIONS: JSON.stringify(options ?? {}),
    DEBUG: "",
    NODE_OPTIONS: "",
  };
  const load = os.loadavg()[0];
  const started = performance.now();
  const { code, stdout, stderr, result: r } = await runForResult(cmd, args, { cwd: site.dir, env: childEnv }, "BENCH_RESULT ");
  const processMs = performance.now() - started;
  if (!r) throw new Error(`${variant} build of ${site.name} printed no result (exit ${code}):\n${stderr.slice(-4000)}`);
  if (r.error || code !== 0 || r.exitCode !== 0) {
    throw new Error(
      `${variant} build of ${site.name} failed (exit ${code}):\n${r.error ?? ""}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`,
    );
  }
  const rssKb = (useTime && parseTimeV(stderr)) || r.maxRssKb;
  return {
    variant,
    buildMs: r.buildMs,
    processMs,
    importMs: r.importMs,
    cpuMs: r.userMs + r.systemMs,
    peakRssMb: rssKb / 1024,
    rssSource: useTime && parseTimeV(stderr) ? "time -v" : "resourceUsage",
    load1: load,
  };
}

async function removePageCaches(siteDir) {
  const dir = join(siteDir, "node_modules/.cache/eleventy-plugin-amazon-links");
  const names = await readdir(dir).catch(() => []);
  await Promise.all(names.filter((name) => name.startsWith("pages-")).map((name) => rm(join(dir, name), { force: true })));
}

// ---------------------------------------------------------------- warm lockfile
/**
 * Fill the site's lockfile the way a first build with network would: the
 * plugin's checker (page checker, from the dist/ snapshot) asks a fake Amazon
 * on 127.0.0.1 (test/fake-amazon, bundled with esbuild) about every product of
 * the site in every tagged store. Products come from the report of a plugin
 * build with an empty lockfile. The fake sells every product everywhere.
 */
export async function warmLockfile(env, site, options) {
  const reportPath = join(site.dir, ".bench/report.json");
  const lockfile = join(site.dir, options.check.lockfile);
  await rm(lockfile, { force: true });
  await buildOnce(env, site, "plugin", options);
  const report = JSON.parse(await readFile(reportPath, "utf8"));
  const asins = [...new Set(report.links.filter((l) => l.kind === "product" && l.asin).map((l) => l.asin))].sort();
  const stores = Object.keys(options.tags);
  const items = asins.flatMap((asin) => stores.map((marketplace) => ({ asin, marketplace })));

  const { build } = await import("esbuild");
  const bundled = join(env.tmp, "fake-amazon.mjs");
  await build({
    entryPoints: [join(REPO, "test/fake-amazon/server.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: bundled,
    logLevel: "silent",
    // The fake serves the real pages of test/fixtures/: found from the sources' place, not the bundle's.
    define: { "import.meta.url": JSON.stringify(pathToFileURL(join(REPO, "test/fake-amazon/server.ts")).href) },
  });
  const { startFakeAmazon } = await import(pathToFileURL(bundled).href);
  const fake = await startFakeAmazon({ products: Object.fromEntries(asins.map((asin) => [`*:${asin}`, `Bench product ${asin}`])) });
  const started = performance.now();
  try {
    const { checkAsins } = await import(env.pluginUrl);
    const results = await checkAsins(
      items,
      { via: "page", endpoints: fake.endpoints(), lockfile, concurrency: 8, interval: 0, retries: 2, timeout: "60s", budget: "30m" },
      { configDir: site.dir },
    );
    const statuses = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (statuses.live !== items.length) {
      const reasons = [...new Set(results.filter((r) => r.status !== "live").map((r) => r.reason))].slice(0, 3);
      throw new Error(`warming the lockfile: expected every product live, got ${JSON.stringify(statuses)}; e.g. ${reasons.join("; ")}`);
    }
    return {
      products: asins.length,
      stores: stores.length,
      entries: items.length,
      requests: fake.requests.length,
      seconds: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await fake.close();
  }
}

// ---------------------------------------------------------------- A/B
async function abRuns(env, site, options, runs, label) {
  log(`${label}: warm-up (discarded)`);
  await buildOnce(env, site, "eleventy", options);
  await buildOnce(env, site, "plugin", options);
  const pairs = [];
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ["eleventy", "plugin"] : ["plugin", "eleventy"];
    const pair = {};
    for (const variant of order) pair[variant] = await buildOnce(env, site, variant, options);
    pairs.push(pair);
    log(
      `${label}: run ${r + 1}/${runs}  eleventy ${pair.eleventy.buildMs.toFixed(0)} ms ${pair.eleventy.peakRssMb.toFixed(0)} MB | plugin ${pair.plugin.buildMs.toFixed(0)} ms ${pair.plugin.peakRssMb.toFixed(0)} MB | ratio ${(pair.plugin.buildMs / pair.eleventy.buildMs).toFixed(3)}  (load ${pair.eleventy.load1.toFixed(2)})`,
    );
  }
  return summarize(site, pairs);
}

function summarize(site, pairs) {
  const side = (v) => {
    const runs = pairs.map((p) => p[v]);
    const buildMs = median(runs.map((r) => r.buildMs));
    return {
      buildMs: round(buildMs, 1),
      buildMsMin: round(Math.min(...runs.map((r) => r.buildMs)), 1),
      buildMsMax: round(Math.max(...runs.map((r) => r.buildMs)), 1),
      processMs: round(median(runs.map((r) => r.processMs)), 1),
      cpuMs: round(median(runs.map((r) => r.cpuMs)), 1),
      peakRssMb: round(median(runs.map((r) => r.peakRssMb)), 1),
      pagesPerSecond: round(site.pages / (buildMs / 1000), 0),
    };
  };
  const eleventy = side("eleventy");
  const plugin = side("plugin");
  const ratios = pairs.map((p) => p.plugin.buildMs / p.eleventy.buildMs);
  return {
    site: {
      name: site.name,
      pages: site.pages,
      pagesWithLinks: site.linkedPages,
      amazonLinks: site.amazonLinks,
      markdownBytes: site.bytes,
    },
    runs: pairs.length,
    eleventy,
    plugin,
    ratio: {
      build: round(median(ratios)),
      buildMin: round(Math.min(...ratios)),
      buildMax: round(Math.max(...ratios)),
      process: round(median(pairs.map((p) => p.plugin.processMs / p.eleventy.processMs))),
      cpu: round(median(pairs.map((p) => p.plugin.cpuMs / p.eleventy.cpuMs))),
      peakRss: round(median(pairs.map((p) => p.plugin.peakRssMb / p.eleventy.peakRssMb))),
    },
    pluginCostMs: round(median(pairs.map((p) => p.plugin.buildMs - p.eleventy.buildMs)), 1),
    load1: {
      min: round(Math.min(...pairs.flatMap((p) => [p.eleventy.load1, p.plugin.load1])), 2),
      max: round(Math.max(...pairs.flatMap((p) => [p.eleventy.load1, p.plugin.load1])), 2),
    },
    rssSource: pairs[0].eleventy.rssSource,
    raw: pairs.map((p) => ({
      eleventyMs: round(p.eleventy.buildMs, 1),
      pluginMs: round(p.plugin.buildMs, 1),
      eleventyRssMb: round(p.eleventy.peakRssMb, 1),
      pluginRssMb: round(p.plugin.peakRssMb, 1),
    })),
  };
}

// ---------------------------------------------------------------- sanity
async function listHtml(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** After a warm-up: did the plugin do the work, and which options were active? */
export async function inspect(site) {
  const out = { checkActive: false, localizeActive: false, statuses: {}, reportLinks: undefined, identicalWithoutLinks: undefined };
  const report = JSON.parse(await readFile(join(site.dir, ".bench/report.json"), "utf8").catch(() => "null"));
  if (report) {
    out.reportLinks = report.summary?.links;
    out.reportWarnings = report.summary?.warnings;
    out.reportErrors = report.summary?.errors;
    for (const l of report.links ?? []) out.statuses[l.status] = (out.statuses[l.status] ?? 0) + 1;
    out.checkActive = Object.keys(out.statuses).some((s) => s !== "unchecked" && s !== "undefined");
  }
  const a = await listHtml(join(site.dir, "_site-eleventy"));
  let scriptsA = 0;
  let scriptsB = 0;
  let same = 0;
  let differ = 0;
  const sample = a;
  for (const fileA of sample) {
    const fileB = fileA.replace("_site-eleventy", "_site-plugin");
    const [ha, hb] = await Promise.all([readFile(fileA, "utf8"), readFile(fileB, "utf8")]);
    scriptsA += ha.split("<script").length - 1;
    scriptsB += hb.split("<script").length - 1;
    if (ha === hb) same++;
    else differ++;
  }
  out.localizeActive = scriptsB > scriptsA;
  out.sampledPages = sample.length;
  out.sampledPagesChanged = differ;
  out.sampledPagesIdentical = same;
  return out;
}

// ---------------------------------------------------------------- profile
/**
 * Self time per function from a .cpuprofile, and the time spent under the
 * plugin's frames (its own code plus the library code it calls), attributed
 * to the innermost plugin frame.
 */
export function analyzeProfile(profile, pluginDir) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const pluginUrl = pathToFileURL(pluginDir).href;
  const isPlugin = (n) => n.callFrame.url.startsWith(pluginUrl);
  const short = (url) => {
    if (url.startsWith(pluginUrl)) return "plugin:" + url.slice(pluginUrl.length + 1);
    const nm = url.lastIndexOf("node_modules/");
    if (nm !== -1) return url.slice(nm + "node_modules/".length);
    return url.replace(/^file:\/\//, "") || "(native)";
  };
  const frameName = (n) => `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const category = (n) => {
    const url = n.callFrame.url;
    if (!url) return n.callFrame.functionName.startsWith("(") ? n.callFrame.functionName : "(native)";
    if (url.startsWith(pluginUrl)) return "plugin";
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    if (url.startsWith("node:")) return "node internals";
    return "other";
  };
  const innermostPlugin = new Map();
  const pluginFrame = (id) => {
    if (innermostPlugin.has(id)) return innermostPlugin.get(id);
    const n = nodes.get(id);
    const p = parent.get(id);
    const found = isPlugin(n) ? n : p !== undefined ? pluginFrame(p) : null;
    innermostPlugin.set(id, found);
    return found;
  };
  let total = 0;
  let underPlugin = 0;
  const byFunction = new Map();
  const byCategory = new Map();
  const byPluginFrame = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  for (const [id, ms] of self) {
    const n = nodes.get(id);
    total += ms;
    add(byFunction, frameName(n), ms);
    add(byCategory, category(n), ms);
    const pf = pluginFrame(id);
    if (pf) {
      underPlugin += ms;
      add(byPluginFrame, `${frameName(pf)}${isPlugin(n) ? "" : `  → ${category(n)}`}`, ms);
    }
  }
  const top = (map, k) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, ms]) => ({ name, ms: round(ms, 1), share: round(ms / total, 4) }));
  const idle = byCategory.get("(idle)") ?? 0;
  return {
    totalMs: round(total, 1),
    idleMs: round(idle, 1),
    underPluginMs: round(underPlugin, 1),
    underPluginShareOfBusy: round(underPlugin / (total - idle), 4),
    byCategory: top(byCategory, 15),
    topSelf: top(byFunction, 30),
    pluginFrames: top(byPluginFrame, 30),
  };
}

async function profileBuild(env, site, options) {
  const dir = join(env.tmp, "profiles");
  const results = {};
  for (const variant of ["eleventy", "plugin"]) {
    const profileDir = join(dir, variant);
    await rm(profileDir, { recursive: true, force: true });
    await mkdir(profileDir, { recursive: true });
    const r = await buildOnce(env, site, variant, options, { profileDir });
    const [file] = (await readdir(profileDir)).filter((f) => f.endsWith(".cpuprofile"));
    const profile = JSON.parse(await readFile(join(profileDir, file), "utf8"));
    results[variant] = { buildMs: round(r.buildMs, 1), file: join(profileDir, file), ...analyzeProfile(profile, env.pluginDir) };
  }
  return results;
}

// ---------------------------------------------------------------- output
function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}
function lpad(s, n) {
  s = String(s);
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

function formatText(result) {
  const m = result.machine;
  const lines = [];
  lines.push(`eleventy-plugin-amazon-links build benchmark, ${result.site} profile — ${m.date}`);
  lines.push(
    `machine: ${m.nproc} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.platform}; Node ${m.node}; Eleventy ${m.eleventy}; sites built in ${m.tmpdir}`,
  );
  lines.push(
    `plugin: dist/ at ${m.commit}${m.uncommittedSrcFiles ? ` + ${m.uncommittedSrcFiles} uncommitted src/ file(s)` : ""}; options ${JSON.stringify(result.options)}`,
  );
  const lock = result.lockfile;
  const lockText =
    lock?.mode === "warm"
      ? `warm lockfile: ${lock.entries} entries, ${lock.products} products × ${lock.stores} stores, from ${lock.requests} requests to the fake Amazon on 127.0.0.1`
      : "empty lockfile: products unverified";
  lines.push(
    `page cache: ${result.pageCache === "warm" ? "warm (kept between builds: each measured plugin build is a rebuild of an unchanged site)" : "cold (removed before each plugin build: first builds)"}`,
  );
  lines.push(
    `lockfile cache: ${result.lockfileCache === "on" ? "on (a node_modules/ in each site, as in a project: builds after the first read the packed copy the plugin keeps there while the lockfile is unchanged)" : "off (no node_modules/: every build parses the lockfile, as the first build of a fresh clone does)"}`,
  );
  lines.push(
    `active: check ${result.active.check ? `yes (via lockfile, ${lockText})` : "no"}, localize ${result.active.localize ? "yes" : "no"}${result.droppedOptions.length ? `; rejected by the plugin: ${result.droppedOptions.join(", ")}` : ""}`,
  );
  lines.push(
    `method: each build a fresh \`node\` process (Eleventy programmatic API, quietMode); 1 warm-up pair discarded, then interleaved A/B pairs (ABBA order); medians. ratio = median of per-pair plugin/eleventy build wall time (min–max over pairs); build = new Eleventy()+write() incl. config/plugin load; process = same ratio for the whole child incl. Node start and Eleventy import; cpu = same ratio for user+system CPU time (less sensitive to other load on the machine); peak RSS via ${result.sites[0]?.rssSource}.`,
  );
  lines.push("");
  const header = `${pad("site", 36)}${lpad("runs", 5)}${lpad("eleventy ms", 13)}${lpad("plugin ms", 11)}${lpad("ratio", 8)}${lpad("(min–max)", 14)}${lpad("process", 9)}${lpad("cpu", 7)}${lpad("RSS E MB", 10)}${lpad("RSS P MB", 10)}${lpad("RSS ratio", 11)}${lpad("pages/s E", 11)}${lpad("pages/s P", 11)}${lpad("load1", 11)}`;
  lines.push(header);
  lines.push("-".repeat(header.length));
  for (const s of [...result.sites, ...(result.scale ?? [])]) {
    const label = `${s.site.name} (${s.site.pages}p, ${s.site.amazonLinks} links)`;
    lines.push(
      `${pad(label, 36)}${lpad(s.runs, 5)}${lpad(s.eleventy.buildMs.toFixed(0), 13)}${lpad(s.plugin.buildMs.toFixed(0), 11)}${lpad(s.ratio.build.toFixed(3), 8)}${lpad(`${s.ratio.buildMin.toFixed(2)}–${s.ratio.buildMax.toFixed(2)}`, 14)}${lpad(s.ratio.process.toFixed(3), 9)}${lpad(s.ratio.cpu.toFixed(3), 7)}${lpad(s.eleventy.peakRssMb.toFixed(0), 10)}${lpad(s.plugin.peakRssMb.toFixed(0), 10)}${lpad(s.ratio.peakRss.toFixed(3), 11)}${lpad(s.eleventy.pagesPerSecond, 11)}${lpad(s.plugin.pagesPerSecond, 11)}${lpad(`${s.load1.min}–${s.load1.max}`, 11)}`,
    );
  }
  if (result.scale) {
    lines.push("");
    lines.push("scale: plugin cost (median of per-pair plugin − eleventy build ms)");
    for (const s of result.scale) {
      lines.push(
        `  ${lpad(s.site.pages, 6)} pages ${lpad(s.site.amazonLinks, 6)} links: +${s.pluginCostMs.toFixed(0)} ms = ${((1000 * s.pluginCostMs) / s.site.pages).toFixed(0)} µs/page, ${((1000 * s.pluginCostMs) / s.site.amazonLinks).toFixed(0)} µs/link; ratio ${s.ratio.build.toFixed(3)}; eleventy ${((1000 * s.eleventy.buildMs) / s.site.pages).toFixed(0)} µs/page`,
      );
    }
  }
  const t = result.targets;
  lines.push("");
  lines.push(
    `targets (first build, ${result.site} profile): default ratio ≤ ${t.defaultRatio.limit}: ${t.defaultRatio.value} ${t.defaultRatio.ok ? "OK" : "MISSED"}; no-links ratio ≤ 1.02: ${t.noLinksRatio.value} ${t.noLinksRatio.ok ? "OK" : "MISSED"}; peak memory ≤ 1.15: ${t.peakRss.value} ${t.peakRss.ok ? "OK" : "MISSED"}`,
  );
  const sanity = result.sanity;
  lines.push(
    `sanity: report has ${sanity.reportLinks} links (generated ${result.sites[0].site.amazonLinks}), ${sanity.reportErrors} errors, ${sanity.reportWarnings} warnings, statuses ${JSON.stringify(sanity.statuses)}; sampled ${sanity.sampledPages} pages, ${sanity.sampledPagesChanged} changed; no-links site: ${sanity.noLinksIdentical}`,
  );
  if (result.profile) {
    lines.push("");
    lines.push(formatProfile(result.profile));
  }
  return lines.join("\n") + "\n";
}

function formatProfile(p) {
  const lines = [];
  for (const variant of ["eleventy", "plugin"]) {
    const r = p[variant];
    lines.push(`cpu profile (${variant}, one build, ${r.buildMs} ms wall, sampled ${r.totalMs} ms, idle ${r.idleMs} ms):`);
    lines.push("  self time by package: " + r.byCategory.map((c) => `${c.name} ${c.ms.toFixed(0)}`).join(", "));
  }
  const r = p.plugin;
  lines.push(
    `  time under the plugin's frames (own code + libraries it calls): ${r.underPluginMs} ms (${(100 * r.underPluginShareOfBusy).toFixed(1)}% of busy)`,
  );
  lines.push("  by innermost plugin frame (→ library doing the work):");
  for (const f of r.pluginFrames.slice(0, 20)) lines.push(`    ${lpad(f.ms.toFixed(1), 8)} ms  ${f.name}`);
  lines.push("  top self time, plugin build:");
  for (const f of r.topSelf.slice(0, 20)) lines.push(`    ${lpad(f.ms.toFixed(1), 8)} ms  ${f.name}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------- main
async function main() {
  const started = performance.now();
  // Commit and working-tree state as of the dist/ snapshot (the run can take minutes).
  const atSnapshot = await machine();
  const env = await setup();
  log(`temp dir ${env.tmp}`);
  try {
    const { options, dropped } = await pluginOptions(env);
    if (dropped.length) log(`plugin rejected option(s) ${dropped.join(", ")}: measuring without them`);
    const sites = [];
    const linksSite = await makeSite(env, "default", PAGES, 0.25);
    log(`generated ${linksSite.name}: ${linksSite.pages} pages, ${linksSite.linkedPages} with ${linksSite.amazonLinks} Amazon links`);
    let warm;
    if (LOCKFILE === "warm" && options.check) {
      log("warming the lockfile: every product, every tagged store, against the fake Amazon on 127.0.0.1");
      warm = await warmLockfile(env, linksSite, options);
      log(
        `lockfile: ${warm.entries} entries (${warm.products} products × ${warm.stores} stores) from ${warm.requests} requests in ${warm.seconds} s`,
      );
    }
    sites.push(await abRuns(env, linksSite, options, RUNS, "default"));
    const sanity = await inspect(linksSite);

    const emptySite = await makeSite(env, "no-amazon-links", PAGES, 0);
    sites.push(await abRuns(env, emptySite, options, RUNS, "no-amazon-links"));
    const emptyCheck = await inspect(emptySite);
    sanity.noLinksIdentical = `${emptyCheck.sampledPagesIdentical}/${emptyCheck.sampledPages} sampled pages byte-identical to Eleventy alone`;

    let scale;
    if (has("scale")) {
      scale = [];
      for (const pages of [1000, 4000, 16000]) {
        if (pages === PAGES && RUNS >= SCALE_RUNS) {
          scale.push({ ...sites[0], site: { ...sites[0].site, name: `scale-${pages}` } });
          continue;
        }
        const site = await makeSite(env, `scale-${pages}`, pages, 0.25);
        // The same workload at every size: a warm lockfile when the default site had one.
        if (warm) {
          const w = await warmLockfile(env, site, options);
          log(`scale-${pages}: lockfile ${w.entries} entries from ${w.requests} requests in ${w.seconds} s`);
        }
        scale.push(await abRuns(env, site, options, SCALE_RUNS, `scale-${pages}`));
        await rm(site.dir, { recursive: true, force: true });
      }
    }

    let profile;
    if (has("profile")) {
      log("profiling one build of each (node --cpu-prof)");
      profile = await profileBuild(env, linksSite, options);
    }

    const result = {
      site: SITE,
      machine: { ...atSnapshot, tmpdir: dirname(env.tmp) },
      options,
      droppedOptions: dropped,
      active: { check: sanity.checkActive, localize: sanity.localizeActive },
      lockfile: { mode: warm ? "warm" : "empty", ...warm },
      lockfileCache: LOCKFILE_CACHE,
      pageCache: PAGE_CACHE,
      sites,
      scale,
      sanity,
      targets: {
        defaultRatio: { value: sites[0].ratio.build, limit: FIRST_BUILD_TARGET, ok: sites[0].ratio.build <= FIRST_BUILD_TARGET },
        noLinksRatio: { value: sites[1].ratio.build, limit: 1.02, ok: sites[1].ratio.build <= 1.02 },
        peakRss: { value: sites[0].ratio.peakRss, limit: 1.15, ok: sites[0].ratio.peakRss <= 1.15 },
      },
      profile,
      benchSeconds: round((performance.now() - started) / 1000, 1),
    };
    if (profile) for (const v of Object.values(profile)) delete v.file;
    const text = formatText(result);
    process.stdout.write(JSON_OUT ? JSON.stringify(result, null, 2) + "\n" : text);
    if (OUT) {
      await mkdir(dirname(resolve(OUT)), { recursive: true });
      await writeFile(`${OUT}.txt`, text);
      await writeFile(`${OUT}.json`, JSON.stringify(result, null, 2) + "\n");
      log(`wrote ${OUT}.txt and ${OUT}.json`);
    }
  } finally {
    if (has("keep")) log(`kept ${env.tmp}`);
    else await rm(env.tmp, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  main().catch((e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  });
}
