/**
 * The link finder against the HTML standard: parse5 as the oracle, html5lib-tests' tokenizer and
 * tree-construction inputs (test/fixtures/html5lib, rebuilt by scripts/html5lib-corpus.mjs), real
 * pages and hand-written cases. `npm test` runs a sample; the whole corpus (every input, more
 * offsets) runs with HTML5LIB_FULL=1 and prints its figures.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanFast } from "../../src/html/scan-links.js";
import { disagreements, loadCorpus, variants } from "./html5lib-diff.js";

const FULL = process.env.HTML5LIB_FULL === "1";
const corpus = loadCorpus();

function run(name: string, inputs: string[], step: number, offsets: number): void {
  let pages = 0;
  let fast = 0;
  const failures: string[] = [];
  for (let k = 0; k < inputs.length; k += step) {
    for (const page of variants(inputs[k]!, offsets)) {
      pages++;
      if (FULL && scanFast(page)) fast++;
      const problems = disagreements(page);
      if (problems.length) failures.push(`${JSON.stringify(page)}\n    ${problems.join("\n    ")}`);
    }
  }
  if (FULL) console.log(`[html5lib-diff] ${name}: ${pages} pages (${fast} on the fast scanner), ${failures.length} disagreements`);
  expect(failures.slice(0, 20), `${failures.length} of ${pages} pages disagree`).toEqual([]);
}

describe("link finder vs the HTML standard (parse5) on html5lib-tests", () => {
  const timeout = FULL ? 3_600_000 : undefined;
  it("tokenizer inputs", () => run("tokenizer", corpus.tokenizer, FULL ? 1 : 23, FULL ? 24 : 4), timeout);
  it("tree-construction inputs", () => run("tree-construction", corpus.treeConstruction, FULL ? 1 : 7, FULL ? 24 : 4), timeout);
});

describe("link finder vs the HTML standard on real pages (htmlparser-benchmark)", () => {
  const read = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".html"))
      .sort()
      .map((f) => readFileSync(join(dir, f), "utf8"));
  const vendored = read(new URL("../fixtures/real-pages/", import.meta.url).pathname);
  const all = FULL && process.env.REAL_PAGES_DIR ? read(process.env.REAL_PAGES_DIR) : vendored;
  it(
    "pages as served, with an Amazon href on every link, with links inserted",
    () => run("real pages", all, 1, FULL ? 8 : 3),
    FULL ? 3_600_000 : undefined,
  );
});

const HAND_WRITTEN = [
  // Comments
  `<!-- x --!><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<!--><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<!---><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>-->`,
  `<!-- <!-- --><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<!-- --!-- --><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  // Foreign content
  `<svg><title/></svg><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<svg><style/><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></svg>`,
  `<svg><![CDATA[<a href="https://www.amazon.com/dp/B00OFWQS94">]]></svg><p>x</p>`,
  `<math><textarea/><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></math>`,
  `<svg><a xlink:href="https://www.amazon.com/dp/B00OFWQS94"><text>t</text></a></svg>`,
  `<svg><a href="https://www.amazon.com/dp/B00OFWQS94" xlink:href="https://example.com/">t</a></svg>`,
  `<svg><foreignObject><code><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></code></foreignObject></svg>`,
  `<svg><p><a href="https://www.amazon.com/dp/B00OFWQS94">breaks out</a></svg>`,
  // Scripts
  `<script><!--<script></script><a href="https://www.amazon.com/dp/B00OFWQS94">--></script>`,
  `<script>document.write("<a href='https://www.amazon.com/dp/B00OFWQS94'>")</script><a href="https://amazon.com/dp/B00OFWQS94">x</a>`,
  // Attributes
  `<a title= =">" href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<a title= =">"><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<a title=x=" href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<a href="https://www.amazon.com/dp/B00OFWQS94" title=>a</a>`,
  `<a href="https://www.amazon.com/dp/B00OFWQS94" title= >a</a>`,
  `<a href=https://www.amazon.com/dp/B00OFWQS94/>a</a>`,
  `<a/href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<a href="https://example.com/"href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<a href = 'https://www.amazon.com/dp/B00OFWQS94' >a</a>`,
  // Implied end tags
  `<div><pre>x</div><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<table><tr><td><code>x</td><td><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></td></tr></table>`,
  `<code><a href="https://www.amazon.com/dp/B00OFWQS94">x</code>y`,
  `<p><code>x</p><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<div data-amazon-links="off"><p>x<div><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></div></div><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  `<p data-amazon-links="off">x<div><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></div>`,
  `<ul><li data-amazon-links="off">x<li><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></ul>`,
  `<span data-amazon-links="off"><image src=x><bgsound><frame></span><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<section data-amazon-links="off"><svg><circle/></svg></section><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<b data-amazon-links="off">x<p>y</b><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  `<pre><code class="language-html">&lt;a href="https://www.amazon.com/dp/B00OFWQS94"&gt;</code></pre><a href="https://amazon.com/dp/B00OFWQS94">a</a>`,
  `<a href="https://www.amazon.com/dp/B00OFWQS94"><div>x</div></a>`,
  `<a href="https://www.amazon.com/dp/B00OFWQS94">1<a href="https://www.amazon.co.uk/dp/B00OFWQS94">2</a>`,
  // noscript, srcdoc, template, raw text
  `<noscript><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></noscript><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  `<head><noscript><a href="https://www.amazon.com/dp/B00OFWQS94"></noscript></head><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  `<iframe srcdoc="<a href=&quot;https://www.amazon.com/dp/B00OFWQS94&quot;>a</a>"></iframe><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  `<iframe srcdoc='<p><a href="https://www.amazon.com/dp/B00OFWQS94?tag=x-20&amp;amp;psc=1" title=&#39;t&#39;>a</a>'></iframe>`,
  `<iframe srcdoc="<a href=https://www.amazon.co.uk/dp/B00OFWQS94>a</a><code><a href=https://www.amazon.com/dp/B00OFWQS94>c</a></code>"></iframe>`,
  `<div data-amazon-links=off><iframe srcdoc="<a href=https://www.amazon.com/dp/B00OFWQS94>a</a>"></iframe></div>`,
  `<iframe srcdoc=<a&#32;href=https://www.amazon.com/dp/B00OFWQS94&gt;a&lt;/a&gt;></iframe><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  // srcdoc in srcdoc: written back through both attributes' escaping
  `<iframe srcdoc="<p>in</p><iframe srcdoc='<a href=&amp;quot;https://www.amazon.com/dp/B00OFWQS94?tag=x-20&amp;amp;amp;psc=1&amp;quot;>n</a>'></iframe>"></iframe>`,
  `<iframe srcdoc="<iframe srcdoc=&quot;<a href=https://www.amazon.com/dp/B00OFWQS94 title='it&amp;amp;#39;s'>n</a>&quot;></iframe><a href=https://www.amazon.co.uk/dp/B00OFWQS94>o</a>"></iframe>`,
  `<iframe srcdoc='<iframe srcdoc=<a&amp;#32;href=https://www.amazon.de/dp/B00OFWQS94&amp;gt;n&amp;lt;/a&amp;gt;></iframe>'></iframe>`,
  `<iframe srcdoc="<iframe srcdoc=&quot;<iframe srcdoc=&amp;quot;<a href=https://www.amazon.com/dp/B00OFWQS94>3</a>&amp;quot;></iframe>&quot;></iframe>"></iframe>`,
  `<iframe srcdoc="<div data-amazon-links=off><iframe srcdoc=&quot;<a href=https://www.amazon.com/dp/B00OFWQS94>n</a>&quot;></iframe></div>"></iframe>`,
  `<iframe srcdoc="<code><iframe srcdoc=&quot;<a href=https://www.amazon.com/dp/B00OFWQS94>n</a>&quot;></iframe></code>"></iframe>`,
  `<template><a href="https://www.amazon.com/dp/B00OFWQS94">a</a><template></template></template><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  `<title><a href="https://www.amazon.com/dp/B00OFWQS94"></title><textarea><a href="https://www.amazon.com/dp/B00OFWQS94"></textarea><xmp></xmp><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  `<select><option><a href="https://www.amazon.com/dp/B00OFWQS94">a</a></select>`,
  `<plaintext><a href="https://www.amazon.com/dp/B00OFWQS94">a</a>`,
  // Where the script goes
  `<body><script>var s = "</body>";</script><a href="https://amazon.com/dp/B00OFWQS94">b</a><!-- </body> --><p title="</body>">x</p>`,
  `<p><a href="https://amazon.com/dp/B00OFWQS94">b</a><!-- unterminated </body>`,
  `<p><a href="https://amazon.com/dp/B00OFWQS94">b</a><script>var s = "</body>`,
  `<p><a href="https://amazon.com/dp/B00OFWQS94">b</a><img alt="</body>`,
  `<table><tr><td><a href="https://amazon.com/dp/B00OFWQS94">b</a></body></table>x</body>`,
  `<body><a href="https://amazon.com/dp/B00OFWQS94">b</a></body></html>\n<!-- after -->\n`,
  `<a href="https://amazon.com/dp/B00OFWQS94">b</a><svg><g>`,
  // Icons: plain SVG the fast scanner skips whole, and SVG it hands to parse5
  `<p><svg viewBox="0 0 24 24"><g><path d="M0 0h24v24H0z" fill="none"/><circle cx=12 cy=12 r=4 /></g><!-- c --></svg><a href="https://amazon.com/dp/B00OFWQS94">b</a></p>`,
  `<svg><svg><rect/></svg><text>a<b</text></svg><a href="https://amazon.com/dp/B00OFWQS94">b</a>`,
  `<svg><g><p><a href="https://amazon.com/dp/B00OFWQS94">b</a></g></svg>`,
  `<svg/><a href="https://amazon.com/dp/B00OFWQS94">b</a></svg>`,
  `<code><svg><path/></svg><a href="https://amazon.com/dp/B00OFWQS94">b</a></code><a href="https://amazon.com/dp/B00OFWQS94">c</a>`,
  `<svg><path d="<a href='https://amazon.com/dp/B00OFWQS94'>"/></svg></body><a href="https://amazon.com/dp/B00OFWQS94">c</a>`,
];

describe("link finder vs the HTML standard on hand-written cases", () => {
  it.each(HAND_WRITTEN.map((page) => [page]))("%s", (page) => {
    expect(disagreements(page)).toEqual([]);
  });
});
