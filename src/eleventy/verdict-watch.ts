/**
 * What one page's checks were answered with, seen through the checker the page was given: whether the
 * page may be cached, and for how long. A page may be kept only while every answer it got would be
 * given again, unchanged, without the network: each came from the lockfile as read at the start of
 * the build (whose identity is in the cache key) and was fresh, and it stays valid until its oldest
 * answer passes `maxAge` (`deadMaxAge` for dead products), as the checker would then ask Amazon again.
 * Never kept: unverified answers, answers the network gave in this build (pending while the page
 * waited), short links that could not be expanded or were expanded from a stale entry, and titles
 * the Creators API gave (its licence keeps them 24 hours, outside the lockfile).
 */
import type { Checker } from "../check/index.js";
import type { CheckResult, ShortLinkResult } from "../check/types.js";

/** When a page's answers hold: from `notBefore` (epoch ms) until before `expires`. */
export interface VerdictWindow {
  cacheable: boolean;
  notBefore: number;
  expires: number;
}

export class VerdictWatch {
  cacheable = true;
  notBefore = Number.NEGATIVE_INFINITY;
  expires = Number.POSITIVE_INFINITY;
  /** The checker to hand the page: the same answers, noted on the way. */
  readonly checker: Checker;

  constructor(
    inner: Checker,
    private readonly now: () => number,
  ) {
    this.checker = {
      options: inner.options,
      get stats() {
        return inner.stats;
      },
      check: (items, options) => inner.check(items, options).then((results) => this.#results(results)),
      checkNow: (items) => {
        const results = inner.checkNow(items);
        return results && this.#results(results);
      },
      prepare: () => inner.prepare(),
      expandShortLink: (href) => inner.expandShortLink(href).then((result) => this.#expansion(result)),
      expandNow: (href) => {
        const result = inner.expandNow(href);
        return result && this.#expansion(result);
      },
      lookup: (marketplace, asin) => {
        // Asked only when the lockfile is the only source (no network, no age limit); otherwise say no.
        if (inner.options.via !== "lockfile") this.cacheable = false;
        return inner.lookup(marketplace, asin);
      },
      flush: () => inner.flush(),
      lockEntries: () => inner.lockEntries(),
    };
  }

  window(): VerdictWindow {
    return { cacheable: this.cacheable && this.notBefore < this.expires, notBefore: this.notBefore, expires: this.expires };
  }

  #results(results: CheckResult[]): CheckResult[] {
    const { maxAge, deadMaxAge } = this.checker.options;
    for (const result of results) {
      if (result.status === "unverified" || result.fromLockfile !== true || (result.via === "creators" && result.title)) {
        this.cacheable = false;
      } else {
        this.#heldFor(result.checkedAt, result.status === "dead" ? deadMaxAge : maxAge);
      }
    }
    return results;
  }

  #expansion(result: ShortLinkResult): ShortLinkResult {
    if (!result.ok || result.fromLockfile !== true || result.stale !== undefined) this.cacheable = false;
    else this.#heldFor(result.checkedAt, this.checker.options.maxAge);
    return result;
  }

  /** An answer used as fresh: the page holds while it does. The lockfile alone answers whatever its age. */
  #heldFor(checkedAt: string, maxAge: number): void {
    const via = this.checker.options.via;
    if (via === "lockfile" || via === false) return;
    const at = Date.parse(checkedAt);
    const now = this.now();
    // The checker's own freshness rule (lockfile.ts isFreshAt): an answer outside it was not given as fresh.
    if (!(at <= now && now - at < maxAge)) {
      this.cacheable = false;
      return;
    }
    this.notBefore = Math.max(this.notBefore, at);
    this.expires = Math.min(this.expires, at + maxAge);
  }
}
