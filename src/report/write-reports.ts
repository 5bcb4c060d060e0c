/**
 * Write the report files asked for (JSON, HTML page, SARIF), atomically; the renderers load only when
 * needed. The HTML page is written only when what it shows changed (its rows digest, html-page.ts).
 */
import { resolve } from "node:path";
import type { Report } from "../results.js";
import { open } from "node:fs/promises";
import { PieceFile, writeFileAtomic } from "../atomic-file.js";
import { jsonForScript } from "../html/script-json.js";
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
  const html = paths.html ? await import("./html-page.js") : undefined;
  // The JSON file, and on the way the digest of what the HTML page shows.
  const rows = html && new html.RowsDigest();
  const jsonFile = paths.json ? await PieceFile.create(resolve(root, paths.json)) : undefined;
  try {
    for (const piece of reportJsonPieces(report)) {
      await jsonFile?.write(piece);
      rows?.add(piece);
    }
    await jsonFile?.write("\n");
    await jsonFile?.commit();
  } catch (error) {
    await jsonFile?.abandon();
    throw error;
  }
  if (!paths.html || !html || !rows) return;
  // Its rows unchanged since the page was written (a rebuild of an unchanged site): the page stays as it is.
  const htmlPath = resolve(root, paths.html);
  const digest = rows.digest();
  if (html.rowsDigestIn(await startOf(htmlPath)) === digest) return;
  // The page embeds the same JSON, serialized again a few dozen rows at a time: no string of the whole report.
  const htmlFile = await PieceFile.create(htmlPath);
  try {
    const page = html.renderHtmlReportParts(report, digest);
    for (const piece of page.head) await htmlFile.write(piece);
    for (const piece of reportJsonPieces(report)) await htmlFile.write(jsonForScript(undefined, piece));
    await htmlFile.write("\n");
    await htmlFile.write(page.tail);
    await htmlFile.commit();
  } catch (error) {
    await htmlFile.abandon();
    throw error;
  }
}

/** The first bytes of a file ("" when there is none). */
async function startOf(path: string): Promise<string> {
  const file = await open(path, "r").catch(() => undefined);
  if (!file) return "";
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(512), 0, 512, 0);
    return buffer.toString("latin1", 0, bytesRead);
  } catch {
    return "";
  } finally {
    await file.close();
  }
}
