import type { PendingRow } from "../audit/link-rows.js";
import type { PageRecord } from "../results.js";

/** What one built file contributed to the report: plain data, kept between incremental builds. */
export interface PageResult {
  page: PageRecord;
  /** The page's input file, as Eleventy named it (searched first for link locations). */
  inputPath: string | undefined;
  /** Its links' rows, placed at the end of each build (their sources may change between builds). */
  links: PendingRow[];
}
