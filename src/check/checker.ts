/**
 * One checking session (one build, one CLI run): the lockfile loaded once,
 * one in-flight request per (store, ASIN) shared by every caller, one rate
 * limiter and one time budget. All state lives in the object createChecker
 * returns; nothing is kept at module level, so watch-mode rebuilds and
 * parallel tests never see each other.
 */
import { isValidAsin } from "../amazon/asin.js";
import { marketplaceByCode } from "../amazon/stores.js";
import { Budget, systemClock, type Clock } from "./clock.js";
import { CreatorsChecker } from "./creators-checker.js";
import { creatorsCredentialsFromEnv } from "./creators-credentials.js";
import type { HttpContext } from "./http.js";
import { type BlockMemory, CoolDown, type Cooling, describeCooling } from "./cool-down.js";
import { CREATORS_HOST } from "./creators-checker.js";
import { formatDuration } from "./duration.js";
import { ExpiringFile } from "./expiring-file.js";
import { loadPackedLock } from "./load-lock.js";
import { LockIndex, packLock, type PackedLock } from "./lock-index.js";
import { emptyLock, entryKey, isFresh, isFreshAt, updateLockfile, type LockEntry, type ShortLinkEntry } from "./lockfile.js";
import { resolveCheckOptions, type CheckOptions, type ResolvedCheckOptions, type TagsByStore } from "./options.js";
import { checkPage } from "./page-checker.js";
import { ByStore } from "./by-store.js";
import { HostLimiter } from "./rate-limit.js";
import { expandShortLinkOnline, normaliseShortLink, type Expansion } from "./short-links.js";
import type { CheckItem, CheckProgress, CheckResult, ShortLinkResult, Verdict } from "./types.js";

/** Things a run needs from its surroundings; tests inject them, builds take the defaults. */
export interface CheckerRuntime {
  /** Anchors a relative lockfile path (default: the working directory). */
  configDir?: string;
  /** Where credentials are read (default process.env). */
  env?: Record<string, string | undefined>;
  /** The plugin's tags: the Creators API sends the first one of each store as its partner tag. */
  tags?: TagsByStore;
  /**
   * Where state that must not be committed is kept between builds: Creators API titles (24 hours),
   * hosts cooling down after a block. The plugin passes node_modules/.cache/eleventy-plugin-amazon-links/;
   * without it that state lasts for the run only.
   */
  cacheDir?: string;
  /** Hosts cooling down, shared by the checkers of one process (the plugin's rebuilds under --serve). */
  blockMemory?: BlockMemory;
  /** Problems of the account rather than of a product, said once per run (default: printed to stderr). */
  onWarning?: (message: string) => void;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  random?: () => number;
  /** Called after every ASIN answered from the network. */
  onProgress?: (progress: CheckProgress) => void;
  /**
   * The lockfile at `lockfile`, already being read (the plugin starts reading it when the build
   * starts). Without it the checker reads the file on first use.
   */
  lockfileLoad?: Promise<PackedLock>;
}

/** The lockfile as a run knows it: the file as read, and what the run learned since (written on flush). */
interface LockState {
  file: LockIndex;
  learned: ByStore<LockEntry>;
  newEntries: Record<string, LockEntry>;
  newShortLinks: Record<string, ShortLinkEntry>;
}

export interface CheckCallOptions {
  /** Ignore the lockfile's verdicts and ask the network again (`amazon-links refresh`). */
  force?: boolean;
}

export interface CheckerStats {
  /** HTTP requests sent, per host meant (before endpoint routing). */
  requests: Record<string, number>;
  /** Answers taken from the lockfile without a request. */
  fromLockfile: number;
  /** Answers obtained from the network. */
  fromNetwork: number;
}

export interface Checker {
  readonly options: ResolvedCheckOptions;
  /** One result per item, in order. Rejects only for run-wide problems (lockfile unreadable, bad credentials). */
  check(items: readonly CheckItem[], options?: CheckCallOptions): Promise<CheckResult[]>;
  /**
   * The same results as `check`, now, when no item needs the network or waits on a check in flight
   * (checking off, lockfile verdicts, lockfile-only mode, once the lockfile is loaded); else undefined,
   * and the caller awaits `check`. Lets a page answered from the lockfile be processed without a pause.
   */
  checkNow(items: readonly CheckItem[]): CheckResult[] | undefined;
  /** Load the lockfile now, so that `checkNow` can answer from it. Never rejects: a load error surfaces in `check`. */
  prepare(): Promise<void>;
  /** Expand an amzn.to / amzn.eu / amzn.asia / a.co link; cached in the lockfile. */
  expandShortLink(href: string): Promise<ShortLinkResult>;
  /** The same result as `expandShortLink`, now, when it needs no network (see `checkNow`); else undefined. */
  expandNow(href: string): ShortLinkResult | undefined;
  /**
   * What the lockfile says about a product in a store, right now, without the network and without
   * building a result: "live", "dead", "unavailable" (live but out of stock), or undefined when it
   * does not know (or checking is off).
   * For lockfile-only availability questions, asked once per product and store on every page.
   */
  lookup(marketplace: string, asin: string): "live" | "dead" | "unavailable" | undefined;
  /** Write the lockfile if something new was learned. Leaves it untouched (byte-identical) otherwise. */
  flush(): Promise<{ written: boolean; path: string | false }>;
  /** Every entry of the lockfile as loaded and updated so far (for `amazon-links refresh`). */
  lockEntries(): Promise<Readonly<Record<string, Readonly<LockEntry>>>>;
  readonly stats: Readonly<CheckerStats>;
}

/** Upper-case ASIN, lower-case store; the caller's object when it is already so (the common case). */
function normaliseItem(raw: CheckItem): CheckItem {
  const asin = String(raw.asin);
  const marketplace = String(raw.marketplace);
  const upper = asin.toUpperCase();
  const lower = marketplace.toLowerCase();
  return upper === asin && lower === marketplace ? raw : { asin: upper, marketplace: lower };
}

function unverified(item: CheckItem, via: CheckResult["via"], reason: string, now: number, title?: string): CheckResult {
  return {
    asin: item.asin,
    marketplace: item.marketplace,
    status: "unverified",
    checkedAt: new Date(now).toISOString(),
    via,
    reason,
    ...(title ? { title } : {}),
  };
}

/** How long a title from the Creators API may be kept (Associates Program IP License: 24 hours). */
export const API_TITLE_TTL = 86_400_000;
const isString = (value: unknown): value is string => typeof value === "string";

function fromEntry(item: CheckItem, entry: LockEntry, apiTitle?: string): CheckResult {
  const title = entry.title ?? apiTitle;
  return {
    asin: item.asin,
    marketplace: item.marketplace,
    status: entry.status,
    checkedAt: entry.checkedAt,
    via: entry.via,
    ...(title ? { title } : {}),
    ...(entry.status === "dead" ? { reason: `dead since the check of ${entry.checkedAt.slice(0, 10)} (lockfile)` } : {}),
    ...(entry.redirectedTo ? { redirectedTo: entry.redirectedTo } : {}),
    ...(entry.available === false
      ? { available: false, reason: `unavailable at the check of ${entry.checkedAt.slice(0, 10)} (lockfile)` }
      : {}),
    fromLockfile: true,
  };
}

export function createChecker(userOptions: CheckOptions | undefined = {}, runtime: CheckerRuntime = {}): Checker {
  const options = resolveCheckOptions(userOptions, {
    ...(runtime.configDir === undefined ? {} : { configDir: runtime.configDir }),
    ...(runtime.tags === undefined ? {} : { tags: runtime.tags }),
  });
  const clock = runtime.clock ?? systemClock;
  const stats: CheckerStats = { requests: {}, fromLockfile: 0, fromNetwork: 0 };
  const budget = new Budget(options.budget, clock);
  const ctx: HttpContext = {
    options,
    fetch: runtime.fetch ?? globalThis.fetch,
    limiter: new HostLimiter(options.hostLimit, clock),
    budget,
    clock,
    random: runtime.random ?? Math.random,
    onRequest(host) {
      stats.requests[host] = (stats.requests[host] ?? 0) + 1;
    },
    unreachable: new Map(),
    coolDown: new CoolDown(runtime.cacheDir, options.coolDown, options.route, runtime.blockMemory),
  };
  const coolDown = ctx.coolDown!;

  /** In-flight and finished network checks, shared by every caller (and the same for `force`d ones). */
  const memo = new ByStore<Promise<CheckResult>>();
  const forcedMemo = new ByStore<Promise<CheckResult>>();
  const shortMemo = new Map<string, Promise<ShortLinkResult>>();
  let lock: Promise<LockState> | undefined;
  let dirty = false;
  let creators: CreatorsChecker | undefined;
  /** A run-wide error (missing credentials): thrown as the same instance to every caller. */
  let fatal: unknown;
  let networkAsked = 0;
  let flushing: Promise<{ written: boolean; path: string | false }> | undefined;

  /** Titles the Creators API gave, kept outside the lockfile for as long as its licence allows. */
  let apiTitles: ExpiringFile<string> | undefined;
  const apiTitle = (entry: LockEntry, store: string, asin: string): string | undefined =>
    entry.via === "creators" && !entry.title ? apiTitles?.get(entryKey(store, asin), clock.now()) : undefined;

  /** The lockfile once loaded, for synchronous answers. */
  let loaded: LockState | undefined;
  function loadLock(): Promise<LockState> {
    lock ??= Promise.all([
      options.lockfile === false ? Promise.resolve(packLock(emptyLock())) : (runtime.lockfileLoad ?? loadPackedLock(options.lockfile)),
      options.via === "creators" || options.via === "lockfile"
        ? ExpiringFile.open(runtime.cacheDir, "creators-titles.json", isString)
        : undefined,
      options.via === "page" || options.via === "creators" ? coolDown.load() : undefined,
    ]).then(([packed, titles]) => {
      apiTitles = titles;
      return (loaded = { file: new LockIndex(packed), learned: new ByStore(), newEntries: {}, newShortLinks: {} });
    });
    return lock;
  }

  function creatorsChecker(): CreatorsChecker {
    if (fatal) throw fatal;
    try {
      // Credentials are read on first use, so a site without ASINs never needs them.
      creators ??= new CreatorsChecker(ctx, {
        credentials: creatorsCredentialsFromEnv(runtime.env ?? process.env, options.creators.credentialVersion),
        partnerTag: options.creators.partnerTag,
        fallback: options.creators.fallback === "page" ? (asin, store) => checkPage(ctx, asin, store) : undefined,
        warn: runtime.onWarning ?? ((message) => process.stderr.write(`${message}\n`)),
      });
    } catch (error) {
      fatal = error;
      throw error;
    }
    return creators;
  }

  function progress(): void {
    runtime.onProgress?.({
      done: stats.fromNetwork,
      total: networkAsked,
      elapsed: budget.started ? options.budget - budget.remaining() : 0,
      budgetLeft: budget.remaining(),
    });
  }

  /** A lockfile verdict is the answer when the network is off, or while it is fresh. */
  function usable(entry: LockEntry, now: number): boolean {
    return options.via === "lockfile" || isFresh(entry, now, options.maxAge, options.deadMaxAge);
  }

  /** The same rule for a row of the file, without making its entry. */
  function usableRow(file: LockIndex, row: number): boolean {
    return (
      options.via === "lockfile" ||
      isFreshAt(file.checkedAtMs(row), file.status(row) === "dead", clock.now(), options.maxAge, options.deadMaxAge)
    );
  }

  /**
   * The verdict that answers for a product in a store without the network, if one may: learned in this
   * run (an entry), else the file's (its row, counted in stats.fromLockfile once per product and store).
   */
  function usableVerdict(state: LockState, store: string, asin: string): LockEntry | number | undefined {
    const learned = state.learned.get(store, asin);
    if (learned) return usable(learned, clock.now()) ? learned : undefined;
    const { file } = state;
    const row = file.row(store, asin);
    if (row < 0 || !usableRow(file, row)) return undefined;
    if (file.firstHit(row)) stats.fromLockfile++;
    return row;
  }

  /** The last verdict known for a product in a store: learned in this run, else the file's. */
  function knownEntry(state: LockState, store: string, asin: string): LockEntry | undefined {
    const learned = state.learned.get(store, asin);
    if (learned) return learned;
    const row = state.file.row(store, asin);
    return row < 0 ? undefined : state.file.entry(row);
  }

  /** The answer that needs no network, when there is one: a malformed item, a lockfile verdict, lockfile-only mode. */
  function answerLocally(item: CheckItem, force: boolean, state: LockState | undefined): CheckResult | undefined {
    const now = clock.now();
    const store = marketplaceByCode(item.marketplace);
    if (!store) return unverified(item, "none", `unknown store "${item.marketplace}"`, now);
    if (!isValidAsin(item.asin)) return unverified(item, "none", `"${item.asin}" is not a well-formed ASIN`, now);
    if (options.via === false || !state) return unverified(item, "none", "checking is off (check.via: false)", now);
    const verdict = force ? undefined : usableVerdict(state, store.code, item.asin);
    if (verdict !== undefined) {
      const entry = typeof verdict === "number" ? state.file.entry(verdict) : verdict;
      return fromEntry(item, entry, apiTitle(entry, store.code, item.asin));
    }
    if (options.via === "lockfile") return unverified(item, "lockfile", 'not in the lockfile (check.via is "lockfile": no network)', now);
    return undefined;
  }

  function whileCooling(item: CheckItem, host: string, cooling: Cooling, entry: LockEntry | undefined): CheckResult {
    const now = clock.now();
    const why = describeCooling(host, cooling, now);
    if (!entry) return unverified(item, options.via as "page" | "creators", why, now);
    const age = formatDuration(Math.max(0, now - Date.parse(entry.checkedAt)));
    if (entry.status === "dead") {
      // The verdict is due for a re-check that the block prevents. A block never fails the build: the same
      // re-check blocked within this build is unverified too (see checkOne), so the cool-down is no stricter.
      return unverified(
        item,
        options.via as "page" | "creators",
        `last known dead, checked ${age} ago, due for a re-check; ${why}`,
        now,
        entry.title ?? apiTitle(entry, item.marketplace, item.asin),
      );
    }
    return {
      ...fromEntry(item, entry, apiTitle(entry, item.marketplace, item.asin)),
      reason: `last known ${entry.status}, checked ${age} ago; ${why}`,
    };
  }

  async function checkOne(item: CheckItem, force: boolean): Promise<CheckResult> {
    const state = await loadLock();
    const local = answerLocally(item, force, state);
    if (local) return local;
    const store = marketplaceByCode(item.marketplace)!;
    const entry = knownEntry(state, store.code, item.asin);

    // answerLocally settled every item when checking is off or lockfile-only: this is a network checker.
    const via = options.via as "page" | "creators";
    // A host cooling down after a block is not asked: the last verdict known, with its age, else unverified.
    const host = via === "creators" ? CREATORS_HOST : store.host;
    const cooling = coolDown.cooling(host, clock.now());
    if (cooling) return whileCooling(item, host, cooling, entry);
    networkAsked++;
    // Said when a check goes out too, so a terminal shows progress while Amazon keeps us waiting.
    progress();
    let verdict: Verdict;
    if (budget.started && budget.exhausted()) {
      verdict = { status: "unverified", reason: "time budget exhausted" };
    } else {
      verdict = via === "creators" ? await creatorsChecker().check(item.asin, store) : await checkPage(ctx, item.asin, store);
    }
    stats.fromNetwork++;
    progress();
    const checkedAt = new Date(clock.now()).toISOString();
    const answeredBy = verdict.via ?? via;
    if (verdict.status === "unverified") {
      // The old verdict is kept in the lockfile (never replaced by "unverified"), and said in the reason.
      const known = entry ? `; last known ${entry.status} on ${entry.checkedAt.slice(0, 10)}` : "";
      return unverified(
        item,
        answeredBy,
        `${verdict.reason ?? "could not be checked"}${known}`,
        clock.now(),
        entry && (entry.title ?? apiTitle(entry, store.code, item.asin)),
      );
    }
    const stored: LockEntry = {
      status: verdict.status,
      checkedAt,
      via: answeredBy,
      // Amazon's API licence lets product information other than ASINs be kept 24 hours only: the
      // committed lockfile keeps the API's verdicts without titles.
      ...(verdict.title && answeredBy !== "creators" ? { title: verdict.title } : {}),
      ...(verdict.redirectedTo ? { redirectedTo: verdict.redirectedTo } : {}),
      ...(verdict.available === false && verdict.status === "live" ? { available: false as const } : {}),
    };
    if (verdict.title && answeredBy === "creators")
      apiTitles?.set(entryKey(store.code, item.asin), verdict.title, clock.now() + API_TITLE_TTL);
    state.newEntries[entryKey(store.code, item.asin)] = stored;
    state.learned.set(store.code, item.asin, stored);
    dirty = true;
    return {
      asin: item.asin,
      marketplace: item.marketplace,
      status: verdict.status,
      checkedAt,
      via: answeredBy,
      ...(verdict.title ? { title: verdict.title } : {}),
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      ...(verdict.redirectedTo ? { redirectedTo: verdict.redirectedTo } : {}),
      ...(stored.available === false ? { available: false as const } : {}),
    };
  }

  /** The expansion that needs no network, when there is one: the lockfile's, or a refusal when the network is off. */
  function expandLocally(href: string, key: string, state: LockState): ShortLinkResult | undefined {
    const cached = state.newShortLinks[key] ?? state.file.shortLinks[key];
    if (cached && (options.via === "lockfile" || options.via === false || isFresh(cached, clock.now(), options.maxAge, options.maxAge))) {
      return { ok: true, href, target: cached.target, checkedAt: cached.checkedAt, fromLockfile: true };
    }
    if (options.via === "lockfile" || options.via === false) {
      return {
        ok: false,
        href,
        reason: `could not expand ${key}: not in the lockfile and the network is off (check.via: ${JSON.stringify(options.via)})`,
      };
    }
    return undefined;
  }

  async function expandOne(href: string, key: string): Promise<ShortLinkResult> {
    const state = await loadLock();
    const local = expandLocally(href, key, state);
    if (local) return local;
    const expansion: Expansion =
      budget.started && budget.exhausted()
        ? { ok: false, reason: `could not expand ${key}: time budget exhausted` }
        : await expandShortLinkOnline(ctx, key);
    if (!expansion.ok) {
      // Throttled, offline, out of time: the target last seen beats shipping the link untagged.
      const known = state.newShortLinks[key] ?? state.file.shortLinks[key];
      if (known && !expansion.definitive)
        return { ok: true, href, target: known.target, checkedAt: known.checkedAt, fromLockfile: true, stale: expansion.reason };
      return { ok: false, href, reason: expansion.reason };
    }
    const checkedAt = new Date(clock.now()).toISOString();
    state.newShortLinks[key] = { target: expansion.target, checkedAt };
    dirty = true;
    return { ok: true, href, target: expansion.target, checkedAt };
  }

  return {
    options,
    stats,

    checkNow(items) {
      // Before the lockfile is loaded nothing is known; a check in flight is awaited by `check`.
      if (options.via !== false && !loaded) return undefined;
      const results = new Array<CheckResult>(items.length);
      for (let i = 0; i < items.length; i++) {
        const item = normaliseItem(items[i]!);
        if (memo.get(item.marketplace, item.asin)) return undefined;
        const local = answerLocally(item, false, loaded);
        if (!local) return undefined;
        results[i] = local;
      }
      return results;
    },

    async prepare() {
      if (options.via !== false) await loadLock().catch(() => undefined);
    },

    async check(items, callOptions = {}) {
      const force = callOptions.force === true;
      // Load the lockfile once (its errors reject this call), then answer what it can without a promise per item.
      const state = options.via === false ? undefined : (loaded ?? (await loadLock()));
      let pending = false;
      const answers = items.map((raw): CheckResult | Promise<CheckResult> => {
        const item = normaliseItem(raw);
        // Answers without the network are made again for each caller (a lookup and one object): cheaper
        // than keeping one per product and store for the whole build.
        const inFlight = force ? forcedMemo : memo;
        const promise = inFlight.get(item.marketplace, item.asin);
        if (promise) {
          pending = true;
          return promise.then((result) => ({ ...result }));
        }
        const local = answerLocally(item, force, state);
        if (local) return local;
        pending = true;
        const started = checkOne(item, force);
        inFlight.set(item.marketplace, item.asin, started);
        return started.then((result) => ({ ...result }));
      });
      // Most answers are settled values: wait only when some are not (Promise.all would wrap every one).
      return pending ? Promise.all(answers) : (answers as CheckResult[]);
    },

    lookup(marketplace, asin) {
      if (options.via === false || !loaded) return undefined;
      const verdict = usableVerdict(loaded, marketplace, asin);
      if (typeof verdict === "number") return loaded.file.available(verdict) ? loaded.file.status(verdict) : "unavailable";
      return verdict?.available === false ? "unavailable" : verdict?.status;
    },

    expandShortLink(href) {
      const key = normaliseShortLink(href);
      if (!key)
        return Promise.resolve({ ok: false, href, reason: `${href} is not an Amazon short link (amzn.to, amzn.eu, amzn.asia, a.co)` });
      let promise = shortMemo.get(key);
      if (!promise) {
        promise = expandOne(href, key);
        shortMemo.set(key, promise);
      }
      return promise.then((result) => ({ ...result, href }));
    },

    expandNow(href) {
      const key = normaliseShortLink(href);
      if (!key || shortMemo.has(key) || !loaded) return undefined;
      return expandLocally(href, key, loaded);
    },

    async flush() {
      // Serialise flushes: two overlapping writes of one file would race on the rename.
      const previous = flushing;
      const run = (async () => {
        await previous?.catch(() => undefined);
        if (!lock) return { written: false, path: options.lockfile };
        // A lockfile that failed to load was already reported by check(); it is never overwritten.
        const state = await lock.catch(() => undefined);
        await Promise.all([apiTitles?.save(clock.now()), coolDown.save(clock.now())]);
        if (options.lockfile === false) return { written: false, path: options.lockfile };
        if (!state || !dirty) return { written: false, path: options.lockfile };
        dirty = false;
        // The file as it is now (the run keeps no copy of its text or entries), plus what the run learned;
        // under a lock, so a concurrent run's verdicts are kept. Of two verdicts on one key the later wins.
        await updateLockfile(options.lockfile, (data) => {
          for (const [key, entry] of Object.entries(state.newEntries)) data.entries[key] = later(data.entries[key], entry);
          for (const [key, entry] of Object.entries(state.newShortLinks)) data.shortLinks[key] = later(data.shortLinks[key], entry);
          return data;
        });
        return { written: true, path: options.lockfile };
      })();
      flushing = run;
      return run;
    },

    async lockEntries() {
      const state = await loadLock();
      return { ...state.file.entries(), ...state.newEntries };
    },
  };
}

/** Of the file's entry and the run's, the one checked last (the run's on a tie). */
function later<T extends { checkedAt: string }>(inFile: T | undefined, learned: T): T {
  return inFile && Date.parse(inFile.checkedAt) > Date.parse(learned.checkedAt) ? inFile : learned;
}

/** Stateless-looking convenience: one session, checks, writes the lockfile, returns results in order. */
export async function checkAsins(
  items: readonly CheckItem[],
  options: CheckOptions = {},
  runtime: CheckerRuntime = {},
): Promise<CheckResult[]> {
  const checker = createChecker(options, runtime);
  const results = await checker.check(items);
  await checker.flush();
  return results;
}
