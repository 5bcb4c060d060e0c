/** Byte-preservation checks cut link tags out with parse5 (an independent parser), never with the scanner under test. */
export { outsideLinkTags } from "./html-oracle.js";
