/**
 * The `localize` option → validated settings. Pure, no I/O. Bad input throws
 * an AmazonLinksOptionError whose message starts `[amazon-links] option "localize…`.
 */
import { defaultCountryMap, marketplaceByCode, marketplaces } from "../amazon/stores.js";
import { AmazonLinksOptionError, isPlainObject } from "../rules/option-error.js";

export interface LocalizeOptions {
  /** `"inline"` (default): a `<script>` in each page; `"file"`: one `/amazon-links.<hash>.js` and `<script src defer>`. */
  script?: "inline" | "file";
  /** Nonce written on the script tag, for a nonce-based CSP (e.g. a placeholder your server fills in). */
  nonce?: string;
  /** Country (ISO 3166-1 alpha-2) → store code, list of store codes (first one we have a tag for wins) or `false` (no store). */
  countries?: Record<string, string | readonly string[] | false | null>;
  /** When the product is not (known to be) in the visitor's store: `"search"` (default) or `"keep"`. */
  fallback?: "search" | "keep";
  /** Rewrite when availability is unknown (default true). */
  assume?: boolean;
  /** Optional geo endpoint (absolute http(s) URL or a path on this site) answering a country code or Cloudflare's trace. */
  geo?: string | false;
  /** Timeout for the geo endpoint in ms (default 1000). */
  geoTimeout?: number;
}

export interface ResolvedLocalize {
  readonly script: "inline" | "file";
  readonly nonce: string | undefined;
  /** Country → store we have a tag for (countries without one are absent). */
  readonly countryStore: ReadonlyMap<string, string>;
  readonly fallback: "search" | "keep";
  readonly assume: boolean;
  readonly geo: string | undefined;
  readonly geoTimeout: number;
  /** Store code → the tag written, for stores we have a tag for. */
  readonly tags: ReadonlyMap<string, string>;
}

/**
 * Where a country's visitors go when the first store has no tag: defaults on
 * top of the stores table (src/amazon/stores.ts), which sends each country to
 * one store. Belgians used amazon.fr and amazon.nl before amazon.com.be
 * opened; the Irish amazon.co.uk before amazon.ie; Luxembourg and Switzerland
 * are served by amazon.de and amazon.fr.
 */
const DEFAULT_CHAINS: Readonly<Record<string, readonly string[]>> = {
  IE: ["ie", "uk"],
  BE: ["be", "fr", "nl", "de"],
  LU: ["de", "fr", "be"],
  CH: ["de", "fr", "it"],
  MC: ["fr"],
};

const KNOWN_KEYS = ["script", "nonce", "countries", "fallback", "assume", "geo", "geoTimeout"];
const COUNTRY = /^[A-Za-z]{2}$/;
/** A nonce or a server-side placeholder for one; nothing that could leave the attribute. */
const NONCE = /^[^\s"'<>&`=]+={0,2}$/;

function fail(message: string): never {
  throw new AmazonLinksOptionError(`[amazon-links] option "localize${message}`);
}

function storeList(path: string, value: unknown): readonly string[] {
  if (value === false || value === null) return [];
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : undefined;
  if (!list || list.length === 0) fail(`.${path}" must be a store code, a list of store codes or false, e.g. "de" or ["ie", "uk"].`);
  return list.map((code: unknown) => {
    const lower = typeof code === "string" ? code.toLowerCase() : "";
    if (!marketplaceByCode(lower)) {
      fail(`.${path}": ${JSON.stringify(code)} is not a store code. Known stores: ${marketplaces.map((m) => m.code).join(", ")}.`);
    }
    return lower;
  });
}

function resolveCountries(value: unknown, tags: ReadonlyMap<string, string>): Map<string, string> {
  const chains = new Map<string, readonly string[]>();
  for (const [country, store] of Object.entries(defaultCountryMap())) chains.set(country, [store]);
  for (const [country, list] of Object.entries(DEFAULT_CHAINS)) chains.set(country, list);
  if (value !== undefined) {
    if (!isPlainObject(value)) fail(`.countries" must be an object of country code → store code, e.g. { IE: "uk", NO: ["se", "de"] }.`);
    for (const [rawCountry, stores] of Object.entries(value)) {
      if (!COUNTRY.test(rawCountry)) fail(`.countries": "${rawCountry}" is not a two-letter country code (ISO 3166-1, e.g. "AT").`);
      chains.set(rawCountry.toUpperCase(), storeList(`countries.${rawCountry}`, stores));
    }
  }
  const resolved = new Map<string, string>();
  for (const [country, list] of chains) {
    const store = list.find((code) => tags.has(code));
    if (store) resolved.set(country, store);
  }
  return resolved;
}

function resolveGeo(value: unknown): string | undefined {
  if (value === undefined || value === false || value === null) return undefined;
  if (typeof value === "string" && value.startsWith("/") && !value.startsWith("//")) return value;
  if (typeof value === "string") {
    try {
      const url = new URL(value);
      if (url.protocol === "https:" || url.protocol === "http:") return url.href;
    } catch {
      // fall through to the message
    }
  }
  fail(`.geo" must be an http(s) URL or a path on this site, e.g. "/cdn-cgi/trace"; got ${JSON.stringify(value)}.`);
}

/**
 * The `localize` option as the plugin and `amazon-links rewrite` use it, resolved once: undefined when off.
 * The script reads the links' data attributes, so turning those off with localization on is an error.
 */
export function localizeSettingsFor(
  option: unknown,
  options: { readonly tags: ReadonlyMap<string, readonly string[]>; readonly dataAttributes: boolean },
): ResolvedLocalize | undefined {
  const settings = resolveLocalizeOptions(option, options.tags);
  if (settings && !options.dataAttributes) {
    throw new AmazonLinksOptionError(
      `[amazon-links] option "dataAttributes": false leaves the localization script nothing to read. Set localize: false, or keep the data attributes.`,
    );
  }
  return settings;
}

/**
 * Resolve the `localize` option. `undefined` means off: the option is
 * `false`, or we have tags for fewer than two stores (nothing to localize to,
 * even when the option asks for it).
 */
export function resolveLocalizeOptions(option: unknown, tags: ReadonlyMap<string, readonly string[]>): ResolvedLocalize | undefined {
  if (option === false || option === null) return undefined;
  if (option !== undefined && option !== true && !isPlainObject(option)) {
    fail(`" must be true, false or an object like { script: "file", fallback: "keep" }.`);
  }
  const options: Record<string, unknown> = isPlainObject(option) ? option : {};
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.includes(key)) fail(`.${key}" is unknown. Known: ${KNOWN_KEYS.map((k) => `localize.${k}`).join(", ")}.`);
  }

  const script = options.script ?? "inline";
  if (script !== "inline" && script !== "file") fail(`.script" must be "inline" or "file"; got ${JSON.stringify(script)}.`);
  const nonce = options.nonce;
  if (nonce !== undefined && (typeof nonce !== "string" || !NONCE.test(nonce))) {
    fail(`.nonce" must be a nonce string (base64, or your server's placeholder such as "{{CSP_NONCE}}") without spaces or quotes.`);
  }
  const fallback = options.fallback ?? "search";
  if (fallback !== "search" && fallback !== "keep") fail(`.fallback" must be "search" or "keep"; got ${JSON.stringify(fallback)}.`);
  const assume = options.assume ?? true;
  if (typeof assume !== "boolean") fail(`.assume" must be true or false.`);
  const geoTimeout = options.geoTimeout ?? 1000;
  if (typeof geoTimeout !== "number" || !Number.isInteger(geoTimeout) || geoTimeout < 50 || geoTimeout > 10_000) {
    fail(`.geoTimeout" must be a whole number of milliseconds between 50 and 10000.`);
  }

  // Written tags: the first per store. Store codes were validated by resolveOptions.
  const written = new Map<string, string>();
  for (const [code, list] of tags) if (list[0] && marketplaceByCode(code)) written.set(code, list[0]);

  const resolved: ResolvedLocalize = {
    script,
    nonce,
    countryStore: resolveCountries(options.countries, written),
    fallback,
    assume,
    geo: resolveGeo(options.geo),
    geoTimeout,
    tags: written,
  };
  return written.size >= 2 ? resolved : undefined;
}
