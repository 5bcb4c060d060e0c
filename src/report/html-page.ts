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
import { marketplaceByCode, marketplaces } from "../amazon/stores.js";
import type { Finding } from "../rules/rule-ids.js";
import { summarize } from "./summary.js";
import type { LinkRecord, LinkStatus, PageRecord, Report, ReportSummary } from "./types.js";

/** HTML-escape text for element content and (double- or single-quoted) attribute values. */
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const entity = (c: string) => `&#${c.charCodeAt(0)};`;
export function escapeHtml(value: unknown): string {
  const text = typeof value === "string" ? value : String(value ?? "");
  // Most values (ASINs, store codes, paths, hrefs) need nothing: skip the replace.
  return SPECIAL.test(text) ? text.replace(SPECIALS, entity) : text;
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` are
 * written as `\u003c` etc. (so `</script>`, `<!--` and `<script` cannot occur),
 * and U+2028/U+2029 as escapes. `JSON.parse` gives back the same data.
 */
export function jsonForScript(value: unknown, serialized?: string): string {
  let json = serialized ?? JSON.stringify(value) ?? "null";
  // Plain replaceAll per character is several times faster than one regex with a callback on MBs of JSON.
  if (json.includes("<")) json = json.replaceAll("<", "\\u003c");
  if (json.includes(">")) json = json.replaceAll(">", "\\u003e");
  if (json.includes("&")) json = json.replaceAll("&", "\\u0026");
  if (json.includes("\u2028")) json = json.replaceAll("\u2028", "\\u2028");
  if (json.includes("\u2029")) json = json.replaceAll("\u2029", "\\u2029");
  return json;
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
  for (const f of findings) out += `<li class="finding">${badge(f.severity)} ${escapeHtml(f.message)} <code class="rule">${escapeHtml(f.rule)}</code></li>`;
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
for (const s of Object.keys(statusLabel) as LinkStatus[]) statusCell[s] = `<td><span class="badge ${statusClass[s]}">${statusLabel[s]}</span>`;

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
const css = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--surface:#f6f8fa;--link:#0550ae;--focus:#0969da;
--err-bg:#ffebe9;--err-fg:#a0111f;--warn-bg:#fff8c5;--warn-fg:#6c4400;--ok-bg:#dafbe1;--ok-fg:#0f5323;--n-bg:#eef1f4;--n-fg:#3d444d}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--border:#3d444d;--surface:#151b23;--link:#79b8ff;--focus:#4493f8;
--err-bg:#3c1219;--err-fg:#ffb1a8;--warn-bg:#3b2900;--warn-fg:#f2cc60;--ok-bg:#0f2d1a;--ok-fg:#7ee787;--n-bg:#262c36;--n-fg:#d1d7e0}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem;z-index:2}
.skip:focus{left:0}
header,main{max-width:90rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.75rem 0 .75rem}
.meta,.sub,.none,.was,.detail,td small{color:var(--muted)}
.meta{margin:.25rem 0}
.sub,.was,td small{font-size:.875em}
td small,.was{display:block}
.strong{font-weight:600}
code{font:.875em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.path,.url,.src,.was{overflow-wrap:anywhere;word-break:break-word}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.verdict{font-size:1.05rem;margin:.5rem 0;padding:.5rem .75rem;border-radius:6px;border-left:4px solid}
.verdict.error{background:var(--err-bg);color:var(--err-fg)}
.verdict.warning{background:var(--warn-bg);color:var(--warn-fg)}
.verdict.ok{background:var(--ok-bg);color:var(--ok-fg)}
.cards{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(6.5rem,1fr));gap:.5rem}
.card{border:1px solid var(--border);border-radius:8px;padding:.6rem .75rem;background:var(--surface)}
.card .num{display:block;font-size:1.6rem;font-weight:700;line-height:1.2}
.card .label{font-size:.9rem}
.card .detail{display:block;font-size:.8rem;overflow-wrap:anywhere}
.card.error{background:var(--err-bg);color:var(--err-fg);border-color:currentColor}
.card.warning{background:var(--warn-bg);color:var(--warn-fg);border-color:currentColor}
.card.error .detail,.card.warning .detail{color:inherit}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:1rem;font-size:.8rem;font-weight:600;white-space:nowrap;border:1px solid transparent}
.badge.error{background:var(--err-bg);color:var(--err-fg)}
.badge.warning{background:var(--warn-bg);color:var(--warn-fg)}
.badge.ok{background:var(--ok-bg);color:var(--ok-fg)}
.badge.neutral{background:var(--n-bg);color:var(--n-fg)}
.controls{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:flex-end;margin:.5rem 0 1rem;padding:.75rem;border:1px solid var(--border);border-radius:8px;background:var(--surface)}
fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
legend{font-weight:600;padding:0;margin-bottom:.25rem;float:left;width:100%}
fieldset label{display:inline-flex;align-items:center;gap:.3rem;min-height:2rem;cursor:pointer}
input[type=radio]{width:1.1rem;height:1.1rem;margin:0}
.search{display:flex;flex-direction:column;gap:.25rem;flex:1 1 14rem}
.search label{font-weight:600}
input[type=search]{font:inherit;padding:.4rem .6rem;min-height:2.5rem;border:1px solid var(--muted);border-radius:6px;background:var(--bg);color:var(--fg);width:100%}
.count{margin:.25rem 0 .5rem;color:var(--muted)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--border)}
thead th{background:var(--surface);white-space:nowrap;padding:0}
thead th:not([data-key]){padding:.45rem .5rem}
.sort{font:inherit;font-weight:600;color:var(--fg);background:none;border:0;padding:.45rem .5rem;width:100%;text-align:left;cursor:pointer;min-height:2.25rem}
.sort:hover{text-decoration:underline}
.arrow::after{content:"\\2195";color:var(--muted);margin-left:.3rem;font-weight:400}
th[aria-sort=ascending] .arrow::after{content:"\\25B2";color:var(--fg)}
th[aria-sort=descending] .arrow::after{content:"\\25BC";color:var(--fg)}
tr.group th{background:var(--surface);font-weight:400;border-top:2px solid var(--border);padding-top:.6rem}
tr.lvl-error td:first-child{box-shadow:inset 4px 0 var(--err-fg)}
tr.lvl-warning td:first-child{box-shadow:inset 4px 0 var(--warn-fg)}
td a{overflow-wrap:anywhere}
table[data-links] td:nth-child(3){min-width:8rem}
table[data-links] td:nth-child(4){min-width:6.5rem}
table[data-links] td:nth-child(5){min-width:5rem}
table[data-links] td:nth-child(6){min-width:14rem}
table[data-links] td:nth-child(7){min-width:14rem;max-width:24rem}
#page-findings td:last-child{white-space:nowrap}
table[data-links] td:empty::after{content:"None";color:var(--muted)}
.note{margin:.5rem 0;padding:.5rem .75rem;border:1px solid var(--border);border-radius:6px}
.findings,.stores{list-style:none;margin:0;padding:0}
.finding+.finding{margin-top:.35rem}
.stores{display:inline-flex;flex-wrap:wrap;gap:.25rem;vertical-align:middle}
.avail{display:inline-block}
.rule{color:var(--muted)}
.empty{padding:1rem;border:1px dashed var(--border);border-radius:8px}
@media (max-width:48rem){
 body{font-size:16px}
 table[data-links],table[data-links] tbody,table[data-links] tr,table[data-links] td,table.stack,table.stack tbody,table.stack tr,table.stack td,tr.group th{display:block;width:100%}
 table[data-links] thead tr{display:flex;flex-wrap:wrap;gap:.25rem}
 table[data-links] thead th{display:block;border:1px solid var(--border);border-radius:6px}
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table[data-links] tr[data-i],table.stack tbody tr{border:1px solid var(--border);border-radius:8px;margin:.5rem 0;padding:.25rem 0}
 table[data-links] td,table.stack td{border:0;padding:.2rem .75rem;display:grid;grid-template-columns:5.5rem minmax(0,1fr);gap:0 .5rem;overflow-wrap:anywhere}
 table[data-links] td>*,table.stack td>*,table[data-links] td::after{grid-column:2;min-width:0}
 table[data-links] caption,table.stack caption{display:block}
 table[data-links] td:nth-child(n){min-width:0;max-width:none}
 table[data-links] td::before,table.stack td::before{grid-column:1;content:attr(data-label);font-weight:600;color:var(--muted);font-size:.85rem}
${columns.map((c, k) => ` table[data-links] td:nth-child(${k + 1})::before{content:"${c.label}"}`).join("\n")}
 tr.lvl-error td:first-child,tr.lvl-warning td:first-child{box-shadow:none}
 tr.lvl-error,tr.lvl-warning{border-left-width:5px!important}
 tr.lvl-error{border-left-color:var(--err-fg)!important}
 tr.lvl-warning{border-left-color:var(--warn-fg)!important}
}
@media print{.controls,.skip{display:none}}
`;

/** Store names for the product view's availability chips (the script has no other source for them). */
const storeNames: Record<string, string> = Object.fromEntries(marketplaces.map((m) => [m.code, m.name]));

/**
 * The inline script. Plain ES2017; reads the embedded JSON; writes data only
 * with textContent. Builds the product view the first time it is shown, from
 * copies of the page view's rows (already escaped by the server).
 */
const script = `
(function () {
  "use strict";
  var STORE_NAMES = ${jsonForScript(storeNames)};
  var dataEl = document.getElementById("report-data");
  var data;
  try { data = JSON.parse(dataEl ? dataEl.textContent || "{}" : "{}"); } catch (e) { return; }
  var links = Array.isArray(data.links) ? data.links : [];
  var SEV = { error: 2, warning: 1 };
  var STATUS = { dead: 0, unverified: 1, unchecked: 2, live: 3 };
  var info = links.map(function (l) {
    var sev = 0;
    var text = [l.asin, l.title, l.input, l.output, l.href, l.original, l.marketplace, l.status, l.kind,
      l.input + ":" + l.line + ":" + l.column];
    (l.findings || []).forEach(function (f) { sev = Math.max(sev, SEV[f.severity] || 0); text.push(f.rule, f.message); });
    return { sev: sev, text: text.filter(function (t) { return t != null; }).join("\\n").toLowerCase() };
  });
  var state = { min: 0, terms: [], key: null, dir: 1 };
  document.documentElement.classList.add("js");
  var controls = document.getElementById("controls");
  if (controls) controls.hidden = false;
  var count = document.getElementById("count");
  var empty = document.getElementById("no-match");
  var search = document.getElementById("search");

  function matches(text, sev) {
    if (sev < state.min) return false;
    for (var k = 0; k < state.terms.length; k++) if (text.indexOf(state.terms[k]) < 0) return false;
    return true;
  }
  function apply() {
    var shown = 0;
    var ok = info.map(function (x) { var m = matches(x.text, x.sev); if (m) shown++; return m; });
    document.querySelectorAll("table[data-links] tbody").forEach(function (tb) {
      var any = false;
      tb.querySelectorAll("tr[data-i]").forEach(function (tr) {
        var yes = !!ok[+tr.getAttribute("data-i")];
        tr.hidden = !yes;
        if (yes) any = true;
      });
      tb.hidden = !any;
    });
    var pfShown = 0;
    document.querySelectorAll("tr[data-pf]").forEach(function (tr) {
      var yes = matches((tr.textContent || "").toLowerCase(), +tr.getAttribute("data-sev"));
      tr.hidden = !yes;
      if (yes) pfShown++;
    });
    var pf = document.getElementById("page-findings");
    if (pf) pf.hidden = pfShown === 0;
    if (count) {
      count.textContent = shown === links.length
        ? "Showing all " + links.length + (links.length === 1 ? " link" : " links")
        : "Showing " + shown + " of " + links.length + (links.length === 1 ? " link" : " links");
    }
    document.querySelectorAll("table[data-links]").forEach(function (t) { t.hidden = shown === 0; });
    if (empty) empty.hidden = shown !== 0 || links.length === 0;
  }

  function keyOf(i, key) {
    var l = links[i] || {};
    switch (key) {
      case "status": return [STATUS[l.status] != null ? STATUS[l.status] : 9];
      case "findings": return [-(info[i] ? info[i].sev : 0), (l.findings || []).length ? l.findings[0].rule : ""];
      case "asin": return [l.asin || "\\uffff"];
      case "title": return [l.title || "\\uffff"];
      case "store": return [l.marketplace || ""];
      case "source": return [l.input || "", +l.line || 0, +l.column || 0];
      case "href": return [l.href || ""];
    }
    return [i];
  }
  function compare(a, b) {
    for (var k = 0; k < a.length; k++) {
      var x = a[k], y = b[k];
      if (x === y) continue;
      if (typeof x === "number" && typeof y === "number") return x - y;
      var c = String(x).localeCompare(String(y), undefined, { sensitivity: "base" });
      if (c !== 0) return c;
    }
    return 0;
  }
  /** Orders the rows of every group of every view by the current sort (keys computed once per link). */
  function sortRows() {
    if (!state.key) return;
    var keys = [];
    document.querySelectorAll("table[data-links] tbody").forEach(function (tb) {
      var rows = Array.prototype.slice.call(tb.querySelectorAll("tr[data-i]"));
      rows.map(function (tr) { var i = +tr.getAttribute("data-i"); return { tr: tr, i: i, k: keys[i] || (keys[i] = keyOf(i, state.key)) }; })
        .sort(function (a, b) { return state.dir * compare(a.k, b.k) || a.i - b.i; })
        .forEach(function (r) { tb.appendChild(r.tr); });
    });
    document.querySelectorAll("table[data-links] thead th[data-key]").forEach(function (th) {
      if (th.getAttribute("data-key") === state.key) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }
  function sortBy(key) {
    if (state.key === key) state.dir = -state.dir; else { state.key = key; state.dir = 1; }
    sortRows();
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text != null) e.textContent = text;
    return e;
  }
  function add(parent) {
    for (var k = 1; k < arguments.length; k++) {
      var c = arguments[k];
      if (c != null) parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function plural(n, one) { return n + " " + (n === 1 ? one : one + "s"); }
  function storeLabel(c) { return c === "short" ? "short link" : String(c).toUpperCase(); }
  function storeName(c) { return c === "short" ? "short link" : STORE_NAMES[c] || c; }
  function unique(list) { var seen = {}; return list.filter(function (x) { return seen[x] ? false : (seen[x] = true); }); }

  /** A product group's header: ASIN, title, how many links on how many pages, and per-store availability. */
  function productHeader(asin, rows) {
    var ls = rows.map(function (i) { return links[i]; });
    var titled = ls.filter(function (l) { return l.title; })[0];
    var pages = unique(ls.map(function (l) { return l.output; })).length;
    var th = add(el("th"), el("code", "strong", asin), " ",
      titled ? el("span", "ptitle", titled.title) : el("span", "sub", "(title unknown)"), " ",
      el("span", "sub", "\\u00b7 " + plural(rows.length, "link") + " on " + plural(pages, "page")));
    if (ls.some(function (l) { return Array.isArray(l.liveIn); })) {
      var live = {};
      ls.forEach(function (l) { (l.liveIn || []).forEach(function (s) { live[s] = true; }); });
      var linked = ls.map(function (l) { return l.marketplace; }).filter(function (m) { return m !== "short"; });
      var stores = unique(Object.keys(live).concat(linked)).sort();
      var ul = el("ul", "stores");
      stores.forEach(function (s) {
        var yes = live[s] === true;
        var li = add(el("li", yes ? "badge ok" : "badge error"), el("span", null, yes ? "\\u2713 " : "\\u2717 "), storeLabel(s),
          el("span", "vh", yes ? " live" : " not known live"));
        li.firstChild.setAttribute("aria-hidden", "true");
        li.title = (yes ? "Live in " : "Not known live in ") + storeName(s);
        ul.appendChild(li);
      });
      add(th, " ", add(el("span", "avail"), el("span", "sub", "Availability:"), " ", ul));
    }
    return th;
  }

  var productsBuilt = false;
  /** The product view: a group per ASIN (sorted), then links without a product; rows copied from the page view. */
  function buildProducts() {
    if (productsBuilt) return;
    productsBuilt = true;
    var table = document.getElementById("links-by-product");
    var pageTable = document.getElementById("links-by-page");
    if (!table || !pageTable) return;
    var source = [];
    pageTable.querySelectorAll("tr[data-i]").forEach(function (tr) { source[+tr.getAttribute("data-i")] = tr; });
    var byAsin = {}, asins = [], other = [];
    links.forEach(function (l, i) {
      if (!l.asin) { other.push(i); return; }
      if (!Object.prototype.hasOwnProperty.call(byAsin, l.asin)) { byAsin[l.asin] = []; asins.push(l.asin); }
      byAsin[l.asin].push(i);
    });
    asins.sort();
    var columns = table.querySelectorAll("thead th").length;
    var frag = document.createDocumentFragment();
    var n = 0;
    function group(th, rows) {
      var tb = el("tbody");
      tb.id = "product-" + n++;
      th.setAttribute("scope", "rowgroup");
      th.colSpan = columns;
      tb.appendChild(add(el("tr", "group"), th));
      rows.forEach(function (i) {
        if (!source[i]) return;
        var tr = source[i].cloneNode(true);
        tr.hidden = false;
        // The page view leaves the page's own path out of Source; here rows from many pages meet.
        var cell = tr.cells[4], l = links[i];
        if (cell) {
          var code = el("code", "src", l.input + ":" + l.line + ":" + l.column);
          while (cell.firstChild) cell.removeChild(cell.firstChild);
          cell.appendChild(code);
        }
        tb.appendChild(tr);
      });
      frag.appendChild(tb);
    }
    asins.forEach(function (asin) { group(productHeader(asin, byAsin[asin]), byAsin[asin]); });
    if (other.length > 0) {
      group(add(el("th"), el("span", "strong", "Links without a product"), " ",
        el("span", "sub", "(search, store and short links) \\u00b7 " + plural(other.length, "link"))), other);
    }
    table.appendChild(frag);
    sortRows();
    apply();
  }
  function showView(name) {
    if (name === "product") buildProducts();
    document.querySelectorAll(".view").forEach(function (v) { v.hidden = v.getAttribute("data-view") !== name; });
  }

  document.querySelectorAll("input[name=show]").forEach(function (r) {
    r.addEventListener("change", function () {
      state.min = r.value === "errors" ? 2 : r.value === "problems" ? 1 : 0;
      apply();
    });
  });
  document.querySelectorAll("input[name=view]").forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked) showView(r.value); });
  });
  if (search) {
    search.addEventListener("input", function () {
      state.terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
      apply();
    });
  }
  document.querySelectorAll("button.sort").forEach(function (b) {
    b.addEventListener("click", function () { sortBy(b.getAttribute("data-key")); });
  });
  var checked = document.querySelector("input[name=show]:checked");
  if (checked) state.min = checked.value === "errors" ? 2 : checked.value === "problems" ? 1 : 0;
  if (search && search.value) state.terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
  var view = document.querySelector("input[name=view]:checked");
  showView(view ? view.value : "page");
  apply();
})();
`;

/** Render the report as one standalone HTML page. `json`: the report already serialized, when at hand. */
export function renderHtmlReport(report: Report, json?: string): string {
  const { head, tail } = renderHtmlReportParts(report);
  return [...head].join("") + jsonForScript(report, json) + tail;
}

/**
 * The page around its embedded data: the markup before the data, made a piece at a time as it is read
 * (a writer streams it: no page of megabytes held at once), and the markup after it. The data goes
 * between them as `jsonForScript` of the serialized report.
 */
export function renderHtmlReportParts(report: Report): { head: Iterable<string>; tail: string } {
  return { head: headPieces(report), tail: `</script>\n<script>${script}</script>\n</body>\n</html>\n` };
}

function* headPieces(report: Report): Generator<string> {
  const links = report.links ?? [];
  const pages = report.pages ?? [];
  // A report from buildReport has the whole summary; hand-made ones (older or partial) get it filled in.
  const given = report.summary as Partial<ReportSummary> | undefined;
  const s: ReportSummary =
    given?.live !== undefined && given.asins !== undefined && given.stores !== undefined ? (given as ReportSummary) : { ...summarize(links, pages), ...given };
  let untagged = 0;
  for (const l of links) if (l.findings.some((f) => f.rule === "untagged")) untagged++;
  const title =
    s.errors > 0 || s.warnings > 0
      ? `Amazon links report: ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}`
      : `Amazon links report: ${plural(s.links, "link")}, no problems`;
  const statusLine = `live ${s.live ?? 0} · dead ${s.dead ?? 0} · unverified ${s.unverified ?? 0} · unchecked ${s.unchecked ?? 0}`;

  const out: string[] = [
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n`,
    `<meta name="color-scheme" content="light dark">\n`,
    `<meta name="robots" content="noindex">\n`,
    `<title>${escapeHtml(title)}</title>\n<style>${css}</style>\n</head>\n<body>\n`,
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
