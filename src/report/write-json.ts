/** The JSON report's text: whole, or in pieces for writing a big report without one string of it. */
import type { Report } from "../results.js";

/**
 * The JSON report file: compact (reports of big sites run to megabytes, and it is
 * read by programs and `jq`; people read the HTML page). One line and a newline.
 */
export function serializeReport(report: Report): string {
  return `${JSON.stringify(report)}\n`;
}

/**
 * The same text as `JSON.stringify(report)`, in pieces: the arrays of pages and links a few dozen
 * rows at a time, so a report of tens of thousands of links is never one string (nor the copies a string
 * of megabytes costs on its way to a file).
 */
/** Rows per piece: tens of kilobytes of JSON. */
const ROWS_PER_PIECE = 64;

export function* reportJsonPieces(report: Report): Generator<string> {
  let first = true;
  for (const key of Object.keys(report) as Array<keyof Report>) {
    const value = report[key];
    const head = `${first ? "{" : ","}${JSON.stringify(key)}:`;
    if (Array.isArray(value)) {
      yield `${head}[`;
      // A batch of rows per JSON.stringify call (a call per row costs more); its brackets dropped.
      for (let i = 0; i < value.length; i += ROWS_PER_PIECE) {
        const batch = JSON.stringify(value.slice(i, i + ROWS_PER_PIECE));
        yield (i ? "," : "") + batch.slice(1, -1);
      }
      yield "]";
    } else {
      const json = JSON.stringify(value);
      if (json === undefined) continue; // an undefined (or function) member is left out
      yield head + json;
    }
    first = false;
  }
  yield first ? "{}" : "}";
}
