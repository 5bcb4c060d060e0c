#!/usr/bin/env node
/**
 * A blog shaped like a real Eleventy blog, for the build benchmark's `blog` profile: the official
 * plugins eleventy-base-blog uses (HtmlBasePlugin, InputPathToUrlTransformPlugin, syntax
 * highlighting, the RSS plugin's Atom feed, the bundle plugin's CSS bundle), a base layout with
 * navigation and a footer, a post layout with tags and previous/next links, a home page listing the
 * latest posts, an archive and per-tag pages. Posts carry code blocks and images; a share of them
 * (default a quarter) holds 8 Amazon links in mixed shapes and stores, as generate-site.mjs writes
 * them. Deterministic (seeded), no network.
 *
 *   node bench/generate-blog.mjs <dir> [--posts 2000] [--link-share 0.25] [--seed 1]
 *
 * Programmatic: `generateBlog({ dir, posts, linkShare, seed })` → { dir, input, pages, linkedPages,
 * amazonLinks, bytes, config } where `config` is the Eleventy config's source (it adds the plugin
 * when BENCH_PLUGIN names it, like the synthetic site's).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { amazonLinkMarkdown, generatorArgs, makeHelpers, prng, STORES } from "./generate-site.mjs";

const TAGS = ["reviews", "guides", "kitchen", "travel", "desk", "photography", "books", "outdoors"];
const LANGUAGES = ["js", "css", "html", "sh", "json"];

const CODE = {
  js: (h) =>
    `export function ${h.pick(["total", "price", "score"])}(items) {\n  return items.reduce((sum, item) => sum + item.${h.pick(["price", "weight"])} * ${1 + h.int(9)}, 0);\n}`,
  css: (h) =>
    `.${h.pick(["card", "post", "nav"])} {\n  display: grid;\n  gap: ${h.int(4)}rem;\n  color: #${h.int(0xffffff).toString(16).padStart(6, "0")};\n}`,
  html: (h) =>
    `<figure class="${h.pick(["wide", "inline"])}">\n  <img src="/img/${h.words(1)}.jpg" alt="${h.words(3)}">\n  <figcaption>${h.words(4)}</figcaption>\n</figure>`,
  sh: (h) =>
    `npm install --save-dev ${h.pick(["@11ty/eleventy", "sharp", "luxon"])}\nnpx @11ty/eleventy --serve --port ${8000 + h.int(999)}`,
  json: (h) => `{\n  "name": "${h.words(1)}",\n  "weight": ${h.int(2000)},\n  "tags": ["${h.words(1)}", "${h.words(1)}"]\n}`,
};

const BASE_LAYOUT = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title or metadata.title }}</title>
<meta name="description" content="{{ description or metadata.description }}">
<link rel="alternate" href="/feed/feed.xml" type="application/atom+xml" title="{{ metadata.title }}">
{%- css %}body{font-family:system-ui,sans-serif;max-width:44em;margin:0 auto;padding:0 1rem}nav ul{display:flex;gap:1rem;list-style:none;padding:0}pre{overflow-x:auto}{% endcss %}
<style>{% getBundle "css" %}</style>
</head>
<body>
<a href="#skip" class="visually-hidden">Skip to main content</a>
<header>
<a href="/" class="home-link">{{ metadata.title }}</a>
<nav><h2 class="visually-hidden">Top level navigation menu</h2><ul class="nav">
{%- for entry in navigation %}<li class="nav-item"><a href="{{ entry.url }}"{% if entry.url == page.url %} aria-current="page"{% endif %}>{{ entry.title }}</a></li>{% endfor %}
</ul></nav>
</header>
<main id="skip">
{{ content | safe }}
</main>
<footer><p><em>As an Amazon Associate I earn from qualifying purchases.</em> Built with <a href="https://www.11ty.dev/">Eleventy</a>.</p></footer>
</body>
</html>
`;

const POST_LAYOUT = `---
layout: base.njk
---
{%- css %}.post-metadata{display:flex;gap:.5em;list-style:none;padding:0}.tmp{color:#333}{% endcss %}
<h1>{{ title }}</h1>
<ul class="post-metadata">
<li><time datetime="{{ page.date.toISOString() }}">{{ page.date.toDateString() }}</time></li>
{%- for tag in tags | filterTagList %}<li><a href="/tags/{{ tag | slugify }}/" class="post-tag">{{ tag }}</a></li>{% endfor %}
</ul>
{{ content | safe }}
{%- set previousPost = collections.posts | getPreviousCollectionItem %}
{%- set nextPost = collections.posts | getNextCollectionItem %}
{%- if nextPost or previousPost %}
<ul class="links-nextprev">
{%- if previousPost %}<li class="links-nextprev-prev">← Previous<br> <a href="{{ previousPost.url }}">{{ previousPost.data.title }}</a></li>{% endif %}
{%- if nextPost %}<li class="links-nextprev-next">Next →<br><a href="{{ nextPost.url }}">{{ nextPost.data.title }}</a></li>{% endif %}
</ul>
{%- endif %}
`;

const POSTSLIST = `<ol reversed class="postlist">
{%- for post in postslist | reverse %}
<li class="postlist-item"><a href="{{ post.url }}" class="postlist-link">{{ post.data.title }}</a>
<time class="postlist-date" datetime="{{ post.date.toISOString() }}">{{ post.date.toDateString() }}</time></li>
{%- endfor %}
</ol>
`;

const INDEX = `---
layout: base.njk
eleventyNavigation: { key: Home, order: 1 }
---
{% set postsCount = collections.posts | length %}
{% set latestPostsCount = postsCount | min(10) %}
<h1>Latest {{ latestPostsCount }} posts</h1>
{% set postslist = collections.posts | head(-10) %}
{% include "postslist.njk" %}
<p>More posts can be found in <a href="/blog/">the archive</a>.</p>
`;

const ARCHIVE = `---
layout: base.njk
permalink: /blog/
title: Archive
---
<h1>Archive</h1>
{% set postslist = collections.posts %}
{% include "postslist.njk" %}
`;

const TAG_PAGES = `---
pagination:
  data: collections
  size: 1
  alias: tag
  filter: ["all", "posts"]
permalink: /tags/{{ tag | slugify }}/
layout: base.njk
eleventyComputed:
  title: Tagged “{{ tag }}”
---
<h1>Tagged “{{ tag }}”</h1>
{% set postslist = collections[tag] %}
{% include "postslist.njk" %}
`;

const ABOUT = `---
layout: base.njk
title: About
permalink: /about/
---
# About

A blog about the things we use every day, written with [Eleventy](https://www.11ty.dev/).
`;

const CONFIG = `// Written by bench/generate-blog.mjs: the official plugins a real Eleventy blog uses.
// BENCH_PLUGIN empty: Eleventy alone; otherwise the Amazon links plugin is added last.
import { HtmlBasePlugin, InputPathToUrlTransformPlugin } from "@11ty/eleventy";
import { feedPlugin } from "@11ty/eleventy-plugin-rss";
import syntaxHighlight from "@11ty/eleventy-plugin-syntaxhighlight";

const pluginUrl = process.env.BENCH_PLUGIN;
const plugin = pluginUrl ? (await import(pluginUrl)).default : undefined;
const options = JSON.parse(process.env.BENCH_OPTIONS || "{}");

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(syntaxHighlight, { preAttributes: { tabindex: 0 } });
  eleventyConfig.addPlugin(HtmlBasePlugin);
  eleventyConfig.addPlugin(InputPathToUrlTransformPlugin);
  eleventyConfig.addBundle("css");
  eleventyConfig.addPlugin(feedPlugin, {
    type: "atom",
    outputPath: "/feed/feed.xml",
    collection: { name: "posts", limit: 10 },
    metadata: { language: "en", title: "Bench Blog", subtitle: "Things we use", base: "https://example.com/", author: { name: "Bench" } },
  });
  eleventyConfig.addFilter("head", (array, n) => (n < 0 ? array.slice(n) : array.slice(0, n)));
  eleventyConfig.addFilter("min", (...numbers) => Math.min(...numbers));
  eleventyConfig.addFilter("filterTagList", (tags) => (tags || []).filter((tag) => !["all", "posts"].includes(tag)));
  eleventyConfig.addCollection("navigation", () => []);
  if (plugin) eleventyConfig.addPlugin(plugin, options);
}
`;

const NAVIGATION = [
  { url: "/", title: "Home" },
  { url: "/blog/", title: "Archive" },
  { url: "/about/", title: "About" },
  { url: "/feed/feed.xml", title: "Feed" },
];

function post(h, index, linked) {
  const tags = ["posts", h.pick(TAGS), h.pick(TAGS)];
  const title = h.sentence().slice(0, -1).replaceAll('"', "");
  const day = new Date(Date.UTC(2020, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
  const lines = [
    "---",
    `title: "${title}"`,
    `description: "${h.words(8)}"`,
    `date: ${day}`,
    `tags: [${[...new Set(tags)].join(", ")}]`,
    "layout: post.njk",
    "---",
    "",
  ];
  lines.push(h.paragraph(), "", `![${h.words(3)}](/img/${h.words(1)}-${index}.jpg)`, "");
  let amazon = 0;
  const storeOffset = index % STORES.length;
  for (let block = 0; block < 4; block++) {
    if (block === 2) lines.push(`## ${h.words(4)}`, "");
    const parts = [h.paragraph()];
    const here = linked ? 2 : 0;
    for (let k = 0; k < here; k++, amazon++) {
      parts.push(` ${h.sentence().slice(0, -1)} ${amazonLinkMarkdown(h, amazon, STORES[(storeOffset + amazon) % STORES.length])}.`);
    }
    lines.push(parts.join(""), "");
    if (block % 2 === 1) {
      const language = LANGUAGES[(index + block) % LANGUAGES.length];
      lines.push("```" + language, CODE[language](h), "```", "");
    }
  }
  lines.push(...Array.from({ length: 3 + h.int(3) }, () => `- ${h.words(3 + h.int(5))}`), "", h.paragraph(), "");
  return { text: lines.join("\n"), amazon };
}

export async function generateBlog({ dir, posts = 2000, linkShare = 0.25, seed = 1 }) {
  const input = join(dir, "src");
  await rm(input, { recursive: true, force: true });
  await mkdir(join(input, "_includes"), { recursive: true });
  await mkdir(join(input, "_data"), { recursive: true });
  await mkdir(join(input, "blog"), { recursive: true });
  await writeFile(join(input, "_includes", "base.njk"), BASE_LAYOUT);
  await writeFile(join(input, "_includes", "post.njk"), POST_LAYOUT);
  await writeFile(join(input, "_includes", "postslist.njk"), POSTSLIST);
  await writeFile(join(input, "_data", "metadata.json"), JSON.stringify({ title: "Bench Blog", description: "Things we use" }));
  await writeFile(join(input, "_data", "navigation.json"), JSON.stringify(NAVIGATION));
  await writeFile(join(input, "index.njk"), INDEX);
  await writeFile(join(input, "archive.njk"), ARCHIVE);
  await writeFile(join(input, "tags.njk"), TAG_PAGES);
  await writeFile(join(input, "about.md"), ABOUT);
  const h = makeHelpers(prng(seed));
  let linkedPages = 0;
  let amazonLinks = 0;
  let bytes = 0;
  const writes = [];
  for (let i = 0; i < posts; i++) {
    const linked = linkShare > 0 && Math.floor((i + 1) * linkShare) > Math.floor(i * linkShare);
    const { text, amazon } = post(h, i, linked);
    if (linked) linkedPages++;
    amazonLinks += amazon;
    bytes += Buffer.byteLength(text);
    writes.push(writeFile(join(input, "blog", `post-${String(i).padStart(5, "0")}.md`), text));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return { dir, input, pages: posts, linkedPages, amazonLinks, bytes, config: CONFIG };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const { dir, flag } = generatorArgs(process.argv.slice(2));
  if (!dir) {
    console.error("usage: node bench/generate-blog.mjs <dir> [--posts 2000] [--link-share 0.25] [--seed 1]");
    process.exit(2);
  }
  const info = await generateBlog({
    dir: resolve(dir),
    posts: flag("posts", 2000),
    linkShare: flag("link-share", 0.25),
    seed: flag("seed", 1),
  });
  await writeFile(join(info.dir, "eleventy.config.mjs"), info.config);
  delete info.config;
  console.log(JSON.stringify(info, null, 2));
}
