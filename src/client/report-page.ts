/**
 * The HTML report page's script: filtering, search, sorting and the product
 * view. It reads the embedded JSON report and the store names, and writes
 * data only with `textContent`, never as markup. The product view is built
 * the first time it is shown, from copies of the page view's rows (already
 * escaped by the server). Bundled by scripts/build-client.mjs, with the
 * stores table (pure data, no I/O) for the store names.
 */
import { marketplaces } from "../amazon/stores.js";

interface ReportFinding {
  rule: string;
  severity: string;
  message: string;
}

interface ReportLink {
  asin?: string;
  title?: string;
  input: string;
  line: number;
  column: number;
  output?: string;
  href?: string;
  original?: string;
  marketplace?: string;
  status?: string;
  kind?: string;
  liveIn?: string[];
  findings?: ReportFinding[];
}

type SortKey = "status" | "findings" | "asin" | "title" | "store" | "source" | "href";

const SEVERITY: Record<string, number> = { error: 2, warning: 1 };
const STATUS_ORDER: Record<string, number> = { dead: 0, unverified: 1, unchecked: 2, live: 3 };

function readJson<T>(id: string, fallback: T): T {
  const element = document.getElementById(id);
  try {
    return element ? ((JSON.parse(element.textContent || "null") as T) ?? fallback) : fallback;
  } catch {
    return fallback;
  }
}

function el(tag: string, className?: string | null, text?: string | null): HTMLElement {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text != null) element.textContent = text;
  return element;
}

function add<T extends Node>(parent: T, ...children: Array<Node | string | null | undefined>): T {
  for (const child of children) {
    if (child != null) parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return parent;
}

const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;
const unique = <T>(list: readonly T[]): T[] => [...new Set(list)];
const minimumFor = (value: string) => (value === "errors" ? 2 : value === "problems" ? 1 : 0);
const termsOf = (value: string) => value.toLowerCase().split(/\s+/).filter(Boolean);
const indexOf = (row: Element) => Number(row.getAttribute("data-i"));

function compare(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): number {
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    const c = String(x).localeCompare(String(y), undefined, { sensitivity: "base" });
    if (c !== 0) return c;
  }
  return 0;
}

function start(): void {
  const storeNames = new Map(marketplaces.map((m) => [m.code, m.name]));
  const data = readJson<{ links?: unknown }>("report-data", {});
  const links: ReportLink[] = Array.isArray(data.links) ? (data.links as ReportLink[]) : [];
  const info = links.map((l) => {
    let severity = 0;
    const text = [
      l.asin,
      l.title,
      l.input,
      l.output,
      l.href,
      l.original,
      l.marketplace,
      l.status,
      l.kind,
      `${l.input}:${l.line}:${l.column}`,
    ];
    for (const f of l.findings ?? []) {
      severity = Math.max(severity, SEVERITY[f.severity] ?? 0);
      text.push(f.rule, f.message);
    }
    return {
      severity,
      text: text
        .filter((t) => t != null)
        .join("\n")
        .toLowerCase(),
    };
  });
  const state: { min: number; terms: string[]; key: SortKey | null; dir: number } = { min: 0, terms: [], key: null, dir: 1 };

  document.documentElement.classList.add("js");
  const controls = document.getElementById("controls");
  if (controls) controls.hidden = false;
  const count = document.getElementById("count");
  const empty = document.getElementById("no-match");
  const search = document.getElementById("search") as HTMLInputElement | null;
  const storeLabel = (code: string) => (code === "short" ? "short link" : code.toUpperCase());
  const storeName = (code: string) => (code === "short" ? "short link" : (storeNames.get(code) ?? code));

  function matches(text: string, severity: number): boolean {
    return severity >= state.min && state.terms.every((term) => text.includes(term));
  }

  function apply(): void {
    let shown = 0;
    const ok = info.map((x) => {
      const yes = matches(x.text, x.severity);
      if (yes) shown++;
      return yes;
    });
    for (const body of document.querySelectorAll<HTMLElement>("table[data-links] tbody")) {
      let any = false;
      for (const row of body.querySelectorAll<HTMLElement>("tr[data-i]")) {
        const yes = ok[indexOf(row)] === true;
        row.hidden = !yes;
        if (yes) any = true;
      }
      body.hidden = !any;
    }
    let pageFindingsShown = 0;
    for (const row of document.querySelectorAll<HTMLElement>("tr[data-pf]")) {
      const yes = matches((row.textContent || "").toLowerCase(), Number(row.getAttribute("data-sev")));
      row.hidden = !yes;
      if (yes) pageFindingsShown++;
    }
    const pageFindings = document.getElementById("page-findings");
    if (pageFindings) pageFindings.hidden = pageFindingsShown === 0;
    if (count) {
      const noun = links.length === 1 ? " link" : " links";
      count.textContent = shown === links.length ? `Showing all ${links.length}${noun}` : `Showing ${shown} of ${links.length}${noun}`;
    }
    for (const table of document.querySelectorAll<HTMLElement>("table[data-links]")) table.hidden = shown === 0;
    if (empty) empty.hidden = shown !== 0 || links.length === 0;
  }

  function keyOf(i: number, key: SortKey): Array<string | number> {
    const l = links[i];
    if (!l) return [i];
    switch (key) {
      case "status":
        return [STATUS_ORDER[l.status ?? ""] ?? 9];
      case "findings":
        return [-(info[i]?.severity ?? 0), l.findings?.[0]?.rule ?? ""];
      case "asin":
        return [l.asin || "\uffff"];
      case "title":
        return [l.title || "\uffff"];
      case "store":
        return [l.marketplace || ""];
      case "source":
        return [l.input || "", Number(l.line) || 0, Number(l.column) || 0];
      case "href":
        return [l.href || ""];
    }
  }

  /** Orders the rows of every group of every view by the current sort (keys computed once per link). */
  function sortRows(): void {
    const key = state.key;
    if (!key) return;
    const keys: Array<Array<string | number>> = [];
    for (const body of document.querySelectorAll("table[data-links] tbody")) {
      const rows = [...body.querySelectorAll("tr[data-i]")].map((row) => {
        const i = indexOf(row);
        return { row, i, k: (keys[i] ??= keyOf(i, key)) };
      });
      rows.sort((a, b) => state.dir * compare(a.k, b.k) || a.i - b.i);
      for (const { row } of rows) body.appendChild(row);
    }
    for (const th of document.querySelectorAll("table[data-links] thead th[data-key]")) {
      if (th.getAttribute("data-key") === key) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  function sortBy(key: SortKey): void {
    if (state.key === key) state.dir = -state.dir;
    else {
      state.key = key;
      state.dir = 1;
    }
    sortRows();
  }

  /** A product group's header: ASIN, title, how many links on how many pages, and per-store availability. */
  function productHeader(asin: string, rows: readonly number[]): HTMLElement {
    const group = rows.map((i) => links[i]).filter((l): l is ReportLink => l !== undefined);
    const titled = group.find((l) => l.title);
    const pages = unique(group.map((l) => l.output)).length;
    const th = add(
      el("th"),
      el("code", "strong", asin),
      " ",
      titled?.title ? el("span", "ptitle", titled.title) : el("span", "sub", "(title unknown)"),
      " ",
      el("span", "sub", `\u00b7 ${plural(rows.length, "link")} on ${plural(pages, "page")}`),
    );
    if (group.some((l) => Array.isArray(l.liveIn))) {
      const live = new Set(group.flatMap((l) => l.liveIn ?? []));
      const linked = group.map((l) => l.marketplace ?? "").filter((m) => m !== "" && m !== "short");
      const list = el("ul", "stores");
      for (const store of unique([...live, ...linked]).sort()) {
        const yes = live.has(store);
        const mark = el("span", null, yes ? "\u2713 " : "\u2717 ");
        mark.setAttribute("aria-hidden", "true");
        const item = add(
          el("li", yes ? "badge ok" : "badge error"),
          mark,
          storeLabel(store),
          el("span", "vh", yes ? " live" : " not known live"),
        );
        item.title = `${yes ? "Live in " : "Not known live in "}${storeName(store)}`;
        list.appendChild(item);
      }
      add(th, " ", add(el("span", "avail"), el("span", "sub", "Availability:"), " ", list));
    }
    return th;
  }

  let productsBuilt = false;
  /** The product view: a group per ASIN (sorted), then links without a product; rows copied from the page view. */
  function buildProducts(): void {
    if (productsBuilt) return;
    productsBuilt = true;
    const table = document.getElementById("links-by-product");
    const pageTable = document.getElementById("links-by-page");
    if (!table || !pageTable) return;
    const source: HTMLTableRowElement[] = [];
    for (const row of pageTable.querySelectorAll<HTMLTableRowElement>("tr[data-i]")) source[indexOf(row)] = row;
    const byAsin = new Map<string, number[]>();
    const other: number[] = [];
    links.forEach((l, i) => {
      const rows = l.asin ? byAsin.get(l.asin) : other;
      if (rows) rows.push(i);
      else if (l.asin) byAsin.set(l.asin, [i]);
    });
    const columns = table.querySelectorAll("thead th").length;
    const fragment = document.createDocumentFragment();
    let n = 0;
    const group = (th: HTMLElement, rows: readonly number[]) => {
      const body = el("tbody");
      body.id = `product-${n++}`;
      th.setAttribute("scope", "rowgroup");
      (th as HTMLTableCellElement).colSpan = columns;
      body.appendChild(add(el("tr", "group"), th));
      for (const i of rows) {
        const original = source[i];
        const l = links[i];
        if (!original || !l) continue;
        const row = original.cloneNode(true) as HTMLTableRowElement;
        row.hidden = false;
        // The page view leaves the page's own path out of Source; here rows from many pages meet.
        const cell = row.cells[4];
        if (cell) cell.replaceChildren(el("code", "src", `${l.input}:${l.line}:${l.column}`));
        body.appendChild(row);
      }
      fragment.appendChild(body);
    };
    for (const asin of [...byAsin.keys()].sort()) {
      const rows = byAsin.get(asin) ?? [];
      group(productHeader(asin, rows), rows);
    }
    if (other.length > 0) {
      const th = add(
        el("th"),
        el("span", "strong", "Links without a product"),
        " ",
        el("span", "sub", `(search, store and short links) \u00b7 ${plural(other.length, "link")}`),
      );
      group(th, other);
    }
    table.appendChild(fragment);
    sortRows();
    apply();
  }

  function showView(name: string): void {
    if (name === "product") buildProducts();
    for (const view of document.querySelectorAll<HTMLElement>(".view")) view.hidden = view.getAttribute("data-view") !== name;
  }

  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=show]")) {
    radio.addEventListener("change", () => {
      state.min = minimumFor(radio.value);
      apply();
    });
  }
  for (const radio of document.querySelectorAll<HTMLInputElement>("input[name=view]")) {
    radio.addEventListener("change", () => {
      if (radio.checked) showView(radio.value);
    });
  }
  search?.addEventListener("input", () => {
    state.terms = termsOf(search.value);
    apply();
  });
  for (const button of document.querySelectorAll("button.sort")) {
    button.addEventListener("click", () => sortBy(button.getAttribute("data-key") as SortKey));
  }
  const checked = document.querySelector<HTMLInputElement>("input[name=show]:checked");
  if (checked) state.min = minimumFor(checked.value);
  if (search?.value) state.terms = termsOf(search.value);
  const view = document.querySelector<HTMLInputElement>("input[name=view]:checked");
  showView(view ? view.value : "page");
  apply();
}

start();
