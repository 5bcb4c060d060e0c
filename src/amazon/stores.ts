/**
 * Every Amazon retail store: the data the URL model, the rules, the checkers
 * and the browser script share. No I/O, no logic beyond lookups.
 */

export interface Marketplace {
  /** Lower-case store code used everywhere in options and reports (`us`, `uk`, `de`, …). */
  readonly code: string;
  /** Registrable domain of the store (`amazon.co.uk`). */
  readonly domain: string;
  /** Canonical host written into links (`www.amazon.co.uk`). */
  readonly host: string;
  /** Every host that serves this store: bare, `www.`, `m.` and the retired `smile.`. */
  readonly hosts: readonly string[];
  /** ISO 3166-1 alpha-2 countries sent to this store by default. */
  readonly countries: readonly string[];
  /** Human name for messages and reports. */
  readonly name: string;
}

function store(code: string, domain: string, name: string, countries: string[]): Marketplace {
  const host = `www.${domain}`;
  return Object.freeze({
    code,
    domain,
    host,
    hosts: Object.freeze([domain, host, `m.${domain}`, `smile.${domain}`]),
    countries: Object.freeze(countries),
    name,
  });
}

/** The stores, in the order Amazon's own locale lists use (Americas, Europe, Middle East, Asia-Pacific). */
export const marketplaces: readonly Marketplace[] = Object.freeze([
  store("us", "amazon.com", "United States", ["US", "PR", "VI", "GU", "AS", "MP", "UM"]),
  store("ca", "amazon.ca", "Canada", ["CA"]),
  store("mx", "amazon.com.mx", "Mexico", ["MX"]),
  store("br", "amazon.com.br", "Brazil", ["BR"]),
  store("uk", "amazon.co.uk", "United Kingdom", ["GB", "IM", "JE", "GG", "GI"]),
  store("de", "amazon.de", "Germany", ["DE", "AT", "CH", "LI", "LU"]),
  store("fr", "amazon.fr", "France", ["FR", "MC", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF"]),
  store("it", "amazon.it", "Italy", ["IT", "SM", "VA"]),
  store("es", "amazon.es", "Spain", ["ES", "AD", "PT"]),
  store("nl", "amazon.nl", "Netherlands", ["NL"]),
  store("se", "amazon.se", "Sweden", ["SE"]),
  store("pl", "amazon.pl", "Poland", ["PL"]),
  store("be", "amazon.com.be", "Belgium", ["BE"]),
  store("tr", "amazon.com.tr", "Türkiye", ["TR"]),
  store("ae", "amazon.ae", "United Arab Emirates", ["AE", "OM", "BH", "KW", "QA"]),
  store("sa", "amazon.sa", "Saudi Arabia", ["SA"]),
  store("eg", "amazon.eg", "Egypt", ["EG"]),
  store("in", "amazon.in", "India", ["IN"]),
  store("jp", "amazon.co.jp", "Japan", ["JP"]),
  store("au", "amazon.com.au", "Australia", ["AU", "NZ"]),
  store("sg", "amazon.sg", "Singapore", ["SG"]),
  store("ie", "amazon.ie", "Ireland", ["IE"]),
  store("za", "amazon.co.za", "South Africa", ["ZA"]),
  store("cn", "amazon.cn", "China", ["CN"]),
]);

/** Link shorteners Amazon runs. Their targets are only known after a redirect. */
export const shortLinkHosts: readonly string[] = Object.freeze(["amzn.to", "amzn.eu", "amzn.asia", "a.co"]);

const byCode = new Map(marketplaces.map((m) => [m.code, m]));
const byHost = new Map<string, Marketplace>();
for (const m of marketplaces) for (const h of m.hosts) byHost.set(h, m);

export function marketplaceByCode(code: string): Marketplace | undefined {
  return byCode.get(code);
}

/** Exact host lookup: `www.amazon.de` → de. Anything not in the table (lookalikes, AWS, Seller Central) → undefined. */
export function marketplaceByHost(host: string): Marketplace | undefined {
  return byHost.get(host);
}

/** Default country → store map, derived from the table. */
export function defaultCountryMap(): Record<string, string> {
  const map: Record<string, string> = {};
  for (const m of marketplaces) for (const c of m.countries) map[c] = m.code;
  return map;
}
