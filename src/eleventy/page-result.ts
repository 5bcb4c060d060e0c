import type { LinkFields } from "../report/link-record.js";
import type { PageRecord } from "../report/types.js";

/** A link as the transform leaves it: everything but its source location, found at the end of the build. */
export interface PendingLink {
  record: LinkFields;
  /** The ways its href may be spelled in a source file. */
  spellings: string[];
  /** Where it sits in the built file, used when no source file spells it. */
  outputLine: number;
  outputColumn: number;
}

/** What one built file contributed to the report. */
export interface PageResult {
  page: PageRecord;
  /** The page's input file, as Eleventy named it (searched first for link locations). */
  inputPath: string | undefined;
  links: PendingLink[];
}
