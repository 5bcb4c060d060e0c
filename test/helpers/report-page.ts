/** The HTML report page as one string, for tests that read it whole (the plugin streams it: src/report/write-reports.ts). */
import { jsonForScript } from "../../src/html/script-json.js";
import { RowsDigest, renderHtmlReportParts } from "../../src/report/html-page.js";
import { reportJsonPieces } from "../../src/report/write-json.js";
import type { Report } from "../../src/results.js";

/** `json`: the report already serialized, when at hand. */
export function renderHtmlReport(report: Report, json?: string): string {
  const rows = new RowsDigest();
  for (const piece of reportJsonPieces(report)) rows.add(piece);
  const { head, tail } = renderHtmlReportParts(report, rows.digest());
  return [...head].join("") + jsonForScript(report, json) + tail;
}
