/**
 * What a run produces, as plain data: the JSON report (version 1, its schema
 * in schema/report.schema.json) and the checker's progress. The audit step
 * makes these; every reporter (console, JSON, HTML page, CI annotations,
 * SARIF, progress line) reads them and nothing else.
 */
import type { Finding } from "./rules/rule-ids.js";

/** `unchecked` when checking is off or not yet done; the others come from the checkers. */
export type LinkStatus = "live" | "dead" | "unverified" | "unchecked";

export interface LinkRecord {
  /** Source file a person edits (relative to the project), or the output file when nothing better exists. */
  input: string;
  line: number;
  column: number;
  /** Output file the link ships in (relative to the project). */
  output: string;
  /** The href as Eleventy produced it. */
  original: string;
  /** The href as shipped. */
  href: string;
  asin?: string;
  /** Store code, or `short`. */
  marketplace: string;
  kind: "product" | "search" | "store" | "other" | "short";
  status: LinkStatus;
  /** Product title, where a checker told us. */
  title?: string;
  /** When the status was reached (ISO 8601; for lockfile answers, when it was first reached). */
  checkedAt?: string;
  /** The checker that said so: "page", "creators", "lockfile" or "none". */
  checkedVia?: string;
  /** Stores where the product is known to be live (localization). */
  liveIn?: string[];
  /** The author opted this link out (data-amazon-links="off"): listed and checked, never rewritten. */
  optedOut?: boolean;
  findings: Finding[];
}

/** A finding about a whole page (e.g. missing-disclosure), not one link. */
export interface PageRecord {
  input: string;
  output: string;
  links: number;
  findings: Finding[];
}

export interface ReportSummary {
  pages: number;
  links: number;
  asins: number;
  stores: string[];
  errors: number;
  warnings: number;
  live: number;
  dead: number;
  unverified: number;
  unchecked: number;
}

export interface Report {
  version: 1;
  generator: string;
  generatedAt: string;
  summary: ReportSummary;
  pages: PageRecord[];
  links: LinkRecord[];
  /** The localization script, when one was injected. */
  localize?: {
    script: "inline" | "file";
    /** CSP source for the inline script, to put in `script-src`. */
    sha256?: string;
    /** The script file (file mode), relative to the output directory. */
    file?: string;
  };
  /** Product checking in this run. */
  checking?: {
    via: string;
    /** Milliseconds spent waiting on checks. */
    ms: number;
    /** Answers from the lockfile / from the network. */
    fromLockfile: number;
    fromNetwork: number;
  };
}

/** Progress of the network part of a run, for terminals and CI logs. */
export interface CheckProgress {
  /** ASINs answered from the network so far. */
  done: number;
  /** ASINs sent to the network so far (done + pending). */
  total: number;
  /** Milliseconds since the first request. */
  elapsed: number;
  /** Milliseconds left of the time budget. */
  budgetLeft: number;
}
