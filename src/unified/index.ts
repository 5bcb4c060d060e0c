export { default as remarkAmazonLinks } from "./remark.js";
export { default as rehypeAmazonLinks } from "./rehype.js";
export type { UnifiedAmazonLinksOptions } from "./options.js";
