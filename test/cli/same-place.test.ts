/**
 * The plugin and `amazon-links check` build report rows with one row builder: a link that no source
 * spells (here the template assembles its URL) is placed in the built page, and the check run over that
 * built page places it at the same line and column.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { LinkRecord, Report } from "../../src/results.js";
import { buildFixture, tempDir } from "../helpers/eleventy.js";
import { runNode } from "../helpers/run.js";

const bin = resolve("dist/cli/main.js");

// Each URL is put together by Nunjucks, so the source never spells it. Two links share a line (the
// first gets longer when it is tagged), one href is unquoted, one link sits in an iframe's srcdoc.
const TEMPLATE = [
  "<h1>Shelf</h1>",
  `<p>Lamps: <a href="https://www.{{ store }}.com/dp/B00OFWQS94">one</a> and <a href="https://www.{{ store }}.com/dp/B07QBPDWLS?tag=other-20">two</a></p>`,
  `<p>Bare: <a class=x href=https://www.{{ store }}.com/dp/B0052KW5W6>three</a></p>`,
  `<iframe srcdoc="<p>Framed <a href=&quot;https://www.{{ store }}.com/dp/B08N5WRWNW&quot;>four</a>"></iframe>`,
  `<p data-amazon-links="off"><a href="https://www.{{ store }}.com/dp/B09G9FPHY6">five</a></p>`,
  "",
].join("\n");

const place = (link: LinkRecord) => ({ asin: link.asin, line: link.line, column: link.column });
const byAsin = (a: { asin?: string | undefined }, b: { asin?: string | undefined }) => (a.asin ?? "").localeCompare(b.asin ?? "");

describe("one row builder", () => {
  it("places a link no source spells at the same line:column in the plugin's report and in `check` of the built page", async () => {
    const input = await tempDir("amazon-links-same-place-");
    await mkdir(join(input, "src"));
    await writeFile(join(input, "src/index.njk"), `---\nstore: amazon\n---\n${TEMPLATE}`);
    const build = await buildFixture(join(input, "src"), { tags: { us: "ours-20" } });
    expect(build.error).toBeUndefined();
    const fromPlugin = build.report.links.filter((l) => l.output.endsWith("index.html"));
    expect(fromPlugin).toHaveLength(5);
    // Placed in the built page: no source file spells these URLs.
    for (const link of fromPlugin) expect(link.input).toBe(link.output);

    const { code, stdout, stderr } = await runNode(
      bin,
      ["check", ".", "--check", "off", "--tag", "us=ours-20", "--format", "json"],
      build.outputDir,
    );
    expect(stderr).toBe("");
    expect(code).toBe(0); // the plugin tagged every link it rewrites
    const fromCheck = (JSON.parse(stdout) as Report).links;
    expect(fromCheck.map(place).sort(byAsin)).toEqual(fromPlugin.map(place).sort(byAsin));
    // The places themselves: the URL's first character in the built page, as its bytes say.
    const page = (await build.read("index.html")).split("\n");
    for (const link of fromCheck) {
      const at = page[link.line - 1]!.slice(link.column - 1);
      expect(at.startsWith(`https://www.amazon.com/dp/${link.asin}`), `${link.asin} at ${link.line}:${link.column}`).toBe(true);
    }
  });
});
