/**
 * The report's summary block, computed from its links and pages. Every
 * reporter (console, JSON, HTML, CI) shows these same numbers.
 */
import type { Finding } from "../rules/rule-ids.js";
import type { LinkRecord, PageRecord, ReportSummary } from "../results.js";

/**
 * Counts for the summary line and cards.
 *
 * - `pages`: distinct output files among the page records and the links.
 * - `asins`: distinct ASINs (a product linked in two stores counts once).
 * - `stores`: sorted distinct store codes linked to; `short` (an unexpanded
 *   short link) is not a store and is left out.
 * - `errors` / `warnings`: findings on links plus findings on pages.
 * - `live` / `dead` / `unverified` / `unchecked`: links by status.
 */
export function summarize(links: readonly LinkRecord[], pages: readonly PageRecord[]): ReportSummary {
  const outputs = new Set<string>();
  const asins = new Set<string>();
  const stores = new Set<string>();
  const summary: ReportSummary = {
    pages: 0,
    links: links.length,
    asins: 0,
    stores: [],
    errors: 0,
    warnings: 0,
    live: 0,
    dead: 0,
    unverified: 0,
    unchecked: 0,
  };
  const countFindings = (findings: readonly Finding[]): void => {
    for (const f of findings) {
      if (f.severity === "error") summary.errors++;
      else if (f.severity === "warning") summary.warnings++;
    }
  };
  for (const page of pages) {
    outputs.add(page.output);
    countFindings(page.findings);
  }
  for (const link of links) {
    outputs.add(link.output);
    if (link.asin) asins.add(link.asin);
    if (link.marketplace && link.marketplace !== "short") stores.add(link.marketplace);
    summary[link.status]++;
    countFindings(link.findings);
  }
  summary.pages = outputs.size;
  summary.asins = asins.size;
  summary.stores = [...stores].sort();
  return summary;
}
