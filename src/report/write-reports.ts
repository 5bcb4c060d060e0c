/** Write the report files asked for (JSON, HTML page, SARIF), atomically; the renderers load only when needed. */
import { resolve } from "node:path";
import type { Report } from "./types.js";
import { piecesOf, writeFileAtomic } from "./write-json.js";

export interface ReportPaths {
  json?: string | false | undefined;
  html?: string | false | undefined;
  sarif?: string | false | undefined;
}

export async function writeReports(report: Report, paths: ReportPaths, root: string): Promise<void> {
  // The JSON text (as serializeReport makes it, less its final newline, written after it: adding it here
  // would make a copy of megabytes) is made once and shared with the HTML page, which embeds it.
  const json = paths.json || paths.html ? JSON.stringify(report) : undefined;
  if (paths.json && json) await writeFileAtomic(resolve(root, paths.json), [json, "\n"]);
  if (paths.sarif) {
    const { toSarif } = await import("./sarif.js");
    await writeFileAtomic(resolve(root, paths.sarif), `${JSON.stringify(toSarif(report), null, 2)}\n`);
  }
  if (paths.html && json) {
    const { jsonForScript, renderHtmlReportParts } = await import("./html-page.js");
    const { head, tail } = renderHtmlReportParts(report);
    // The embedded data is escaped and written a slice at a time: no second copy of megabytes of JSON.
    await writeFileAtomic(
      resolve(root, paths.html),
      (function* () {
        yield* head;
        for (const piece of piecesOf(json)) yield jsonForScript(undefined, piece);
        yield "\n";
        yield tail;
      })(),
    );
  }
}
