/**
 * The HTML report page: one standalone file (inline CSS and script, no
 * external assets, works from `file://`). Everything is rendered on the
 * server side, HTML-escaped, so the page reads fine without JavaScript; the
 * inline script only adds filtering, search, sorting and the page/product
 * switch, reading the report from an embedded `application/json` block and
 * never turning data into markup.
 */
import { marketplaceByCode } from "../amazon/stores.js";
import type { Finding } from "../rules/rule-ids.js";
import { summarize } from "./summary.js";
import type { LinkRecord, LinkStatus, PageRecord, Report, ReportSummary } from "./types.js";

/** HTML-escape text for element content and (double- or single-quoted) attribute values. */
const SPECIAL = /[&<>"']/;
export function escapeHtml(value: unknown): string {
  const text = String(value ?? "");
  // Most values (ASINs, store codes, paths) need nothing: skip the replace.
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) : text;
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` are
 * written as `\u003c` etc. (so `</script>`, `<!--` and `<script` cannot occur),
 * and U+2028/U+2029 as escapes. `JSON.parse` gives back the same data.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

type Level = "error" | "warning" | "ok";

function worst(findings: readonly Finding[]): Level {
  if (findings.some((f) => f.severity === "error")) return "error";
  if (findings.some((f) => f.severity === "warning")) return "warning";
  return "ok";
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

function statusBadge(status: LinkStatus): string {
  const cls = statusClass[status] ?? "neutral";
  return `<span class="badge ${cls}">${escapeHtml(statusLabel[status] ?? status)}</span>`;
}

function findingItem(f: Finding): string {
  return (
    `<li class="finding"><span class="badge ${f.severity === "error" ? "error" : "warning"}">${f.severity === "error" ? "Error" : "Warning"}</span> ` +
    `<span class="msg">${escapeHtml(f.message)}</span> <code class="rule">${escapeHtml(f.rule)}</code></li>`
  );
}

function findingsCell(findings: readonly Finding[]): string {
  if (findings.length === 0) return `<span class="none">None</span>`;
  return `<ul class="findings">${findings.map(findingItem).join("")}</ul>`;
}

function hrefCell(link: LinkRecord): string {
  const href = link.href;
  const shown = /^https?:\/\//i.test(href)
    ? `<a href="${escapeHtml(href)}" rel="noopener">${escapeHtml(href)}</a>`
    : `<span class="url">${escapeHtml(href)}</span>`;
  const was = link.original && link.original !== href ? `<div class="was">was <span class="url">${escapeHtml(link.original)}</span></div>` : "";
  return shown + was;
}

function source(link: LinkRecord): string {
  return `${link.input}:${link.line}:${link.column}`;
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

function thead(): string {
  return (
    `<thead><tr>` +
    columns
      .map(
        (c) =>
          `<th scope="col" data-key="${c.key}"><button type="button" class="sort" data-key="${c.key}">${escapeHtml(c.label)}<span class="arrow" aria-hidden="true"></span></button></th>`,
      )
      .join("") +
    `</tr></thead>`
  );
}

function linkRow(link: LinkRecord, i: number): string {
  const level = worst(link.findings);
  const live = link.liveIn && link.liveIn.length > 0 ? `<div class="sub">live in ${escapeHtml(link.liveIn.map(storeLabel).join(", "))}</div>` : "";
  const cells = [
    statusBadge(link.status),
    link.asin ? `<code>${escapeHtml(link.asin)}</code>` : `<span class="none">${escapeHtml(link.kind ?? "none")}</span>`,
    link.title
      ? escapeHtml(link.title)
      : link.kind === "product" || link.asin
        ? `<span class="none">Unknown</span>`
        : `<span class="none"><span aria-hidden="true">—</span><span class="vh">none</span></span>`,
    `<abbr title="${escapeHtml(storeName(link.marketplace))}">${escapeHtml(storeLabel(link.marketplace))}</abbr>${live}`,
    `<code class="src">${escapeHtml(source(link)).replace(/\//g, "/<wbr>")}</code>`,
    findingsCell(link.findings),
    hrefCell(link),
  ];
  return (
    `<tr data-i="${i}" class="lvl-${level}">` +
    cells.map((c) => `<td><div class="c">${c}</div></td>`).join("") +
    `</tr>`
  );
}

interface Group {
  id: string;
  header: string;
  rows: number[];
}

function table(id: string, caption: string, groups: readonly Group[], links: readonly LinkRecord[], rows: string[]): string {
  // Both views show the same rows: each is rendered once (rows is shared between the calls).
  const row = (i: number) => (rows[i] ??= linkRow(links[i]!, i));
  const body = groups
    .map(
      (g) =>
        `<tbody id="${g.id}"><tr class="group"><th scope="rowgroup" colspan="${columns.length}">${g.header}</th></tr>` +
        g.rows.map(row).join("") +
        `</tbody>`,
    )
    .join("");
  return (
    `<div class="table-wrap" role="region" aria-labelledby="${id}-caption" tabindex="0"><table id="${id}" data-links>` +
    `<caption id="${id}-caption">${escapeHtml(caption)}</caption>${thead()}${body}</table></div>`
  );
}

function pageGroups(report: Report): Group[] {
  const byOutput = new Map<string, { page?: PageRecord; input: string; output: string; rows: number[] }>();
  for (const page of report.pages) {
    if (!byOutput.has(page.output)) byOutput.set(page.output, { page, input: page.input, output: page.output, rows: [] });
  }
  report.links.forEach((link, i) => {
    let g = byOutput.get(link.output);
    if (!g) {
      g = { input: link.input, output: link.output, rows: [] };
      byOutput.set(link.output, g);
    }
    g.rows.push(i);
  });
  const groups: Group[] = [];
  let n = 0;
  for (const g of byOutput.values()) {
    if (g.rows.length === 0) continue; // pages without links only have page findings, listed above
    const pageFindings = g.page?.findings ?? [];
    const pf =
      pageFindings.length > 0
        ? ` <span class="badge ${worst(pageFindings)}">${escapeHtml(plural(pageFindings.length, "page finding"))}</span>`
        : "";
    const out = g.output !== g.input ? ` <span class="sub">→ <span class="path">${escapeHtml(g.output)}</span></span>` : "";
    groups.push({
      id: `page-${n++}`,
      header: `<span class="path strong">${escapeHtml(g.input)}</span>${out} <span class="sub">· ${escapeHtml(plural(g.rows.length, "link"))}</span>${pf}`,
      rows: g.rows,
    });
  }
  return groups;
}

function productGroups(report: Report): Group[] {
  const byAsin = new Map<string, number[]>();
  const other: number[] = [];
  report.links.forEach((link, i) => {
    if (!link.asin) {
      other.push(i);
      return;
    }
    const rows = byAsin.get(link.asin) ?? [];
    rows.push(i);
    byAsin.set(link.asin, rows);
  });
  const groups: Group[] = [];
  let n = 0;
  for (const asin of [...byAsin.keys()].sort()) {
    const rows = byAsin.get(asin)!;
    const ls = rows.map((i) => report.links[i]!);
    const title = ls.find((l) => l.title)?.title;
    const pages = new Set(ls.map((l) => l.output)).size;
    const linked = [...new Set(ls.map((l) => l.marketplace))].filter((m) => m !== "short");
    const known = ls.some((l) => Array.isArray(l.liveIn));
    const liveIn = new Set(ls.flatMap((l) => l.liveIn ?? []));
    let availability = "";
    if (known) {
      const stores = [...new Set([...liveIn, ...linked])].sort();
      availability =
        ` <span class="avail"><span class="sub">Availability:</span> <ul class="stores">` +
        stores
          .map((s) =>
            liveIn.has(s)
              ? `<li class="badge ok" title="${escapeHtml(`Live in ${storeName(s)}`)}"><span aria-hidden="true">✓ </span>${escapeHtml(storeLabel(s))}<span class="vh"> live</span></li>`
              : `<li class="badge error" title="${escapeHtml(`Not known live in ${storeName(s)}`)}"><span aria-hidden="true">✗ </span>${escapeHtml(storeLabel(s))}<span class="vh"> not known live</span></li>`,
          )
          .join("") +
        `</ul></span>`;
    }
    groups.push({
      id: `product-${n++}`,
      header:
        `<code class="strong">${escapeHtml(asin)}</code>` +
        (title ? ` <span class="ptitle">${escapeHtml(title)}</span>` : ` <span class="sub">(title unknown)</span>`) +
        ` <span class="sub">· ${escapeHtml(plural(rows.length, "link"))} on ${escapeHtml(plural(pages, "page"))}</span>${availability}`,
      rows,
    });
  }
  if (other.length > 0) {
    groups.push({
      id: `product-${n}`,
      header: `<span class="strong">Links without a product</span> <span class="sub">(search, store and short links) · ${escapeHtml(plural(other.length, "link"))}</span>`,
      rows: other,
    });
  }
  return groups;
}

function pageFindingsSection(report: Report): string {
  const rows: string[] = [];
  for (const page of report.pages) {
    for (const f of page.findings) {
      rows.push(
        `<tr data-pf data-sev="${f.severity === "error" ? 2 : 1}">` +
          `<td data-label="Page"><div class="c"><span class="path">${escapeHtml(page.input)}</span>${page.output !== page.input ? `<div class="sub">→ ${escapeHtml(page.output)}</div>` : ""}</div></td>` +
          `<td data-label="Severity"><div class="c"><span class="badge ${f.severity === "error" ? "error" : "warning"}">${f.severity === "error" ? "Error" : "Warning"}</span></div></td>` +
          `<td data-label="Message"><div class="c">${escapeHtml(f.message)}</div></td>` +
          `<td data-label="Rule"><div class="c"><code>${escapeHtml(f.rule)}</code></div></td></tr>`,
      );
    }
  }
  if (rows.length === 0) return "";
  return (
    `<section aria-labelledby="page-findings-h"><h2 id="page-findings-h">Page findings</h2>` +
    `<div class="table-wrap" role="region" aria-labelledby="page-findings-caption" tabindex="0"><table id="page-findings" class="stack"><caption id="page-findings-caption">Findings about whole pages (${escapeHtml(String(rows.length))})</caption>` +
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
.meta,.sub,.none,.was,.detail{color:var(--muted)}
.meta{margin:.25rem 0}
.sub,.was{font-size:.875em}
.strong{font-weight:600}
code{font:.875em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.path,.url,.src{overflow-wrap:anywhere;word-break:break-word}
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
.arrow::after{content:"↕";color:var(--muted);margin-left:.3rem;font-weight:400}
th[aria-sort=ascending] .arrow::after{content:"▲";color:var(--fg)}
th[aria-sort=descending] .arrow::after{content:"▼";color:var(--fg)}
tr.group th{background:var(--surface);font-weight:400;border-top:2px solid var(--border);padding-top:.6rem}
tr.lvl-error td:first-child{box-shadow:inset 4px 0 var(--err-fg)}
tr.lvl-warning td:first-child{box-shadow:inset 4px 0 var(--warn-fg)}
td a{overflow-wrap:anywhere}
table[data-links] td:nth-child(3){min-width:8rem}
table[data-links] td:nth-child(5){min-width:9rem}
table[data-links] td:nth-child(6){min-width:14rem}
table[data-links] td:nth-child(7){min-width:14rem;max-width:24rem}
#page-findings td:last-child{white-space:nowrap}
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
 table[data-links] td,table.stack td{border:0;padding:.2rem .75rem;display:grid;grid-template-columns:5.5rem 1fr;gap:.5rem}
 td>.c{min-width:0}
 table[data-links] caption,table.stack caption{display:block}
 table[data-links] td:nth-child(n){min-width:0;max-width:none}
 table[data-links] td::before,table.stack td::before{content:attr(data-label);font-weight:600;color:var(--muted);font-size:.85rem}
${columns.map((c, k) => ` table[data-links] td:nth-child(${k + 1})::before{content:"${c.label}"}`).join("\n")}
 tr.lvl-error td:first-child,tr.lvl-warning td:first-child{box-shadow:none}
 tr.lvl-error,tr.lvl-warning{border-left-width:5px!important}
 tr.lvl-error{border-left-color:var(--err-fg)!important}
 tr.lvl-warning{border-left-color:var(--warn-fg)!important}
}
@media print{.controls,.skip{display:none}}
`;

/** The inline script. Plain ES2017; reads the embedded JSON; writes text only with textContent. */
const script = `
(function () {
  "use strict";
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
    info.forEach(function (x) { if (matches(x.text, x.sev)) shown++; });
    document.querySelectorAll("table[data-links] tbody").forEach(function (tb) {
      var any = false;
      tb.querySelectorAll("tr[data-i]").forEach(function (tr) {
        var x = info[+tr.getAttribute("data-i")];
        var ok = !!x && matches(x.text, x.sev);
        tr.hidden = !ok;
        if (ok) any = true;
      });
      tb.hidden = !any;
    });
    var pfShown = 0;
    document.querySelectorAll("tr[data-pf]").forEach(function (tr) {
      var ok = matches((tr.textContent || "").toLowerCase(), +tr.getAttribute("data-sev"));
      tr.hidden = !ok;
      if (ok) pfShown++;
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
  function sortBy(key) {
    if (state.key === key) state.dir = -state.dir; else { state.key = key; state.dir = 1; }
    document.querySelectorAll("table[data-links] tbody").forEach(function (tb) {
      var rows = Array.prototype.slice.call(tb.querySelectorAll("tr[data-i]"));
      rows.map(function (tr) { var i = +tr.getAttribute("data-i"); return { tr: tr, i: i, k: keyOf(i, key) }; })
        .sort(function (a, b) { return state.dir * compare(a.k, b.k) || a.i - b.i; })
        .forEach(function (r) { tb.appendChild(r.tr); });
    });
    document.querySelectorAll("table[data-links] thead th[data-key]").forEach(function (th) {
      if (th.getAttribute("data-key") === key) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }

  document.querySelectorAll("input[name=show]").forEach(function (r) {
    r.addEventListener("change", function () {
      state.min = r.value === "errors" ? 2 : r.value === "problems" ? 1 : 0;
      apply();
    });
  });
  document.querySelectorAll("input[name=view]").forEach(function (r) {
    r.addEventListener("change", function () {
      document.querySelectorAll(".view").forEach(function (v) { v.hidden = v.getAttribute("data-view") !== r.value; });
    });
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
  document.querySelectorAll(".view").forEach(function (v) { v.hidden = v.getAttribute("data-view") !== "page"; });
  var checked = document.querySelector("input[name=show]:checked");
  if (checked) state.min = checked.value === "errors" ? 2 : checked.value === "problems" ? 1 : 0;
  if (search && search.value) state.terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
  apply();
})();
`;

/** Render the report as one standalone HTML page. */
export function renderHtmlReport(report: Report): string {
  const links = report.links ?? [];
  const pages = report.pages ?? [];
  const s: ReportSummary = { ...summarize(links, pages), ...report.summary };
  const untagged = links.filter((l) => l.findings.some((f) => f.rule === "untagged")).length;
  const title =
    s.errors > 0 || s.warnings > 0
      ? `Amazon links report: ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}`
      : `Amazon links report: ${plural(s.links, "link")}, no problems`;
  const statusLine = `live ${s.live ?? 0} · dead ${s.dead ?? 0} · unverified ${s.unverified ?? 0} · unchecked ${s.unchecked ?? 0}`;

  const rows: string[] = [];
  const linksSection =
    links.length === 0
      ? `<p class="empty">No Amazon links were found in this build.</p>`
      : `<div class="controls" id="controls" role="group" aria-label="Filter and group links" hidden>` +
        `<fieldset><legend>Show</legend>` +
        `<label><input type="radio" name="show" value="all" checked> All links</label>` +
        `<label><input type="radio" name="show" value="problems"> Errors and warnings</label>` +
        `<label><input type="radio" name="show" value="errors"> Errors only</label></fieldset>` +
        `<fieldset><legend>Group by</legend>` +
        `<label><input type="radio" name="view" value="page" checked> Page</label>` +
        `<label><input type="radio" name="view" value="product"> Product</label></fieldset>` +
        `<div class="search" role="search"><label for="search">Search</label>` +
        `<input type="search" id="search" placeholder="ASIN, page, title, store, message…" autocomplete="off" spellcheck="false"></div>` +
        `</div>` +
        `<p class="count" id="count" aria-live="polite">${escapeHtml(`Showing all ${plural(links.length, "link")}`)}</p>` +
        `<p class="empty" id="no-match" hidden>No links match the filter and search.</p>` +
        `<div class="view" data-view="page"><h3 class="vh">Links by page</h3>${table("links-by-page", "Amazon links, grouped by page", pageGroups(report), links, rows)}</div>` +
        `<div class="view" data-view="product"><h3 class="vh">Links by product</h3>${table("links-by-product", "Amazon links, grouped by product (ASIN)", productGroups(report), links, rows)}</div>`;

  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="color-scheme" content="light dark">\n` +
    `<meta name="robots" content="noindex">\n` +
    `<title>${escapeHtml(title)}</title>\n<style>${css}</style>\n</head>\n<body>\n` +
    `<a class="skip" href="#links-h">Skip to the links</a>\n` +
    `<header><h1>Amazon links report</h1>` +
    `<p class="meta">${escapeHtml(report.generator ?? "eleventy-plugin-amazon-links")}${report.generatedAt ? ` · <time datetime="${escapeHtml(report.generatedAt)}">${escapeHtml(report.generatedAt)}</time>` : ""}</p>` +
    `${verdict(s)}</header>\n<main>\n` +
    `<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>${summaryCards(s, untagged)}` +
    `<p class="meta">Link status: ${escapeHtml(statusLine)}</p></section>\n` +
    `${pageFindingsSection(report)}\n` +
    `<section aria-labelledby="links-h"><h2 id="links-h" tabindex="-1">Links</h2>${linksSection}</section>\n` +
    `</main>\n` +
    `<script type="application/json" id="report-data">${jsonForScript(report)}</script>\n` +
    `<script>${script}</script>\n</body>\n</html>\n`
  );
}
