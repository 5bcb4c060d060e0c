/** Write the report files asked for (JSON, HTML page, SARIF), atomically; the renderers load only when needed. */
import { resolve } from "node:path";
import type { Report } from "./types.js";
import { PieceFile, writeFileAtomic } from "../atomic-file.js";
import { reportJsonPieces } from "./write-json.js";

export interface ReportPaths {
  json?: string | false | undefined;
  html?: string | false | undefined;
  sarif?: string | false | undefined;
}

export async function writeReports(report: Report, paths: ReportPaths, root: string): Promise<void> {
  if (paths.sarif) {
    const { toSarif } = await import("./sarif.js");
    await writeFileAtomic(resolve(root, paths.sarif), `${JSON.stringify(toSarif(report), null, 2)}\n`);
  }
  if (!paths.json && !paths.html) return;
  // The JSON file and the HTML page (which embeds the same JSON) are written side by side from one
  // serialization, a few dozen rows at a time: no string of the whole report is ever made.
  const html = paths.html ? await import("./html-page.js") : undefined;
  const files: PieceFile[] = [];
  try {
    const jsonFile = paths.json ? await PieceFile.create(resolve(root, paths.json)) : undefined;
    if (jsonFile) files.push(jsonFile);
    const htmlFile = paths.html ? await PieceFile.create(resolve(root, paths.html)) : undefined;
    if (htmlFile) files.push(htmlFile);
    const page = html?.renderHtmlReportParts(report);
    if (htmlFile && page) for (const piece of page.head) await htmlFile.write(piece);
    for (const piece of reportJsonPieces(report)) {
      await jsonFile?.write(piece);
      if (htmlFile && html) await htmlFile.write(html.jsonForScript(undefined, piece));
    }
    await jsonFile?.write("\n");
    await htmlFile?.write("\n");
    if (htmlFile && page) await htmlFile.write(page.tail);
    for (const file of files) await file.commit();
  } catch (error) {
    for (const file of files) await file.abandon();
    throw error;
  }
}
