/**
 * The localization script. Runs in the visitor's browser, imports nothing,
 * and is bundled + minified by scripts/build-client.mjs into
 * dist/client/localize.min.js. The Node side (src/localize/) replaces the
 * `__AMAZON_LINKS_CONFIG__` placeholder with the site's escaped JSON config.
 *
 * What it does: guess the visitor's store (time zone, then the region of the
 * browser languages, then optionally a geo endpoint), and point every marked
 * Amazon link (`data-amazon-store`, set at build time) at that store with our
 * tag, when we have a tag there and the product is live there (or unknown and
 * `assume`); otherwise the configured fallback. No network request unless a
 * geo endpoint is configured. Deterministic from the link's attributes and its
 * original href, so it can run any number of times.
 *
 * Every byte here counts toward the 1 KB gzip budget (with an 8-store config).
 */

/** The per-site config. Keys are one letter: they ship in every page. */
interface Config {
  /**
   * One group per store we have a tag for, groups separated by "|", tokens by
   * " ": store code, domain after "amazon.", tag, then the store's countries
   * (two upper-case letters) and prefixes of its time zones' cities (longer).
   */
  z: string;
  /** 1: fall back to a tagged search in the visitor's store; 0: keep the link. */
  f: number;
  /** 1: rewrite when availability is unknown (no data-amazon-live). */
  a: number;
  /** Optional geo endpoint and its timeout in ms. */
  g?: string;
  t?: number;
}

declare const __AMAZON_LINKS_CONFIG__: Config;
/** Build-time constant (esbuild define): the geo variant keeps originals and fetches. */
declare const GEO: boolean;

const config = __AMAZON_LINKS_CONFIG__;
const doc = document;
const SELECTOR = "a[data-amazon-store]";
const zoneStore: Record<string, string> = {};
const countryStore: Record<string, string> = {};
/** Geo variant: original href of every link seen, so the geo answer can undo the first guess. */
const originals = new WeakMap<Element, string | null>();

/** Store code → [domain after "amazon.", tag, …]. */
const stores: Record<string, string[]> = {};
for (const group of config.z.split("|")) {
  const [code, ...tokens] = group.split(" ");
  stores[code!] = tokens;
  for (const token of tokens.slice(2)) (token.length > 2 ? zoneStore : countryStore)[token] = code!;
}

// Where is the visitor? The time zone first: the config lists, for the
// countries we have a store for, a short prefix of each zone's city
// ("Europe/Berlin" → "Berl") that matches no other store's zone. Else the
// first region in the browser languages (browsers report canonical tags,
// "en-US", "zh-Hans-CN", so the region is upper case).
const city = (Intl.DateTimeFormat().resolvedOptions().timeZone || "").split("/").pop()!;
const region = /-([A-Z]{2})\b/.exec(navigator.languages.join());
let visitor: string | null | undefined;
for (let i = 0; !visitor && i < city.length; ) visitor = zoneStore[city.slice(0, ++i)];
visitor ||= region && countryStore[region[1]!];

function fix(link: Element): void {
  const target = stores[visitor!];
  // The new href; undefined leaves the link as it is. Product links are
  // written from their attributes alone (fewer DOM reads: 1,000 links in a few
  // ms). Attribute names are literals: no string building per link.
  let href: string | null | undefined;
  if (GEO) {
    if (!originals.has(link)) originals.set(link, link.getAttribute("href"));
    href = originals.get(link);
  }
  if (target && link.getAttribute("data-amazon-store") !== visitor) {
    const asin = link.getAttribute("data-amazon-asin");
    const origin = "https://www.amazon." + target[0];
    const tag = "tag=" + target[1];
    if (asin) {
      const live = link.getAttribute("data-amazon-live");
      // Store codes are two letters separated by spaces, so includes() is exact.
      if (live == null ? config.a : live.includes(visitor!)) href = origin + "/dp/" + asin + "?" + tag;
      else if (config.f) href = origin + "/s?k=" + encodeURIComponent(link.getAttribute("data-amazon-title") || asin) + "&" + tag;
    } else {
      // Search pages exist in every store (the rewriter writes the tag first); others do not.
      href = (GEO ? href : link.getAttribute("href"))?.replace(/^https:\/\/[^/]+\/s\?tag=[^&#]*/, origin + "/s?" + tag);
    }
  }
  if (href != null) link.setAttribute("href", href);
}

function run(): void {
  doc.querySelectorAll(SELECTOR).forEach(fix);
}

// Links added later (client-side rendering) are fixed when about to be used:
// hovered, pressed (any button: middle-click and the context menu's "open in
// new tab" come after mousedown), clicked (also taps, screen readers, Enter
// and .click()), middle-clicked or activated from the keyboard.
for (const type of ["mouseover", "mousedown", "click", "auxclick", "keydown"]) {
  doc.addEventListener(
    type,
    (event) => {
      const link = (event.target as Element).closest?.(SELECTOR);
      if (link) fix(link);
    },
    true,
  );
}

if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", run);
else run();

if (GEO && config.g) {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), config.t);
  fetch(config.g, { signal: abort.signal, credentials: "omit" })
    .then((response) => (response.ok ? response.text() : ""))
    .then((text) => {
      // "DE", Cloudflare's /cdn-cgi/trace ("loc=DE"), or JSON with a country code.
      const match = /^\s*"?([a-z]{2})"?\s*$|(?:\bloc=|country\w*"\s*:\s*")([a-z]{2})\b/i.exec(text);
      if (match) {
        // A country we have no store for ("x" names none) undoes the guess too.
        visitor = countryStore[(match[1] || match[2])!.toUpperCase()] || "x";
        run();
      }
    })
    .catch(() => {});
}
