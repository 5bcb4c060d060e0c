export { marketplaces, marketplaceByCode, marketplaceByHost, shortLinkHosts, defaultCountryMap } from "./stores.js";
export type { Marketplace } from "./stores.js";
export { parseAmazonUrl } from "./parse.js";
export type { AmazonUrl, AmazonUrlKind } from "./parse.js";
export { formatAmazonUrl, defaultKeepParams } from "./format.js";
export type { FormatOptions } from "./format.js";
export { isValidAsin, isValidIsbn10, asinProblem } from "./asin.js";
