/**
 * The HTML report page: one standalone file (inline CSS and script, no
 * external assets, works from `file://`). The links are rendered once, on the
 * server side and HTML-escaped, grouped by page, so the page reads fine
 * without JavaScript. The inline script adds filtering, search, sorting and
 * the product view, which it builds in the browser (on first use) from the
 * embedded `application/json` report and copies of the page view's rows,
 * writing data only with `textContent`, never as markup.
 *
 * Large reports (thousands of links) are written at the end of every build,
 * so rendering is kept cheap: every row once, short markup (CSS does the
 * layout work), values cached per store and per page, one array joined once,
 * and a template without characters above U+00FF (so for Latin-1 data the
 * result is a one-byte string: half the memory).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { marketplaceByCode } from "../amazon/stores.js";
import type { Finding } from "../rules/rule-ids.js";
import { summarize } from "./summary.js";
import type { LinkRecord, LinkStatus, PageRecord, Report, ReportSummary } from "../results.js";

/** HTML-escape text for element content and (double- or single-quoted) attribute values. */
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const entity = (c: string) => `&#${c.charCodeAt(0)};`;
export function escapeHtml(value: unknown): string {
  const text = typeof value === "string" ? value : String(value ?? "");
  // Most values (ASINs, store codes, paths, hrefs) need nothing: skip the replace.
  return SPECIAL.test(text) ? text.replace(SPECIALS, entity) : text;
}

type Level = "error" | "warning" | "ok";

function worst(findings: readonly Finding[]): Level {
  let level: Level = "ok";
  for (const f of findings) {
    if (f.severity === "error") return "error";
    if (f.severity === "warning") level = "warning";
  }
  return level;
}

const statusLabel: Record<LinkStatus, string> = {
  live: "Live",
  dead: "Dead",
  unverified: "Unverified",
  unchecked: "Unchecked",
};
const statusClass: Record<LinkStatus, string> = {
  live: "ok",
  dead: "error",
  unverified: "warning",
  unchecked: "neutral",
};

function storeName(code: string): string {
  if (code === "short") return "short link";
  return marketplaceByCode(code)?.name ?? code;
}

function storeLabel(code: string): string {
  return code === "short" ? "short link" : code.toUpperCase();
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function badge(severity: Finding["severity"]): string {
  return severity === "error" ? `<span class="badge error">Error</span>` : `<span class="badge warning">Warning</span>`;
}

function findingsList(findings: readonly Finding[]): string {
  let out = `<ul class="findings">`;
  for (const f of findings)
    out += `<li class="finding">${badge(f.severity)} ${escapeHtml(f.message)} <code class="rule">${escapeHtml(f.rule)}</code></li>`;
  return `${out}</ul>`;
}

const HTTP = /^https?:\/\//i;
function isHttp(href: string): boolean {
  return href.startsWith("https://") || href.startsWith("http://") || HTTP.test(href);
}

const columns: ReadonlyArray<{ key: string; label: string }> = [
  { key: "status", label: "Status" },
  { key: "asin", label: "ASIN" },
  { key: "title", label: "Title" },
  { key: "store", label: "Store" },
  { key: "source", label: "Source" },
  { key: "findings", label: "Findings" },
  { key: "href", label: "Link" },
];

const thead =
  `<thead><tr>` +
  columns
    .map(
      (c) =>
        `<th scope="col" data-key="${c.key}"><button type="button" class="sort" data-key="${c.key}">${escapeHtml(c.label)}<span class="arrow" aria-hidden="true"></span></button></th>`,
    )
    .join("") +
  `</tr></thead>`;

const statusCell: Record<string, string> = {};
for (const s of Object.keys(statusLabel) as LinkStatus[])
  statusCell[s] = `<td><span class="badge ${statusClass[s]}">${statusLabel[s]}</span>`;

const NO_TITLE_PRODUCT = `<td><span class="none">Unknown</span>`;
const NO_TITLE = `<td><span class="none"><span aria-hidden="true">&#8212;</span><span class="vh">none</span></span>`;

/** Per-render caches of markup that repeats across rows (stores, availability). */
class RowCache {
  private readonly byKey = new Map<string, string>();
  /** Reports usually share one `liveIn` array between the links to a product: look those up without a key. */
  private readonly byArray = new WeakMap<readonly string[], Map<string, string>>();

  /** The Store cell: the store, and where the product is known to be live. */
  storeCell(link: LinkRecord): string {
    const code = link.marketplace;
    const live = link.liveIn;
    if (!live || live.length === 0) return this.byKey.get(code) ?? this.make(code, code, undefined);
    let same = this.byArray.get(live);
    if (!same) this.byArray.set(live, (same = new Map()));
    let cell = same.get(code);
    if (cell === undefined) {
      const key = `${code}|${live.join(",")}`;
      cell = this.byKey.get(key) ?? this.make(key, code, live);
      same.set(code, cell);
    }
    return cell;
  }

  private make(key: string, code: string, live: readonly string[] | undefined): string {
    const cell =
      `<td><abbr title="${escapeHtml(storeName(code))}">${escapeHtml(storeLabel(code))}</abbr>` +
      (live ? `<small>live in ${escapeHtml(live.map(storeLabel).join(", "))}</small>` : "");
    this.byKey.set(key, cell);
    return cell;
  }
}

/**
 * One link row. Cells are: status, ASIN, title, store, source, findings, link.
 * End tags of cells and rows are optional in HTML and left out; the Source
 * cell shows `line:column` when the link comes from the page's own source
 * file (named in the group header; the product view fills in the path), and
 * the whole location otherwise. An empty Findings cell reads "None" (CSS).
 * Built with `+` (a rope V8 flattens once, in the final join): faster than
 * pushing dozens of thousands of small pieces to one array.
 */
function linkRow(link: LinkRecord, i: number, pageInput: string, cache: RowCache): string {
  const findings = link.findings;
  const level = findings.length === 0 ? "ok" : worst(findings);
  const href = link.href;
  const h = escapeHtml(href);
  const original = link.original;
  return (
    (level === "ok" ? `<tr data-i="${i}">` : `<tr data-i="${i}" class="lvl-${level}">`) +
    (statusCell[link.status] ?? `<td><span class="badge neutral">${escapeHtml(link.status)}</span>`) +
    (link.asin ? `<td><code>${escapeHtml(link.asin)}</code>` : `<td><span class="none">${escapeHtml(link.kind ?? "none")}</span>`) +
    (link.title ? `<td>${escapeHtml(link.title)}` : link.kind === "product" || link.asin ? NO_TITLE_PRODUCT : NO_TITLE) +
    cache.storeCell(link) +
    (link.input === pageInput
      ? `<td><code>${link.line}:${link.column}</code>`
      : `<td><code class="src">${escapeHtml(link.input)}:${link.line}:${link.column}</code>`) +
    (findings.length === 0 ? `<td>` : `<td>${findingsList(findings)}`) +
    (isHttp(href) ? `<td><a href="${h}" rel="noopener">${h}</a>` : `<td><span class="url">${h}</span>`) +
    (original && original !== href ? `<div class="was">was ${escapeHtml(original)}</div>` : "")
  );
}

function tableStart(id: string, caption: string): string {
  return (
    `<div class="table-wrap" role="region" aria-labelledby="${id}-caption" tabindex="0"><table id="${id}" data-links>` +
    `<caption id="${id}-caption">${escapeHtml(caption)}</caption>` +
    thead
  );
}
const tableEnd = `</table></div>`;

/** The page view: every link, grouped by the output page it ships in (pages in report order); a piece per group. */
function* pageTable(report: Report, links: readonly LinkRecord[]): Generator<string> {
  const byOutput = new Map<string, { page?: PageRecord; input: string; output: string; rows: number[] }>();
  for (const page of report.pages ?? []) {
    if (!byOutput.has(page.output)) byOutput.set(page.output, { page, input: page.input, output: page.output, rows: [] });
  }
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    let g = byOutput.get(link.output);
    if (!g) {
      g = { input: link.input, output: link.output, rows: [] };
      byOutput.set(link.output, g);
    }
    g.rows.push(i);
  }
  yield tableStart("links-by-page", "Amazon links, grouped by page");
  const cache = new RowCache();
  let n = 0;
  for (const g of byOutput.values()) {
    if (g.rows.length === 0) continue; // pages without links only have page findings, listed above
    const pageFindings = g.page?.findings ?? [];
    let group =
      `<tbody id="page-${n++}"><tr class="group"><th scope="rowgroup" colspan="${columns.length}"><span class="path strong">${escapeHtml(g.input)}</span>` +
      (g.output !== g.input ? ` <span class="sub">&#8594; <span class="path">${escapeHtml(g.output)}</span></span>` : "") +
      ` <span class="sub">&#183; ${plural(g.rows.length, "link")}</span>` +
      (pageFindings.length > 0 ? ` <span class="badge ${worst(pageFindings)}">${plural(pageFindings.length, "page finding")}</span>` : "") +
      `</th></tr>`;
    for (const i of g.rows) group += linkRow(links[i]!, i, g.input, cache);
    yield `${group}</tbody>`;
  }
  yield tableEnd;
}

function pageFindingsSection(report: Report): string {
  const rows: string[] = [];
  for (const page of report.pages ?? []) {
    for (const f of page.findings) {
      rows.push(
        `<tr data-pf data-sev="${f.severity === "error" ? 2 : 1}">` +
          `<td data-label="Page"><span class="path">${escapeHtml(page.input)}</span>${page.output !== page.input ? `<div class="sub">&#8594; ${escapeHtml(page.output)}</div>` : ""}</td>` +
          `<td data-label="Severity">${badge(f.severity)}</td><td data-label="Message">${escapeHtml(f.message)}</td>` +
          `<td data-label="Rule"><code>${escapeHtml(f.rule)}</code></td></tr>`,
      );
    }
  }
  if (rows.length === 0) return "";
  return (
    `<section aria-labelledby="page-findings-h"><h2 id="page-findings-h">Page findings</h2>` +
    `<div class="table-wrap" role="region" aria-labelledby="page-findings-caption" tabindex="0"><table id="page-findings" class="stack"><caption id="page-findings-caption">Findings about whole pages (${rows.length})</caption>` +
    `<thead><tr><th scope="col">Page</th><th scope="col">Severity</th><th scope="col">Message</th><th scope="col">Rule</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></div></section>`
  );
}

function card(value: number | string, label: string, tone: string, detail = ""): string {
  return `<li class="card ${tone}"><span class="num">${escapeHtml(value)}</span> <span class="label">${escapeHtml(label)}</span>${detail ? ` ${detail}` : ""}</li>`;
}

function summaryCards(s: ReportSummary, untagged: number): string {
  const stores = s.stores ?? [];
  const storeDetail = stores.length > 0 ? `<span class="detail">${escapeHtml(stores.map(storeLabel).join(" "))}</span>` : "";
  return (
    `<ul class="cards">` +
    card(s.links, s.links === 1 ? "link" : "links", "plain") +
    card(s.pages, s.pages === 1 ? "page" : "pages", "plain") +
    card(s.asins ?? 0, (s.asins ?? 0) === 1 ? "product" : "products", "plain") +
    card(stores.length, stores.length === 1 ? "store" : "stores", "plain", storeDetail) +
    card(s.dead ?? 0, "dead", (s.dead ?? 0) > 0 ? "error" : "plain") +
    card(untagged, "untagged", untagged > 0 ? "error" : "plain") +
    card(s.unverified ?? 0, "unverified", (s.unverified ?? 0) > 0 ? "warning" : "plain") +
    card(s.errors, s.errors === 1 ? "error" : "errors", s.errors > 0 ? "error" : "ok") +
    card(s.warnings, s.warnings === 1 ? "warning" : "warnings", s.warnings > 0 ? "warning" : "ok") +
    `</ul>`
  );
}

function verdict(s: ReportSummary): string {
  if (s.links === 0 && s.errors === 0 && s.warnings === 0) return `<p class="verdict ok">No Amazon links found.</p>`;
  if (s.errors > 0)
    return `<p class="verdict error"><strong>${escapeHtml(plural(s.errors, "error"))}</strong> to fix${s.warnings > 0 ? `, ${escapeHtml(plural(s.warnings, "warning"))}` : ""}.</p>`;
  if (s.warnings > 0) return `<p class="verdict warning">No errors, <strong>${escapeHtml(plural(s.warnings, "warning"))}</strong>.</p>`;
  return `<p class="verdict ok">Every link is tagged and no problems were found.</p>`;
}
/** Narrow screens label each cell with its column (the labels are the columns' own). */
const columnLabels = `@media (max-width:48rem){${columns.map((c, k) => `table[data-links] td:nth-child(${k + 1})::before{content:"${c.label}"}`).join("")}}`;

/** The page's script and styles: src/client/report-page.{ts,css}, built into dist/client/ by scripts/build-client.mjs. */
let assets: { script: string; style: string } | undefined;
function pageAssets(): { script: string; style: string } {
  if (!assets) {
    const read = (file: string) => readFileSync(new URL(`../../dist/client/${file}`, import.meta.url), "utf8").trim();
    try {
      assets = { script: read("report-page.min.js"), style: `${read("report-page.min.css")}\n${columnLabels}` };
    } catch (error) {
      throw new Error(`[amazon-links] the report page's script is missing from dist/client/: run \`npm run build\` (${String(error)})`);
    }
  }
  return assets;
}

/** Pieces of the report's JSON about the run, not its rows (reportJsonPieces gives each top-level value its own). */
const RUN_PIECE = /^[{,]"(?:generatedAt|checking)":/;
const ROWS_META = /^<meta name="amazon-links-rows" content="([0-9a-f]{64})">$/m;

/**
 * A digest of what the page shows (the report's rows, summary and facts, and the page's own script and
 * styles), not of when it was made: a page whose digest is unchanged need not be written again.
 */
export class RowsDigest {
  readonly #hash = createHash("sha256").update(pageAssets().script).update(pageAssets().style);

  /** The report's JSON, a piece of reportJsonPieces at a time. */
  add(piece: string): void {
    if (!RUN_PIECE.test(piece)) this.#hash.update(piece);
  }

  digest(): string {
    return this.#hash.digest("hex");
  }
}

/** The rows digest a page written by renderHtmlReportParts carries, read from its first bytes. */
export function rowsDigestIn(pageStart: string): string | undefined {
  return ROWS_META.exec(pageStart)?.[1];
}

/**
 * The page around its embedded data: the markup before the data, made a piece at a time as it is read
 * (a writer streams it: no page of megabytes held at once), and the markup after it. The data goes
 * between them as `jsonForScript` of the serialized report.
 */
export function renderHtmlReportParts(report: Report, rowsDigest?: string): { head: Iterable<string>; tail: string } {
  const tail = `</script>\n<script>${pageAssets().script}</script>\n</body>\n</html>\n`;
  return { head: headPieces(report, rowsDigest), tail };
}

function* headPieces(report: Report, rowsDigest: string | undefined): Generator<string> {
  const links = report.links ?? [];
  const pages = report.pages ?? [];
  // A report from buildReport has the whole summary; hand-made ones (older or partial) get it filled in.
  const given = report.summary as Partial<ReportSummary> | undefined;
  const s: ReportSummary =
    given?.live !== undefined && given.asins !== undefined && given.stores !== undefined
      ? (given as ReportSummary)
      : { ...summarize(links, pages), ...given };
  let untagged = 0;
  for (const l of links) if (l.findings.some((f) => f.rule === "untagged")) untagged++;
  const title =
    s.errors > 0 || s.warnings > 0
      ? `Amazon links report: ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}`
      : `Amazon links report: ${plural(s.links, "link")}, no problems`;
  const statusLine = `live ${s.live ?? 0} · dead ${s.dead ?? 0} · unverified ${s.unverified ?? 0} · unchecked ${s.unchecked ?? 0}`;

  const out: string[] = [
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n`,
    rowsDigest ? `<meta name="amazon-links-rows" content="${rowsDigest}">\n` : "",
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n`,
    `<meta name="color-scheme" content="light dark">\n`,
    `<meta name="robots" content="noindex">\n`,
    `<title>${escapeHtml(title)}</title>\n<style>${pageAssets().style}</style>\n</head>\n<body>\n`,
    `<a class="skip" href="#links-h">Skip to the links</a>\n`,
    `<header><h1>Amazon links report</h1>`,
    `<p class="meta">${escapeHtml(report.generator ?? "eleventy-plugin-amazon-links")}${report.generatedAt ? ` · <time datetime="${escapeHtml(report.generatedAt)}">${escapeHtml(report.generatedAt)}</time>` : ""}</p>`,
    `${verdict(s)}</header>\n<main>\n`,
    `<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>${summaryCards(s, untagged)}`,
    `<p class="meta">Link status: ${escapeHtml(statusLine)}</p></section>\n`,
    `${pageFindingsSection(report)}\n`,
    `<section aria-labelledby="links-h"><h2 id="links-h" tabindex="-1">Links</h2>`,
  ];
  if (links.length === 0) {
    out.push(`<p class="empty">No Amazon links were found in this build.</p>`);
  } else {
    out.push(
      `<div class="controls" id="controls" role="group" aria-label="Filter and group links" hidden>`,
      `<fieldset><legend>Show</legend>`,
      `<label><input type="radio" name="show" value="all" checked> All links</label>`,
      `<label><input type="radio" name="show" value="problems"> Errors and warnings</label>`,
      `<label><input type="radio" name="show" value="errors"> Errors only</label></fieldset>`,
      `<fieldset><legend>Group by</legend>`,
      `<label><input type="radio" name="view" value="page" checked> Page</label>`,
      `<label><input type="radio" name="view" value="product"> Product</label></fieldset>`,
      `<div class="search" role="search"><label for="search">Search</label>`,
      `<input type="search" id="search" placeholder="ASIN, page, title, store, message&#8230;" autocomplete="off" spellcheck="false"></div>`,
      `</div>`,
      `<noscript><p class="note" id="noscript-note">Filters, search, sorting and grouping by product need JavaScript. Without it, every link is listed below, grouped by page.</p></noscript>`,
      `<p class="count" id="count" aria-live="polite">${escapeHtml(`Showing all ${plural(links.length, "link")}`)}</p>`,
      `<p class="empty" id="no-match" hidden>No links match the filter and search.</p>`,
      `<div class="view" data-view="page"><h3 class="vh">Links by page</h3>`,
    );
    yield out.join("");
    out.length = 0;
    yield* pageTable(report, links);
    // The product view is built by the script, from the page view's rows, the first time it is shown.
    out.push(`</div>\n<div class="view" data-view="product" hidden><h3 class="vh">Links by product</h3>`);
    out.push(tableStart("links-by-product", "Amazon links, grouped by product (ASIN)"));
    out.push(tableEnd, `</div>`);
  }
  out.push(`</section>\n</main>\n`, `<script type="application/json" id="report-data">`);
  yield out.join("");
}
