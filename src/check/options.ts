/**
 * The `check` option → validated, resolved settings. Pure: bad input throws a
 * AmazonLinksOptionError whose message starts with "[amazon-links]" and names the
 * option. Credentials are NOT options: they come from environment variables.
 */
import { isAbsolute, resolve } from "node:path";
import { marketplaceByCode, marketplaceByHost, marketplaces } from "../amazon/stores.js";
import { MAX_TIMER_MS, parseDuration } from "./duration.js";
import { isBadPort } from "./bad-ports.js";
import { AmazonLinksOptionError, isPlainObject } from "../rules/option-error.js";

export type CheckVia = "page" | "creators" | "lockfile";
/** Milliseconds, or a string such as "90s", "30m", "12h", "7d". */
export type Duration = number | string;

/**
 * Where requests go instead of Amazon. As an object: keys are Amazon hosts
 * (`www.amazon.de`, `amzn.to`, `creatorsapi.amazon`, `api.amazon.com`) or
 * store codes (`de`, meaning every host of that store); values are base URLs
 * the request path is appended to (`http://127.0.0.1:8080/www.amazon.de`).
 * As a function: gets the real Amazon URL, returns the URL to request
 * instead, or undefined to leave it alone.
 */
export type EndpointMap = Readonly<Record<string, string>>;
export type EndpointFunction = (url: URL) => string | URL | undefined | null;

export interface HostLimitOptions {
  /** Requests in flight at once to this host. */
  concurrency?: number;
  /** Minimum time between the starts of two requests to this host. */
  interval?: Duration;
}

export interface CreatorsOptions {
  /**
   * Partner (Associates) tag sent with getItems, overriding the default: the first of the plugin's
   * `tags` for the store asked. One tag for every store, or per store code. A store without a tag is not asked.
   */
  partnerTag?: string | Readonly<Record<string, string>>;
  /**
   * Version of the credential in AMAZON_CREATORS_CREDENTIAL_ID (e.g. "3.1" North America, "3.2" Europe,
   * "3.3" Far East, "2.x" Cognito); env AMAZON_CREATORS_CREDENTIAL_VERSION wins. Default "3.1".
   */
  credentialVersion?: string;
  /** ASINs per getItems request (1-10, default 10). */
  batchSize?: number;
  /**
   * What the API cannot answer (a store without a credential for its region, za and cn, an account not
   * eligible, ItemNotAccessible): "page" checks it by product page; false (default) leaves it unverified.
   */
  fallback?: "page" | false;
}

export interface CheckOptions {
  /** Which checker decides live/dead: "page" (default), "creators", "lockfile" (no network), or false (off). */
  via?: CheckVia | false;
  /** Request routing for proxies and tests; see EndpointMap. */
  endpoints?: EndpointMap | EndpointFunction;
  /** Lockfile path, relative to the config directory (default "amazon-links.lock.json"); false for none. */
  lockfile?: string | false;
  /** How long a `live` verdict is trusted (default "7d"). */
  maxAge?: Duration;
  /** How long a `dead` verdict is trusted (default "1d": products come back). */
  deadMaxAge?: Duration;
  /** Requests in flight per host (default 2). */
  concurrency?: number;
  /** Minimum time between request starts per host (default "1s": one request per second). */
  interval?: Duration;
  /** Per-host overrides of concurrency and interval, keyed by Amazon host. */
  hosts?: Readonly<Record<string, HostLimitOptions>>;
  /** Retries for transient failures (429, 5xx, captcha, timeout, reset); default 2. */
  retries?: number;
  /** First backoff delay, doubled per retry, plus jitter (default "1s"). */
  backoff?: Duration;
  /** Longest Retry-After honoured (default "60s"); longer ones are cut to this. */
  maxRetryAfter?: Duration;
  /** Per-request timeout (default "15s"). */
  timeout?: Duration;
  /** Total network time for one run (default "60s"); what is left after it is `unverified`. */
  budget?: Duration;
  /**
   * How long a host that blocked this tool (captcha, WAF challenge, 403, 429) is left alone, across
   * builds and --serve rebuilds (default "1h"; 0 turns it off).
   */
  coolDown?: Duration;
  /** User-Agent header (default names the tool). */
  userAgent?: string;
  /** Creators API settings (credentials come from the environment, never from here). */
  creators?: CreatorsOptions;
}

export interface HostLimit {
  readonly concurrency: number;
  readonly interval: number;
}

export interface ResolvedCheckOptions {
  readonly via: CheckVia | false;
  /** Real Amazon URL → URL to request (identity when not routed). */
  readonly route: (url: URL) => URL;
  /** Request URL → the Amazon URL it stands for (undefined when it is none of the routed bases). */
  readonly unroute: (url: URL) => URL | undefined;
  readonly lockfile: string | false;
  readonly maxAge: number;
  readonly deadMaxAge: number;
  readonly hostLimit: (host: string) => HostLimit;
  readonly retries: number;
  readonly backoff: number;
  readonly maxRetryAfter: number;
  readonly timeout: number;
  readonly budget: number;
  readonly coolDown: number;
  readonly userAgent: string;
  readonly creators: {
    /** The partner tag sent for a store (override, else the plugin's first tag for it). */
    readonly partnerTag: (store: string) => string | undefined;
    readonly credentialVersion: string | undefined;
    readonly batchSize: number;
    readonly fallback: "page" | false;
  };
}

export const defaultUserAgent = "eleventy-plugin-amazon-links (link checker; +https://www.npmjs.com/package/eleventy-plugin-amazon-links)";

/** Creators API at its documented starting quota: one request per second, one at a time. */
const BUILTIN_HOST_LIMITS: Record<string, HostLimit> = {
  "creatorsapi.amazon": { concurrency: 1, interval: 1_000 },
};

const KNOWN_KEYS = new Set([
  "via",
  "endpoints",
  "lockfile",
  "maxAge",
  "deadMaxAge",
  "concurrency",
  "interval",
  "hosts",
  "retries",
  "backoff",
  "maxRetryAfter",
  "timeout",
  "budget",
  "coolDown",
  "userAgent",
  "creators",
]);
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

function fail(message: string): never {
  throw new AmazonLinksOptionError(`[amazon-links] ${message}`);
}

/** Longer than any build or cache could mean: a typo (or a unit mixed up), said rather than obeyed. */
const ABSURD_MS = 100 * 365 * 86_400_000;

/** `timer`: the duration is waited for (timeouts, budget, intervals): capped at the longest timer Node has. */
function duration(name: string, value: unknown, fallback: string | number, timer = true): number {
  const parsed = parseDuration(value ?? fallback);
  if (parsed === undefined) {
    fail(
      `option "check.${name}": ${JSON.stringify(value)} is not a duration; use milliseconds or a string like "90s", "30m", "12h" or "7d".`,
    );
  }
  if (parsed > ABSURD_MS)
    fail(`option "check.${name}": ${JSON.stringify(value)} is more than 100 years; use a duration like "90s", "30m", "12h" or "7d".`);
  return timer ? Math.min(parsed, MAX_TIMER_MS) : parsed;
}

function integer(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    fail(`option "check.${name}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function baseUrl(name: string, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    fail(
      `option "check.endpoints.${name}" must be an absolute http(s) base URL such as "http://127.0.0.1:8080", got ${JSON.stringify(value)}.`,
    );
  }
  refuseBadPort(url, `check.endpoints.${name}`);
  url.search = "";
  url.hash = "";
  return url;
}

/** Node's fetch refuses some ports outright: a configuration error, not a network failure to retry. */
function refuseBadPort(url: URL, option: string): void {
  if (!isBadPort(url)) return;
  fail(
    `option "${option}": port ${url.port} (${url.origin}) is one Node's fetch refuses to connect to (the Fetch standard's "bad ports"). Serve the endpoint on another port.`,
  );
}

function joinPath(base: URL, target: URL): URL {
  const prefix = base.pathname.replace(/\/+$/, "");
  return new URL(`${base.origin}${prefix}${target.pathname}${target.search}`);
}

function resolveEndpoints(value: unknown): Pick<ResolvedCheckOptions, "route" | "unroute"> {
  if (value === undefined) return { route: (url) => url, unroute: () => undefined };
  if (typeof value === "function") {
    const fn = value as EndpointFunction;
    return {
      route(url) {
        const out = fn(new URL(url.href));
        if (out === undefined || out === null) return url;
        let routed: URL;
        try {
          routed = new URL(typeof out === "string" ? out : out.href);
        } catch {
          fail(
            `option "check.endpoints" (function) returned ${JSON.stringify(String(out))} for ${url.href}, which is not an absolute URL.`,
          );
        }
        refuseBadPort(routed, "check.endpoints");
        return routed;
      },
      unroute: () => undefined,
    };
  }
  if (!isPlainObject(value)) fail(`option "check.endpoints" must be an object of Amazon host → base URL, or a function (url) => url.`);
  const byHost = new Map<string, URL>();
  for (const [rawKey, raw] of Object.entries(value)) {
    const key = rawKey.toLowerCase();
    const base = baseUrl(rawKey, raw);
    const store = marketplaceByCode(key);
    if (store) {
      for (const host of store.hosts) byHost.set(host, base);
    } else if (HOSTNAME.test(key)) {
      byHost.set(key, base);
    } else {
      fail(
        `option "check.endpoints": key "${rawKey}" is neither an Amazon host (e.g. "www.amazon.de", "amzn.to", "creatorsapi.amazon") nor a store code (${marketplaces.map((m) => m.code).join(", ")}).`,
      );
    }
  }
  // Longest base first, so a base that is a prefix of another does not steal its URLs.
  const reverse = [...byHost.entries()].sort((a, b) => b[1].href.length - a[1].href.length);
  return {
    route(url) {
      const base = byHost.get(url.hostname.toLowerCase());
      return base ? joinPath(base, url) : url;
    },
    unroute(url) {
      for (const [host, base] of reverse) {
        const prefix = base.pathname.replace(/\/+$/, "");
        if (url.origin !== base.origin) continue;
        if (prefix !== "" && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) continue;
        // Several hosts of one store share a base: answer with the canonical one.
        const canonical = marketplaceByHost(host)?.host ?? host;
        return new URL(`https://${canonical}${url.pathname.slice(prefix.length) || "/"}${url.search}`);
      }
      return undefined;
    },
  };
}

function resolveHostLimits(user: Record<string, unknown>, concurrency: number, interval: number): (host: string) => HostLimit {
  const overrides = new Map<string, HostLimit>();
  const hosts = user.hosts;
  if (hosts !== undefined) {
    if (!isPlainObject(hosts)) fail(`option "check.hosts" must be an object of host → { concurrency, interval }.`);
    for (const [host, limit] of Object.entries(hosts)) {
      if (!isPlainObject(limit)) fail(`option "check.hosts.${host}" must be an object like { concurrency: 1, interval: "2s" }.`);
      const base = BUILTIN_HOST_LIMITS[host.toLowerCase()] ?? { concurrency, interval };
      overrides.set(host.toLowerCase(), {
        concurrency: integer(`hosts.${host}.concurrency`, limit.concurrency, base.concurrency, 1, 100),
        interval: duration(`hosts.${host}.interval`, limit.interval, base.interval),
      });
    }
  }
  const fallback = { concurrency, interval };
  return (host) => overrides.get(host) ?? BUILTIN_HOST_LIMITS[host] ?? fallback;
}

/** The plugin's `tags` option, resolved (a Map) or as written (an object). */
export type TagsByStore = ReadonlyMap<string, readonly string[]> | Readonly<Record<string, string | readonly string[]>>;

function firstTag(tags: TagsByStore | undefined, store: string): string | undefined {
  const value = tags instanceof Map ? tags.get(store) : (tags as Record<string, string | readonly string[]> | undefined)?.[store];
  const first = typeof value === "string" ? value : value?.[0];
  return first || undefined;
}

function resolvePartnerTag(value: unknown, tags: TagsByStore | undefined): (store: string) => string | undefined {
  if (value === undefined) return (store) => firstTag(tags, store);
  if (typeof value === "string" && value !== "") return () => value;
  if (isPlainObject(value) && Object.values(value).every((v) => typeof v === "string" && v !== "")) {
    for (const store of Object.keys(value)) {
      if (!marketplaceByCode(store))
        fail(`option "check.creators.partnerTag": "${store}" is not a store code (${marketplaces.map((m) => m.code).join(", ")}).`);
    }
    const map = value as Record<string, string>;
    return (store) => map[store] ?? firstTag(tags, store);
  }
  fail(
    `option "check.creators.partnerTag" must be a tag string or an object of store code → tag (by default the first tag of each store in "tags" is sent).`,
  );
}

const CREATORS_KEYS = ["partnerTag", "credentialVersion", "batchSize", "fallback"];

function resolveCreators(value: unknown, tags: TagsByStore | undefined): ResolvedCheckOptions["creators"] {
  if (value === undefined) value = {};
  if (!isPlainObject(value)) fail(`option "check.creators" must be an object like { fallback: "page" }.`);
  for (const key of Object.keys(value)) {
    if (!CREATORS_KEYS.includes(key)) {
      fail(
        `unknown option "check.creators.${key}". Known: ${CREATORS_KEYS.join(", ")}. Credentials are read from environment variables, never from the config.`,
      );
    }
  }
  const fallback = value.fallback ?? false;
  if (fallback !== false && fallback !== "page")
    fail(`option "check.creators.fallback" must be "page" or false, got ${JSON.stringify(fallback)}.`);
  const version = value.credentialVersion;
  if (version !== undefined && (typeof version !== "string" || !/^\d+(\.\d+)*$/.test(version))) {
    fail(`option "check.creators.credentialVersion" must be a version string such as "3.1", got ${JSON.stringify(version)}.`);
  }
  return {
    partnerTag: resolvePartnerTag(value.partnerTag, tags),
    credentialVersion: version as string | undefined,
    batchSize: integer("creators.batchSize", value.batchSize, 10, 1, 10),
    fallback,
  };
}

/**
 * Validate the `check` option. `configDir` anchors a relative lockfile path
 * (Eleventy: the directory of the config file; CLI: the working directory);
 * `tags` (the plugin's) give the Creators API its default partner tag per store.
 */
export function resolveCheckOptions(user: unknown = {}, context: { configDir?: string; tags?: TagsByStore } = {}): ResolvedCheckOptions {
  if (user === undefined || user === null) user = {};
  if (!isPlainObject(user)) fail(`option "check" must be an object like { via: "page", maxAge: "7d" }.`);
  for (const key of Object.keys(user)) {
    if (!KNOWN_KEYS.has(key)) fail(`unknown option "check.${key}". Known check options: ${[...KNOWN_KEYS].join(", ")}.`);
  }
  const via = user.via ?? "page";
  if (via !== false && via !== "page" && via !== "creators" && via !== "lockfile") {
    fail(`option "check.via" must be "page", "creators", "lockfile" or false, got ${JSON.stringify(via)}.`);
  }
  const lockfileOption = user.lockfile ?? "amazon-links.lock.json";
  if (lockfileOption !== false && (typeof lockfileOption !== "string" || lockfileOption === "")) {
    fail(`option "check.lockfile" must be a file path or false, got ${JSON.stringify(lockfileOption)}.`);
  }
  const configDir = context.configDir ?? process.cwd();
  const lockfile = lockfileOption === false ? false : isAbsolute(lockfileOption) ? lockfileOption : resolve(configDir, lockfileOption);
  if (via === "lockfile" && lockfile === false) {
    fail(
      `option "check.via" is "lockfile" but "check.lockfile" is false: there is nothing to read. Set a lockfile path or another checker.`,
    );
  }
  const userAgent = user.userAgent ?? defaultUserAgent;
  if (typeof userAgent !== "string" || userAgent.trim() === "" || /[\r\n]/.test(userAgent)) {
    fail(`option "check.userAgent" must be a non-empty single-line string.`);
  }
  const concurrency = integer("concurrency", user.concurrency, 2, 1, 100);
  const interval = duration("interval", user.interval, "1s");
  return Object.freeze({
    via,
    ...resolveEndpoints(user.endpoints),
    lockfile,
    maxAge: duration("maxAge", user.maxAge, "7d", false),
    deadMaxAge: duration("deadMaxAge", user.deadMaxAge, "1d", false),
    hostLimit: resolveHostLimits(user, concurrency, interval),
    retries: integer("retries", user.retries, 2, 0, 10),
    backoff: duration("backoff", user.backoff, "1s"),
    maxRetryAfter: duration("maxRetryAfter", user.maxRetryAfter, "60s"),
    timeout: duration("timeout", user.timeout, "15s"),
    budget: duration("budget", user.budget, "60s"),
    coolDown: duration("coolDown", user.coolDown, "1h"),
    userAgent,
    creators: resolveCreators(user.creators, context.tags),
  });
}
