/**
 * The differential test's engine: one input against the standard (parse5, see helpers/html-oracle.ts).
 * For each page: the links we rewrite are exactly the live Amazon links of the DOM; the opted-out
 * ones are exactly the opted-out ones; outside the rewritten start tags the output is byte-identical
 * (cut by parse5's locations); the output has the same links, each with the href we meant; a second
 * run changes nothing; a script injected goes into the body and cuts nothing of the page.
 */
import { readFileSync } from "node:fs";
import { parseAmazonUrl } from "../../src/amazon/parse.js";
import { writeAmazonLinks } from "../../src/html/rewrite-page.js";
import { findDecidedLinks } from "../helpers/decided-links.js";
import { injectBeforeBodyEnd } from "../../src/localize/inject.js";
import { resolveOptions } from "../../src/rules/options.js";
import { inScope } from "../../src/rules/scope.js";
import { oracleLinks, snippetPlacement, withoutTags, type OracleLink } from "../helpers/html-oracle.js";

export const options = resolveOptions({ tags: { us: "ours-20", uk: "ours-21", de: "ours0d-21" } });

const isAmazon = (href: string) => {
  const parsed = parseAmazonUrl(href);
  return parsed !== null && inScope(parsed, options);
};

const PROBE = `<script id="amazon-links-probe">window.probe = 1 < 2;</script>`;

/** The Amazon hrefs the browser reads in these srcdoc documents and in the srcdoc documents inside them. */
function frameLinks(frames: ReturnType<typeof oracleLinks>["frames"]): string[] {
  return frames
    .filter((f) => !f.optedOut)
    .flatMap((f) => {
      const inside = oracleLinks(f.srcdoc);
      return [...[...inside.live.values()].filter((l) => isAmazon(l.href)).map((l) => l.href), ...frameLinks(inside.frames)];
    });
}

/** Each srcdoc document, at every depth, is unchanged outside its Amazon links' and its own iframes' start tags. */
function sameOutsideLinks(before: ReturnType<typeof oracleLinks>["frames"], after: ReturnType<typeof oracleLinks>["frames"]): boolean {
  return before.every((frame, k) => {
    const was = oracleLinks(frame.srcdoc);
    const now = oracleLinks(after[k]?.srcdoc ?? "");
    const cut = (doc: string, answer: typeof was) =>
      withoutTags(doc, [...[...answer.live.values()].filter((l) => isAmazon(l.href)), ...answer.frames]);
    return cut(frame.srcdoc, was) === cut(after[k]?.srcdoc ?? "", now) && sameOutsideLinks(was.frames, now.frames);
  });
}

/** Disagreements for one page (empty when the page passes). */
export function disagreements(html: string): string[] {
  const problems: string[] = [];
  const oracle = oracleLinks(html);
  const expected = [...oracle.live.values()].filter((l) => isAmazon(l.href));
  const expectedOff = [...oracle.optedOut.values()].filter((l) => parseAmazonUrl(l.href) !== null);
  const all = findDecidedLinks(html, options);
  // Links inside <iframe srcdoc> are checked below, in the srcdoc documents.
  const found = { links: all.links.filter((l) => !l.html.container), optedOut: all.optedOut.filter((l) => !l.html.container) };
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, k) => x === b[k]);
  const wanted = expected.map((l) => l.start).sort((a, b) => a - b);
  const got = found.links.map((l) => l.html.start).sort((a, b) => a - b);
  if (!same(wanted, got)) problems.push(`links: standard ${JSON.stringify(wanted)}, found ${JSON.stringify(got)}`);
  const wantedOff = expectedOff.map((l) => l.start).sort((a, b) => a - b);
  const gotOff = found.optedOut.map((l) => l.html.start).sort((a, b) => a - b);
  if (!same(wantedOff, gotOff)) problems.push(`opted out: standard ${JSON.stringify(wantedOff)}, found ${JSON.stringify(gotOff)}`);
  if (problems.length) return problems;

  const out = writeAmazonLinks(html, all.links, options);
  const after = oracleLinks(out);
  const rewritten = [...after.live.values()].filter((l) => isAmazon(l.href));
  if (withoutTags(out, [...rewritten, ...after.frames]) !== withoutTags(html, [...expected, ...oracle.frames])) {
    problems.push("bytes outside the rewritten start tags changed");
  }
  // In srcdoc documents, the browser reads each Amazon link as the href we decided (and nothing else changed).
  const framed = all.links
    .filter((l) => l.html.container)
    .map((l) => l.decision.href)
    .sort();
  const framedAfter = frameLinks(after.frames).sort();
  if (JSON.stringify(framed) !== JSON.stringify(framedAfter))
    problems.push(`srcdoc links after the rewrite ${JSON.stringify(framedAfter)}, decided ${JSON.stringify(framed)}`);
  if (!sameOutsideLinks(oracle.frames, after.frames)) problems.push("a srcdoc document changed outside its Amazon links");
  // Each rewritten link reads, in the browser, as the href we decided.
  const decided = new Map(found.links.map((l) => [l.html.start, l.decision.href]));
  const hrefsAfter = rewritten.sort((a, b) => a.start - b.start).map((l: OracleLink) => l.href);
  const hrefsWanted = [...decided.entries()].sort((a, b) => a[0] - b[0]).map(([, href]) => href);
  if (JSON.stringify(hrefsAfter) !== JSON.stringify(hrefsWanted)) {
    problems.push(`hrefs after the rewrite ${JSON.stringify(hrefsAfter)}, decided ${JSON.stringify(hrefsWanted)}`);
  }
  const again = findDecidedLinks(out, options);
  if (again.links.length !== all.links.length) problems.push(`the output has ${again.links.length} links, the input ${all.links.length}`);
  if (writeAmazonLinks(out, again.links, options) !== out) problems.push("a second run changed the output");

  if (found.links.length > 0) {
    const injected = injectBeforeBodyEnd(out, PROBE);
    const placement = snippetPlacement(out, injected, "amazon-links-probe");
    // In the body; in the head only when the page opens foreign content before any body content and
    // leaves it open to its end (a script there would be parsed as markup; the script waits for the load).
    const foreignFirst = opensWithForeignContent(out);
    if (!(placement.inBody || (foreignFirst && placement.isScript)))
      problems.push(`the injected script is not a script in the body (at ${injected.indexOf(PROBE)})`);
    if (!placement.domUnchanged) problems.push(`the injected script changed the page's DOM (at ${injected.indexOf(PROBE)})`);
  }
  return problems;
}

/** Tokens a page may open with before its first content (read one at a time: no backtracking over a big page). */
const LEADING = /\s+|<!--[\s\S]*?-->|<!doctype[^>]*>|<html[^>]*>|<head>|<\/head>|<body[^>]*>/iy;
const FOREIGN = /<(svg|math)/iy;

/** Whether the page's first content, after comments, doctype and the html/head/body tags, is an SVG or MathML element. */
function opensWithForeignContent(html: string): boolean {
  let at = 0;
  for (;;) {
    LEADING.lastIndex = at;
    const token = LEADING.exec(html);
    if (!token || token[0].length === 0) break;
    at += token[0].length;
  }
  FOREIGN.lastIndex = at;
  return FOREIGN.test(html);
}

const AMAZON_LINKS = [
  `<a href="https://www.amazon.com/dp/B00OFWQS94?tag=someone-20">L</a>`,
  `<area href=https://amazon.co.uk/dp/0596517742>`,
  `<a data-amazon-links=off href='//amazon.de/dp/B07WNQ2H4K'>o</a>`,
  `<a title= href="https://amzn.to/3abcd" rel=>s</a>`,
];

/** The variants of one corpus input: as is, an Amazon href on every a/area, links inserted at `offsets` offsets. */
export function variants(input: string, offsets: number): string[] {
  const out = [input];
  if (/<(a|area)[\s/>]/i.test(input)) {
    out.push(input.replace(/<(a|area)(?=[\s/>])/gi, `$& href="https://www.amazon.com/dp/B00OFWQS94"`));
    out.push(input.replace(/<(a|area)(?=[\s/>])/gi, `$& xlink:href="https://www.amazon.com/dp/B00OFWQS94" `));
  }
  const count = Math.min(offsets, input.length + 1);
  for (let k = 0; k < count; k++) {
    const at = count === 1 ? 0 : Math.round((k * input.length) / (count - 1));
    out.push(input.slice(0, at) + AMAZON_LINKS[k % AMAZON_LINKS.length] + input.slice(at));
  }
  return out;
}

export interface Corpus {
  source: { repository: string; commit: string };
  tokenizer: string[];
  treeConstruction: string[];
}

export function loadCorpus(): Corpus {
  return JSON.parse(readFileSync(new URL("../fixtures/html5lib/inputs.json", import.meta.url), "utf8")) as Corpus;
}
