/** Which built files can carry Amazon links, by name (cheap: no parser loaded). */
export type DocumentKind = "html" | "xml-feed" | "json-feed";

/** What kind of file an output path is, by its name (JSON is confirmed as a JSON Feed by its content). */
export function documentKind(outputPath: string, content?: string): DocumentKind | undefined {
  if (/\.html?$/i.test(outputPath)) return "html";
  if (/\.(xml|rss|atom)$/i.test(outputPath)) return "xml-feed";
  if (/\.json$/i.test(outputPath) && (content === undefined || content.includes("jsonfeed.org/version"))) return "json-feed";
  return undefined;
}
