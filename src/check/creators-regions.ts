/**
 * The Creators API's regions. A credential belongs to one region (its version
 * says which: x.1, x.2, x.3) and serves only that region's stores (Amazon's
 * Creators API documentation and its official SDKs). amazon.co.za and
 * amazon.cn are not served at all. No I/O.
 */

export interface CreatorsRegion {
  /** "na", "eu", "fe": also the suffix of the region's environment variables (upper-cased). */
  readonly id: "na" | "eu" | "fe";
  readonly name: string;
  /** The minor version digit of the region's credentials: 2.1/3.1 → "1". */
  readonly versionDigit: string;
  /** Store codes served. */
  readonly stores: readonly string[];
}

export const creatorsRegions: readonly CreatorsRegion[] = Object.freeze([
  { id: "na", name: "North America", versionDigit: "1", stores: ["us", "ca", "mx", "br"] },
  {
    id: "eu",
    name: "Europe, India, Middle East, Türkiye and Egypt",
    versionDigit: "2",
    stores: ["uk", "de", "fr", "it", "es", "nl", "se", "pl", "be", "tr", "ae", "sa", "eg", "in", "ie"],
  },
  { id: "fe", name: "Far East", versionDigit: "3", stores: ["jp", "sg", "au"] },
] as const);

const byStore = new Map(creatorsRegions.flatMap((region) => region.stores.map((store) => [store, region] as const)));

/** The region serving a store; undefined for stores the Creators API does not serve (za, cn). */
export function creatorsRegionOf(store: string): CreatorsRegion | undefined {
  return byStore.get(store);
}

/** The region of a credential version ("3.2" → Europe); undefined for an unknown version. */
export function regionOfVersion(version: string): CreatorsRegion | undefined {
  const match = /^([23])\.([123])$/.exec(version);
  return match ? creatorsRegions.find((region) => region.versionDigit === match[2]) : undefined;
}
