export { default as remarkAmazonLinks } from "./remark.js";
export { default as rehypeAmazonLinks } from "./rehype.js";
