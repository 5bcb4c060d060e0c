import type { LinkRecord, PageRecord } from "../results.js";

/**
 * A link as the transform leaves it: its report row, whose place (input, line,
 * column) the end of the build fills in: the source file that spells it, or
 * else its position in the built file.
 */
export interface PendingLink {
  record: LinkRecord;
  /** Where it sits in the built file, used when no source file spells it. */
  outputLine: number;
  outputColumn: number;
  /** The href as Eleventy produced it (decoded from the HTML). */
  href: string;
  /** The attribute value as written in the built file, when it differs from `href` (`&amp;`, entities). */
  raw?: string;
}

/** What one built file contributed to the report. */
export interface PageResult {
  page: PageRecord;
  /** The page's input file, as Eleventy named it (searched first for link locations). */
  inputPath: string | undefined;
  links: PendingLink[];
}
