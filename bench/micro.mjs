#!/usr/bin/env node
/**
 * Micro-benchmarks of the plugin's hot paths, each against a baseline on the
 * same input. Uses the built package (dist/); run `npm run build` first.
 *
 *   node bench/micro.mjs [--json] [--out bench/results/micro] [--time 400]
 *
 * 1. pre-check: "may this page hold Amazon links?" on a 2 KB built page
 *    without links (ns/op), vs String#includes("amazon") (a floor).
 * 2. URL parsing: parseAmazonUrl over 1,000 mixed Amazon URLs (URLs/s), vs
 *    `new URL()` alone on the same strings.
 * 3. Rewrite of one 73 KB page with 300 Amazon links (MB/s): findAmazonLinks
 *    + writeAmazonLinks (what the plugin does per page, checks aside), and
 *    processPage (adds link records and source locations), vs htmlparser2's
 *    bare tokenizer, htmlparser2 parseDocument + dom-serializer render,
 *    hast-util-from-html + hast-util-to-html, and unified rehype-parse +
 *    rehype-stringify.
 *
 * Harness: no dependency. Each case is warmed up (JIT) for `--time` ms, then
 * measured in batches of k iterations (k sized so a batch takes ~10 ms);
 * the cases of one group are measured round-robin, one batch each in turn,
 * for `--rounds` rounds, so load from other processes on the machine hits
 * every case alike. We report the median time per op over batches and the
 * fastest batch. Results are consumed (a checksum) so nothing is optimized away.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { prng } from "./generate-site.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => import(pathToFileURL(join(REPO, "dist", p)).href);
const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const JSON_OUT = argv.includes("--json");
const OUT = arg("out", undefined);
const WARMUP_MS = Number(arg("time", "400"));
const ROUNDS = Number(arg("rounds", "25"));
const BATCH_MS = 10;

let sink = 0;
const consume = (x) => {
  if (typeof x === "string") sink += x.length;
  else if (typeof x === "boolean") sink += x ? 1 : 0;
  else if (x && typeof x === "object") sink += 1;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** cases: [{ name, fn, ops? }]; ops = units per call (URLs per call, bytes per call). */
function measureGroup(cases) {
  for (const c of cases) {
    const until = performance.now() + WARMUP_MS;
    let n = 0;
    while (performance.now() < until || n < 5) {
      consume(c.fn());
      n++;
    }
    // Batch size: iterations for ~BATCH_MS.
    const t0 = performance.now();
    let k = 0;
    while (performance.now() - t0 < BATCH_MS || k < 1) {
      consume(c.fn());
      k++;
    }
    c.batch = k;
    c.samples = [];
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      const t0 = performance.now();
      for (let i = 0; i < c.batch; i++) consume(c.fn());
      c.samples.push((performance.now() - t0) / c.batch);
    }
  }
  return cases.map((c) => ({
    name: c.name,
    msPerOp: median(c.samples),
    msPerOpMin: Math.min(...c.samples),
    iterations: c.batch * ROUNDS,
  }));
}

// ---------------------------------------------------------------- inputs
const random = prng(7);
const int = (n) => Math.floor(random() * n);
const WORDS =
  "the a of and to in is for on with build site page static fast layout review guide camera lens tripod keyboard desk chair lamp kettle coffee grinder book garden tool bike tent stove".split(
    " ",
  );
const words = (n) => Array.from({ length: n }, () => WORDS[int(WORDS.length)]).join(" ");
const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const asin = () => "B0" + Array.from({ length: 8 }, () => ALNUM[int(36)]).join("");
const HOSTS = ["amazon.com", "amazon.co.uk", "amazon.de", "amazon.fr", "amazon.it", "amazon.es", "amazon.ca", "amazon.co.jp"];

/** Amazon URLs in the shapes people paste (as the decoded href value). */
function amazonUrl(i) {
  const host = HOSTS[i % HOSTS.length];
  const a = asin();
  switch (i % 8) {
    case 0:
      return `https://www.${host}/dp/${a}`;
    case 1:
      return `https://www.${host}/${words(4).replace(/ /g, "-")}/dp/${a}/ref=sr_1_3?crid=2X${asin()}&keywords=${words(2).replace(/ /g, "+")}&qid=1712345678&sr=8-3`;
    case 2:
      return `https://www.${host}/gp/product/${a}/?tag=someoneelse-21`;
    case 3:
      return `https://www.${host}/s?k=${words(2).replace(/ /g, "+")}`;
    case 4:
      return `http://${host}/dp/${a}`;
    case 5:
      return `https://www.${host}/dp/${a}?th=1&psc=1`;
    case 6:
      return `https://${host}/exec/obidos/ASIN/${a}/?language=en_GB&ref_=as_li_ss_tl`;
    default:
      return `https://smile.${host}/gp/aw/d/${a}`;
  }
}
const escapeAttr = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

const HEAD = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A page · Bench Blog</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><a href="/">Bench Blog</a><nav><ul><li><a href="/about/">About</a></li><li><a href="/reviews/">Reviews</a></li><li><a href="/guides/">Guides</a></li></ul></nav></header>
<main><article><h1>A page</h1>
`;
const TAIL = `</article></main>
<footer><p>As an affiliate we may earn from qualifying purchases.</p></footer>
</body>
</html>
`;

/** A built page of about `bytes` bytes without Amazon links. */
function plainPage(bytes) {
  let body = "";
  while (HEAD.length + body.length + TAIL.length < bytes) {
    body += `<p>${words(14)}. See <a href="https://example.com/${words(2).replace(/ /g, "-")}">${words(2)}</a>.</p>\n`;
  }
  return Buffer.from(HEAD + body + TAIL).toString();
}

/** A built page with `links` Amazon links, padded with text to about `bytes`. */
function linkPage(links, bytes) {
  const paragraphs = [];
  for (let i = 0; i < links; i++) {
    paragraphs.push(`<p>${words(8)} <a href="${escapeAttr(amazonUrl(i))}">${words(3)}</a> ${words(6)}.</p>`);
  }
  const html = HEAD + paragraphs.join("\n") + "\n" + TAIL;
  // Spread filler text over the paragraphs until the page has the wanted size.
  let i = 0;
  let size = html.length;
  while (size < bytes) {
    const filler = ` <p>${words(10)}.</p>`;
    paragraphs[i % links] += filler;
    size += filler.length;
    i++;
  }
  // A flat (sequential) string, as a page read from disk would be.
  return Buffer.from(HEAD + paragraphs.join("\n") + "\n" + TAIL).toString();
}

// ---------------------------------------------------------------- main
async function main() {
  const { mayContainAmazonLink } = await dist("html/precheck.js");
  const { parseAmazonUrl, resolveOptions } = await dist("index.js");
  const { findAmazonLinks, writeAmazonLinks } = await dist("html/rewrite-page.js");
  // Since the link finder stopped deciding, rules/ decides; older builds decided inside findAmazonLinks.
  const { decideLinks } = await dist("rules/decide-link.js");
  const decided = (found) => (decideLinks ? decideLinks(found.links, options) : found.links);
  const { processPage } = await dist("eleventy/process-page.js");
  const { SourceLocator } = await dist("eleventy/source-locator.js");
  const { Parser, parseDocument } = await import("htmlparser2");
  const { render } = await import("dom-serializer");
  const { fromHtml } = await import("hast-util-from-html");
  const { toHtml } = await import("hast-util-to-html");
  const { unified } = await import("unified");
  const { default: rehypeParse } = await import("rehype-parse");
  const { default: rehypeStringify } = await import("rehype-stringify");

  const options = resolveOptions({
    tags: {
      us: "benchsite-20",
      uk: "benchsite-21",
      de: "benchsite0d-21",
      fr: "benchsite0f-21",
      it: "benchsite0a-21",
      es: "benchsite0e-21",
      ca: "benchsite0c-20",
      jp: "benchsite-22",
    },
    quiet: true,
    report: false,
  });

  const results = {};

  // 1. pre-check
  const small = plainPage(2048);
  if (mayContainAmazonLink(small)) throw new Error("the 2 KB page must not look like it holds Amazon links");
  results.precheck = {
    input: `${small.length} B page, no Amazon links`,
    cases: measureGroup([
      { name: "mayContainAmazonLink (plugin pre-check)", fn: () => mayContainAmazonLink(small) },
      { name: 'baseline: html.includes("amazon")', fn: () => small.includes("amazon") },
    ]).map((r) => ({ ...r, nsPerOp: r.msPerOp * 1e6, nsPerOpMin: r.msPerOpMin * 1e6 })),
  };

  // 2. URL parsing
  const urls = Array.from({ length: 1000 }, (_, i) => amazonUrl(i));
  const parsedCount = urls.filter((u) => parseAmazonUrl(u)).length;
  const eachUrl = (f) => () => {
    let n = 0;
    for (let i = 0; i < urls.length; i++) if (f(urls[i])) n++;
    return n === urls.length;
  };
  results.urlParse = {
    input: `${urls.length} mixed Amazon URLs (${parsedCount} recognized)`,
    cases: measureGroup([
      { name: "parseAmazonUrl", fn: eachUrl(parseAmazonUrl) },
      { name: "baseline: new URL()", fn: eachUrl((u) => new URL(u)) },
    ]).map((r) => ({ ...r, urlsPerSecond: urls.length / (r.msPerOp / 1000), nsPerUrl: (r.msPerOp * 1e6) / urls.length })),
  };

  // 3. rewrite of one page
  const page = linkPage(300, 73 * 1000);
  const bytes = Buffer.byteLength(page);
  const found = findAmazonLinks(page, options);
  if (found.links.length !== 300) throw new Error(`expected 300 Amazon links, found ${found.links.length}`);
  const rewritten = writeAmazonLinks(page, decided(found), options);
  if (rewritten === page) throw new Error("the rewrite changed nothing");
  const locator = new SourceLocator(REPO, []);
  // `kind` is read by newer versions of processPage (html or feed), ignored by older ones.
  const ppContext = {
    html: page,
    kind: "html",
    inputPath: undefined,
    outputPath: "_site/page/index.html",
    root: REPO,
    options,
    locator,
    checker: undefined,
  };
  const processed = await processPage(ppContext);
  if (processed.html === page || processed.result?.links.length !== 300) throw new Error("processPage did not rewrite the 300 links");
  const tokenizeOnly = () => {
    let n = 0;
    const p = new Parser(
      {
        onopentag() {
          n++;
        },
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
    p.end(page);
    return n > 0;
  };
  const rehype = unified().use(rehypeParse).use(rehypeStringify);
  const pageCases = measureGroup([
    {
      name: "findAmazonLinks + writeAmazonLinks (plugin rewrite)",
      fn: () => writeAmazonLinks(page, decided(findAmazonLinks(page, options)), options),
    },
    { name: "findAmazonLinks only (scan + parse + decide)", fn: () => decided(findAmazonLinks(page, options)) },
    { name: "baseline: htmlparser2 Parser, tokenize only", fn: tokenizeOnly },
    { name: "baseline: htmlparser2 parseDocument + render", fn: () => render(parseDocument(page)) },
    { name: "baseline: hast-util-from-html + to-html", fn: () => toHtml(fromHtml(page)) },
    { name: "baseline: unified rehype-parse + rehype-stringify", fn: () => String(rehype.processSync(page)) },
  ]);
  // processPage is async (awaits the locator): measure it separately, same method.
  const asyncCase = async (fn) => {
    const until = performance.now() + WARMUP_MS;
    while (performance.now() < until) consume(await fn());
    const samples = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      let k = 0;
      while (performance.now() - t0 < BATCH_MS) {
        consume(await fn());
        k++;
      }
      samples.push((performance.now() - t0) / k);
    }
    return { msPerOp: median(samples), msPerOpMin: Math.min(...samples), iterations: samples.length };
  };
  const pp = await asyncCase(() => processPage(ppContext));
  pageCases.splice(1, 0, { name: "processPage (rewrite + link records; no checker, no source file)", ...pp });
  results.rewrite = {
    input: `${bytes} B page with 300 Amazon links`,
    cases: pageCases.map((r) => ({ ...r, mbPerSecond: bytes / 1e6 / (r.msPerOp / 1000) })),
  };

  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  let commit;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {}
  const result = {
    machine: {
      nproc: os.availableParallelism?.() ?? os.cpus().length,
      cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model,
      node: process.version,
      load1: os.loadavg()[0],
      commit,
      date: new Date().toISOString(),
    },
    method: { warmupMs: WARMUP_MS, rounds: ROUNDS, batchMs: BATCH_MS },
    results,
    sink,
  };
  const text = format(result);
  process.stdout.write(JSON_OUT ? JSON.stringify(result, null, 2) + "\n" : text);
  if (OUT) {
    await mkdir(dirname(resolve(OUT)), { recursive: true });
    await writeFile(`${OUT}.txt`, text);
    await writeFile(`${OUT}.json`, JSON.stringify(result, null, 2) + "\n");
  }
}

function format(result) {
  const m = result.machine;
  const L = [];
  const row = (name, value, extra = "") => L.push(`  ${name.padEnd(68)}${value.padStart(16)}${extra}`);
  L.push(
    `micro-benchmarks — ${m.date}; ${m.nproc} cores, ${m.cpu}, Node ${m.node}, dist at ${m.commit}, load1 ${m.load1.toFixed(2)} at end`,
  );
  L.push(
    `method: ${result.method.warmupMs} ms warm-up per case, ${result.method.rounds} round-robin rounds of ~${result.method.batchMs} ms batches; median per op (fastest batch in brackets)`,
  );
  const r = result.results;
  L.push("", `pre-check (${r.precheck.input})`);
  for (const c of r.precheck.cases) row(c.name, `${c.nsPerOp.toFixed(0)} ns/op`, `  [${c.nsPerOpMin.toFixed(0)}]`);
  L.push("", `URL parsing (${r.urlParse.input})`);
  for (const c of r.urlParse.cases)
    row(
      c.name,
      `${(c.urlsPerSecond / 1e6).toFixed(2)} M URLs/s`,
      `  ${c.nsPerUrl.toFixed(0)} ns/URL [${((c.msPerOpMin * 1e6) / 1000).toFixed(0)}]`,
    );
  L.push("", `page rewrite (${r.rewrite.input})`);
  for (const c of r.rewrite.cases)
    row(c.name, `${c.mbPerSecond.toFixed(1)} MB/s`, `  ${c.msPerOp.toFixed(3)} ms/page [${c.msPerOpMin.toFixed(3)}]`);
  return L.join("\n") + "\n";
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
