/**
 * Resolved settings → the small JSON config the browser script reads, and its
 * escaping for an inline `<script>`. Pure, no I/O.
 */
import { marketplaces } from "../amazon/stores.js";
import type { ResolvedLocalize } from "./options.js";
import { countryZones, shippedZones, zoneCity } from "./zones.js";

/** What src/client/localize.ts reads (keys are one letter: they ship in every page). */
export interface ClientConfig {
  /**
   * "us com mysite-20 PR US Chic New …|de de mysite0d-21 AT CH DE Berl …": per
   * store we have a tag for: code, domain after "amazon.", tag, its countries,
   * prefixes of its zones' cities.
   */
  z: string;
  /** 1: tagged search fallback; 0: keep the link. */
  f: 0 | 1;
  /** 1: rewrite when availability is unknown. */
  a: 0 | 1;
  /** Geo endpoint and timeout (ms), only when configured. */
  g?: string;
  t?: number;
}

/** Shortest prefixes the browser may match a zone's city on. */
const MIN_PREFIX = 3;

/**
 * For each shipped city, the shortest prefix (at least 3 characters, so it
 * cannot be mistaken for a country or store token) such that every known city
 * starting with it goes to the same store. Cities whose countries go to
 * different stores, or that are a prefix of another store's city, get none.
 */
function zonePrefixes(countryStore: ReadonlyMap<string, string>): Map<string, string[]> {
  // city → the store its visitors go to ("" = none, undefined entry = ambiguous)
  const cityStore = new Map<string, string | null>();
  for (const [country, zones] of countryZones()) {
    const store = countryStore.get(country) ?? "";
    for (const zone of zones) {
      const city = zoneCity(zone);
      const seen = cityStore.get(city);
      cityStore.set(city, seen === undefined || seen === store ? store : null);
    }
  }
  const cities = [...cityStore.keys()];
  const byStore = new Map<string, string[]>();
  for (const [country, store] of countryStore) {
    for (const zone of shippedZones(country)) {
      const city = zoneCity(zone);
      if (cityStore.get(city) !== store) continue;
      let key: string | undefined;
      for (let length = MIN_PREFIX; length <= city.length && !key; length++) {
        const prefix = city.slice(0, length);
        if (cities.every((other) => !other.startsWith(prefix) || cityStore.get(other) === store)) key = prefix;
      }
      if (!key) continue;
      const keys = byStore.get(store) ?? [];
      byStore.set(store, keys);
      if (!keys.includes(key)) keys.push(key);
    }
  }
  // A key that extends another key of the same store adds nothing.
  for (const [store, keys] of byStore) {
    byStore.set(store, keys.filter((key) => !keys.some((other) => other !== key && key.startsWith(other))).sort());
  }
  return byStore;
}

export function buildClientConfig(settings: ResolvedLocalize): ClientConfig {
  const groups: string[] = [];
  const prefixes = zonePrefixes(settings.countryStore);
  // Stores in table order, countries sorted: the same options give the same bytes (and hash).
  for (const market of marketplaces) {
    const tag = settings.tags.get(market.code);
    if (!tag) continue;
    const countries = [...settings.countryStore]
      .filter(([, store]) => store === market.code)
      .map(([c]) => c)
      .sort();
    const domain = market.domain.slice("amazon.".length);
    groups.push([market.code, domain, tag, ...countries, ...(prefixes.get(market.code) ?? [])].join(" "));
  }
  const config: ClientConfig = { z: groups.join("|"), f: settings.fallback === "search" ? 1 : 0, a: settings.assume ? 1 : 0 };
  if (settings.geo) {
    config.g = settings.geo;
    config.t = settings.geoTimeout;
  }
  return config;
}
