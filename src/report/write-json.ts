/** The JSON report's text: whole, or in pieces for writing a big report without one string of it. */
import { PIECE } from "../atomic-file.js";
import type { Report } from "./types.js";

/**
 * The JSON report file: compact (reports of big sites run to megabytes, and it is
 * read by programs and `jq`; people read the HTML page). One line and a newline.
 */
export function serializeReport(report: Report): string {
  return `${JSON.stringify(report)}\n`;
}

/**
 * The same text as `JSON.stringify(report)`, in pieces: the arrays of pages and links a row at a
 * time, so a report of tens of thousands of links is never one string (nor the copies a string
 * of megabytes costs on its way to a file).
 */
export function* reportJsonPieces(report: Report): Generator<string> {
  let first = true;
  for (const key of Object.keys(report) as Array<keyof Report>) {
    const value = report[key];
    const head = `${first ? "{" : ","}${JSON.stringify(key)}:`;
    if (Array.isArray(value)) {
      let piece = `${head}[`;
      for (let i = 0; i < value.length; i++) {
        // As JSON.stringify writes array holes and undefined: null.
        piece += (i ? "," : "") + (JSON.stringify(value[i]) ?? "null");
        if (piece.length >= PIECE) {
          yield piece;
          piece = "";
        }
      }
      yield `${piece}]`;
    } else {
      const json = JSON.stringify(value);
      if (json === undefined) continue; // an undefined (or function) member is left out
      yield head + json;
    }
    first = false;
  }
  yield first ? "{}" : "}";
}
