import type { LinkRecord, PageRecord } from "../report/types.js";

/** What one built page contributed to the report. */
export interface PageResult {
  page: PageRecord;
  links: LinkRecord[];
}
