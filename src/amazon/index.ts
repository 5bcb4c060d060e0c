export { marketplaces } from "./stores.js";
export type { Marketplace } from "./stores.js";
export { parseAmazonUrl } from "./parse.js";
export type { AmazonUrl, AmazonUrlKind } from "./parse.js";
export { formatAmazonUrl } from "./format.js";
export type { FormatOptions } from "./format.js";
export { isValidAsin } from "./asin.js";
