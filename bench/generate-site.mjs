#!/usr/bin/env node
/**
 * Synthetic Eleventy site for the build benchmark: N Markdown pages with a
 * Nunjucks layout, deterministic (seeded), no network, no dependencies.
 *
 * A share of the pages (default 25%) holds 8 Amazon links each, in the shapes
 * people paste: /dp/, slugged /Title/dp/ASIN/ref=…, /gp/product/, search
 * links, http: without www, a foreign tag, Markdown autolinks, and raw HTML
 * links with `&amp;` entities, spread over 8 stores we have tags for. Every
 * page also holds ordinary (non-Amazon) links, a list, a heading and, now and
 * then, a code block, so Eleventy alone does realistic work. Pages without
 * Amazon links contain no "amazon."/"amzn." text at all, so they are the
 * pages the plugin's pre-check should wave through.
 *
 *   node bench/generate-site.mjs <dir> [--pages 4000] [--link-share 0.25] [--links 8] [--seed 1]
 *
 * Programmatic: `generateSite({ dir, pages, linkShare, linksPerPage, seed })`
 * → { dir, input, pages, linkedPages, amazonLinks, bytes }.
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The stores the benchmark configures tags for, and the tags. */
export const BENCH_TAGS = {
  us: "benchsite-20",
  uk: "benchsite-21",
  de: "benchsite0d-21",
  fr: "benchsite0f-21",
  it: "benchsite0a-21",
  es: "benchsite0e-21",
  ca: "benchsite0c-20",
  jp: "benchsite-22",
};

/**
 * The plugin options every benchmark builds with (paths relative to the site): tags for the 8 stores,
 * the JSON report in the site's .bench/, checks from the site's lockfile only (no network), localization
 * inline. A fresh object per call: callers merge their overrides into it.
 */
/**
 * Run one child process to its end: its exit code, all it printed, and the JSON after the line that starts
 * with `marker` (undefined when it printed none). Rejects only when the process cannot start.
 */
export function runForResult(command, args, { cwd, env }, marker) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith(marker));
      resolvePromise({ code, stdout, stderr, result: line === undefined ? undefined : JSON.parse(line.slice(marker.length)) });
    });
  });
}

export function benchPluginOptions() {
  return {
    tags: BENCH_TAGS,
    quiet: true,
    report: { json: ".bench/report.json" },
    check: { via: "lockfile", lockfile: ".bench/amazon-links.lock.json" },
    localize: { script: "inline" },
  };
}

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
export const STORES = Object.keys(HOSTS);

const WORDS = (
  "the a of and to in is for on with as by at from that this it be are was or an which have has not but " +
  "build site page static fast layout template markdown review guide camera lens tripod keyboard desk chair " +
  "lamp kettle coffee grinder book novel history garden tool drill saw bike helmet tent stove pack light " +
  "battery charger cable monitor speaker headphones microphone notebook pencil paper travel weekend kitchen " +
  "pan knife board bread recipe winter summer morning evening quiet simple honest small large better worth " +
  "price value quality sturdy cheap durable tested compared recommended favourite daily week months years"
).split(" ");

/** mulberry32: small, fast, deterministic (shared by the other bench scripts). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export function makeHelpers(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const sentence = () => {
    const s = words(6 + int(12));
    return s[0].toUpperCase() + s.slice(1) + ".";
  };
  const paragraph = () => Array.from({ length: 2 + int(4) }, sentence).join(" ");
  const asin = () => "B0" + Array.from({ length: 8 }, () => ALNUM[int(ALNUM.length)]).join("");
  const slug = () =>
    words(3 + int(4))
      .split(" ")
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join("-");
  return { int, pick, words, sentence, paragraph, asin, slug };
}

/**
 * The i-th Amazon link of a page, in one of the shapes people paste. Returns
 * Markdown (or inline HTML) text. All stores here have a tag configured, and
 * none of these is a short link, so a build with `check.via: "lockfile"` has
 * no error findings (foreign tags and unverified products are warnings).
 */
export function amazonLinkMarkdown(h, i, store) {
  const host = HOSTS[store];
  const text = h.words(2 + h.int(3));
  const a = h.asin();
  switch (i % 8) {
    case 0:
      return `[${text}](https://www.${host}/dp/${a})`;
    case 1:
      return `[${text}](https://www.${host}/${h.slug()}/dp/${a}/ref=sr_1_${1 + h.int(9)}?crid=2X${h.asin()}&keywords=${h.words(2).replace(/ /g, "+")}&qid=17${h.int(1e8)}&sr=8-${1 + h.int(9)})`;
    case 2:
      return `[${text}](https://www.${host}/gp/product/${a}/?tag=someoneelse-21)`;
    case 3:
      return `[search for ${text}](https://www.${host}/s?k=${h.words(2).replace(/ /g, "+")})`;
    case 4:
      return `[${text}](http://${host}/dp/${a})`;
    case 5:
      return `<a href="https://www.${host}/dp/${a}?th=1&amp;psc=1" class="buy">${text}</a>`;
    case 6:
      return `<https://www.${host}/dp/${a}>`;
    default:
      return `[${text}](https://www.${host}/exec/obidos/ASIN/${a}/?language=en_GB&ref_=as_li_ss_tl)`;
  }
}

function otherLink(h) {
  const hosts = ["example.com", "en.wikipedia.org/wiki", "developer.mozilla.org/en-US/docs", "www.11ty.dev/docs", "github.com"];
  return `[${h.words(2)}](https://${h.pick(hosts)}/${h.words(2).replace(/ /g, "-")})`;
}

function page(h, index, linked, linksPerPage) {
  const title = h.sentence().slice(0, -1);
  const lines = [
    "---",
    "layout: layout.njk",
    `title: "${title}"`,
    `date: 2024-${String(1 + (index % 12)).padStart(2, "0")}-${String(1 + (index % 28)).padStart(2, "0")}`,
    "---",
    "",
    h.paragraph(),
    "",
  ];
  const blocks = 4;
  let amazon = 0;
  const storeOffset = index % STORES.length;
  for (let b = 0; b < blocks; b++) {
    if (b === 2) lines.push(`## ${h.words(4)}`, "");
    const parts = [h.paragraph(), ` See ${otherLink(h)}.`];
    // Spread the page's Amazon links over its paragraphs and the list.
    const here = linked ? Math.ceil((linksPerPage - amazon) / (blocks + 1 - b)) : 0;
    for (let k = 0; k < here; k++, amazon++) {
      parts.push(` ${h.sentence().slice(0, -1)} ${amazonLinkMarkdown(h, amazon, STORES[(storeOffset + amazon) % STORES.length])}.`);
    }
    lines.push(parts.join(""), "");
  }
  lines.push(...Array.from({ length: 3 + h.int(3) }, () => `- ${h.words(3 + h.int(5))}`), "");
  for (; linked && amazon < linksPerPage; amazon++) {
    lines.push(`- ${h.words(3)}: ${amazonLinkMarkdown(h, amazon, STORES[(storeOffset + amazon) % STORES.length])}`);
  }
  if (index % 7 === 3) {
    // Code is never rewritten; on linked pages the example inside is an Amazon URL.
    lines.push("", "```sh", `curl -s https://${linked ? "www.amazon.com/dp/B000000000" : "example.com/feed.xml"} | head`, "```");
  }
  lines.push("", h.paragraph(), "");
  return { text: lines.join("\n"), amazon };
}

const LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · Bench Blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/atom+xml" href="/feed.xml">
</head>
<body>
<header><a href="/">Bench Blog</a>
<nav><ul>{% for item in nav %}<li><a href="{{ item.url }}">{{ item.label }}</a></li>{% endfor %}</ul></nav>
</header>
<main>
<article>
<h1>{{ title }}</h1>
<p class="meta"><time datetime="{{ page.date.toISOString() }}">{{ page.date.toDateString() }}</time></p>
{{ content | safe }}
</article>
</main>
<footer><p>As an affiliate we may earn from qualifying purchases. © Bench Blog</p></footer>
</body>
</html>
`;

const NAV = [
  { url: "/", label: "Home" },
  { url: "/about/", label: "About" },
  { url: "/reviews/", label: "Reviews" },
  { url: "/guides/", label: "Guides" },
  { url: "/contact/", label: "Contact" },
];

/**
 * Write the site under `dir` (replacing `dir/src`). Linked pages are spread
 * evenly (every 1/linkShare-th page), so any prefix of the site has the same mix.
 */
export async function generateSite({ dir, pages = 4000, linkShare = 0.25, linksPerPage = 8, seed = 1 }) {
  const input = join(dir, "src");
  await rm(input, { recursive: true, force: true });
  await mkdir(join(input, "_includes"), { recursive: true });
  await mkdir(join(input, "_data"), { recursive: true });
  await writeFile(join(input, "_includes", "layout.njk"), LAYOUT);
  await writeFile(join(input, "_data", "nav.json"), JSON.stringify(NAV, null, 2));
  const h = makeHelpers(prng(seed));
  let linkedPages = 0;
  let amazonLinks = 0;
  let bytes = 0;
  const perDir = 500;
  const writes = [];
  for (let i = 0; i < pages; i++) {
    // Bresenham-style spread: page i is linked when floor((i+1)*share) > floor(i*share).
    const linked = linkShare > 0 && Math.floor((i + 1) * linkShare) > Math.floor(i * linkShare);
    const { text, amazon } = page(h, i, linked, linksPerPage);
    if (linked) linkedPages++;
    amazonLinks += amazon;
    bytes += Buffer.byteLength(text);
    const sub = join(input, "posts", String(Math.floor(i / perDir)).padStart(3, "0"));
    if (i % perDir === 0) await mkdir(sub, { recursive: true });
    writes.push(writeFile(join(sub, `post-${String(i).padStart(5, "0")}.md`), text));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return { dir, input, pages, linkedPages, amazonLinks, bytes };
}

/**
 * A generator script's command line: the site folder (the one argument that is no flag or flag value)
 * and numeric `--name value` flags.
 */
export function generatorArgs(args) {
  const flag = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i === -1 ? fallback : Number(args[i + 1]);
  };
  const dir = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
  return { dir, flag };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const { dir, flag } = generatorArgs(process.argv.slice(2));
  if (!dir) {
    console.error("usage: node bench/generate-site.mjs <dir> [--pages 4000] [--link-share 0.25] [--links 8] [--seed 1]");
    process.exit(2);
  }
  const info = await generateSite({
    dir: resolve(dir),
    pages: flag("pages", 4000),
    linkShare: flag("link-share", 0.25),
    linksPerPage: flag("links", 8),
    seed: flag("seed", 1),
  });
  console.log(JSON.stringify(info, null, 2));
}
