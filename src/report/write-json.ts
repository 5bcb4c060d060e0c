/** Write a file atomically: a temp file beside it, then rename, so readers never see half a report. */
import { mkdir, rename, writeFile, rm } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import type { Report } from "./types.js";

export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temp, contents);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The JSON report file: compact (reports of big sites run to megabytes, and it is
 * read by programs and `jq`; people read the HTML page). One line and a newline.
 */
export function serializeReport(report: Report): string {
  return `${JSON.stringify(report)}\n`;
}
