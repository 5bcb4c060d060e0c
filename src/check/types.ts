/** Shapes shared by the checkers, the lockfile and callers. */
import type { CheckVia } from "./options.js";

export type CheckStatus = "live" | "dead" | "unverified";

export interface CheckItem {
  asin: string;
  /** Store code (`us`, `de`, …). */
  marketplace: string;
}

export interface CheckResult {
  asin: string;
  marketplace: string;
  status: CheckStatus;
  /** When the verdict was reached (ISO 8601); for lockfile answers, when it was first reached. */
  checkedAt: string;
  /** The checker that produced the status ("none" when checking is off). */
  via: CheckVia | "none";
  /** Product title, where the checker saw one. */
  title?: string;
  /** Why the status is what it is (always set for `unverified` and `dead`). */
  reason?: string;
  /** The ASIN Amazon redirected to (a merged listing). */
  redirectedTo?: string;
  /** False when the product is live but Amazon shows it as unavailable (out of stock); absent otherwise. */
  available?: false;
  /** True when the answer came from the lockfile without a request. */
  fromLockfile?: boolean;
}

/** What one checker says about one ASIN, before it is stamped with time and checker. */
export interface Verdict {
  status: CheckStatus;
  /** Set when another checker than the run's answered (the Creators API's page fallback). */
  via?: "page";
  title?: string;
  reason?: string;
  redirectedTo?: string;
  /** False for a live product Amazon shows as unavailable. */
  available?: false;
}

export type ShortLinkResult =
  /** `stale`: why the lockfile's expansion, older than maxAge, could not be renewed (it is used all the same). */
  | { ok: true; href: string; target: string; checkedAt: string; fromLockfile?: boolean; stale?: string }
  | { ok: false; href: string; reason: string };

export type { CheckProgress } from "../results.js";
