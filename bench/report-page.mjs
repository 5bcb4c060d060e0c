#!/usr/bin/env node
/**
 * The HTML report page's cost: `renderHtmlReport` on a realistic large report,
 * the current build (dist/) against an earlier version of the module, side by
 * side in one run. Build first: `npm run build && node bench/report-page.mjs`.
 *
 *   node bench/report-page.mjs [--links 4000] [--pages 400] [--runs 15] [--before <git rev>]
 *
 * "before" is `src/report/html-page.ts` as of `--before`, bundled with esbuild
 * (its imports resolved from today's src/). Default: HEAD when the working tree
 * changed the file, else the parent of the last commit that changed it (so the
 * default compares the latest change to the page with the version it replaced).
 *
 * The report: `--pages` pages, `--links` links over 8 stores, ~1,500 products
 * with titles and per-store availability on checked links, the shapes the plugin
 * records (search and short links, rewritten hrefs, opted-out links), findings on
 * ~10% of links and `missing-disclosure` on ~5% of pages. Deterministic.
 *
 * Per version: median and min of `--runs` timed renders after warm-up (the two
 * versions alternate, ABBA, so machine noise hits both alike), output bytes
 * (UTF-8), and heap: `heapUsed` growth across one render with GC beforehand
 * (allocation not yet collected + the result) and what the result retains after
 * a GC.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { prng } from "./generate-site.mjs";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FILE = "src/report/html-page.ts";

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && args[k + 1] !== undefined ? args[k + 1] : fallback;
};
const nLinks = Number(arg("links", 4000));
const nPages = Number(arg("pages", 400));
const runs = Number(arg("runs", 15));

const git = (...a) => execFileSync("git", a, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 }).trim();

function defaultBefore() {
  const head = git("show", `HEAD:${FILE}`);
  const work = execFileSync("cat", [join(root, FILE)], { encoding: "utf8" }).trim();
  if (head !== work) return "HEAD";
  return `${git("log", "-1", "--format=%H", "--", FILE)}^`;
}
const beforeRev = arg("before", undefined) ?? defaultBefore();
const beforeCommit = git("rev-parse", "--short", beforeRev);

/** Bundles the old module into `dir` (its imports resolved from today's src/), returns the file. */
async function bundleBefore(dir) {
  const esbuild = await import("esbuild");
  const outfile = join(dir, "html-page.before.mjs");
  await esbuild.build({
    stdin: {
      contents: git("show", `${beforeRev}:${FILE}`),
      resolveDir: join(root, "src/report"),
      loader: "ts",
      sourcefile: "html-page.before.ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile,
    logLevel: "error",
  });
  return outfile;
}

// ---------------------------------------------------------------- the report

const HOSTS = {
  us: "amazon.com",
  uk: "amazon.co.uk",
  de: "amazon.de",
  fr: "amazon.fr",
  it: "amazon.it",
  es: "amazon.es",
  ca: "amazon.ca",
  jp: "amazon.co.jp",
};
const TAGS = {
  us: "mysite-20",
  uk: "mysite-21",
  de: "mysite0d-21",
  fr: "mysite0f-21",
  it: "mysite0a-21",
  es: "mysite0e-21",
  ca: "mysite0c-20",
  jp: "mysite-22",
};
const STORES = Object.keys(HOSTS);
const WORDS = (
  "camera lens tripod keyboard desk chair lamp kettle coffee grinder book novel garden tool drill saw bike helmet tent " +
  "stove pack light battery charger cable monitor speaker headphones microphone notebook pencil travel kitchen pan knife " +
  "board bread winter summer stainless steel electric portable wireless compact professional edition black large small"
).split(" ");

function makeReport(seed = 1) {
  const random = prng(seed);
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const products = Array.from({ length: Math.max(1, Math.round(nLinks * 0.375)) }, () => {
    const asin = "B0" + Array.from({ length: 8 }, () => ALNUM[int(36)]).join("");
    const title = Array.from({ length: 4 + int(8) }, () => cap(pick(WORDS))).join(" ");
    const liveIn = STORES.filter(() => random() < 0.6);
    return { asin, title, liveIn };
  });
  const pages = [];
  const links = [];
  const err = (rule, message) => ({ rule, severity: "error", message });
  const warn = (rule, message) => ({ rule, severity: "warning", message });
  for (let p = 0; p < nPages; p++) {
    const year = 2015 + (p % 10);
    const slug = Array.from({ length: 3 + int(4) }, () => pick(WORDS)).join("-");
    const input = `content/posts/${year}/${slug}-${p}.md`;
    const output = `_site/posts/${year}/${slug}-${p}/index.html`;
    const count = Math.floor(((p + 1) * nLinks) / nPages) - Math.floor((p * nLinks) / nPages);
    const pageFindings =
      p % 20 === 7
        ? [
            err(
              "missing-disclosure",
              'This page has affiliate links but no disclosure: add "As an Amazon Associate, I earn from qualifying purchases."',
            ),
          ]
        : [];
    pages.push({ input, output, links: count, findings: pageFindings });
    let line = 5;
    for (let k = 0; k < count; k++) {
      line += 1 + int(12);
      const column = 1 + int(60);
      const store = pick(STORES);
      const host = `www.${HOSTS[store]}`;
      const at = `2025-0${1 + int(9)}-1${int(10)}T0${int(10)}:${10 + int(50)}:00.000Z`;
      // The shapes people paste (as bench/generate-site.mjs writes them); the plugin adds the tag, so
      // nearly every link's `original` differs from its `href`.
      const shape = k % 8;
      if (shape === 3) {
        const q = Array.from({ length: 2 + int(3) }, () => pick(WORDS)).join("+");
        links.push({
          input,
          line,
          column,
          output,
          original: `https://${host}/s?k=${q}`,
          href: `https://${host}/s?k=${q}&tag=${TAGS[store]}`,
          marketplace: store,
          kind: "search",
          status: "unchecked",
          findings: [],
        });
        continue;
      }
      if (random() < 0.01) {
        const href = `https://amzn.to/${Array.from({ length: 7 }, () => ALNUM[int(36)]).join("")}`;
        links.push({
          input,
          line,
          column,
          output,
          original: href,
          href,
          marketplace: "short",
          kind: "short",
          status: "unchecked",
          findings: [err("untagged", `Short link ${href} could not be expanded: replace it with the full product URL.`)],
        });
        continue;
      }
      const product = pick(products);
      const a = product.asin;
      const foreign = shape === 2 && random() < 0.5;
      const href = `https://${host}/dp/${a}?tag=${TAGS[store]}`;
      const original = [
        `https://${host}/dp/${a}`,
        `https://${host}/${product.title.split(" ").slice(0, 4).join("-")}/dp/${a}/ref=sr_1_${1 + int(9)}?crid=2X${ALNUM.slice(int(20), int(20) + 10)}&keywords=${pick(WORDS)}+${pick(WORDS)}&qid=17${int(1e8)}&sr=8-${1 + int(9)}`,
        foreign ? `https://${host}/gp/product/${a}/?tag=someoneelse-21` : `https://${host}/gp/product/${a}/`,
        "",
        `http://${HOSTS[store]}/dp/${a}`,
        `https://${host}/dp/${a}?th=1&psc=1`,
        `https://${host}/dp/${a}`,
        `https://${host}/exec/obidos/ASIN/${a}/?language=en_GB&ref_=as_li_ss_tl`,
      ][shape];
      const s = random();
      const link = {
        input,
        line,
        column,
        output,
        original,
        href,
        asin: product.asin,
        marketplace: store,
        kind: "product",
        status: "live",
        findings: [],
      };
      if (s < 0.03) {
        link.status = "dead";
        link.checkedAt = at;
        link.checkedVia = "page";
        link.liveIn = [];
        link.findings.push(err("dead-asin", `${product.asin} does not exist on ${HOSTS[store]}: link to a current product.`));
      } else if (s < 0.05) {
        link.status = "unverified";
        link.checkedVia = "none";
        link.findings.push(warn("unverified", `Could not check ${product.asin} on ${HOSTS[store]} (captcha); it will be retried.`));
      } else if (foreign) {
        link.checkedAt = at;
        link.checkedVia = "lockfile";
        link.title = product.title;
        link.liveIn = product.liveIn;
        link.findings.push(
          warn("foreign-tag", `The URL carried the tag "someoneelse-21", which is not yours; it was replaced by "${TAGS[store]}".`),
        );
      } else if (s < 0.9) {
        link.checkedAt = at;
        link.checkedVia = s < 0.5 ? "lockfile" : "page";
        link.title = product.title;
        link.liveIn = product.liveIn;
      } else {
        link.status = "unchecked";
      }
      links.push(link);
    }
  }
  const withFindings = links.filter((l) => l.findings.length > 0).length;
  const asins = new Set(links.map((l) => l.asin).filter(Boolean)).size;
  const count = (sev) =>
    links.reduce((n, l) => n + l.findings.filter((f) => f.severity === sev).length, 0) +
    pages.reduce((n, p) => n + p.findings.filter((f) => f.severity === sev).length, 0);
  const status = (st) => links.filter((l) => l.status === st).length;
  const summary = {
    pages: pages.length,
    links: links.length,
    asins,
    stores: [...STORES].sort(),
    errors: count("error"),
    warnings: count("warning"),
    live: status("live"),
    dead: status("dead"),
    unverified: status("unverified"),
    unchecked: status("unchecked"),
  };
  return {
    report: { version: 1, generator: "eleventy-plugin-amazon-links 0.1.0", generatedAt: "2025-06-01T12:34:56.789Z", summary, pages, links },
    withFindings,
    asins,
  };
}

// ---------------------------------------------------------------- measuring

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Heap cost of one render, measured in a fresh process per version (so neither
 * version's garbage or caches count against the other): heapUsed growth across
 * one render and UTF-8 encoding (GC before, none forced during), and what the
 * returned string alone retains after a GC.
 */
/** The whole page as one string (newer builds only export the streamed parts, as the report writer uses them). */
async function renderOf(module) {
  if (module.renderHtmlReport) return module.renderHtmlReport;
  const { jsonForScript } = await import(pathToFileURL(join(root, "dist/html/script-json.js")).href);
  return (report) => {
    const { head, tail } = module.renderHtmlReportParts(report);
    return [...head].join("") + jsonForScript(report) + tail;
  };
}

async function heapChild(modulePath) {
  const renderHtmlReport = await renderOf(await import(pathToFileURL(modulePath).href));
  const { report } = makeReport();
  for (let k = 0; k < 3; k++) Buffer.from(renderHtmlReport(report), "utf8");
  /x/.exec("x"); // drop the last regex match input V8 keeps alive
  gc();
  gc();
  const h0 = process.memoryUsage().heapUsed;
  let out = renderHtmlReport(report);
  const bytes = Buffer.from(out, "utf8").length;
  const grew = process.memoryUsage().heapUsed - h0;
  /x/.exec("x");
  gc();
  gc();
  const retained = process.memoryUsage().heapUsed - h0;
  process.stdout.write(JSON.stringify({ grew, retained, bytes, length: out.length }));
  out = undefined;
}

if (arg("heap-of", undefined)) {
  await heapChild(arg("heap-of"));
  process.exit(0);
}

const { report, withFindings, asins } = makeReport();
const jsonBytes = Buffer.byteLength(JSON.stringify(report), "utf8");
const dir = mkdtempSync(join(tmpdir(), "report-page-before-"));
const beforePath = await bundleBefore(dir);
const afterPath = join(root, "dist/report/html-page.js");
const versions = [
  { name: `before (${beforeCommit})`, path: beforePath, times: [], encoded: [] },
  { name: "after (dist/)", path: afterPath, times: [], encoded: [] },
];
for (const v of versions) {
  v.render = await renderOf(await import(pathToFileURL(v.path).href));
  const child = execFileSync(
    process.execPath,
    [fileURLToPath(import.meta.url), "--heap-of", v.path, "--links", String(nLinks), "--pages", String(nPages)],
    { encoding: "utf8" },
  );
  Object.assign(v, JSON.parse(child));
}
rmSync(dir, { recursive: true, force: true });

let sink = 0;
for (const v of versions) for (let k = 0; k < 5; k++) sink += Buffer.from(v.render(report), "utf8").length; // warm-up
for (let r = 0; r < runs; r++) {
  const order = r % 2 === 0 ? versions : [...versions].reverse();
  for (const v of order) {
    const t0 = process.hrtime.bigint();
    const out = v.render(report);
    const t1 = process.hrtime.bigint();
    sink += Buffer.from(out, "utf8").length; // what fs.writeFile does with a string
    const t2 = process.hrtime.bigint();
    v.times.push(Number(t1 - t0) / 1e6);
    v.encoded.push(Number(t2 - t0) / 1e6);
  }
}

const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
console.log(
  `renderHtmlReport: ${report.links.length} links on ${report.pages.length} pages, ${asins} products, 8 stores, ` +
    `${withFindings} links with findings (${((100 * withFindings) / report.links.length).toFixed(1)}%); report JSON ${mb(jsonBytes)}`,
);
console.log(`node ${process.version}, ${runs} timed runs per version after 5 warm-up renders (ABBA order)\n`);
const rows = versions.map((v) => [
  v.name,
  `${median(v.times).toFixed(1)} ms`,
  `${Math.min(...v.times).toFixed(1)} ms`,
  `${median(v.encoded).toFixed(1)} ms`,
  `${v.bytes.toLocaleString("en")} B`,
  `${Math.round(v.bytes / report.links.length)} B`,
  `+${mb(v.grew)}`,
  `+${mb(v.retained)}`,
]);
const head = ["version", "render median", "min", "render+encode", "output (UTF-8)", "per link", "heap growth", "retained"];
const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
for (const r of [head, ...rows]) console.log(r.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join("  "));
const [b, a] = versions;
const x = (p, q) => `${(p / q).toFixed(2)}x`;
console.log(
  `\nafter vs before: render ${x(median(b.times), median(a.times))} faster (with encoding ${x(median(b.encoded), median(a.encoded))}), ` +
    `output ${x(b.bytes, a.bytes)} smaller, heap growth ${x(b.grew, a.grew)} smaller, retained ${x(b.retained, a.retained)} smaller`,
);
if (sink === 0) console.log("");
